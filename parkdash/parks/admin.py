"""The admin of parks and zones, and the admin bases of every park record: park scoping, history, import/export."""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, PermissionDenied

from parkdash.core.admin import HistoryAdmin, ImportExportAdmin
from parkdash.core.concurrency_admin import EditConflictAdminMixin

from .models import Park, Zone
from .scoping import may_use_park, scope, sees_all_parks, visible_parks, visible_zones


def park_id_of(obj, path):
    """The id of the park ``obj`` belongs to, following ``path`` ("" for a Park itself, "park", "project__park")."""
    if path == "":
        return obj.pk
    target = obj
    parts = path.split("__")
    for part in parts[:-1]:
        target = getattr(target, part, None)
        if target is None:
            return None
    return getattr(target, parts[-1] + "_id", None)


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """The park (or zone) filter of a changelist: only the parks the user may see, not every park's name."""

    def field_choices(self, field, request, model_admin):
        visible = visible_parks(request.user) if field.related_model is Park else visible_zones(request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, limit_choices_to={"pk__in": visible}, ordering=ordering)


class ParkScopedAdmin(HistoryAdmin):
    """A model admin that shows and accepts only records of the parks the user may see, with history."""

    park_path = "park"

    def scope_history(self, request, history):
        if sees_all_parks(request.user):
            return history
        # On the historical model the record's own id is a plain field (its primary key is history_id).
        lookup = (self.model._meta.pk.attname if self.park_path == "" else self.park_path) + "__in"
        return history.filter(**{lookup: visible_parks(request.user)})

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user, self.park_path)

    def get_list_filter(self, request):
        return [self._scoped_filter(spec) for spec in super().get_list_filter(request)]

    def _scoped_filter(self, spec):
        if not isinstance(spec, str):
            return spec
        try:
            field = get_fields_from_path(self.model, spec)[-1]
        except FieldDoesNotExist:
            return spec
        return (spec, ScopedRelatedFieldListFilter) if field.related_model in (Park, Zone) else spec

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Park:
            kwargs["queryset"] = visible_parks(request.user)
        elif db_field.related_model is Zone:
            kwargs["queryset"] = visible_zones(request.user).select_related("park")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _in_scope(self, request, obj):
        if obj is None or sees_all_parks(request.user):
            return True
        if obj.pk is None and self.park_path == "":
            return False  # only the city level creates parks
        # Asked for each permission check and each field of a form: once a park per request.
        park_id = park_id_of(obj, self.park_path)
        known = request.__dict__.setdefault("_parkdash_parks_in_scope", {})
        if park_id not in known:
            known[park_id] = may_use_park(request.user, park_id)
        return known[park_id]

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def save_model(self, request, obj, form, change):
        # The form's choices are scoped already; this guards a hand-made POST.
        if not self._in_scope(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class ParkRecordAdmin(EditConflictAdminMixin, ImportExportAdmin, ParkScopedAdmin):
    """The admin of a park record (``ParkRecord``): scoped to the user's parks, with history, import/export of
    ``resource_classes``, and edits that never silently overwrite another's. A domain app's admin adds its
    columns, filters and fieldsets."""

    autocomplete_fields = ("park", "zone")
    list_select_related = ("park", "zone")
    readonly_fields = ("source_quote",)


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
