from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from parkdash.core.numbers import format_number
from parkdash.parks.admin import ParkRecordAdmin

from .models import Enterprise
from .resources import EnterpriseResource


@admin.register(Enterprise)
class EnterpriseAdmin(ParkRecordAdmin):
    resource_classes = [EnterpriseResource]
    list_display = (
        "name",
        "park",
        "zone",
        "industry",
        "is_listed",
        "stage",
        "land",
        "planned_investment",
        "production_date",
    )
    list_filter = ("stage", "is_listed", "evaluation_outcome", "park")
    search_fields = ("name", "industry", "notes")
    fieldsets = (
        (None, {"fields": ("park", "zone", "name", "industry", "is_listed", "stage", "evaluation_outcome")}),
        (
            _("Stage dates"),
            {"fields": ("intent_date", "evaluation_date", "settled_date", "construction_date", "production_date")},
        ),
        (_("Land and investment"), {"fields": ("land_area_mu", "planned_investment")}),
        (_("Notes"), {"fields": ("notes", "source_quote")}),
    )

    @admin.display(description=_("land (mu)"), ordering="land_area_mu")
    def land(self, obj):
        return format_number(obj.land_area_mu) if obj.land_area_mu is not None else ""
