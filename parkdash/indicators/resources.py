from import_export import fields, widgets
from import_export.results import RowResult

from parkdash.core import units
from parkdash.core.resources import ChoicesWidget, NamedForeignKeyWidget, NumberWidget
from parkdash.parks.resources import ParkRecordResource

from . import quality
from .choices import FigureKind, Version
from .models import Figure, Indicator
from .tables import FigureTable

KIND_ALIASES = {
    "目标": FigureKind.TARGET,
    "全年目标": FigureKind.TARGET,
    "计划": FigureKind.TARGET,
    "实际": FigureKind.ACTUAL,
    "完成": FigureKind.ACTUAL,
    "实绩": FigureKind.ACTUAL,
}
VERSION_ALIASES = {
    "预计": Version.ESTIMATE,
    "快报": Version.PRELIMINARY,
    "初步": Version.PRELIMINARY,
    "正式": Version.FINAL,
    "最终": Version.FINAL,
}


class IndicatorWidget(NamedForeignKeyWidget):
    """An indicator by code, Chinese name, or one of the aliases summaries use (工业投资 for 工业性投入)."""

    def __init__(self, **kwargs):
        super().__init__(Indicator, ("code", "name"), "indicator", **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            text = str(value).strip()
            matches = [i for i in Indicator.objects.filter(aliases__contains=text) if text in i.alias_list]
            if len(matches) == 1:
                return matches[0]
            raise


class PlausibilityResourceMixin:
    """For a figure resource: the plausibility warnings (quality.py) of the rows saved, on their row results
    (``warnings``, shown in the preview), read once all rows are in (one query a park, not a query a row); the
    confirm step keeps them as confirmed by the importing user. Unchanged rows are not saved, so not checked: the
    data-quality page lists theirs."""

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._saved_rows = []  # (figure, row result) of the rows saved

    def import_row(self, row, instance_loader, **kwargs):
        self._saved_figure = None
        row_result = super().import_row(row, instance_loader, **kwargs)
        row_result.warnings = []
        saved = (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE)
        if self._saved_figure is not None and row_result.import_type in saved:
            self._saved_rows.append((self._saved_figure, row_result))
        return row_result

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self._saved_figure = instance

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        saved = getattr(self, "_saved_rows", [])
        figures = [figure for figure, _row_result in saved]
        done = quality.confirmed(figures)
        confirmed = []
        for (figure, row_result), warnings in zip(saved, quality.warnings_of(figures)):
            row_result.warnings = quality.unconfirmed(figure, warnings, done)
            confirmed += [(figure, warning) for warning in row_result.warnings]
        if confirmed and not kwargs.get("dry_run", True):
            quality.keep(confirmed, self.user)
        result.warning_rows = sum(1 for _figure, row_result in saved if row_result.warnings)


class FigureResource(PlausibilityResourceMixin, ParkRecordResource):
    """Rows of indicator figures: indicator by code, name or alias; value in any compatible unit."""

    indicator = fields.Field("indicator", "indicator", widget=IndicatorWidget())
    kind = fields.Field("kind", "kind", widget=ChoicesWidget(FigureKind, "kind", KIND_ALIASES))
    version = fields.Field("version", "version", widget=ChoicesWidget(Version, "version", VERSION_ALIASES))
    value = fields.Field("entered_value", "value", widget=NumberWidget())
    unit = fields.Field("entered_unit", "unit", widget=widgets.CharWidget(allow_blank=True))

    export_table = FigureTable
    # The table's value is in the indicator's unit: its unit column is read as the unit of the value.
    export_paths = {
        **ParkRecordResource.export_paths,
        "indicator__code": "indicator",
        "indicator__name": "indicator",
        "indicator__unit": "unit",
    }
    key_paths = ("indicator__code", *ParkRecordResource.key_paths)
    derived_fields = {"entered_value": ("value",), "entered_unit": ("value",)}
    bulk_creates = True  # a figure's save() is its INSERT; its history is written at the end of the import
    # No zone column: every row is the whole park's; no version column: 正式 (before_import_row).
    optional_columns = ("zone", "version")

    class Meta(ParkRecordResource.Meta):
        model = Figure
        fields = ("indicator", "park", "zone", "year", "month", "kind", "version", "value", "unit", "yoy_pct", "note")
        import_id_fields = ("indicator", "park", "zone", "year", "month", "kind", "version")

    def before_import_row(self, row, **kwargs):
        if not row.get("version"):
            row["version"] = Version.FINAL
        if not row.get("month") and self._kind_of(row) == FigureKind.TARGET:
            row["month"] = 12

    def _kind_of(self, row):
        try:
            return self.fields["kind"].widget.clean(row.get("kind"))
        except ValueError:
            return None  # reported on the row by the kind field itself

    def import_instance(self, instance, row, **kwargs):
        # The table export gives the value in the indicator's unit (0.3214 亿元 for a figure entered as 3214 万元):
        # the same amount in another unit is the same figure, so the figure keeps the form it was entered in.
        entered = (instance.entered_value, instance.entered_unit, instance.value) if instance.pk else None
        super().import_instance(instance, row, **kwargs)
        if entered is None or entered[2] is None or instance.entered_value is None:
            return
        try:
            same = (
                units.convert(
                    instance.entered_value, instance.entered_unit or instance.indicator.unit, instance.indicator.unit
                )
                == entered[2]
            )
        except (units.UnitError, ArithmeticError, ValueError, TypeError):
            return
        if same:
            instance.entered_value, instance.entered_unit = entered[0], entered[1]

    def before_save_instance(self, instance, row, **kwargs):
        instance.source = "import"

    # A figure written by code may hold only the canonical value: export that rather than an empty cell.
    def dehydrate_value(self, figure):
        return self.fields["value"].widget.render(
            figure.entered_value if figure.entered_value is not None else figure.value
        )

    def dehydrate_unit(self, figure):
        return figure.entered_unit if figure.entered_value is not None and figure.entered_unit else figure.unit
