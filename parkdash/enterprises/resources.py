from import_export import fields

from parkdash.core.resources import ChoicesWidget, YesNoWidget
from parkdash.parks.resources import ParkRecordResource

from .choices import EvaluationOutcome, Stage
from .models import Enterprise
from .tables import EnterpriseTable

STAGE_ALIASES = {
    "落户/供地": Stage.SETTLED,
    "落户供地": Stage.SETTLED,
    "已落户": Stage.SETTLED,
    "已开工": Stage.CONSTRUCTION,
    "已投产": Stage.PRODUCTION,
}
OUTCOME_ALIASES = {
    "待定": EvaluationOutcome.PENDING,
    "待评估": EvaluationOutcome.PENDING,
    "通过": EvaluationOutcome.PASSED,
    "未通过": EvaluationOutcome.REJECTED,
    "否决": EvaluationOutcome.REJECTED,
}


class EnterpriseResource(ParkRecordResource):
    stage = fields.Field("stage", "stage", widget=ChoicesWidget(Stage, "stage", STAGE_ALIASES))
    is_listed = fields.Field("is_listed", "is_listed", widget=YesNoWidget())
    evaluation_outcome = fields.Field(
        "evaluation_outcome",
        "evaluation_outcome",
        widget=ChoicesWidget(EvaluationOutcome, "evaluation outcome", OUTCOME_ALIASES),
    )

    export_table = EnterpriseTable

    class Meta(ParkRecordResource.Meta):
        model = Enterprise
        fields = (
            "park",
            "zone",
            "name",
            "industry",
            "is_listed",
            "stage",
            "intent_date",
            "evaluation_date",
            "settled_date",
            "construction_date",
            "production_date",
            "land_area_mu",
            "planned_investment",
            "evaluation_outcome",
            "notes",
        )
        import_id_fields = ("park", "name")

    def before_import_row(self, row, **kwargs):
        if row.get("evaluation_outcome") is None and "evaluation_outcome" in row:
            row["evaluation_outcome"] = ""
