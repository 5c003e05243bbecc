"""The query parameters of the list endpoints (django-filter): natural keys (park code, zone name, indicator code)
and plain values. A value that does not fit (year=abc, kind=other) is a 400 naming the parameter."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from parkdash.core.models import YEAR_MAX, YEAR_MIN
from parkdash.enterprises.choices import Stage
from parkdash.enterprises.models import Enterprise
from parkdash.indicators.choices import Category, FigureKind, Version
from parkdash.indicators.models import Figure, Indicator
from parkdash.infrastructure.choices import WorkKind
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.parks.models import Zone
from parkdash.projects.choices import Phase, ProjectCategory
from parkdash.projects.models import Project


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def park_filter():
    return django_filters.CharFilter(field_name="park__code", label=_("Park code"))


def zone_filter():
    return django_filters.CharFilter(field_name="zone__name", label=_("Zone name"))


def year_filter():
    return IntegerFilter(min_value=YEAR_MIN, max_value=YEAR_MAX, label=_("Year"))


class FigureFilter(django_filters.FilterSet):
    park = park_filter()
    zone = zone_filter()
    indicator = django_filters.CharFilter(field_name="indicator__code", label=_("Indicator code"))
    year = year_filter()
    month = IntegerFilter(min_value=1, max_value=12, label=_("Month"))
    kind = django_filters.ChoiceFilter(choices=FigureKind.choices, label=_("Kind"))
    version = django_filters.ChoiceFilter(choices=Version.choices, label=_("Version"))

    class Meta:
        model = Figure
        fields = ["park", "zone", "indicator", "year", "month", "kind", "version"]


class IndicatorFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Category"))

    class Meta:
        model = Indicator
        fields = ["category"]


class ZoneFilter(django_filters.FilterSet):
    park = park_filter()

    class Meta:
        model = Zone
        fields = ["park"]


class ProjectFilter(django_filters.FilterSet):
    park = park_filter()
    zone = zone_filter()
    phase = django_filters.ChoiceFilter(choices=Phase.choices, label=_("Phase"))
    category = django_filters.ChoiceFilter(choices=ProjectCategory.choices, label=_("Category"))

    class Meta:
        model = Project
        fields = ["park", "zone", "phase", "category"]


class EnterpriseFilter(django_filters.FilterSet):
    park = park_filter()
    zone = zone_filter()
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("Stage"))

    class Meta:
        model = Enterprise
        fields = ["park", "zone", "stage"]


class WorkFilter(django_filters.FilterSet):
    park = park_filter()
    zone = zone_filter()
    year = year_filter()
    kind = django_filters.ChoiceFilter(choices=WorkKind.choices, label=_("Kind"))

    class Meta:
        model = InfrastructureWork
        fields = ["park", "zone", "year", "kind"]
