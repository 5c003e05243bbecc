"""Infrastructure work admin: quantities with their unit and completion, filter, search, export."""

from decimal import Decimal

from django.urls import reverse

from parkdash.infrastructure.models import InfrastructureWork
from tests.support import EnglishTestCase, make_admin, make_park, make_work
from tests.support.batteries import AdminPagesChecks, ExportChecks

WORK_LIST = reverse("admin:infrastructure_infrastructurework_changelist")


class WorkAdminPagesTests(AdminPagesChecks, EnglishTestCase):
    model = InfrastructureWork

    @classmethod
    def make_record(cls, park, zone):
        return make_work(park, zone=zone)


class WorkAdminTests(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.park = make_park()
        cls.road = make_work(
            cls.park,
            kind="road_base",
            name="道路路基",
            unit="公里",
            planned_quantity=Decimal("60"),
            completed_quantity=Decimal("56.5"),
        )
        cls.greening = make_work(
            cls.park,
            kind="greening",
            name="绿化",
            unit="万平方米",
            planned_quantity=Decimal("25"),
            completed_quantity=Decimal("35"),
        )

    def setUp(self):
        self.client.force_login(self.admin)

    def test_the_changelist_shows_quantities_with_their_unit_and_completion(self):
        response = self.client.get(WORK_LIST)
        self.assertContains(response, "56.5 公里")
        self.assertContains(response, "35 万平方米")
        self.assertContains(response, "94.2%")
        self.assertContains(response, "140.0%")

    def test_the_kind_filter_lists_only_that_kind(self):
        response = self.client.get(WORK_LIST, {"kind__exact": "greening"})
        self.assertEqual(list(response.context["cl"].result_list), [self.greening])

    def test_the_search_finds_works_by_name(self):
        response = self.client.get(WORK_LIST, {"q": "路基"})
        self.assertEqual(list(response.context["cl"].result_list), [self.road])

    def test_a_negative_quantity_is_a_form_error(self):
        url = reverse("admin:infrastructure_infrastructurework_change", args=[self.road.pk])
        data = {
            "park": self.park.pk,
            "zone": "",
            "year": 2023,
            "kind": "road_base",
            "name": "道路路基",
            "unit": "公里",
            "planned_quantity": "60",
            "completed_quantity": "-1",
            "notes": "",
        }
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Completed quantity cannot be negative.", str(response.context["errors"]))


class WorkExportTests(ExportChecks, EnglishTestCase):
    model = InfrastructureWork
    export_texts = ("填筑土石方", "万吨")
    export_cells = {"name": "填筑土石方"}

    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        make_work(
            make_park(),
            kind="earth_fill",
            name="填筑土石方",
            unit="万吨",
            planned_quantity=Decimal("350"),
            completed_quantity=Decimal("1800"),
        )
