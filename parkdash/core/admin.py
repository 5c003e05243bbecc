"""Admin bases: history with safe reverts and deleted records, hardened import/export, the admin site."""

import csv
import io
import logging
import re
import zipfile

import tablib
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import RowResult
from simple_history.admin import SimpleHistoryAdmin

from . import uploads
from .export import BOM, content_disposition, neutralise
from .import_formats import BoundedXLSX, ExcelCSV
from .import_storage import NAME as PENDING_NAME
from .import_storage import PendingUploadGone
from .numbers import format_number
from .resources import import_report


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin that lets only those who may change a record revert it, and lists deleted records.

    django-simple-history lets anyone who may *view* a record's history POST its revert page, which saves the
    version shown. Here reverting takes change permission on the record as it is and as it was (restoring a
    deleted record: add permission), within the user's parks; anyone else sees the version read-only and a POST
    is refused. Ids that are not numbers answer 404, not 500.
    """

    deleted_per_page = 100

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

    def _in_scope(self, request, obj):
        """True when ``obj`` belongs to a park the user may work on (every record does, here)."""
        return True

    def _current(self, pk):
        """The record as it is now, or None when it has been deleted."""
        return self.model._default_manager.filter(pk=pk).first()

    def _last_known(self, pk):
        """The record as it is now or, when deleted, as it was when deleted (None when it never existed)."""
        current = self._current(pk)
        if current is None:
            last = (
                self.history_manager()
                .filter(**{self.model._meta.pk.attname: pk})
                .order_by("-history_date", "-history_id")
                .first()
            )
            current = last.instance if last is not None else None
        return current

    def may_revert(self, request, version):
        """True when ``request.user`` may save ``version`` (an old state of a record) as the record's state.

        That changes the record as it is now into the record as it was then: change permission on both, each
        in the user's parks. A deleted record comes back as a new row: add permission, in the user's parks.
        """
        if version is None or getattr(settings, "SIMPLE_HISTORY_REVERT_DISABLED", False):
            return False
        current = self._current(version.pk)
        if current is None:
            return self.has_add_permission(request) and self._in_scope(request, version)
        return self.has_change_permission(request, current) and self.has_change_permission(request, version)

    def revert_disabled(self, request, obj=None):
        # simple-history hides the Revert button (and its invitation) with this; the view refuses the POST.
        return not self.may_revert(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        self._check_ids(object_id)
        # Another park's record answers as one that never existed (404), so ids cannot be probed; Django's change
        # page does the same ("doesn't exist").
        last_known = self._last_known(unquote(object_id))
        if last_known is not None and not self._in_scope(request, last_known):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_ids(object_id, version_id)
        pk = unquote(object_id)
        record = self.history_manager().filter(**{self.model._meta.pk.attname: pk, "history_id": version_id}).first()
        if record is None:
            raise Http404
        # The record as it is now (or as it was when deleted) must be in the user's parks, as well as the version
        # shown: an old version in park A of a record moved to park B would otherwise show B's record to A.
        if not self._in_scope(request, self._last_known(pk)):
            raise Http404
        if request.method == "POST" and not self.may_revert(request, record.instance):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def render_history_view(self, request, template, context, **kwargs):
        if context.get("revert_disabled") and "adminform" in context:
            # One who may only look gets the version as text, as Django's change page shows it to a viewer.
            context["adminform"] = self._read_only_form(request, context["original"])
            context["media"] = self.media
        return super().render_history_view(request, template, context, **kwargs)

    def _read_only_form(self, request, obj):
        fieldsets = self.get_fieldsets(request, obj)
        form = self.get_form(request, obj, fields=())(instance=obj)
        # No input at all, declared ones included (the hidden revision of core.concurrency_admin).
        form.fields.clear()
        return helpers.AdminForm(form, fieldsets, {}, flatten_fieldsets(fieldsets), model_admin=self)

    def get_urls(self):
        from django.urls import path

        info = self.model._meta.app_label, self.model._meta.model_name
        deleted = self.admin_site.admin_view(self.deleted_view)
        return [path("deleted/", deleted, name="{}_{}_deleted".format(*info))] + super().get_urls()

    def deleted_records(self, request):
        """The last version of every deleted record of this model the user may see (newest first)."""
        history = self.history_manager()
        pk_name = self.model._meta.pk.attname
        deleted = history.filter(history_type="-").exclude(
            **{pk_name + "__in": self.model._default_manager.values("pk")}
        )
        # A record deleted, restored and deleted again is listed once, as it was last.
        later = history.filter(**{pk_name: OuterRef(pk_name), "history_date__gt": OuterRef("history_date")})
        deleted = self.scope_history(request, deleted.exclude(Exists(later)))
        return deleted.select_related("history_user").order_by("-history_date", "-history_id")

    def scope_history(self, request, history):
        """Historical records restricted to the parks the user may see (every record, here)."""
        return history

    def deleted_view(self, request):
        """Deleted records, each linking to its history page, where an earlier version can be restored."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        paginator = Paginator(self.deleted_records(request), self.deleted_per_page)
        page = paginator.get_page(request.GET.get(PAGE_VAR))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Deleted %(name)s") % {"name": self.model._meta.verbose_name_plural},
            "records": page.object_list,
            "page_obj": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "page_var": PAGE_VAR,
            "can_restore": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/deleted_records.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "has_deleted_view": True}
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        # PostgreSQL refuses NUL characters in a query (a 500); nobody searches for one.
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" shortcut (/admin/r/<content type>/<id>/), for records the user may view.

    Django's own shortcut redirects any staff user to any object's page, so its answer tells who may not see the
    record that it exists, and where. Here a record outside the user's parks or permissions is a 404.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.contenttypes.views import shortcut

    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    model_admin = admin.site._registry.get(model)
    obj = model_admin.get_object(request, object_id) if model_admin is not None else None
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404
    return shortcut(request, content_type_id, object_id)


