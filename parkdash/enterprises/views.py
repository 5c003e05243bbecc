from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from parkdash.parks.views import ParkRecordListView, ParkScopedMixin

from .filters import EnterpriseFilterSet
from .models import Enterprise
from .tables import EnterpriseTable


class EnterpriseListView(ParkRecordListView):
    queryset = Enterprise.objects.select_related("park", "zone")
    table_class = EnterpriseTable
    filterset_class = EnterpriseFilterSet
    title = _("Enterprises")


class EnterpriseDetailView(ParkScopedMixin, DetailView):
    queryset = Enterprise.objects.select_related("park", "zone")
    template_name = "enterprises/enterprise_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = self.object.history.select_related("history_user")[:50]
        return context
