"""Change history (django-simple-history): who changed what, when, from what to what, and reverting it."""

from decimal import Decimal

from django.urls import reverse

from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure
from parkdash.projects.models import Project, ProjectUpdate
from tests.support import (
    EnglishTestCase,
    admin_form_data,
    csv_upload,
    import_file,
    make_admin,
    make_figure,
    make_indicator,
    make_park,
    make_project,
    make_zone,
    preview_import,
    sample,
)

FIGURE_ADD = reverse("admin:indicators_figure_add")


def figure_url(view, *args):
    return reverse(f"admin:indicators_figure_{view}", args=args)


class HistoryTestCase(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.colleague = make_admin("colleague")
        cls.park = make_park()
        cls.zone = make_zone(cls.park, "东部XX县区")
        cls.fai = make_indicator("fixed_asset_investment")
        cls.output = make_indicator("industrial_output")
        cls.land = make_indicator("land_supplied")

    def setUp(self):
        self.client.force_login(self.admin)

    def add_figure(self, **changes):
        data = {
            "indicator": self.fai.pk,
            "park": self.park.pk,
            "zone": "",
            "year": 2023,
            "month": 10,
            "kind": "actual",
            "version": "final",
            "entered_value": "20.75",
            "entered_unit": "亿元",
            "yoy_pct": "42.45",
            "note": "",
        }
        data.update(changes)
        response = self.client.post(FIGURE_ADD, data)
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        return Figure.objects.get()

    def change_figure(self, figure, **changes):
        url = figure_url("change", figure.pk)
        response = self.client.post(url, admin_form_data(self.client.get(url), **changes))
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        figure.refresh_from_db()
        return figure


class FigureHistoryTests(HistoryTestCase):
    def test_adding_a_figure_records_who_and_when(self):
        figure = self.add_figure()
        (created,) = figure.history.all()
        self.assertEqual(
            (created.history_type, created.history_user, created.value), ("+", self.admin, Decimal("20.75"))
        )
        self.assertIsNotNone(created.history_date)

    def test_changing_a_figure_records_the_value_before_and_after(self):
        figure = self.add_figure()
        self.client.force_login(self.colleague)
        self.change_figure(figure, entered_value="3214", entered_unit="万元")
        latest, previous = figure.history.all()[:2]
        self.assertEqual((latest.history_type, latest.history_user), ("~", self.colleague))
        changes = {change.field: (change.old, change.new) for change in latest.diff_against(previous).changes}
        self.assertEqual(changes["value"], (Decimal("20.75"), Decimal("0.3214")))
        self.assertEqual(changes["entered_unit"], ("亿元", "万元"))
        self.assertNotIn("yoy_pct", changes)

    def test_deleting_a_figure_records_who_deleted_it_and_what_it_held(self):
        figure = self.add_figure()
        response = self.client.post(figure_url("delete", figure.pk), {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Figure.objects.exists())
        deleted = Figure.history.filter(id=figure.pk).first()
        self.assertEqual(
            (deleted.history_type, deleted.history_user, deleted.value), ("-", self.admin, Decimal("20.75"))
        )

    def test_the_history_page_lists_the_changes_and_who_made_them(self):
        figure = self.add_figure()
        self.client.force_login(self.colleague)
        self.change_figure(figure, entered_value="21")
        response = self.client.get(figure_url("history", figure.pk))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "colleague")
        self.assertContains(response, "admin")
        self.assertEqual(len(response.context["page_obj"].object_list), 2)

    def test_reverting_to_an_earlier_version_restores_the_old_value(self):
        figure = self.add_figure()
        original = figure.history.get()
        self.change_figure(figure, entered_value="3214", entered_unit="万元", yoy_pct="40")
        self.assertEqual(figure.value, Decimal("0.3214"))

        revert_url = reverse("admin:indicators_figure_simple_history", args=[figure.pk, original.history_id])
        page = self.client.get(revert_url)
        self.assertEqual(page.status_code, 200)
        self.client.force_login(self.colleague)
        response = self.client.post(revert_url, admin_form_data(page))
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])

        figure.refresh_from_db()
        self.assertEqual(
            (figure.value, figure.entered_unit, figure.yoy_pct), (Decimal("20.75"), "亿元", Decimal("42.45"))
        )
        reverted = figure.history.first()
        self.assertEqual((reverted.history_type, reverted.history_user), ("~", self.colleague))
        self.assertEqual(figure.history.count(), 3)


class ImportHistoryTests(HistoryTestCase):
    def test_an_import_records_history_attributed_to_the_importing_user(self):
        self.client.force_login(self.colleague)
        import_file(self.client, Figure, csv_upload(sample("figures.csv")))
        records = Figure.history.all()
        self.assertEqual(records.count(), 4)
        self.assertEqual({(record.history_type, record.history_user) for record in records}, {("+", self.colleague)})

    def test_an_import_that_changes_a_figure_records_the_before_and_after(self):
        make_figure(self.fai, self.park, month=10, version="preliminary", value=Decimal("19"))
        import_file(self.client, Figure, csv_upload(sample("figures.csv")))
        figure = Figure.objects.get(indicator=self.fai, kind="actual")
        latest, previous = figure.history.all()[:2]
        self.assertEqual(latest.history_user, self.admin)
        changes = {change.field: (change.old, change.new) for change in latest.diff_against(previous).changes}
        self.assertEqual(changes["value"], (Decimal("19"), Decimal("20.75")))

    def test_a_rejected_import_records_no_history(self):
        bad = sample("figures.csv") + "固定资产投资,西部园区,,2023,9,实际,,18,亿元,,\n"
        preview_import(self.client, Figure, csv_upload(bad))
        self.assertFalse(Figure.history.exists())

    def test_a_project_import_records_history_for_projects_and_their_updates(self):
        make_zone(self.park, "北片")
        self.client.force_login(self.colleague)
        import_file(self.client, Project, csv_upload(sample("projects.csv")))
        self.assertEqual({record.history_user for record in Project.history.all()}, {self.colleague})
        self.assertEqual(Project.history.count(), 3)
        self.assertEqual({record.history_user for record in ProjectUpdate.history.all()}, {self.colleague})

    def test_an_enterprise_import_records_history(self):
        make_zone(self.park, "南片")
        import_file(self.client, Enterprise, csv_upload(sample("enterprises.csv")))
        self.assertEqual(Enterprise.history.filter(history_user=self.admin).count(), 3)


class ProjectHistoryTests(HistoryTestCase):
    def test_reverting_a_project_restores_its_progress_and_records_an_update(self):
        project = make_project(self.park, progress_pct=Decimal("40"))
        change_url = reverse("admin:projects_project_change", args=[project.pk])
        self.client.post(change_url, admin_form_data(self.client.get(change_url), progress_pct="65"))
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
