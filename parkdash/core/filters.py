"""Filter base: a free-text ``q`` over ``search_fields``, quick selects, and year lookups that cannot overflow."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .widgets import QuickSelect


class BaseFilterSet(django_filters.FilterSet):
    """Adds ``q``, searching ``search_fields``; choice filters render as QuickSelects."""

    search_fields = ()

    q = django_filters.CharFilter(method="search", label=_("Search"), widget=forms.TextInput(attrs={"type": "search"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            # isinstance: a subclass (parks.filters.VisibleParkFilter, the park list of every table) is one select.
            if isinstance(filter_, (django_filters.ChoiceFilter, django_filters.ModelChoiceFilter)):
                filter_.extra.setdefault("widget", QuickSelect)
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
