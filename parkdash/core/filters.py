"""Filter base: park, zone and free-text ``q`` for every table."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parkdash.parks.models import Park, Zone

from .scoping import visible_parks, visible_zones
from .selection import parse_int


def parks_for(request):
    if request is None:
        return Park.objects.none()
    return visible_parks(request.user)


def zones_for(request):
    """Zones of the chosen park only, so that the list stays short when there are many parks."""
    if request is None:
        return Zone.objects.none()
    zones = visible_zones(request.user).select_related("park")
    # parse_int, not int(): ?park= with 10,000 digits is a ValueError beyond Python's digit limit (a 500).
    park = parse_int(request.GET.get("park", ""), minimum=1)
    if park is not None:
        zones = zones.filter(park_id=park)
    return zones


class BaseFilterSet(django_filters.FilterSet):
    """Adds ``q`` (searching ``search_fields``), ``park`` and ``zone`` filters."""

    search_fields = ()

    q = django_filters.CharFilter(method="search", label=_("Search"),
                                  widget=forms.TextInput(attrs={"type": "search"}))
    park = django_filters.ModelChoiceFilter(queryset=parks_for, label=_("Park"))
    zone = django_filters.ModelChoiceFilter(queryset=zones_for, label=_("Zone"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.NumberFilter) and filter_.field_name.split("__")[-1] == "year":
                # A year lookup on a date becomes a date range computed in Python: ?year=1e30 would overflow (a 500).
                filter_.extra.setdefault("min_value", 1)
                filter_.extra.setdefault("max_value", 9999)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{field + "__icontains": value})
        return queryset.filter(condition)
