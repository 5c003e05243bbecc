"""Filters of every park record's table: ``park`` and ``zone``, among those the user may see, with ``q``."""

import functools

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField

from parkdash.core.filters import BaseFilterSet
from parkdash.core.numbers import parse_int

from . import versions
from .models import Park, Zone
from .scoping import sees_all_parks, visible_parks
from .selection import PARK_FIELDS, scope_key, visible_park_rows

_PK, _NAME = PARK_FIELDS.index("id"), PARK_FIELDS.index("name")


def parks_for(request):
    if request is None:
        return Park.objects.none()
    return filter_parks(request.user)


def filter_parks(user):
    """``visible_parks(user)``: the same parks, a member's selected by their membership (a join) rather than by the
    list of their parks' ids. Django prepares an ``IN`` list value by value as it builds the queryset: 2,900 calls
    for an editor of 251 parks, 3,300 more for the zones', on every table page, where the filters' querysets are
    seldom read (the park list and ``?park=`` come from the cached rows, the zone list from the cache of the data
    versions)."""
    if sees_all_parks(user) or not user.is_authenticated:
        return visible_parks(user)
    return _member_parks(user.pk).all()


def filter_zones(user):
    """``visible_zones(user)``, its parks as :func:`filter_parks` selects them."""
    return _zones(_zone_scope(user), None, related=False).all()


def zones_for(request):
    """The zones ?zone= may name: those of the chosen park, else those of every park the user sees."""
    if request is None:
        return Zone.objects.none()
    # parse_int, not int(): ?park= with 10,000 digits is a ValueError beyond Python's digit limit (a 500).
    park = parse_int(request.GET.get("park", ""), minimum=1)
    return _zones(_zone_scope(request.user), park, related=True).all()


# The filters' querysets are SQL, not data: the same for every request of a user (a member's parks by a join of
# their memberships, every park's), never stale. Each is made once per worker (a member's parks 370 calls, their
# zones 800 more) and every request gets a copy of its own (.all()): the kept ones are never read.


@functools.lru_cache(maxsize=1024)
def _member_parks(user_id):
    return Park.objects.filter(members=user_id)


def _zone_scope(user):
    """Whose zones :func:`_zones` selects: every park's, a member's (by their id), or none."""
    if sees_all_parks(user):
        return ("all",)
    return ("member", user.pk) if user.is_authenticated else ("none",)


@functools.lru_cache(maxsize=1024)
def _zones(scope, park, related):
    if scope[0] == "none":
        return Zone.objects.none()
    zones = Zone.objects.filter(park__in=Park.objects.all() if scope[0] == "all" else _member_parks(scope[1]))
    if related:
        zones = zones.select_related("park")
    if park is not None:
        zones = zones.filter(park_id=park)
    return zones


class VisibleParkField(ModelChoiceField):
    """The ``park`` filter's field: ``?park=`` is looked up among ``rows`` (the user's parks as
    ``parks.selection.PARK_FIELDS`` rows, cached under the data versions) when they are given, rather than with a
    query; the Park is made from its row (like ``only()``: the other fields are read if ever used). The same
    answer, and the same error, as the queryset's ``get(pk=…)``."""

    rows = None  # a callable returning the rows, set by ParkRecordFilterSet.form

    def to_python(self, value):
        if self.rows is None or value in self.empty_values:
            return super().to_python(value)
        self.validate_no_null_characters(value)
        try:
            pk = Park._meta.pk.to_python(value)
        except ValidationError:
            pk = None
        row = next((r for r in self.rows() if r[_PK] == pk), None) if pk is not None else None
        if row is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return Park.from_db(self.queryset.db, PARK_FIELDS, row)


class VisibleParkFilter(django_filters.ModelChoiceFilter):
    field_class = VisibleParkField


class ParkRecordFilterSet(BaseFilterSet):
    """Adds ``park`` and ``zone`` filters to ``q``; a domain app's FilterSet adds its own and lists them in
    ``Meta.fields``.

    The park list, ``?park=`` and the chosen park's zone list are read from the cache of the data versions
    (``parks`` version: parks, zones, members), under the user's scope: no query once cached."""

    park = VisibleParkFilter(queryset=parks_for, label=_("Park"))
    zone = django_filters.ModelChoiceFilter(queryset=zones_for, label=_("Zone"))

    def park_rows(self):
        """The rows of the parks the ``park`` filter offers (``PARK_FIELDS``), or None when it offers another
        queryset than the user's parks (a subclass's own)."""
        if self.request is None or self.filters["park"].queryset is not parks_for:
            return None
        return visible_park_rows(self.request)

    @property
    def form(self):
        form = super().form
        if not getattr(form, "lists_set", False):
            form.lists_set = True
            # Computed when first needed, after validation has read the query string; once, though read twice.
            rows = functools.cache(self.park_rows)
            park, zone = form.fields.get("park"), form.fields.get("zone")
            if park is not None:
                if isinstance(park, VisibleParkField) and rows() is not None:
                    park.rows = rows
                # Rows rather than model instances: a city may have hundreds of parks (see selection.py).
                park.widget.choices = functools.cache(lambda: [("", park.empty_label), *self.park_choices(park, rows)])
            if zone is not None:
                zone.widget.choices = functools.cache(lambda: self.zone_choices(form, zone, rows))
        return form

    @staticmethod
    def park_choices(field, rows):
        if rows() is None:
            return list(field.queryset.values_list("pk", "name"))
        return [(row[_PK], row[_NAME]) for row in rows()]

    def zone_choices(self, form, field, rows=None):
        """The zone list offers one park's zones, so that it stays short however many parks there are: the
        chosen park's, else the chosen zone's park's, else the user's only park's; otherwise none until a park
        is chosen. ?zone= still accepts every zone the user sees (``field.queryset``)."""
        cleaned = getattr(form, "cleaned_data", {})
        park = cleaned.get("park") or getattr(cleaned.get("zone"), "park", None)
        park_rows = rows() if rows is not None else None
        if park is None:
            if park_rows is not None:
                parks = [row[_PK] for row in park_rows[:2]]
            else:
                parks = list(self.filters["park"].get_queryset(self.request).values_list("pk", flat=True)[:2])
            if len(parks) != 1:
                return [("", _("Choose a park first"))]
            park = parks[0]
        park_id = getattr(park, "pk", park)
        if park_rows is None or type(field).label_from_instance is not ModelChoiceField.label_from_instance:
            zones = field.queryset.filter(park=park_id)
            return [("", field.empty_label)] + [(zone.pk, field.label_from_instance(zone)) for zone in zones]
        # A zone's label is its name (Zone.__str__); the zones of a park the user sees, cached as the park list.
        epoch, parks_version = versions.for_request(self.request).get(versions.PARKS)
        names = versions.cached(
            "zone-names",
            (epoch, parks_version),
            # ?park= narrows field.queryset too (zones_for): part of what the list is.
            (scope_key(self.request.user), park_id, parse_int(self.request.GET.get("park", ""), minimum=1)),
            # The queryset made only when the list is not cached (a filter costs 100 calls).
            lambda: list(field.queryset.filter(park=park_id).values_list("pk", "name")),
        )
        return [("", field.empty_label), *names]
