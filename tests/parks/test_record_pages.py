"""A record's page writes its amounts as every page does (core.numbers): grouped, in the unit people use at that
size, the unit in the user's language; a project's progress as "42.5%"."""

from decimal import Decimal

from django.test import TestCase

from tests.support import make_admin, make_enterprise, make_park, make_project


class RecordPageNumberTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        park = make_park()
        cls.project = make_project(park, total_investment=Decimal("50000"), ytd_investment=Decimal("3214"))
        cls.project.progress_pct = Decimal("42.5")
        cls.project.save()
        cls.enterprise = make_enterprise(park, land_area_mu=Decimal("1696"), planned_investment=Decimal("12000"))

    def setUp(self):
        self.client.force_login(self.admin)

    def page(self, record, language):
        return self.client.get(record.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    def test_a_projects_investment_and_progress_read_as_on_every_page_in_chinese(self):
        html = self.page(self.project, "zh-hans")
        for text in ("5 亿元", "3,214 万元", "42.5%"):
            self.assertIn(text, html)

    def test_a_projects_investment_reads_in_english_units(self):
        html = self.page(self.project, "en")
        self.assertIn("5 100M yuan", html)
        self.assertIn("3,214 10k yuan", html)
        self.assertNotIn("万元", html)

    def test_an_enterprises_land_and_investment_read_in_english_units(self):
        html = self.page(self.enterprise, "en")
        self.assertIn("1,696 mu", html)
        self.assertIn("1.2 100M yuan", html)
