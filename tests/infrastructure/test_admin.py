"""Infrastructure work admin: quantities with their unit and completion, filter, search, export."""

import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from parkdash.infrastructure.models import InfrastructureWork
from tests.support import BOM, XLSX_FORMAT, EnglishTestCase, export, make_admin, make_park, make_work

WORK_LIST = reverse("admin:infrastructure_infrastructurework_changelist")


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


class WorkExportTests(EnglishTestCase):
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

    def setUp(self):
        self.client.force_login(self.admin)

    def test_the_csv_export_starts_with_a_bom_and_keeps_chinese(self):
        response = export(self.client, InfrastructureWork)
        self.assertTrue(response.content.startswith(BOM.encode("utf-8")))
        text = response.content.decode("utf-8-sig")
        self.assertIn("填筑土石方", text)
        self.assertIn("万吨", text)

    def test_the_xlsx_export_opens_with_openpyxl(self):
        response = export(self.client, InfrastructureWork, fmt=XLSX_FORMAT)
        header, first = load_workbook(io.BytesIO(response.content)).active.iter_rows(max_row=2, values_only=True)
        self.assertEqual(first[header.index("name")], "填筑土石方")
