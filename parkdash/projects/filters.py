import django_filters
from django.utils.translation import gettext_lazy as _

from parkdash.parks.filters import ParkRecordFilterSet

from .choices import Phase, ProjectCategory
from .models import Project


class ProjectFilterSet(ParkRecordFilterSet):
    search_fields = ("name", "responsible_unit", "description")

    phase = django_filters.ChoiceFilter(choices=Phase.choices, label=_("Phase"))
    category = django_filters.ChoiceFilter(choices=ProjectCategory.choices, label=_("Category"))
    year = django_filters.NumberFilter(field_name="planned_start__year", label=_("Planned start year"))

    class Meta:
        model = Project
        fields = ["q", "park", "zone", "phase", "category", "year"]
