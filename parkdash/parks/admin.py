from django.contrib import admin

from parkdash.core.admin import ParkScopedAdmin

from .models import Park, Zone


class ZoneInline(admin.TabularInline):
    model = Zone
    extra = 0
    fields = ("name", "name_en")


@admin.register(Park)
class ParkAdmin(ParkScopedAdmin):
    park_path = ""
    list_display = ("name", "code", "name_en", "is_demo")
    list_filter = ("is_demo",)
    search_fields = ("name", "code", "name_en")
    filter_horizontal = ("members",)
    inlines = (ZoneInline,)


@admin.register(Zone)
class ZoneAdmin(ParkScopedAdmin):
    list_display = ("name", "park", "name_en")
    list_filter = ("park",)
    search_fields = ("name", "name_en", "park__name")
    autocomplete_fields = ("park",)
    list_select_related = ("park",)
