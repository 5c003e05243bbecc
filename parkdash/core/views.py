"""The generic list view every table page uses: filter, sort, paginate, export."""

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from . import export
from .scoping import scope

EXPORTERS = {"csv": export.csv_response, "xlsx": export.xlsx_response}
PER_PAGE, MIN_PER_PAGE, MAX_PER_PAGE = 25, 10, 200


def bounded_per_page(value):
    try:
        per_page = int(value)
    except (TypeError, ValueError):
        return PER_PAGE
    return min(max(per_page, MIN_PER_PAGE), MAX_PER_PAGE)


class BoundedPaginator(Paginator):
    """django-tables2's RequestConfig passes ?per_page= from the request as it is, over get_table_pagination():
    -5 made every page "less than 1" (a 500) and 100000 rendered every row. The paginator bounds it."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, bounded_per_page(per_page), *args, **kwargs)


class ReadAccessMixin(LoginRequiredMixin):
    """Login required, unless the site allows an anonymous read-only dashboard."""

    def get_queryset(self):
        # Detail pages: records of parks the user may not see do not exist for them (404).
        queryset = super().get_queryset()
        if hasattr(queryset.model, "park"):
            queryset = scope(queryset, self.request.user)
        return queryset

    def dispatch(self, request, *args, **kwargs):
        if settings.PARKDASH_ANONYMOUS_READ and request.method in ("GET", "HEAD"):
            return super(LoginRequiredMixin, self).dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


class ObjectListView(ReadAccessMixin, SingleTableMixin, FilterView):
    """A filtered, sortable, paginated table that exports the same rows with ``?_export=csv|xlsx``."""

    template_name = "generic/object_list.html"
    title = ""

    def get_queryset(self):
        return scope(super().get_queryset(), self.request.user)

    def get_table_pagination(self, table):
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
            today = timezone.localdate().isoformat()
            name = f"{table.export_name}-{today}"
            fallback = f"{table.export_slug}-{today}"
            return EXPORTERS[fmt](table.data.data, table.export_columns(), name, fallback)
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        return context
