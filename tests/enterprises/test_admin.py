"""Enterprise admin: entry with stage dates, search, filter, export."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from parkdash.enterprises.models import Enterprise
from tests.support import (
    EnglishTestCase,
    admin_form_data,
    make_admin,
    make_enterprise,
    make_park,
    make_zone,
)
from tests.support.batteries import AdminPagesChecks, ExportChecks

ENTERPRISE_LIST = reverse("admin:enterprises_enterprise_changelist")


class EnterpriseAdminPagesTests(AdminPagesChecks, EnglishTestCase):
    model = Enterprise

    @classmethod
    def make_record(cls, park, zone):
        return make_enterprise(park, zone=zone)


class EnterpriseAdminTests(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.park = make_park()
        cls.zone = make_zone(cls.park, "南片")
        cls.aishida = make_enterprise(
            cls.park,
            zone=cls.zone,
            name="浙江爱仕达电器",
            industry="家电",
            is_listed=True,
            stage="settled",
            land_area_mu=Decimal("643"),
        )

    def setUp(self):
        self.client.force_login(self.admin)

    def test_the_changelist_shows_the_land_in_mu(self):
        self.assertContains(self.client.get(ENTERPRISE_LIST), "643")

    def test_the_stage_filter_lists_only_that_stage(self):
        make_enterprise(self.park, name="欧瑞康真空镀膜", stage="construction")
        response = self.client.get(ENTERPRISE_LIST, {"stage__exact": "settled"})
        self.assertEqual(list(response.context["cl"].result_list), [self.aishida])

    def test_the_listed_filter_lists_only_listed_companies(self):
        make_enterprise(self.park, name="欧瑞康真空镀膜", is_listed=False)
        response = self.client.get(ENTERPRISE_LIST, {"is_listed__exact": "1"})
        self.assertEqual(list(response.context["cl"].result_list), [self.aishida])

    def test_the_search_finds_enterprises_by_industry(self):
        make_enterprise(self.park, name="欧瑞康真空镀膜", industry="真空镀膜")
        response = self.client.get(ENTERPRISE_LIST, {"q": "家电"})
        self.assertEqual(list(response.context["cl"].result_list), [self.aishida])

    def test_stage_dates_out_of_order_are_a_form_error(self):
        url = reverse("admin:enterprises_enterprise_change", args=[self.aishida.pk])
        data = admin_form_data(
            self.client.get(url), stage="production", settled_date="2023-05-01", production_date="2023-03-01"
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("production_date", response.context["adminform"].form.errors)
        self.aishida.refresh_from_db()
        self.assertIsNone(self.aishida.production_date)

    def test_stage_dates_in_order_are_saved(self):
        url = reverse("admin:enterprises_enterprise_change", args=[self.aishida.pk])
        data = admin_form_data(
            self.client.get(url), stage="production", settled_date="2023-03-01", production_date="2023-11-30"
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        self.aishida.refresh_from_db()
        self.assertEqual(self.aishida.production_date, date(2023, 11, 30))


class EnterpriseExportTests(ExportChecks, EnglishTestCase):
    model = Enterprise
    export_texts = ("浙江爱仕达电器", "南片")
    export_cells = {"name": "浙江爱仕达电器", "industry": "家电"}

    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        park = make_park()
        make_enterprise(park, zone=make_zone(park, "南片"), name="浙江爱仕达电器", industry="家电", is_listed=True)
