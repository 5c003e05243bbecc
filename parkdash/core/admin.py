"""Admin bases shared by the domain apps: park scoping, import/export formats, history."""

import re
import zipfile

import tablib
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from parkdash.parks.models import Park, Zone

from . import uploads
from .export import neutralise
from .formats import BoundedXLSX, ExcelCSV
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


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history and revert pages answer 404, not 500, to ids that are not numbers."""

    def history_manager(self):
        return getattr(self.model, self.model._meta.simple_history_manager_attribute)

    def _check_ids(self, object_id, version_id=None):
        history_pk = self.history_manager().model._meta.pk
        try:
            self.model._meta.pk.to_python(unquote(object_id))
            if version_id is not None:
                history_pk.to_python(version_id)
        except ValidationError:
            raise Http404 from None

    def history_view(self, request, object_id, extra_context=None):
        self._check_ids(object_id)
        return super().history_view(request, object_id, extra_context)

    def get_urls(self):
        from django.urls import path

        info = self.model._meta.app_label, self.model._meta.model_name
        deleted = self.admin_site.admin_view(self.deleted_view)
        return [path("deleted/", deleted, name="{}_{}_deleted".format(*info))] + super().get_urls()

    def deleted_records(self, request):
        """The last version of every deleted record of this model the user may see (newest first)."""
        history = self.history_manager()
        deleted = history.filter(history_type="-").exclude(
            **{self.model._meta.pk.attname + "__in": self.model._default_manager.values("pk")})
        return deleted.select_related("history_user").order_by("-history_date")

    def deleted_view(self, request):
        """Deleted records, each linking to its history page, where an earlier version can be restored."""
        from django.template.response import TemplateResponse

        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        records = [r for r in self.deleted_records(request)[:500] if self._deleted_in_scope(request, r)][:100]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Deleted %(name)s") % {"name": self.model._meta.verbose_name_plural},
            "records": records,
        }
        return TemplateResponse(request, "admin/deleted_records.html", context)

    def _deleted_in_scope(self, request, record):
        return True

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "has_deleted_view": True}
        return super().changelist_view(request, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_ids(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """The park (or zone) filter of a changelist: only the parks the user may see, not every park's name."""

    def field_choices(self, field, request, model_admin):
        visible = visible_parks(request.user) if field.related_model is Park else visible_zones(request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, limit_choices_to={"pk__in": visible}, ordering=ordering)


class ParkScopedAdmin(HistoryAdmin):
    """A model admin that shows and accepts only records of the parks the user may see, with history."""

    park_path = "park"

    def _deleted_in_scope(self, request, record):
        return self._in_scope(request, record.instance)

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

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The version shown is checked against the user's parks by SimpleHistoryAdmin; the record as it is now
        # (or as it was when deleted) must be too: an old version in park A of a record moved to park B would
        # otherwise let A's editor revert it, and so move B's record back to A.
        self._check_ids(object_id, version_id)
        pk = unquote(object_id)
        current = self.model._default_manager.filter(pk=pk).first()
        if current is None:
            last = self.history_manager().filter(**{self.model._meta.pk.attname: pk}).order_by("-history_date").first()
            current = last.instance if last is not None else None
        if current is not None and not self._in_scope(request, current):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


MAX_IMPORT_BYTES = 5 * 1024 * 1024
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class SizeLimitedImportForm(ImportForm):
    """The import form, refusing files over 5 MB, and workbooks that unpack to more than the upload bounds allow,
    before anything reads them (parkdash.core.uploads); the formats stop reading at the row bound."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is %(size).1f MB; the limit is 5 MB. Split it into smaller files.")
                                  % {"size": upload.size / 1024 / 1024})
        head = upload.read(4)
        upload.seek(0)
        if head == b"PK\x03\x04":
            try:
                uploads.check_zip(upload.read(), uploads.EXCEL_WORKBOOK)
            except uploads.UploadRejected as exc:
                raise ValidationError(str(exc)) from None
            finally:
                upload.seek(0)
        return upload


class ImportExportAdmin(ImportExportMixin, ParkScopedAdmin):
    """Bulk import/export (CSV with BOM, XLSX) with a preview, scoped to the user's parks, with history."""

    formats = [ExcelCSV, XLSX]
    import_formats = [ExcelCSV, BoundedXLSX]  # in the same order: the import form posts an index
    import_form_class = SizeLimitedImportForm

    def add_data_read_fail_error_to_form(self, form, e):
        # django-import-export names the exception ("'UnicodeDecodeError' encountered …"); say what to do instead.
        if isinstance(e, uploads.UploadRejected):
            form.add_error("import_file", str(e))
        elif isinstance(e, UnicodeDecodeError):
            form.add_error("import_file", _(
                "The file is not UTF-8 text (Excel and WPS often save CSV files as GBK, and some as UTF-16). Save "
                "it as “CSV UTF-8” or as an Excel workbook (.xlsx), choose the matching format, and upload it again."))
        elif isinstance(e, zipfile.BadZipFile) or type(e).__name__ == "InvalidFileException":
            form.add_error("import_file", _(
                "This is not an Excel workbook (.xlsx). Choose the format that matches the file, or save it as .xlsx "
                "(an old .xls file must be saved again as .xlsx)."))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_data_for_export(self, request, queryset, **kwargs):
        # A name such as =cmd|' /C calc'!A0 must reach the spreadsheet as text, not as a formula (the table
        # exports do the same with core.export.neutralise). Plain numbers, negative ones included, stay numbers.
        # In XLSX, control characters (a vertical tab pasted from Word) would fail the whole export: a space each.
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        xlsx = kwargs.get("force_native_type", False)

        def safe(cell):
            if not isinstance(cell, str):
                return cell
            if xlsx:
                cell = ILLEGAL_CHARACTERS_RE.sub(" ", cell)
            return cell if PLAIN_NUMBER.match(cell) else neutralise(cell)

        dataset = super().get_data_for_export(request, queryset, **kwargs)
        rows = [[safe(cell) for cell in row] for row in dataset]
        return tablib.Dataset(*rows, headers=dataset.headers, title=dataset.title)

    def has_import_permission(self, request):
        # django-import-export lets any staff user import unless a permission code is configured; an import adds
        # and changes records, so it takes both permissions (a viewer given staff status may look, not import).
        return (super().has_import_permission(request) and self.has_add_permission(request)
                and self.has_change_permission(request))

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
