import django_filters
from django.utils.translation import gettext_lazy as _

from parkdash.parks.filters import ParkRecordFilterSet

from .choices import EvaluationOutcome, Stage
from .models import Enterprise


class EnterpriseFilterSet(ParkRecordFilterSet):
    search_fields = ("name", "industry", "notes")

    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("Stage"))
    is_listed = django_filters.BooleanFilter(label=_("Listed company"))
    industry = django_filters.CharFilter(lookup_expr="icontains", label=_("Industry"))
    evaluation_outcome = django_filters.ChoiceFilter(choices=EvaluationOutcome.choices, label=_("Evaluation"))

    class Meta:
        model = Enterprise
        fields = ["q", "park", "zone", "stage", "industry", "is_listed", "evaluation_outcome"]
