import django_filters
from django.utils.translation import gettext_lazy as _

from parkdash.parks.filters import ParkRecordFilterSet

from .choices import WorkKind
from .models import InfrastructureWork


class WorkFilterSet(ParkRecordFilterSet):
    search_fields = ("name", "notes")

    year = django_filters.NumberFilter(label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=WorkKind.choices, label=_("Kind"))

    class Meta:
        model = InfrastructureWork
        fields = ["q", "park", "zone", "year", "kind"]
