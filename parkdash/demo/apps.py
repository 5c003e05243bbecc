from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Synthetic demo parks (generator.py) and the commands that make them: tooling on top of every app."""

    name = "parkdash.demo"
    verbose_name = _("Demo data")
