from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from parkdash.core.numbers import format_number
from parkdash.parks.admin import ParkRecordAdmin

from .models import Project, ProjectUpdate
from .resources import ProjectResource


class ProjectUpdateInline(admin.TabularInline):
    model = ProjectUpdate
    extra = 0
    fields = ("date", "phase", "progress_pct", "note", "created_by")
    readonly_fields = ("created_by",)


@admin.register(Project)
class ProjectAdmin(ParkRecordAdmin):
    resource_classes = [ProjectResource]
    list_display = (
        "name",
        "park",
        "zone",
        "category",
        "phase",
        "progress",
        "investment",
        "planned_finish",
        "responsible_unit",
    )
    list_filter = ("phase", "category", "park")
    search_fields = ("name", "responsible_unit", "description")
    autocomplete_fields = ("park", "zone")
    list_select_related = ("park", "zone")
    inlines = (ProjectUpdateInline,)
    readonly_fields = ("source_quote",)
    fieldsets = (
        (None, {"fields": ("park", "zone", "name", "category", "phase", "progress_pct", "responsible_unit")}),
        (_("Dates"), {"fields": (("planned_start", "planned_finish"), ("actual_start", "actual_finish"))}),
        (_("Investment (10k yuan)"), {"fields": ("total_investment", "ytd_investment")}),
        (_("Notes"), {"fields": ("description", "source_quote")}),
    )

    @admin.display(description=_("progress"), ordering="progress_pct")
    def progress(self, obj):
        return f"{format_number(obj.progress_pct)}%"

    @admin.display(description=_("total investment (10k yuan)"), ordering="total_investment")
    def investment(self, obj):
        return format_number(obj.total_investment)

    def save_model(self, request, obj, form, change):
        obj._change_user = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, ProjectUpdate) and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()
