from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    INTENT = "intent", _("Intent (意向)")
    EVALUATION = "evaluation", _("Evaluation (评估)")
    SETTLED = "settled", _("Settled with land (落户/供地)")
    CONSTRUCTION = "construction", _("Construction started (开工)")
    PRODUCTION = "production", _("In production (投产)")


# The date field recording when each stage was reached, in pipeline order.
STAGE_DATE_FIELDS = [
    (Stage.INTENT, "intent_date"),
    (Stage.EVALUATION, "evaluation_date"),
    (Stage.SETTLED, "settled_date"),
    (Stage.CONSTRUCTION, "construction_date"),
    (Stage.PRODUCTION, "production_date"),
]


class EvaluationOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    PASSED = "passed", _("Passed")
    REJECTED = "rejected", _("Rejected")
