from django.contrib import admin

from parkdash.parks.admin import ParkScopedAdmin

from .models import ReportLine


@admin.register(ReportLine)
class ReportLineAdmin(ParkScopedAdmin):
    list_display = ("park", "position", "indicator", "label")
    list_editable = ("position",)
    list_filter = ("park",)
    autocomplete_fields = ("park", "indicator")
    list_select_related = ("park", "indicator")
    search_fields = ("indicator__name", "indicator__name_en", "label", "park__name")
