from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from parkdash.core.numbers import format_number
from parkdash.parks.admin import ParkRecordAdmin

from .models import InfrastructureWork
from .resources import WorkResource


@admin.register(InfrastructureWork)
class InfrastructureWorkAdmin(ParkRecordAdmin):
    resource_classes = [WorkResource]
    list_display = ("name", "park", "zone", "year", "kind", "planned", "completed", "completion")
    list_filter = ("kind", "year", "park")
    search_fields = ("name", "notes")

    @admin.display(description=_("planned"), ordering="planned_quantity")
    def planned(self, obj):
        return f"{format_number(obj.planned_quantity)} {obj.unit}"

    @admin.display(description=_("completed"), ordering="completed_quantity")
    def completed(self, obj):
        return f"{format_number(obj.completed_quantity)} {obj.unit}"

    @admin.display(description=_("completion"))
    def completion(self, obj):
        pct = obj.completion_pct
        return "" if pct is None else f"{pct}%"
