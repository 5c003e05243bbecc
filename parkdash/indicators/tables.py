import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from parkdash.core.export import column
from parkdash.core.numbers import quantity_parts
from parkdash.core.tables import NumberColumn, PercentColumn
from parkdash.parks.tables import ParkRecordTable

from .choices import Category, FigureKind, Source, Version
from .models import Figure


class FigureTable(ParkRecordTable):
    export_name = _("Indicator figures")
    export_slug = "figures"

    # The indicator's page (Indicator.get_absolute_url), named so that the rows' links are made without a reverse()
    # each.
    indicator = tables.Column(
        verbose_name=_("Indicator"),
        linkify=("indicators:indicator_detail", [tables.A("indicator__code")]),
        order_by=("indicator__sort_order", "indicator__code"),
    )
    # The category's label, as django-tables2 shows a field with choices (through core.tables.render_cells).
    category = tables.Column(accessor="indicator__category", verbose_name=_("Category"))
    name = None  # a figure is named by its indicator and period
    zone = tables.Column(verbose_name=_("Zone"), default=_("Whole park"))
    year = tables.Column(verbose_name=_("Year"))
    month = tables.Column(verbose_name=_("Through month"))
    kind = tables.Column(verbose_name=_("Kind"))
    version = tables.Column(verbose_name=_("Version"))
    value = NumberColumn(verbose_name=_("Value"), key=True)
    unit = tables.Column(accessor="indicator__unit", verbose_name=_("Unit"), orderable=False)
    yoy_pct = PercentColumn(verbose_name=_("YoY %"))
    source = tables.Column(verbose_name=_("Source"))

    class Meta(ParkRecordTable.Meta):
        model = Figure
        fields = ()
        sequence = (
            "indicator",
            "category",
            "park",
            "zone",
            "year",
            "month",
            "kind",
            "version",
            "value",
            "unit",
            "yoy_pct",
            "source",
        )

    # The value and its unit as every page shows them (core.numbers): 3,214 万元 rather than 0.3214 亿元, the
    # indicator's display unit when it has one, the unit in the user's language. The export keeps the stored value
    # and unit (an import reads them back).
    def render_value(self, value, record):
        return self.quantity(record, value)[0]

    def render_unit(self, record):
        return self.quantity(record, record.value)[1]

    def quantity(self, record, value):
        """quantity_parts() of the row's value, worked out once for its two cells (the row's value then its unit)."""
        last = getattr(self, "_last_quantity", None)
        if last is not None and last[0] is record and last[1] is value:
            return last[2]
        parts = quantity_parts(value, record.indicator.unit, record.indicator.display_unit)
        self._last_quantity = (record, value, parts)
        return parts

    def export_columns(self):
        return [
            column(_("Indicator code"), "indicator__code"),
            column(_("Indicator"), "indicator__name"),
            column(_("Category"), "indicator__category", choices=Category.choices),
            column(_("Park"), "park__name"),
            column(_("Park code"), "park__code"),  # the key an import of this file finds the park by
            column(_("Zone"), "zone__name"),
            column(_("Year"), "year", numeric=True),
            column(_("Through month"), "month", numeric=True),
            column(_("Kind"), "kind", choices=FigureKind.choices),
            column(_("Version"), "version", choices=Version.choices),
            column(_("Value (in the unit column)"), "value", numeric=True),
            column(_("Unit"), "indicator__unit"),
            column(_("YoY %"), "yoy_pct", numeric=True),
            column(_("Source"), "source", choices=Source.choices),
            column(_("Source quote"), "source_quote"),
        ]
