"""Projects: the named constraints, cross-field checks, and the dated update kept on each change."""

from datetime import date
from decimal import Decimal

from parkdash.projects.models import Project
from tests.support import EnglishTestCase, make_park, make_project, make_zone
from tests.support.batteries import ModelAssertions, ParkRecordModelChecks


class ProjectTestCase(ModelAssertions, EnglishTestCase):
    model = Project

    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.other_zone = make_zone(make_park(code="xibei", name="西北开发区"), name="西区")

    def valid_values(self):
        return {
            "park": self.park,
            "name": "北片污水处理厂",
            "category": "utility",
            "phase": "new_start",
            "progress_pct": Decimal("10"),
        }


class ProjectConstraintTests(ParkRecordModelChecks, ProjectTestCase):
    def test_progress_above_100_is_rejected_by_the_database(self):
        self.assertRejectedByDatabase(progress_pct=Decimal("150"))

    def test_negative_progress_is_rejected_by_the_database(self):
        self.assertRejectedByDatabase(progress_pct=Decimal("-1"))

    def test_progress_above_100_fails_validation(self):
        self.assertCleanError(self.build(progress_pct=Decimal("100.1")), "Progress must be between 0 and 100 %.")

    def test_progress_of_0_and_100_is_allowed(self):
        self.build(progress_pct=Decimal("0")).full_clean()
        self.build(phase="completed", progress_pct=Decimal("100")).full_clean()

    def test_negative_total_investment_is_rejected_by_the_database(self):
        self.assertRejectedByDatabase(total_investment=Decimal("-100"))

    def test_negative_investment_this_year_is_rejected_by_the_database(self):
        self.assertRejectedByDatabase(ytd_investment=Decimal("-1"))

    def test_negative_investment_fails_validation(self):
        self.assertCleanError(self.build(total_investment=Decimal("-100")), "Total investment cannot be negative.")

    def test_a_planned_finish_before_the_planned_start_is_rejected_by_the_database(self):
        self.assertRejectedByDatabase(planned_start=date(2023, 8, 29), planned_finish=date(2023, 3, 1))

    def test_an_actual_finish_before_the_actual_start_is_rejected_by_the_database(self):
        self.assertRejectedByDatabase(actual_start=date(2023, 8, 29), actual_finish=date(2023, 8, 28))

    def test_a_finish_before_the_start_fails_validation(self):
        project = self.build(actual_start=date(2023, 8, 29), actual_finish=date(2023, 8, 28))
        self.assertCleanError(project, "The actual finish cannot be before the actual start.")

    def test_a_start_without_a_finish_is_allowed(self):
        self.build(planned_start=date(2023, 8, 29)).save()
        self.build(name="城市规划馆", planned_finish=date(2023, 8, 29)).save()
        self.assertEqual(Project.objects.count(), 2)

    def test_a_finish_on_the_start_day_is_allowed(self):
        self.build(actual_start=date(2023, 8, 29), actual_finish=date(2023, 8, 29)).full_clean()

    def test_two_projects_with_the_same_name_in_a_park_are_rejected_by_the_database(self):
        make_project(self.park, name="北片污水处理厂")
        self.assertRejectedByDatabase()

    def test_investment_this_year_above_the_total_fails_validation(self):
        project = self.build(total_investment=Decimal("100"), ytd_investment=Decimal("120"))
        self.assertCleanError(project, "cannot exceed the total investment", field="ytd_investment")

    def test_a_completed_project_below_100_percent_fails_validation(self):
        project = self.build(phase="completed", progress_pct=Decimal("90"))
        self.assertCleanError(project, "A completed project has progress 100 %.", field="progress_pct")


class ProjectUpdateTests(ProjectTestCase):
    def test_creating_a_project_records_its_first_update(self):
        project = make_project(self.park)
        update = project.updates.get()
        self.assertEqual((update.phase, update.progress_pct), ("continuing", Decimal("40")))

    def test_changing_the_progress_records_a_dated_update(self):
        project = make_project(self.park)
        project.progress_pct = Decimal("65")
        project.save()
        latest = project.updates.first()
        self.assertEqual(project.updates.count(), 2)
        self.assertEqual(latest.progress_pct, Decimal("65"))
        self.assertIsNotNone(latest.date)

    def test_saving_without_a_change_records_nothing(self):
        project = make_project(self.park)
        project.responsible_unit = "管委会建设局"
        project.save()
        self.assertEqual(project.updates.count(), 1)
