from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from parkdash.core.views import ReadAccessMixin
from parkdash.parks import versions
from parkdash.parks.views import UNSHOWN, ParkRecordListView

from . import cache, charts, provenance
from .filters import FigureFilterSet
from .models import Figure, Indicator
from .selection import select
from .tables import FigureTable


class FigureListView(ParkRecordListView):
    queryset = Figure.objects.select_related("indicator", "park", "zone").defer(
        *UNSHOWN, "source_quote", "note", "indicator__created", "indicator__modified", "indicator__aliases"
    )
    table_class = FigureTable
    filterset_class = FigureFilterSet
    title = _("Indicator figures")


# What the indicator page's rows of figures and of changes never show (parkdash/indicators/html.py): not read.
UNREAD_FIGURE = ("created", "modified", "note", "change_seq", "zone__created", "zone__modified")
UNREAD_HISTORY = ("created", "modified", "note", "history_user__last_login", "history_user__date_joined")


class IndicatorDetailView(ReadAccessMixin, DetailView):
    """One indicator for a park: the year's monthly pace, the years, the zones, every figure and its source."""

    model = Indicator
    slug_field = "code"
    slug_url_kwarg = "code"
    template_name = "indicators/indicator_detail.html"

    def get_object(self, queryset=None):
        """The indicator of the URL's code, from the cached catalogue."""
        indicator = cache.indicator_by_code(self.request, self.kwargs[self.slug_url_kwarg])
        if indicator is None:
            raise Http404(gettext("No indicator with this code."))
        return indicator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicator = self.object
        selection = select(self.request)
        context["selection"] = selection
        if selection.park is None:
            return context
        park, year = selection.park, selection.year
        context.update(
            versions.cached(
                "indicator-charts",
                cache.park_versions(self.request, park),
                (indicator.pk, park.pk, year, versions.language()),
                lambda: self.charts(indicator, park, year),
            )
        )
        context.update(
            # The selected year's figures; the table link above them lists every year.
            # The rows read what they show (html.py), not the timestamps nor the note: a datetime made per model is
            # most of a row's reading. A row that showed one would read it per row: the queries are pinned.
            figures=provenance.with_origins(Figure.objects.filter(indicator=indicator, park=park, year=year))
            .select_related("zone")
            .defer(*UNREAD_FIGURE)
            .order_by("-month", "kind", "zone__name")[:200],
            history=Figure.history.filter(indicator_id=indicator.pk, park_id=park.pk)
            .select_related("history_user")
            .defer(*UNREAD_HISTORY)
            .order_by("-history_date")[:30],
        )
        return context

    @staticmethod
    def charts(indicator, park, year):
        """The page's three charts (plain dicts), from one query."""
        series, zone_rows = charts.indicator_rows(indicator, park, year)
        return {
            "monthly_chart": charts.monthly_chart(indicator, series, year) if year else None,
            "years_chart": charts.years_chart(indicator, series),
            "zones_chart": charts.zones_chart(indicator, park, year, zone_rows) if year else None,
        }
