from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from parkdash.core.views import ObjectListView, ReadAccessMixin

from .filters import FigureFilterSet
from .models import Figure, Indicator
from .tables import FigureTable


class FigureListView(ObjectListView):
    queryset = Figure.objects.select_related("indicator", "park", "zone")
    table_class = FigureTable
    filterset_class = FigureFilterSet
    title = _("Indicator figures")


class IndicatorDetailView(ReadAccessMixin, DetailView):
    model = Indicator
    slug_field = "code"
    slug_url_kwarg = "code"
    template_name = "indicators/indicator_detail.html"
