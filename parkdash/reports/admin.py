from django.contrib import admin

from parkdash.parks.admin import ParkScopedAdmin
from parkdash.parks.scoping import sees_all_parks

from .models import ReportLine, Wording


@admin.register(ReportLine)
class ReportLineAdmin(ParkScopedAdmin):
    list_display = ("park", "position", "indicator", "label")
    list_editable = ("position",)
    list_filter = ("park",)
    autocomplete_fields = ("park", "indicator")
    list_select_related = ("park", "indicator")
    search_fields = ("indicator__name", "indicator__name_en", "label", "park__name")


@admin.register(Wording)
class WordingAdmin(ParkScopedAdmin):
    """The draft's sentence patterns a park writes for itself; only the city level writes those of every park."""

    list_display = ("name", "language", "park")
    list_filter = ("name", "language", "park")
    list_select_related = ("park",)
    search_fields = ("text", "park__name")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "park" in form.base_fields and not sees_all_parks(request.user):
            # A park's editor writes the park's own wording: "every park" is the administrators'.
            form.base_fields["park"].required = True
            form.base_fields["park"].empty_label = None
        return form
