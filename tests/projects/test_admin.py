"""Project admin: dated updates inline and on every phase or progress change, search, filter, export."""

from decimal import Decimal

from django.urls import reverse

from parkdash.projects.models import Project, ProjectUpdate
from tests.support import (
    EnglishTestCase,
    admin_form_data,
    make_admin,
    make_park,
    make_project,
)
from tests.support.batteries import AdminPagesChecks, ExportChecks

PROJECT_LIST = reverse("admin:projects_project_changelist")


class ProjectAdminPagesTests(AdminPagesChecks, EnglishTestCase):
    model = Project

    @classmethod
    def make_record(cls, park, zone):
        return make_project(park, zone=zone, responsible_unit="管委会建设局")


class ProjectAdminTests(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.park = make_park()
        cls.project = make_project(
            cls.park, name="城市规划馆", phase="continuing", progress_pct=Decimal("40"), responsible_unit="管委会建设局"
        )

    def setUp(self):
        self.client.force_login(self.admin)
        self.change_url = reverse("admin:projects_project_change", args=[self.project.pk])

    def save(self, **changes):
        data = admin_form_data(self.client.get(self.change_url), **changes)
        return self.client.post(self.change_url, data)

    def test_the_change_page_shows_the_updates_inline(self):
        response = self.client.get(self.change_url)
        (inline,) = response.context["inline_admin_formsets"]
        self.assertEqual([form.instance for form in inline.formset.initial_forms], list(self.project.updates.all()))
        self.assertEqual(inline.formset.model, ProjectUpdate)

    def test_changing_the_progress_records_a_dated_update_by_the_user(self):
        response = self.save(progress_pct="65")
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        latest = self.project.updates.first()
        self.assertEqual(self.project.updates.count(), 2)
        self.assertEqual(
            (latest.phase, latest.progress_pct, latest.created_by), ("continuing", Decimal("65"), self.admin)
        )
        self.assertIsNotNone(latest.date)

    def test_changing_the_phase_records_an_update(self):
        self.save(phase="completed", progress_pct="100")
        latest = self.project.updates.first()
        self.assertEqual((latest.phase, latest.progress_pct), ("completed", Decimal("100")))

    def test_saving_without_a_change_records_no_update(self):
        response = self.save()
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        self.assertEqual(self.project.updates.count(), 1)

    def test_changing_another_field_records_no_update(self):
        self.save(responsible_unit="东部XX县区交通局")
        self.assertEqual(self.project.updates.count(), 1)

    def test_progress_above_100_is_a_form_error(self):
        response = self.save(progress_pct="150")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Progress must be between 0 and 100 %.", str(response.context["errors"]))
        self.project.refresh_from_db()
        self.assertEqual(self.project.progress_pct, Decimal("40"))

    def test_a_project_added_in_the_admin_starts_its_update_history(self):
        add_url = reverse("admin:projects_project_add")
        data = admin_form_data(
            self.client.get(add_url),
            park=self.park.pk,
            name="北片污水处理厂",
            category="utility",
            phase="new_start",
            progress_pct="5",
        )
        response = self.client.post(add_url, data)
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        update = Project.objects.get(name="北片污水处理厂").updates.get()
        self.assertEqual((update.phase, update.created_by), ("new_start", self.admin))

    def test_the_search_finds_projects_by_responsible_unit(self):
        make_project(self.park, name="北片污水处理厂", responsible_unit="水务局")
        response = self.client.get(PROJECT_LIST, {"q": "建设局"})
        self.assertEqual(list(response.context["cl"].result_list), [self.project])

    def test_the_phase_filter_lists_only_that_phase(self):
        make_project(self.park, name="北片污水处理厂", phase="new_start", progress_pct=Decimal("5"))
        response = self.client.get(PROJECT_LIST, {"phase__exact": "continuing"})
        self.assertEqual(list(response.context["cl"].result_list), [self.project])

    def test_the_changelist_shows_progress_as_a_percentage(self):
        self.assertContains(self.client.get(PROJECT_LIST), "40%")


class ProjectExportTests(ExportChecks, EnglishTestCase):
    model = Project
    export_texts = ("城市规划馆", "东部产业集聚区")
    export_cells = {"name": "城市规划馆"}

    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        make_project(make_park(), name="城市规划馆", phase="continuing", total_investment=Decimal("12000"))
