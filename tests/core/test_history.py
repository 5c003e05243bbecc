"""Nothing lost: every create, update and delete of every domain record is kept with who, when, before and after.

One test per path and model (for the park records, figures, projects, enterprises and works, the same checks are
the HistoryChecks battery of tests/support/batteries.py, applied in tests/<app>/test_history.py):

- admin edit: add, change and delete through the admin's own forms (ProjectUpdate through its project's inline);
- bulk import: django-import-export's two-step admin import (preview, then confirm) creating, then updating;
- summary apply: the work-summary review view calling services.apply, creating, then updating on a re-apply.

The admin's history pages list the changes and who made them; reverting to an earlier version restores it. A
deleted record is listed on the model's deleted-records page and restored from the admin: django-simple-history's
history page answers for the id of a deleted record (it falls back to the latest historical record), and its revert
page saves the old version again, which inserts the row anew under its old id.
"""

from decimal import Decimal

from django.test import TestCase
from django.urls import reverse

from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure, Indicator
from parkdash.intake.models import SummaryFigure, WorkSummary
from parkdash.parks.models import Park, Zone
from parkdash.projects.models import Project, ProjectUpdate
from tests.support import (
    EnglishTestCase,
    admin_form_data,
    admin_url,
    csv_upload,
    import_file,
    make_admin,
    make_project,
    park_with_data,
    review_data,
)
from tests.support.batteries import HistoryAssertions, changes, records_of


class HistoryTestCase(HistoryAssertions, EnglishTestCase):
    def add_figure(self, **values):
        """A fixed-asset investment actual of October 2023 added in the admin by the clerk."""
        values = {
            "indicator": self.fai.pk,
            "park": self.park.pk,
            "year": 2023,
            "month": 10,
            "kind": "actual",
            "version": "final",
            "entered_value": "20.75",
            "entered_unit": "亿元",
            "yoy_pct": "42.45",
            **values,
        }
        return self.admin_add(Figure, self.clerk, **values)


class AdminEditTests(HistoryTestCase):
    """Add, change and delete through the admin: each kept with who, when, before and after."""

    def test_a_park_added_changed_and_deleted_in_the_admin_is_kept(self):
        self.lifecycle(Park, "name_en", "", "New park", code="xinyuan", name="新园区")

    def test_a_zone_added_changed_and_deleted_in_the_admin_is_kept(self):
        self.lifecycle(Zone, "name_en", "", "South", park=self.park.pk, name="南片")

    def test_an_indicator_added_changed_and_deleted_in_the_admin_is_kept(self):
        self.lifecycle(
            Indicator,
            "aliases",
            "",
            "工业产值",
            code="output",
            name="工业总产值",
            name_en="Industrial output",
            unit="亿元",
            category="output",
        )

    def test_a_figure_change_through_another_unit_keeps_the_entered_value_and_unit_before_and_after(self):
        figure = self.add_figure()
        self.admin_change(figure, self.checker, entered_value="3214", entered_unit="万元")
        added, changed = records_of(Figure, figure.pk)
        diff = changes(changed, added)
        self.assertEqual(diff["entered_unit"], ("亿元", "万元"))
        self.assertEqual(diff["entered_value"], (Decimal("20.75"), Decimal("3214")))
        self.assertEqual(diff["value"], (Decimal("20.75"), Decimal("0.3214")))
        self.assertNotIn("yoy_pct", diff)

    def test_a_project_update_added_changed_and_deleted_through_its_project_inline_is_kept(self):
        # Saving a project with a new progress adds a dated update; the inline edits and deletes it.
        project = self.admin_add(
            Project,
            self.clerk,
            park=self.park.pk,
            name="中心小学",
            category="school",
            phase="continuing",
            progress_pct="40",
        )
        update = project.updates.get()
        self.admin_change(project, self.checker, **{"updates-0-note": "复核"})
        self.admin_change(project, self.remover, **{"updates-0-DELETE": "on"})
        self.assertFalse(ProjectUpdate.objects.filter(pk=update.pk).exists())
        added, changed, deleted = records_of(ProjectUpdate, update.pk)
        self.assertKept(added, "+", self.clerk, note="", progress_pct=Decimal("40"))
        self.assertKept(changed, "~", self.checker, note="复核")
        self.assertEqual(changes(changed, added), {"note": ("", "复核")})
        self.assertKept(deleted, "-", self.remover, note="复核", progress_pct=Decimal("40"))

    def test_a_work_summary_uploaded_changed_and_deleted_in_the_admin_is_kept(self):
        self.as_user(self.clerk)
        response = self.client.post(
            admin_url(WorkSummary, "add"),
            {
                "park": self.park.pk,
                "year": 2023,
                "month": 6,
                "plan_year": "",
                "title": "上半年总结",
                "pasted": "2023年1-6月,完成供地150亩。",
            },
        )
        self.assertEqual(response.status_code, 302)
        summary = WorkSummary.objects.get()
        self.admin_change(summary, self.checker, title="上半年工作总结")
        self.admin_delete(summary, self.remover)
        self.assertLifecycle(
            WorkSummary, summary.pk, "title", "上半年总结", "上半年工作总结", (self.clerk, self.checker, self.remover)
        )


