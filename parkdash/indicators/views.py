from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from parkdash.core.views import ReadAccessMixin
from parkdash.parks.views import ParkRecordListView

from . import charts, provenance
from .filters import FigureFilterSet
from .models import Figure, Indicator
from .selection import select
from .tables import FigureTable


class FigureListView(ParkRecordListView):
    queryset = Figure.objects.select_related("indicator", "park", "zone")
    table_class = FigureTable
    filterset_class = FigureFilterSet
    title = _("Indicator figures")


class IndicatorDetailView(ReadAccessMixin, DetailView):
    """One indicator for a park: the year's monthly pace, the years, the zones, every figure and its source."""

    model = Indicator
    slug_field = "code"
    slug_url_kwarg = "code"
    template_name = "indicators/indicator_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicator = self.object
        selection = select(self.request)
        context["selection"] = selection
        if selection.park is None:
            return context
        park, year = selection.park, selection.year
        series = charts.indicator_series(indicator, park)
        context.update(
            monthly_chart=charts.monthly_chart(indicator, series, year) if year else None,
            years_chart=charts.years_chart(indicator, series),
            zones_chart=charts.zones_chart(indicator, park, year) if year else None,
            # The selected year's figures; the table link above them lists every year.
            figures=provenance.with_origins(Figure.objects.filter(indicator=indicator, park=park, year=year))
            .select_related("zone")
            .order_by("-month", "kind", "zone__name")[:200],
            history=Figure.history.filter(indicator_id=indicator.pk, park_id=park.pk)
            .select_related("history_user")
            .order_by("-history_date")[:30],
        )
        return context
