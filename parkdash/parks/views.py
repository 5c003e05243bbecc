"""The generic views of park records: a list and a detail page, each showing only the user's parks' records."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.views.generic import DetailView

from parkdash.core.numbers import format_quantity, parse_int
from parkdash.core.views import BoundedPaginator, ObjectListView, ReadAccessMixin

from . import versions
from .auth import member_park_ids
from .filters import VisibleParkFilter
from .scoping import scope, sees_all_parks
from .selection import scope_key


def shown(value, unit=""):
    """A fact as a page shows it: a date localized, an amount with its unit as every page writes it (core.numbers:
    grouped, rounded for reading, the unit in the user's language), — when empty."""
    if value is None or value == "":
        return "—"
    if unit:
        return format_quantity(value, unit)
    return localize(value)


@dataclass
class Panel:
    """A table of related rows on a record's page: ``columns`` as (label, css class), ``rows`` of (value, class)."""

    title: str
    columns: list
    rows: list = field(default_factory=list)
    empty: str = ""


# What a table page never shows of a park record and of its park and zone (read with select_related): not read.
# Each row's timestamps were 2 datetimes made per model (8 a figure row), the park's description a text per row. A
# table that showed one would read it per row (a query each): the pinned query counts of the table pages guard it.
UNSHOWN = (
    "created",
    "modified",
    "park__created",
    "park__modified",
    "park__description",
    "zone__created",
    "zone__modified",
)


class ParkScopedMixin(ReadAccessMixin):
    """Read access to the records of the parks the user may see; any other record does not exist (404)."""

    def get_queryset(self):
        return scope(super().get_queryset(), self.request.user)


class CachedCountPaginator(BoundedPaginator):
    """The table's row count kept in the cache under the data versions it depends on: its kind of record's
    (``records:figures``: any park's figures; projects with their updates, enterprises, works), ``catalogue``
    (indicators, filtered on by category) and ``parks`` (parks, zones, members: the user's scope), and the count
    query itself — its SQL and parameters, the user's scope and filters included. COUNT(*) reads every row it
    counts: a second or so for a million figures on SQLite, and on PostgreSQL when the table is filtered or scoped
    (unfiltered, :func:`~parkdash.core.views.estimated_count`)."""

    def __init__(self, object_list, per_page, *args, versions=None, count_key=None, **kwargs):
        self.versions = versions
        self.count_key = count_key
        super().__init__(object_list, per_page, *args, **kwargs)

    def count_rows(self, queryset):
        if self.versions is None:
            return super().count_rows(queryset)
        # The versions first, then the data: a count stored under versions older than its rows is never read.
        at = self.versions.get(versions.records_key(queryset.model), versions.CATALOGUE, versions.PARKS)
        count = super().count_rows
        if self.count_key is not None:
            # What the queryset is made of, as the view says (ParkRecordListView.count_key): its SQL is not written
            # to key the count (the page's query is written again anyway), 2,400 calls of a table page.
            return versions.cached("table-rows", at, (queryset.db, *self.count_key), lambda: count(queryset))
        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:  # queryset.none(): Django counts nothing, without a query
            return count(queryset)
        return versions.cached("table-count", at, (queryset.db, sql, params), lambda: count(queryset))


class ParkRecordListView(ParkScopedMixin, ObjectListView):
    """A park record's table: set ``queryset``, ``table_class``, ``filterset_class`` and ``title``."""

    kept_key = None  # the key the page's HTML is kept under (page_key), once get() has made it

    def get(self, request, *args, **kwargs):
        """The page; its filters, row count and table from this worker's copy when it wrote them already at the
        same data versions for the same user scope, language and query string (:meth:`page_key`): no filter form,
        no query of rows, no table built."""
        key = self.kept_key = self.page_key()
        if key is not None:
            html = versions.kept_copy(key)
            if html is not None:
                return self.response_class(
                    request=request,
                    template=[self.template_name],  # the page's own: no object list to name others after
                    context={"title": self.title, "view": self, "kept_html": mark_safe(html)},
                    using=self.template_engine,
                    content_type=self.content_type,
                )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kept_key"] = self.kept_key  # templates/generic/object_list.html keeps what it writes under it
        return context

    def page_key(self):
        """The key of the page's filter form, row count and table as HTML (``{% keep_fragment %}``), or None for an
        export. What they show depends on:

        - the data versions: of the table's kind of record, any park's (``records:projects``: a month end's figures
          leave the tables of projects, enterprises and works as they are), ``catalogue`` (the indicators: names,
          units, categories, the indicator list) and ``parks`` (park and zone names and lists, memberships);
        - the view and its path; the user's scope (every park, or their memberships: ``parks`` follows those);
        - the language and the time zone the values are written in;
        - the query string as it is, its order included: the filters show the values as typed, and the sort and
          page links carry every parameter in its place.

        Kept in this worker's copies only (``versions.keep_copy``), never in the shared cache: a page is tens of
        kilobytes and every query string has its own."""
        request = self.request
        if "_export" in request.GET:
            return None
        model = self.queryset.model if self.queryset is not None else self.model
        at = versions.for_request(request).get(versions.records_key(model), versions.CATALOGUE, versions.PARKS)
        view = type(self)
        return versions.cache_key(
            "table-page",
            at,
            (
                view.__module__,
                view.__qualname__,
                request.path,
                scope_key(request.user),
                versions.language(),
                timezone.get_current_timezone_name(),
                tuple((name, tuple(values)) for name, values in request.GET.lists()),
            ),
        )

    def get_queryset(self):
        """The user's parks' records; with ``?park=`` naming one of them, that park's: the filter keeps that park's
        rows only (:meth:`chosen_park`), so the list of every park's id (an editor of 251 parks: a lookup of 251
        values Django prepares one by one, 6,000 calls, then writes into the query) is not needed."""
        park = self.chosen_park()
        if park is None:
            return super().get_queryset()
        return ObjectListView.get_queryset(self).filter(park__in=[park])

    def chosen_park(self):
        """The id ``?park=`` names when it is one of the parks the user is a member of and the filter's ``park`` is
        ParkRecordFilterSet's, which keeps only that park's rows (any other ?park= it rejects: no rows); else None.
        A user who sees every park has no list of ids to spare."""
        user = self.request.user
        if not user.is_authenticated or sees_all_parks(user):
            return None
        park = parse_int(self.request.GET.get("park"), minimum=1)
        if park is None:
            return None
        spec = self.filterset_class.base_filters.get("park") if self.filterset_class else None
        if type(spec) is not VisibleParkFilter or (
            spec.field_name,
            spec.lookup_expr,
            spec.method,
            spec.exclude,
            spec.distinct,
        ) != ("park", "exact", None, False, False):
            return None
        ids = member_park_ids(user)
        return park if ids is not None and park in ids else None

    def get_table_pagination(self, table):
        pagination = super().get_table_pagination(table)
        if not pagination:  # an export: no page, no count
            return pagination
        return {
            **pagination,
            "paginator_class": CachedCountPaginator,
            "versions": versions.for_request(self.request),
            "count_key": self.count_key(),
        }

    def count_key(self):
        """What the table's rows are, besides the data they are read from (the data versions): the view, whose
        queryset is its class's limited to the user's parks (their scope, :func:`~parkdash.parks.selection.scope_key`:
        every park, or their memberships, which the ``parks`` version follows), then filtered by the filter's
        values. None when the filter is not valid (no rows) or holds a value this cannot write as a key: the count
        is then keyed by its query's SQL. A view whose rows depend on anything else overrides this (or returns
        None)."""
        filterset = getattr(self, "filterset", None)
        if filterset is None or (filterset.is_bound and not filterset.is_valid()):
            return None
        values = []
        for name, value in (filterset.form.cleaned_data if filterset.is_bound else {}).items():
            value = _key_value(value)
            if value is _UNKEYED:
                return None
            values.append((name, value))
        view = type(self)
        return (view.__module__, view.__qualname__, type(filterset).__qualname__, scope_key(self.request.user), values)


_UNKEYED = object()
_PLAIN = (str, int, bool, Decimal, type(None))


def _key_value(value):
    """A filter's cleaned value as a part of a cache key: plain values as they are, a record by its model and key,
    else _UNKEYED."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Model) and type(value.pk) in _PLAIN:
        return (value._meta.label, value.pk)
    return _UNKEYED


class ParkRecordDetailView(ParkScopedMixin, DetailView):
    """A park record's page (generic/park_record_detail.html). A domain app's view sets ``queryset`` and
    ``facts_title`` and says what the page shows of its record: :meth:`get_facts`, :meth:`get_subtitle`, and
    optionally :meth:`get_badges`, :meth:`get_text`, :meth:`get_related` and :meth:`get_panels`."""

    template_name = "generic/park_record_detail.html"
    facts_title = ""
    history_rows = 50

    def get_facts(self, record):
        """[(label, value)] of the record's facts panel."""
        return []

    def get_subtitle(self, record):
        return ""

    def get_badges(self, record):
        return []

    def get_text(self, record):
        """The record's free text (a description, notes), shown under its facts."""
        return ""

    def get_related(self, record):
        """{name: rows} of related records the page shows, added to the context (a project's ``updates``)."""
        return {}

    def get_panels(self, record, related):
        """[Panel] of the ``related`` rows."""
        return []

    def change_url(self, record):
        """The admin page to edit the record, for a user who may change it; else None."""
        opts = record._meta
        if not self.request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            return None
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        related = self.get_related(record)
        context.update(related)
        context.update(
            facts_title=self.facts_title,
            facts=self.get_facts(record),
            subtitle=self.get_subtitle(record),
            badges=self.get_badges(record),
            text=self.get_text(record),
            panels=self.get_panels(record, related),
            change_url=self.change_url(record),
            history=record.history.select_related("history_user")[: self.history_rows],
        )
        return context