ENTERPRISE_CSV = "park,zone,name,industry,stage,land_area_mu\ndongbu,,浙江爱仕达电器,家电,意向,{value}\n"


class BulkImportTests(HistoryTestCase):
    """The admin's two-step import creates, then updates: each row kept with the importing user (for each park record
    model: HistoryChecks in tests/<app>/test_history.py)."""

    def test_an_unchanged_reimport_adds_no_history(self):
        self.as_user(self.clerk)
        import_file(self.client, Enterprise, csv_upload(ENTERPRISE_CSV.format(value="643")))
        self.as_user(self.checker)
        import_file(self.client, Enterprise, csv_upload(ENTERPRISE_CSV.format(value="643")))
        self.assertEqual([record.history_user for record in Enterprise.history.all()], [self.clerk])


SUMMARY = (
    "2023年1-6月工作总结\n一、工作完成情况\n1-6月,园区完成固定资产投资12.5亿元,同比增长8.5%。完成供地150亩。\n"
    "浙江爱仕达电器获得北片643亩工业用地使用权。城市规划馆工程完成固定资产投资0.3亿元。\n"
)


class SummaryApplyTests(HistoryTestCase):
    """Upload a summary, apply it from the review page, change two values and apply again."""

    def test_applying_a_summary_keeps_every_figure_and_record_it_writes_with_who_before_and_after(self):
        project = make_project(self.park, name="城市规划馆工程", total_investment=Decimal("1000"))
        self.as_user(self.clerk)
        self.client.post(
            admin_url(WorkSummary, "add"),
            {"park": self.park.pk, "year": "", "month": 6, "plan_year": "", "title": "", "pasted": SUMMARY},
        )
        summary = WorkSummary.objects.get()
        self.assertKept(records_of(WorkSummary, summary.pk)[0], "+", self.clerk, applied_at=None)
        review = reverse("admin:intake_worksummary_review", args=[summary.pk])
        # The enterprise clause updates the enterprise record; the project clause only its project record.
        data = {**review_data(summary, {"工业用地使用权": {"apply_record": True}}), "_apply": "1"}
        project_row = next(
            i for i, c in enumerate(summary.candidates.order_by("position")) if c.record_name == "城市规划馆工程"
        )
        data[f"c-{project_row}-apply_record"] = "on"
        data.pop(f"c-{project_row}-selected", None)
        self.assertEqual(self.client.post(review, data).status_code, 302)

        fai = Figure.objects.get(indicator=self.fai, park=self.park)
        land = Figure.objects.get(indicator=self.land, park=self.park)
        self.assertKept(records_of(Figure, fai.pk)[0], "+", self.clerk, value=Decimal("12.5"))
        self.assertKept(records_of(SummaryFigure, fai.summary_link.pk)[0], "+", self.clerk, summary_id=summary.pk)
        self.assertKept(records_of(Figure, land.pk)[0], "+", self.clerk, value=Decimal("150"))
        enterprise = Enterprise.objects.get(name="浙江爱仕达电器")
        self.assertKept(records_of(Enterprise, enterprise.pk)[0], "+", self.clerk, land_area_mu=Decimal("643"))
        project_before, project_after = records_of(Project, project.pk)
        self.assertKept(project_after, "~", self.clerk, total_investment=Decimal("3000"))
        self.assertEqual(changes(project_after, project_before)["total_investment"], (Decimal("1000"), Decimal("3000")))
        uploaded, applied = records_of(WorkSummary, summary.pk)
        self.assertKept(applied, "~", self.clerk)
        self.assertEqual(changes(applied, uploaded)["applied_at"][0], None)

        # A second look: the land figure and the enterprise's land corrected, applied again by someone else.
        self.as_user(self.checker)
        overrides = {"供地": {"value": "160"}, "工业用地使用权": {"value": "650", "apply_record": True}}
        data = {**review_data(summary, overrides), "_apply": "1"}
        self.assertEqual(self.client.post(review, data).status_code, 302)
        before, after = records_of(Figure, land.pk)
        self.assertKept(after, "~", self.checker, value=Decimal("160"))
        self.assertEqual(changes(after, before)["value"], (Decimal("150"), Decimal("160")))
        before, after = records_of(Enterprise, enterprise.pk)
        self.assertKept(after, "~", self.checker, land_area_mu=Decimal("650"))
        self.assertEqual(changes(after, before)["land_area_mu"], (Decimal("643"), Decimal("650")))
        self.assertEqual(len(records_of(Figure, fai.pk)), 1)  # unchanged: nothing new to keep
        self.assertEqual(records_of(WorkSummary, summary.pk)[-1].history_user, self.checker)


