"""The admin as a whole: every registered model's list, add, change and history pages, its search and filters."""

from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from parkdash.intake.models import WorkSummary
from parkdash.parks.models import Park, Zone
from tests.support import (
    EnglishTestCase,
    make_admin,
    make_enterprise,
    make_figure,
    make_indicator,
    make_park,
    make_project,
    make_work,
    make_zone,
)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def lookup(obj, path):
    """The value at ``path`` (``indicator__name``) on ``obj``."""
    for part in path.split("__"):
        obj = getattr(obj, part) if obj is not None else None
    return obj


class EveryAdminPageTests(EnglishTestCase):
    """One row of every registered model, then every admin page about it."""

    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        park = make_park()
        zone = make_zone(park)
        indicator = make_indicator()
        make_figure(indicator, park, zone=zone)
        make_project(park, zone=zone, responsible_unit="管委会建设局")
        make_enterprise(park, zone=zone)
        make_work(park, zone=zone)
        WorkSummary.objects.create(park=park, year=2023, month=10, title="2023年工作总结", text="今年以来……")
        Group.objects.create(name="经济发展局")

    def setUp(self):
        self.client.force_login(self.admin)

    def registered(self):
        return [(model, model_admin, model.objects.first()) for model, model_admin in admin.site._registry.items()]

    def test_every_registered_model_has_a_row_to_show(self):
        for model, _model_admin, row in self.registered():
            with self.subTest(model=model._meta.label):
                self.assertIsNotNone(row, "give {} a row in setUpTestData".format(model._meta.label))

    def test_every_changelist_lists_its_row(self):
        for model, _model_admin, row in self.registered():
            with self.subTest(model=model._meta.label):
                response = self.client.get(admin_url(model, "changelist"))
                self.assertEqual(response.status_code, 200)
                self.assertIn(row, response.context["cl"].result_list)
                self.assertContains(response, admin_url(model, "change", row.pk))

    def test_every_add_page_answers(self):
        request = RequestFactory().get("/")
        request.user = self.admin
        for model, model_admin, _row in self.registered():
            with self.subTest(model=model._meta.label):
                # A read-only admin (a log) refuses the add page; every other one shows it.
                expected = 200 if model_admin.has_add_permission(request) else 403
                self.assertEqual(self.client.get(admin_url(model, "add")).status_code, expected)

    def test_every_change_page_answers(self):
        for model, _model_admin, row in self.registered():
            with self.subTest(model=model._meta.label):
                response = self.client.get(admin_url(model, "change", row.pk))
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["original"], row)

    def test_every_history_page_answers(self):
        for model, _model_admin, row in self.registered():
            with self.subTest(model=model._meta.label):
                self.assertEqual(self.client.get(admin_url(model, "history", row.pk)).status_code, 200)

    def test_every_search_finds_its_row_by_each_search_field(self):
        for model, model_admin, row in self.registered():
            with self.subTest(model=model._meta.label):
                for field in model_admin.search_fields:
                    term = lookup(row, field.lstrip("^=@"))
                    if not term:
                        continue
                    response = self.client.get(admin_url(model, "changelist"), {"q": str(term)[:20]})
                    self.assertEqual(response.status_code, 200, field)
                    self.assertIn(row, response.context["cl"].result_list, field)

    def test_a_search_for_nothing_that_exists_lists_nothing(self):
        for model, model_admin, _row in self.registered():
            with self.subTest(model=model._meta.label):
                if model_admin.search_fields:
                    response = self.client.get(admin_url(model, "changelist"), {"q": "不存在的名称"})
                    self.assertEqual(response.context["cl"].result_count, 0)

    def test_every_filter_choice_answers(self):
        for model, _model_admin, _row in self.registered():
            with self.subTest(model=model._meta.label):
                response = self.client.get(admin_url(model, "changelist"))
                changelist = response.context["cl"]
                for spec in changelist.filter_specs:
                    for choice in spec.choices(changelist):
                        filtered = self.client.get(admin_url(model, "changelist") + choice["query_string"])
                        # An invalid lookup redirects to ?e=1 instead of answering 200.
                        self.assertEqual(filtered.status_code, 200, (spec.title, choice["query_string"]))


class ParkAdminTests(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.park = make_park()
        make_zone(cls.park, "北片")

    def setUp(self):
        self.client.force_login(self.admin)

    def test_the_park_change_page_shows_its_zones_inline(self):
        response = self.client.get(admin_url(Park, "change", self.park.pk))
        self.assertContains(response, 'value="北片"')

    def test_a_zone_is_added_through_the_park_inline(self):
        data = {
            "code": "dongbu",
            "name": "东部产业集聚区",
            "name_en": "",
            "description": "",
            "zones-TOTAL_FORMS": 2,
            "zones-INITIAL_FORMS": 1,
            "zones-0-id": self.park.zones.get().pk,
            "zones-0-park": self.park.pk,
            "zones-0-name": "北片",
            "zones-1-park": self.park.pk,
            "zones-1-name": "南片",
            "zones-1-name_en": "South area",
        }
        response = self.client.post(admin_url(Park, "change", self.park.pk), data)
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        self.assertEqual(set(self.park.zones.values_list("name", flat=True)), {"北片", "南片"})

    def test_the_zone_changelist_filters_by_park(self):
        other = make_park(code="xibei", name="西北开发区")
        make_zone(other, "西区")
        response = self.client.get(admin_url(Zone, "changelist"), {"park__id__exact": other.pk})
        self.assertEqual([zone.name for zone in response.context["cl"].result_list], ["西区"])
