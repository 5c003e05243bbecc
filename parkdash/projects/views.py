from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from parkdash.parks.views import ParkRecordListView, ParkScopedMixin

from .filters import ProjectFilterSet
from .models import Project
from .tables import ProjectTable


class ProjectListView(ParkRecordListView):
    queryset = Project.objects.select_related("park", "zone")
    table_class = ProjectTable
    filterset_class = ProjectFilterSet
    title = _("Projects")


class ProjectDetailView(ParkScopedMixin, DetailView):
    queryset = Project.objects.select_related("park", "zone")
    template_name = "projects/project_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["updates"] = self.object.updates.select_related("created_by")
        context["history"] = self.object.history.select_related("history_user")[:50]
        return context
