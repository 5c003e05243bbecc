import functools

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField

from parkdash.parks.filters import ParkRecordFilterSet

from . import cache
from .choices import Category, FigureKind, Source, Version
from .models import Figure, Indicator


class FigureFilterSet(ParkRecordFilterSet):
    search_fields = ("indicator__name", "indicator__name_en", "indicator__code", "indicator__aliases", "note")

    indicator = django_filters.ModelChoiceFilter(
        queryset=Indicator.objects.all(), label=_("Indicator"), to_field_name="code"
    )
    year = django_filters.NumberFilter(label=_("Year"))
    month = django_filters.NumberFilter(label=_("Month"))
    kind = django_filters.ChoiceFilter(choices=FigureKind.choices, label=_("Kind"))
    version = django_filters.ChoiceFilter(choices=Version.choices, label=_("Version"))
    category = django_filters.ChoiceFilter(
        field_name="indicator__category", choices=Category.choices, label=_("Category")
    )
    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("Source"))

    @property
    def form(self):
        form = super().form
        field = form.fields.get("indicator")
        if field is not None and self.request is not None and not getattr(form, "indicators_set", False):
            form.indicators_set = True
            # The list from the cached catalogue (no query, no Indicator made per option), labelled as the field's
            # queryset would label it: str(indicator) by its code.
            if type(field).label_from_instance is ModelChoiceField.label_from_instance:
                field.widget.choices = functools.cache(
                    lambda: [("", field.empty_label), *cache.indicator_choices(self.request)]
                )
        return form

    class Meta:
        model = Figure
        fields = ["q", "park", "zone", "indicator", "category", "year", "month", "kind", "version", "source"]
