"""What the history keeps of projects: the park-record battery (tests/support/batteries.py), and the dated updates
an import adds."""

from decimal import Decimal

from parkdash.projects.models import Project, ProjectUpdate
from tests.support import EnglishTestCase
from tests.support.batteries import HistoryChecks, records_of


class ProjectHistoryTests(HistoryChecks, EnglishTestCase):
    model = Project
    history_field = "progress_pct"
    history_values = (Decimal("40"), Decimal("65"))
    history_csv = (
        "park,zone,name,category,phase,total_investment,progress_pct,responsible_unit\n"
        "dongbu,北片,北片污水处理厂,utility,续建,12000,{value},建设局\n"
    )
    imported_values = ("15", "30")

    def add_form_values(self):
        return {
            "park": self.park.pk,
            "name": "中心小学",
            "category": "school",
            "phase": "continuing",
            "progress_pct": "40",
        }

    def test_a_record_imported_then_reimported_is_kept_with_who_before_and_after(self):
        project = self.import_twice()
        # Each import changed the progress: each added a dated update, kept with the importing user.
        first, second = sorted(project.updates.all(), key=lambda update: update.pk)
        self.assertKept(records_of(ProjectUpdate, first.pk)[0], "+", self.clerk, progress_pct=Decimal("15"))
        self.assertKept(records_of(ProjectUpdate, second.pk)[0], "+", self.checker, progress_pct=Decimal("30"))
