"""What the API answers: each record with its natural keys (indicator code, park code, zone name) next to the ids,
amounts as decimal strings with their units named, and ``revision`` and ``modified`` on the records people edit
(send the revision back with an update: a record changed since is a 409)."""

from rest_framework import serializers

from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure, Indicator
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.parks.models import Park, Zone
from parkdash.projects.models import Project

REVISIONED = ["revision", "created", "modified"]


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


class ZoneBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Zone
        fields = ["id", "name", "name_en"]


class ParkSerializer(serializers.ModelSerializer):
    zones = ZoneBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Park
        fields = ["id", "code", "name", "name_en", "is_demo", "description", "zones", "modified"]


class ZoneSerializer(serializers.ModelSerializer):
    park = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The park's code.")
    park_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Zone
        fields = ["id", "park", "park_id", "name", "name_en", "modified"]


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
            "id",
            "park",
            "park_id",
            "zone",
            "zone_id",
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

    def get_investment_unit(self, obj) -> str:
        return "万元"


class EnterpriseSerializer(ParkKeys):
    land_area_unit = serializers.SerializerMethodField(help_text="The unit of land_area_mu: 亩.")
    investment_unit = serializers.SerializerMethodField(help_text="The unit of planned_investment: 万元.")

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "park",
            "park_id",
            "zone",
            "zone_id",
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

    def get_land_area_unit(self, obj) -> str:
        return "亩"

    def get_investment_unit(self, obj) -> str:
        return "万元"


class WorkSerializer(ParkKeys):
    class Meta:
        model = InfrastructureWork
        fields = [
            "id",
            "park",
            "park_id",
            "zone",
            "zone_id",
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
