"""Filters of every park record's table: ``park`` and ``zone``, among those the user may see, with ``q``."""

import functools

import django_filters
from django.utils.translation import gettext_lazy as _

from parkdash.core.filters import BaseFilterSet
from parkdash.core.numbers import parse_int

from .models import Park, Zone
from .scoping import visible_parks, visible_zones


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


class ParkRecordFilterSet(BaseFilterSet):
    """Adds ``park`` and ``zone`` filters to ``q``; a domain app's FilterSet adds its own and lists them in
    ``Meta.fields``."""

    park = django_filters.ModelChoiceFilter(queryset=parks_for, label=_("Park"))
    zone = django_filters.ModelChoiceFilter(queryset=zones_for, label=_("Zone"))

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
