"""Filter base: park, zone and free-text ``q`` for every table."""

import functools

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parkdash.parks.models import Park, Zone

from .numbers import parse_int
from .scoping import visible_parks, visible_zones
from .widgets import QuickSelect


def parks_for(request):
    if request is None:
        return Park.objects.none()
    return visible_parks(request.user)


def zones_for(request):
    """The zones ?zone= may name: those of the chosen park, else those of every park the user sees."""
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

    q = django_filters.CharFilter(method="search", label=_("Search"), widget=forms.TextInput(attrs={"type": "search"}))
    park = django_filters.ModelChoiceFilter(queryset=parks_for, label=_("Park"))
    zone = django_filters.ModelChoiceFilter(queryset=zones_for, label=_("Zone"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if type(filter_) in (django_filters.ChoiceFilter, django_filters.ModelChoiceFilter):
                filter_.extra.setdefault("widget", QuickSelect)
            if isinstance(filter_, django_filters.NumberFilter) and filter_.field_name.split("__")[-1] == "year":
                # A year lookup on a date becomes a date range computed in Python: ?year=1e30 would overflow (a 500).
                filter_.extra.setdefault("min_value", 1)
                filter_.extra.setdefault("max_value", 9999)

    @property
    def form(self):
        form = super().form
        if not getattr(form, "lists_set", False):
            form.lists_set = True
            # Computed when the form renders, after validation has read the query string; once, though read twice.
            park, zone = form.fields.get("park"), form.fields.get("zone")
            if park is not None:
                # Rows rather than model instances: a city may have hundreds of parks (see selection.py).
                park.widget.choices = functools.cache(
                    lambda: [("", park.empty_label), *park.queryset.values_list("pk", "name")]
                )
            if zone is not None:
                zone.widget.choices = functools.cache(lambda: self.zone_choices(form, zone))
        return form

    def zone_choices(self, form, field):
        """The zone list offers one park's zones, so that it stays short however many parks there are: the
        chosen park's, else the chosen zone's park's, else the user's only park's; otherwise none until a park
        is chosen. ?zone= still accepts every zone the user sees (``field.queryset``)."""
        cleaned = getattr(form, "cleaned_data", {})
        park = cleaned.get("park") or getattr(cleaned.get("zone"), "park", None)
        if park is None:
            parks = list(self.filters["park"].get_queryset(self.request).values_list("pk", flat=True)[:2])
            if len(parks) != 1:
                return [("", _("Choose a park first"))]
            park = parks[0]
        zones = field.queryset.filter(park=park)
        return [("", field.empty_label)] + [(zone.pk, field.label_from_instance(zone)) for zone in zones]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{field + "__icontains": value})
        return queryset.filter(condition)
