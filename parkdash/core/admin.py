"""Admin bases shared by the domain apps: park scoping, import/export formats, history."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX
from simple_history.admin import SimpleHistoryAdmin

from parkdash.parks.models import Park, Zone

from .formats import ExcelCSV
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


class ParkScopedAdmin(SimpleHistoryAdmin):
    """A model admin that shows and accepts only records of the parks the user may see, with history."""

    park_path = "park"

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user, self.park_path)

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
        return may_use_park(request.user, park_id_of(obj, self.park_path))

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


class ImportExportAdmin(ImportExportMixin, ParkScopedAdmin):
    """Bulk import/export (CSV with BOM, XLSX) with a preview, scoped to the user's parks, with history."""

    formats = [ExcelCSV, XLSX]

    def get_import_resource_kwargs(self, request, **kwargs):
        kwargs = super().get_import_resource_kwargs(request, **kwargs)
        kwargs["user"] = request.user
        return kwargs

    def get_import_data_kwargs(self, **kwargs):
        # The confirm step imports the file again, for real. Should a row fail now that passed the preview (a
        # zone deleted, a figure added meanwhile), django-import-export would save the other rows; roll back.
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.setdefault("rollback_on_validation_errors", True)
        return kwargs

    def process_result(self, result, request):
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        # Rolled back: show the row errors, as the preview does, instead of "import finished".
        formats, resources = self.get_import_formats(), self.get_import_resource_classes(request)
        context = self.get_import_context_data()
        context.update(self.admin_site.each_context(request))
        context.update({
            "title": _("Import"),
            "form": self.get_import_form_class(request)(formats, resources),
            "opts": self.model._meta,
            "result": result,
            "fields_list": [],
            "import_error_display": self.import_error_display,
        })
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)
