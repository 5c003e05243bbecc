"""Filter base: park, zone and free-text ``q`` for every table."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parkdash.parks.models import Park, Zone

from .scoping import visible_parks, visible_zones


def parks_for(request):
    if request is None:
        return Park.objects.none()
    return visible_parks(request.user)


def zones_for(request):
    """Zones of the chosen park only, so that the list stays short when there are many parks."""
    if request is None:
        return Zone.objects.none()
    zones = visible_zones(request.user).select_related("park")
    park = request.GET.get("park", "")
    if park.isdigit():
        zones = zones.filter(park_id=int(park))
    return zones


class BaseFilterSet(django_filters.FilterSet):
    """Adds ``q`` (searching ``search_fields``), ``park`` and ``zone`` filters."""

    search_fields = ()

    q = django_filters.CharFilter(method="search", label=_("Search"),
                                  widget=forms.TextInput(attrs={"type": "search"}))
    park = django_filters.ModelChoiceFilter(queryset=parks_for, label=_("Park"))
    zone = django_filters.ModelChoiceFilter(queryset=zones_for, label=_("Zone"))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{field + "__icontains": value})
        return queryset.filter(condition)
