"""What the API answers: each record with its natural keys (indicator code, park code, zone name) next to the ids,
amounts as decimal strings with their units named, and ``revision`` and ``modified`` on the records people edit
(send the revision back with an update: a record changed since is a 409)."""

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_serializer
from rest_framework import serializers

from parkdash.enterprises.models import Enterprise
from parkdash.indicators.choices import FigureKind, Version, WarningCode
from parkdash.indicators.models import Figure, Indicator
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.parks.models import Park, Zone
from parkdash.projects.models import Project

REVISIONED = ["revision", "created", "modified"]
# A park record's id and where it is: the park's code and id, the zone's name and id (ParkKeys).
PARK_KEYS = ["id", "park", "park_id", "zone", "zone_id"]


class ParkKeys(serializers.ModelSerializer):
    """The park (code) and zone (name) of a park record, next to their ids."""

    park = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The park's code.")
    park_id = serializers.IntegerField(read_only=True)
    zone = serializers.SlugRelatedField(
        slug_field="name", read_only=True, allow_null=True, help_text="The zone's name; null for the whole park."
    )
    zone_id = serializers.IntegerField(read_only=True, allow_null=True)


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "unit",
            "display_unit",
            "category",
            "aggregation",
            "higher_is_better",
            "sort_order",
            "modified",
        ]
        read_only_fields = fields  # answers only: writes go through parkdash.indicators.entry


class ZoneBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Zone
        fields = ["id", "name", "name_en"]
        read_only_fields = fields  # answers only: writes go through parkdash.indicators.entry


class ParkSerializer(serializers.ModelSerializer):
    zones = ZoneBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Park
        fields = ["id", "code", "name", "name_en", "is_demo", "description", "zones", "modified"]
        read_only_fields = fields  # answers only: writes go through parkdash.indicators.entry


class ZoneSerializer(serializers.ModelSerializer):
    park = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The park's code.")
    park_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Zone
        fields = ["id", "park", "park_id", "name", "name_en", "modified"]
        read_only_fields = fields  # answers only: writes go through parkdash.indicators.entry


class FigureSerializer(ParkKeys):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The indicator's code.")
    indicator_id = serializers.IntegerField(read_only=True)
    unit = serializers.CharField(
        source="indicator.unit", read_only=True, help_text="The unit of value: the indicator's canonical unit."
    )

    class Meta:
        model = Figure
        fields = [
            "id",
            "indicator",
            "indicator_id",
            "park",
            "park_id",
            "zone",
            "zone_id",
            "year",
            "month",
            "kind",
            "version",
            "value",
            "unit",
            "entered_value",
            "entered_unit",
            "yoy_pct",
            "source",
            "note",
            "source_quote",
            *REVISIONED,
        ]
        read_only_fields = fields  # answers only: writes go through parkdash.indicators.entry


class DeletedFigureSerializer(serializers.Serializer):
    """A figure deleted since the cursor (in the changes feed): its id and natural key."""

    id = serializers.IntegerField()
    deleted = serializers.BooleanField(help_text="Always true.")
    indicator = serializers.CharField()
    park = serializers.CharField()
    zone = serializers.CharField(allow_null=True)
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    kind = serializers.CharField()
    version = serializers.CharField()


class ProjectSerializer(ParkKeys):
    investment_unit = serializers.SerializerMethodField(help_text="The unit of the investment amounts: 万元.")

    class Meta:
        model = Project
        fields = [
            *PARK_KEYS,
            "name",
            "category",
            "phase",
            "planned_start",
            "planned_finish",
            "actual_start",
            "actual_finish",
            "total_investment",
            "ytd_investment",
            "investment_unit",
            "progress_pct",
            "responsible_unit",
            "description",
            "source_quote",
            *REVISIONED,
        ]
        read_only_fields = fields  # answers only: writes go through parkdash.indicators.entry

    def get_investment_unit(self, obj) -> str:
        return "万元"


class EnterpriseSerializer(ParkKeys):
    land_area_unit = serializers.SerializerMethodField(help_text="The unit of land_area_mu: 亩.")
    investment_unit = serializers.SerializerMethodField(help_text="The unit of planned_investment: 万元.")

    class Meta:
        model = Enterprise
        fields = [
            *PARK_KEYS,
            "name",
            "industry",
            "is_listed",
            "stage",
            "intent_date",
            "evaluation_date",
            "settled_date",
            "construction_date",
            "production_date",
            "land_area_mu",
            "land_area_unit",
            "planned_investment",
            "investment_unit",
            "evaluation_outcome",
            "notes",
            "source_quote",
            *REVISIONED,
        ]
        read_only_fields = fields  # answers only: writes go through parkdash.indicators.entry

    def get_land_area_unit(self, obj) -> str:
        return "亩"

    def get_investment_unit(self, obj) -> str:
        return "万元"


