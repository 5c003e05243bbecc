"""The apps' layers hold for the models too: a foreign key points to its own app or to a layer below.

Imports are checked by the import-linter contract in .importlinter (make lint); a relation named by a string
("intake.WorkSummary") is no import, so it is checked here.
"""

from django.apps import apps
from django.test import SimpleTestCase

LAYERS = {
    "core": 0,
    "parks": 1,
    "indicators": 2,
    "projects": 2,
    "enterprises": 2,
    "infrastructure": 2,
    "intake": 3,
    "dashboard": 3,
    "demo": 3,
    "reports": 3,
    "api": 3,
}


class ModelLayerTests(SimpleTestCase):
    def test_every_relation_points_to_its_own_app_or_a_layer_below(self):
        upward = []
        for model in apps.get_models():
            app = model._meta.app_label
            if app not in LAYERS or model.__name__.startswith("Historical"):
                continue
            for field in model._meta.get_fields(include_hidden=True):
                if not field.is_relation or field.auto_created or field.related_model is None:
                    continue
                target = field.related_model._meta.app_label
                if target in LAYERS and target != app and LAYERS[target] >= LAYERS[app]:
                    upward.append(f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}")
        self.assertEqual(upward, [])

    def test_every_app_of_the_project_has_a_layer(self):
        ours = {config.label for config in apps.get_app_configs() if config.name.startswith("parkdash.")}
        self.assertEqual(ours, set(LAYERS))