class RestoreTests(HistoryTestCase):
    """A deleted record comes back from the admin: its history page, then its revert page."""

    def test_a_deleted_figure_is_restored_from_its_admin_history_with_its_values(self):
        figure = self.add_figure(
            zone=self.zone.pk, version="preliminary", entered_value="3214", entered_unit="万元", note="快报"
        )
        figure_id = figure.pk
        self.admin_delete(figure, self.remover)

        self.as_user(self.checker)
        history = self.client.get(admin_url(Figure, "history", figure_id))
        self.assertEqual(history.status_code, 200)
        self.assertContains(history, "remover")
        self.assertContains(history, "Deleted")
        version = records_of(Figure, figure_id)[0]
        revert_url = reverse("admin:indicators_figure_simple_history", args=[figure_id, version.history_id])
        self.assertContains(history, revert_url)
        page = self.client.get(revert_url)
        self.assertEqual(page.status_code, 200)
        response = self.client.post(revert_url, admin_form_data(page))
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])

        restored = Figure.objects.get(pk=figure_id)
        self.assertEqual(
            (
                restored.indicator,
                restored.park,
                restored.zone,
                restored.year,
                restored.month,
                restored.kind,
                restored.version,
                restored.value,
                restored.entered_value,
                restored.entered_unit,
                restored.yoy_pct,
                restored.note,
            ),
            (
                self.fai,
                self.park,
                self.zone,
                2023,
                10,
                "actual",
                "preliminary",
                Decimal("0.3214"),
                Decimal("3214"),
                "万元",
                Decimal("42.45"),
                "快报",
            ),
        )
        added, deleted, restored_record = records_of(Figure, figure_id)
        self.assertEqual([r.history_type for r in (added, deleted)], ["+", "-"])
        self.assertKept(restored_record, "+", self.checker, value=Decimal("0.3214"))
        self.assertIn(restored, self.client.get(admin_url(Figure, "changelist")).context["cl"].queryset)

    def test_a_deleted_project_is_restored_from_its_admin_history(self):
        project = make_project(self.park, name="城市规划馆", progress_pct=Decimal("70"))
        project_id = project.pk
        self.admin_delete(project, self.remover)
        self.as_user(self.checker)
        version = records_of(Project, project_id)[0]
        revert_url = reverse("admin:projects_project_simple_history", args=[project_id, version.history_id])
        page = self.client.get(revert_url)
        self.assertEqual(page.status_code, 200)
        response = self.client.post(revert_url, admin_form_data(page))
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        restored = Project.objects.get(pk=project_id)
        self.assertEqual((restored.name, restored.progress_pct), ("城市规划馆", Decimal("70")))