class WorkSerializer(ParkKeys):
    class Meta:
        model = InfrastructureWork
        fields = [
            *PARK_KEYS,
            "year",
            "kind",
            "name",
            "unit",
            "planned_quantity",
            "completed_quantity",
            "notes",
            "source_quote",
            *REVISIONED,
        ]
        read_only_fields = fields  # answers only: writes go through parkdash.indicators.entry


# ---- the figure writes: what they take and answer (for the schema; parkdash.indicators.entry validates) ----------


class FigureInputSerializer(serializers.Serializer):
    """A figure as plain values, validated and saved by parkdash.indicators.entry exactly as the admin's form."""

    indicator = serializers.CharField(help_text="The indicator's code.")
    park = serializers.CharField(help_text="The park's code (one the user may enter figures for).")
    zone = serializers.CharField(required=False, allow_null=True, help_text="A zone's name; null: the whole park.")
    year = serializers.IntegerField(min_value=1949, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12, help_text="Actuals: January through this month.")
    kind = serializers.ChoiceField(choices=FigureKind.choices)
    version = serializers.ChoiceField(choices=Version.choices)
    value = serializers.DecimalField(
        max_digits=15, decimal_places=4, required=False, allow_null=True, help_text="In the indicator's unit."
    )
    entered_value = serializers.DecimalField(
        max_digits=15,
        decimal_places=4,
        required=False,
        allow_null=True,
        help_text="Instead of value: an amount in entered_unit, converted to the indicator's unit.",
    )
    entered_unit = serializers.CharField(required=False, help_text="The unit of entered_value (万元, 亿, 公顷 …).")
    yoy_pct = serializers.DecimalField(max_digits=9, decimal_places=2, required=False, allow_null=True)
    note = serializers.CharField(required=False)
    source_quote = serializers.CharField(required=False)
    confirm_warnings = serializers.ListField(
        child=serializers.ChoiceField(choices=WarningCode.choices),
        required=False,
        help_text="The codes of the plausibility warnings the sender checked: the figure is then saved with them.",
    )
    revision = serializers.IntegerField(
        required=False,
        help_text="An update: the revision read. Someone else saved the figure since: 409, nothing saved.",
    )


class BulkInputSerializer(serializers.Serializer):
    figures = FigureInputSerializer(many=True, help_text="At most PARKDASH_API_BULK_MAX (1,000) figures.")


class WarningSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=WarningCode.choices)
    message = serializers.CharField()


class WarningsAnswerSerializer(serializers.Serializer):
    warnings = WarningSerializer(many=True)
    detail = serializers.CharField(help_text="Nothing was saved: send the figure again with confirm_warnings.")


class ConflictAnswerSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What changed since the revision sent, by whom and when.")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    current = FigureSerializer(help_text="The figure as it is now.")


class BulkItemSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The item's position in figures, from 0.")
    status = serializers.ChoiceField(choices=["created", "updated", "unchanged", "invalid", "warnings", "conflict"])
    id = serializers.IntegerField(allow_null=True, required=False)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)
    warnings = WarningSerializer(many=True, required=False)


class BulkAnswerSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    items = BulkItemSerializer(many=True)


class BulkRefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()
    items = BulkItemSerializer(many=True, help_text="Every item: those refused with their errors or warnings.")


@extend_schema_serializer(many=False)
class FigureListAnswerSerializer(serializers.Serializer):
    """A page of figures; with changed_since, the changes after the cursor instead (cursor and more, no count)."""

    count = serializers.IntegerField(required=False, help_text="Without changed_since: the figures in all pages.")
    next = serializers.URLField(required=False, allow_null=True)
    previous = serializers.URLField(required=False, allow_null=True)
    results = PolymorphicProxySerializer(
        component_name="FigureOrDeletedFigure",
        serializers=[FigureSerializer, DeletedFigureSerializer],
        resource_type_field_name=None,
        many=True,
    )
    cursor = serializers.CharField(required=False, help_text="With changed_since: pass it back to get what follows.")
    more = serializers.BooleanField(
        required=False, help_text="With changed_since: more changes are waiting, ask again at once."
    )
