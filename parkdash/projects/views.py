from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parkdash.core.numbers import format_percent
from parkdash.parks.views import UNSHOWN, Panel, ParkRecordDetailView, ParkRecordListView, shown

from .filters import ProjectFilterSet
from .models import Project
from .tables import ProjectTable


class ProjectListView(ParkRecordListView):
    queryset = Project.objects.select_related("park", "zone").defer(*UNSHOWN, "source_quote", "description")
    table_class = ProjectTable
    filterset_class = ProjectFilterSet
    title = gettext_lazy("Projects")


class ProjectDetailView(ParkRecordDetailView):
    """A project: its phase, progress, dates and investment, and every dated update."""

    queryset = Project.objects.select_related("park", "zone").defer(*UNSHOWN, "source_quote", "description")
    facts_title = gettext_lazy("Status")

    def get_subtitle(self, project):
        return project.get_category_display()

    def get_facts(self, project):
        return [
            (_("Phase"), project.get_phase_display()),
            (_("Progress"), format_percent(project.progress_pct)),
            (_("Planned"), "{} – {}".format(shown(project.planned_start), shown(project.planned_finish))),
            (_("Actual"), "{} – {}".format(shown(project.actual_start), shown(project.actual_finish))),
            (_("Total investment"), shown(project.total_investment, "万元")),
            (_("Invested this year"), shown(project.ytd_investment, "万元")),
            (_("Responsible unit"), shown(project.responsible_unit)),
        ]

    def get_text(self, project):
        return project.description

    def get_related(self, project):
        return {"updates": list(project.updates.select_related("created_by"))}

    def get_panels(self, project, related):
        rows = [
            [
                (shown(u.date), ""),
                (u.get_phase_display(), ""),
                (format_percent(u.progress_pct), "num"),
                (u.note, ""),
                (u.created_by or "—", ""),
            ]
            for u in related["updates"]
        ]
        columns = [(_("Date"), ""), (_("Phase"), ""), (_("Progress"), "num"), (_("Note"), ""), (_("By"), "")]
        return [Panel(_("Progress updates"), columns, rows, _("No updates recorded yet."))]