class HistoryPageTests(HistoryTestCase):
    """The admin's history page of a record lists its versions; reverting to one restores it."""

    def test_the_history_page_lists_the_changes_and_who_made_them(self):
        figure = self.add_figure()
        self.admin_change(figure, self.checker, entered_value="21")
        response = self.client.get(admin_url(Figure, "history", figure.pk))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "checker")
        self.assertContains(response, "clerk")
        self.assertEqual(len(response.context["page_obj"].object_list), 2)

    def test_reverting_to_an_earlier_version_restores_the_old_value(self):
        figure = self.add_figure()
        original = figure.history.get()
        self.admin_change(figure, self.clerk, entered_value="3214", entered_unit="万元", yoy_pct="40")
        figure.refresh_from_db()
        self.assertEqual(figure.value, Decimal("0.3214"))

        revert_url = reverse("admin:indicators_figure_simple_history", args=[figure.pk, original.history_id])
        page = self.client.get(revert_url)
        self.assertEqual(page.status_code, 200)
        self.as_user(self.checker)
        response = self.client.post(revert_url, admin_form_data(page))
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])

        figure.refresh_from_db()
        self.assertEqual(
            (figure.value, figure.entered_unit, figure.yoy_pct), (Decimal("20.75"), "亿元", Decimal("42.45"))
        )
        reverted = figure.history.first()
        self.assertEqual((reverted.history_type, reverted.history_user), ("~", self.checker))
        self.assertEqual(figure.history.count(), 3)

    def test_reverting_a_project_restores_its_progress_and_records_an_update(self):
        project = make_project(self.park, progress_pct=Decimal("40"))
        self.admin_change(project, self.clerk, progress_pct="65")
        project.refresh_from_db()
        self.assertEqual(project.progress_pct, Decimal("65"))

        first = project.history.earliest("history_date")
        revert_url = reverse("admin:projects_project_simple_history", args=[project.pk, first.history_id])
        response = self.client.post(revert_url, admin_form_data(self.client.get(revert_url)))
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        project.refresh_from_db()
        self.assertEqual(project.progress_pct, Decimal("40"))
        self.assertEqual(
            list(project.updates.values_list("progress_pct", flat=True)), [Decimal("40"), Decimal("65"), Decimal("40")]
        )


class DeletedRecordsTests(TestCase):
    """The admin lists deleted records, each linking to the history page where it can be restored."""

    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.park = park_with_data(n_projects=2)

    def test_a_deleted_project_is_listed_with_a_link_to_its_history(self):
        self.client.force_login(self.user)
        project = Project.objects.filter(park=self.park).first()
        pk, name = project.pk, project.name
        self.client.post("/admin/projects/project/{}/delete/".format(pk), {"post": "yes"})
        self.assertFalse(Project.objects.filter(pk=pk).exists())
        changelist = self.client.get("/admin/projects/project/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(changelist, "/admin/projects/project/deleted/")
        page = self.client.get("/admin/projects/project/deleted/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(page, name)
        self.assertContains(page, "/admin/projects/project/{}/history/".format(pk))
        self.assertNotContains(page, Project.objects.filter(park=self.park).first().name)
        self.assertEqual(self.client.get("/admin/projects/project/{}/history/".format(pk)).status_code, 200)