class ParkDashAdminSite(admin.AdminSite):
    """The admin site, with a "view on site" shortcut that answers only for records the user may view."""

    site_header = _("ParkDash administration")
    site_title = "ParkDash"
    index_title = _("Data entry")

    def get_app_list(self, request, app_label=None):
        """The apps and models the user may see, worked out when first used: every admin page puts them in its
        context for the sidebar, which is cached (``nav_app_list``, parkdash/parks/templatetags/parks_admin.py) and
        then does not read them."""
        return SimpleLazyObject(lambda: super(ParkDashAdminSite, self).get_app_list(request, app_label))

    def get_urls(self):
        from django.urls import path

        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                urls[index] = path(str(pattern.pattern), self.admin_view(view_on_site), name="view_on_site")
        return urls


PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class SizeLimitedImportForm(ImportForm):
    """The import form, refusing files over ``PARKDASH_UPLOAD_MAX_BYTES``, and workbooks that unpack to more than
    the upload bounds allow, before anything reads them (parkdash.core.uploads); the formats stop reading at the row
    bound."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            uploads.check_size(
                upload, _("The file is %(size).1f MB; the limit is %(limit)s MB. Split it into smaller files.")
            )
        except uploads.UploadRejected as exc:
            raise ValidationError(str(exc)) from None
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


logger = logging.getLogger(__name__)


def _index(value, count):
    """``value`` as an index into a list of ``count`` items, or None."""
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and int(text) < count else None


class CheckedConfirmImportForm(ConfirmImportForm):
    """The confirm step's hidden fields, checked: a pending upload's name, a format and resource that exist.

    Tampered values (format=99, a path as the file name) made the stock confirm step answer 500.
    """

    def __init__(self, *args, format_count=0, resource_count=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.format_count = format_count
        self.resource_count = resource_count

    def clean_import_file_name(self):
        name = self.cleaned_data["import_file_name"]
        if not PENDING_NAME.match(name):
            raise ValidationError("not a pending upload", code="invalid")
        return name

    def clean_format(self):
        if _index(self.cleaned_data["format"], self.format_count) is None:
            raise ValidationError("unknown format", code="invalid")
        return self.cleaned_data["format"]

    def clean_resource(self):
        resource = self.cleaned_data.get("resource") or "0"
        if _index(resource, self.resource_count) is None:
            raise ValidationError("unknown resource", code="invalid")
        return resource


class ImportExportAdmin(ImportExportMixin, HistoryAdmin):
    """Bulk import/export (CSV with BOM, XLSX) with a preview, with history. The importing user reaches the
    resource (``get_import_resource_kwargs``), which may limit what the user's rows may touch."""

    formats = [ExcelCSV, XLSX]
    import_formats = [ExcelCSV, BoundedXLSX]  # in the same order: the import form posts an index
    import_form_class = SizeLimitedImportForm
    confirm_form_class = CheckedConfirmImportForm

    def add_data_read_fail_error_to_form(self, form, e):
        # django-import-export names the exception ("'UnicodeDecodeError' encountered …"); say what to do instead.
        if isinstance(e, uploads.UploadRejected):
            form.add_error("import_file", str(e))
        elif isinstance(e, UnicodeDecodeError):
            form.add_error(
                "import_file",
                _(
                    "The file is not UTF-8 text (Excel and WPS often save CSV files as GBK, and some as UTF-16). Save "
                    "it as “CSV UTF-8” or as an Excel workbook (.xlsx), choose the "
                    "matching format, and upload it again."
                ),
            )
        elif isinstance(e, zipfile.BadZipFile) or type(e).__name__ == "InvalidFileException":
            form.add_error(
                "import_file",
                _(
                    "This is not an Excel workbook (.xlsx). Choose the format that matches "
                    "the file, or save it as .xlsx "
                    "(an old .xls file must be saved again as .xlsx)."
                ),
            )
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_confirm_form_kwargs(self, request, import_form=None):
        kwargs = super().get_confirm_form_kwargs(request, import_form)
        kwargs["format_count"] = len(self.get_import_formats())
        kwargs["resource_count"] = len(self.get_import_resource_classes(request))
        return kwargs

    def import_action(self, request, **kwargs):
        # A preview that offers no confirm step (row errors, an unreadable file) has no use for its pending upload.
        try:
            response = super().import_action(request, **kwargs)
        except BaseException:
            self._discard_pending_upload(request)
            raise
        if not (getattr(response, "context_data", None) or {}).get("confirm_form"):
            self._discard_pending_upload(request)
        self._add_report(request, response)
        return response

    def _add_report(self, request, response):
        """The import page's summary sentence and rows, in the user's words (core.resources.import_report), and
        the links to its templates."""
        context = getattr(response, "context_data", None)
        if not context:
            return
        info = self.get_model_info()
        url = reverse("admin:{}_{}_import_template".format(*info), current_app=self.admin_site.name)
        context["import_templates"] = [
            {"url": url + "?format=xlsx", "label": _("Excel template (.xlsx)")},
            {"url": url + "?format=csv", "label": _("CSV template")},
        ]
        resource = self.get_import_resource_classes(request)[0](**self.get_import_resource_kwargs(request))
        if context.get("fields_list"):
            # The columns as the file may head them (the table export's headings), not the field names.
            context["fields_list"] = [(name, resource.import_headings()) for name, _columns in context["fields_list"]]
        if context.get("result") is not None:
            context["report"] = import_report(context["result"], resource)

    def get_urls(self):
        from django.urls import path

        info = self.get_model_info()
        template = path(
            "import/template/",
            self.admin_site.admin_view(self.import_template_view),
            name="{}_{}_import_template".format(*info),
        )
        return [template, *super().get_urls()]

    def import_template_view(self, request):
        """An empty file with the columns this import reads, headed as the table export heads them, in the user's
        language: filled in and uploaded, it imports as it is."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0](**self.get_import_resource_kwargs(request))
        headings = [str(heading) for heading in resource.import_headings()]
        name = "{}-template".format(self.model._meta.model_name)
        if request.GET.get("format") == "xlsx":
            from openpyxl import Workbook

            book = Workbook()
            book.active.append(headings)
            buffer = io.BytesIO()
            book.save(buffer)
            response = HttpResponse(
                buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            response["Content-Disposition"] = content_disposition(name + ".xlsx")
            return response
        text = io.StringIO()
        csv.writer(text).writerow(headings)
        response = HttpResponse((BOM + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition(name + ".csv")
        return response

    def _discard_pending_upload(self, request):
        name = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
        if name:
            self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs()).remove()

    def _restart_import(self, request, message):
        messages.error(request, message)
        return HttpResponseRedirect(
            reverse("admin:{}_{}_import".format(*self.get_model_info()), current_app=self.admin_site.name)
        )

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """The confirm step: imports the previewed file once. A second confirm of the same preview (posted twice,
        or from two tabs), an expired preview or a tampered form gets a message, never a 500 or a second import."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return self._restart_import(
                request,
                _(
                    "This import cannot be confirmed: its confirm form was incomplete or "
                    "changed. Nothing was imported. "
                    "Upload the file again."
                ),
            )
        input_format = self.get_import_formats()[int(confirm_form.cleaned_data["format"])](encoding=self.from_encoding)
        storage = self.get_tmp_storage_class()(
            name=confirm_form.cleaned_data["import_file_name"],
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        try:
            storage.claim()
        except PendingUploadGone:
            return self._restart_import(
                request,
                _(
                    "This import has already been confirmed, or its preview has expired: nothing was imported now. "
                    "Upload the file again if its rows are not in the list."
                ),
            )
        try:
            try:
                dataset = self._pending_dataset(storage, input_format, int(confirm_form.cleaned_data["format"]))
            except Exception as error:  # the format was changed in the form, or the file in the folder
                logger.warning("Confirmed import could not be read again: %r", error)
                return self._restart_import(
                    request,
                    _(
                        "The file could not be read again in the format chosen. Nothing was imported. Upload the file "
                        "again."
                    ),
                )
            result = self.process_dataset(dataset, confirm_form, request, **kwargs)
        finally:
            storage.remove()
        return self.process_result(result, request)

    @staticmethod
    def _pending_dataset(storage, input_format, format_index):
        """The rows the preview read (PendingImportStorage.keep_rows), else the pending file read again."""
        kept = storage.kept_rows()
        if kept is None:
            return input_format.create_dataset(storage.read())
        kept_format, headers, rows = kept
        if kept_format != format_index:
            raise ValueError("the confirm names another format than the preview read")
        return tablib.Dataset(*rows, headers=headers)

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

        try:
            dataset = super().get_data_for_export(request, queryset, **kwargs)
        except Exception as error:
            # A record the database cannot read back (an amount SQLite holds beyond the field's digits): the export
            # page says so (export_action shows a ValueError's message) instead of answering 500.
            logger.exception("Admin export of %s failed", self.model._meta.label)
            raise ValueError(
                str(
                    _(
                        "The export failed: a record could not be read. Nothing was downloaded. Try again; if it fails "
                        "again, tell the administrator (the server log has the details)."
                    )
                )
            ) from error
        rows = [[safe(cell) for cell in row] for row in dataset]
        return tablib.Dataset(*rows, headers=dataset.headers, title=dataset.title)

    def has_import_permission(self, request):
        # django-import-export lets any staff user import unless a permission code is configured; an import adds
        # and changes records, so it takes both permissions (a viewer given staff status may look, not import).
        return (
            super().has_import_permission(request)
            and self.has_add_permission(request)
            and self.has_change_permission(request)
        )

    def get_import_resource_kwargs(self, request, **kwargs):
        kwargs = super().get_import_resource_kwargs(request, **kwargs)
        kwargs["user"] = request.user
        return kwargs

    def get_import_data_kwargs(self, **kwargs):
        # The confirm step imports the file again, for real. Should a row fail now that passed the preview (a
        # zone deleted, a figure added meanwhile), django-import-export would save the other rows; roll back.
        request, form = kwargs.get("request"), kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.setdefault("rollback_on_validation_errors", True)
        # The preview (the one step with a freshly uploaded file) keeps the rows it reads for the confirm step:
        # the resource hands them over (ParkRecordResource.import_data_inner) before it reads a row.
        name = getattr(request.FILES.get("import_file"), "tmp_storage_name", None) if request else None
        if name and isinstance(form, ImportForm) and hasattr(form, "cleaned_data"):
            storage = self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs())
            format_index = int(form.cleaned_data["format"])
            kwargs["keep_rows"] = lambda dataset: storage.keep_rows(dataset, format_index)
        return kwargs

    def generate_log_entries(self, result, request):
        """One line in the admin's log ("recent actions") for an import, saying what it did, rather than one a row:
        a 10,000-row import wrote 10,000 lines (a second of the confirm's time) that pushed every other action out
        of the list. Each record's own history (simple_history) keeps who created or changed it, and when."""
        if self.get_skip_admin_log():
            return
        totals = result.totals
        new, changed, deleted = (
            totals.get(kind, 0)
            for kind in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_DELETE)
        )
        if not (new or changed or deleted):
            return
        text = gettext("Import: {new} new, {changed} changed, {deleted} deleted").format(
            new=format_number(new), changed=format_number(changed), deleted=format_number(deleted)
        )
        LogEntry.objects.create(
            user_id=request.user.pk,
            content_type=ContentType.objects.get_for_model(self.model),
            object_repr=text[:200],
            action_flag=ADDITION if new and not (changed or deleted) else CHANGE,
            change_message=text,
        )

    def process_result(self, result, request):
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        # Rolled back: show the row errors, as the preview does, instead of "import finished".
        formats, resources = self.get_import_formats(), self.get_import_resource_classes(request)
        context = self.get_import_context_data()
        context.update(self.admin_site.each_context(request))
        context.update(
            {
                "title": _("Import"),
                "form": self.get_import_form_class(request)(formats, resources),
                "opts": self.model._meta,
                "result": result,
                "fields_list": [],
                "import_error_display": self.import_error_display,
            }
        )
        request.current_app = self.admin_site.name
        response = TemplateResponse(request, [self.import_template_name], context)
        self._add_report(request, response)
        return response
