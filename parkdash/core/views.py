"""The generic list view every table page uses (filter, sort, paginate, export), and read access."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from . import export
from .tables import MAX_PER_PAGE, MIN_PER_PAGE, PER_PAGE

EXPORTERS = {"csv": export.csv_response, "xlsx": export.xlsx_response}


def bounded_per_page(value):
    try:
        per_page = int(value)
    except (TypeError, ValueError):
        return PER_PAGE
    return min(max(per_page, MIN_PER_PAGE), MAX_PER_PAGE)


# Above this many rows, an unfiltered table on PostgreSQL shows the planner's estimate of its size.
ESTIMATE_ABOVE = 100_000


def estimated_count(queryset):
    """``(rows, estimated)`` for an unfiltered queryset on PostgreSQL, in one query; None otherwise.

    count(*) reads every row: 100 ms for a million figures, the whole cost of a table's first page. Above
    ESTIMATE_ABOVE rows the table's statistics (pg_class.reltuples, kept by ANALYZE and autovacuum) answer
    instead; below it, or before the table was ever analysed, the exact count. The subquery is an InitPlan,
    which PostgreSQL runs only if the CASE needs it.
    """
    query = queryset.query
    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or query.where or query.distinct or query.combinator or query.is_sliced:
        return None
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT CASE WHEN reltuples > %s THEN reltuples::bigint ELSE (SELECT count(*) FROM {table}) END, "
            "reltuples > %s FROM pg_class WHERE oid = %s::regclass",
            [ESTIMATE_ABOVE, ESTIMATE_ABOVE, table],
        )
        return cursor.fetchone()


class BoundedPaginator(Paginator):
    """django-tables2's RequestConfig passes ?per_page= from the request as it is, over get_table_pagination():
    -5 made every page "less than 1" (a 500) and 100000 rendered every row. The paginator bounds it.

    ``estimated`` is True when ``count`` is PostgreSQL's estimate for a large unfiltered table (see
    :func:`estimated_count`); the page then says "about".
    """

    estimated = False

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, bounded_per_page(per_page), *args, **kwargs)

    def page(self, number):
        """The page; for the first page of a queryset, its rows are read first: fewer than a page, and they are all
        the rows, so no count(*) is needed. Either way the page shows the rows read here, not read again."""
        queryset = self.queryset()
        if queryset is None or "count" in self.__dict__ or self.orphans or not _is_first(number):
            return super().page(number)
        rows = queryset[: self.per_page]
        if len(rows) < self.per_page:  # one query: the page's rows
            self.__dict__["count"] = len(rows)  # the cached_property's value: every row is on this page
        page = super().page(number)
        shown = page.object_list
        page.object_list = type(shown)(data=rows, table=shown.table, pinned_data=shown.pinned_data)
        return page

    def queryset(self):
        """The queryset under the table's rows (the rows wrap the table's data, which wraps it), or None."""
        queryset = getattr(getattr(self.object_list, "data", None), "data", None)
        return queryset if isinstance(queryset, QuerySet) else None

    @cached_property
    def count(self):
        queryset = self.queryset()
        if queryset is None:
            return super().count
        rows, self.estimated = self.count_rows(queryset)
        return rows

    def count_rows(self, queryset):
        """``(rows, estimated)`` of ``queryset``: PostgreSQL's estimate of a large unfiltered table, else count(*)
        (a subclass may keep it)."""
        answer = estimated_count(queryset)
        return (queryset.count(), False) if answer is None else tuple(answer)


def _is_first(number):
    """Whether ``number`` (?page=, as the paginator reads it) is page 1."""
    try:
        return int(number) == 1
    except (TypeError, ValueError, OverflowError):
        return False


class ReadAccessMixin(LoginRequiredMixin):
    """Login required, unless the site allows an anonymous read-only dashboard."""

    def dispatch(self, request, *args, **kwargs):
        if settings.PARKDASH_ANONYMOUS_READ and request.method in ("GET", "HEAD"):
            return super(LoginRequiredMixin, self).dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


def export_names(table, filterset) -> tuple[str, str]:
    """An export's file name (in the user's language) and its ASCII fallback, saying what the file holds: the
    table, then the park and the year the filter names (``figures-dongbu-2023``); today's date when it names
    neither, so that two exports of a whole table are told apart."""
    data = {}
    if filterset is not None and filterset.is_bound and filterset.form.is_valid():
        data = filterset.form.cleaned_data
    park, year = data.get("park"), data.get("year")
    parts, ascii_parts = [str(table.export_name)], [table.export_slug]
    if park is not None:
        parts.append(park.name)
        ascii_parts.append(park.code)
    if year is not None:
        parts.append(str(int(year)))
        ascii_parts.append(str(int(year)))
    if park is None and year is None:
        today = timezone.localdate().isoformat()
        parts.append(today)
        ascii_parts.append(today)
    return "-".join(parts), "-".join(ascii_parts)


class ObjectListView(ReadAccessMixin, SingleTableMixin, FilterView):
    """A filtered, sortable, paginated table that exports the same rows with ``?_export=csv|xlsx``.

    It shows its queryset as it is: the tables of park records use parks.views.ParkRecordListView, which limits
    them to the user's parks."""

    template_name = "generic/object_list.html"
    title = ""

    def get_table_pagination(self, table):
        if self.request.GET.get("_export") in EXPORTERS:
            return False  # an export streams every row of the queryset: no page, no count(*)
        # "silent" pagination: page=-1 or page=abc shows the first page instead of an error.
        return {"per_page": self.get_per_page(), "silent": True, "paginator_class": BoundedPaginator}

    def get_per_page(self):
        return bounded_per_page(self.request.GET.get("per_page", PER_PAGE))

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("_export")
        if fmt is not None and fmt not in EXPORTERS:
            return HttpResponseBadRequest(_("Unknown export format. Use csv or xlsx."))
        return super().get(request, *args, **kwargs)

    def render_to_response(self, context, **kwargs):
        fmt = self.request.GET.get("_export")
        if fmt:
            table = context["table"]
            name, fallback = export_names(table, context.get("filter"))
            options = {"sheet_title": str(table.export_name)} if fmt == "xlsx" else {}
            try:
                return EXPORTERS[fmt](table.data.data, table.export_columns(), name, fallback, **options)
            except export.ExportFailed as failure:
                # Back to the same rows on the page, with the reason, rather than a broken or missing file.
                messages.error(self.request, str(failure))
                query = self.request.GET.copy()
                query.pop("_export", None)
                return HttpResponseRedirect(self.request.path + ("?" + query.urlencode() if query else ""))
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        return context
