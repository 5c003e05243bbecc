from import_export import fields, widgets

from parkdash.core.resources import BaseResource, ChoicesWidget, ParkWidget, ZoneWidget

from .choices import EvaluationOutcome, Stage
from .models import Enterprise


class EnterpriseResource(BaseResource):
    park = fields.Field("park", "park", widget=ParkWidget())
    zone = fields.Field("zone", "zone", widget=ZoneWidget())
    stage = fields.Field("stage", "stage", widget=ChoicesWidget(Stage, "stage"))
    is_listed = fields.Field("is_listed", "is_listed", widget=widgets.BooleanWidget())
    evaluation_outcome = fields.Field("evaluation_outcome", "evaluation_outcome",
                                      widget=ChoicesWidget(EvaluationOutcome, "evaluation outcome"))

    class Meta(BaseResource.Meta):
        model = Enterprise
        fields = ("park", "zone", "name", "industry", "is_listed", "stage", "intent_date", "evaluation_date",
                  "settled_date", "construction_date", "production_date", "land_area_mu", "planned_investment",
                  "evaluation_outcome", "notes")
        import_id_fields = ("park", "name")

    def before_import_row(self, row, **kwargs):
        if row.get("evaluation_outcome") is None and "evaluation_outcome" in row:
            row["evaluation_outcome"] = ""
