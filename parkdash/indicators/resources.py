from import_export import fields

from parkdash.core.resources import BaseResource, ChoicesWidget, NamedForeignKeyWidget, ParkWidget, ZoneWidget

from .choices import FigureKind, Version
from .models import Figure, Indicator


class FigureResource(BaseResource):
    """Rows of indicator figures: indicator by code, name or alias; value in any compatible unit."""

    indicator = fields.Field("indicator", "indicator", widget=NamedForeignKeyWidget(Indicator, ("code", "name"),
                                                                                      "indicator"))
    park = fields.Field("park", "park", widget=ParkWidget())
    zone = fields.Field("zone", "zone", widget=ZoneWidget())
    kind = fields.Field("kind", "kind", widget=ChoicesWidget(FigureKind, "kind"))
    version = fields.Field("version", "version", widget=ChoicesWidget(Version, "version"))
    value = fields.Field("entered_value", "value")
    unit = fields.Field("entered_unit", "unit")

    class Meta(BaseResource.Meta):
        model = Figure
        fields = ("indicator", "park", "zone", "year", "month", "kind", "version", "value", "unit", "yoy_pct",
                  "note")
        import_id_fields = ("indicator", "park", "zone", "year", "month", "kind", "version")

    def before_import_row(self, row, **kwargs):
        if not row.get("version"):
            row["version"] = Version.FINAL
        if not row.get("month") and str(row.get("kind", "")).strip().lower() in ("target", "目标"):
            row["month"] = 12

    def before_save_instance(self, instance, row, **kwargs):
        instance.source = "import"
