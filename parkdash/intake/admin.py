from django.contrib import admin

from parkdash.core.admin import ParkScopedAdmin

from .models import WorkSummary


@admin.register(WorkSummary)
class WorkSummaryAdmin(ParkScopedAdmin):
    list_display = ("__str__", "park", "year", "month", "file_name", "uploaded_by", "created", "applied_at")
    list_filter = ("park", "year")
    search_fields = ("title", "file_name", "text")
    autocomplete_fields = ("park",)
    list_select_related = ("park", "uploaded_by")
