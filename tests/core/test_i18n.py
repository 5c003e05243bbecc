"""Chinese by default, English on request; numbers formatted for the language; years never grouped."""

from django.test import TestCase, override_settings

from parkdash import settings as product_settings
from tests.support import make_admin, park_with_data


class LanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.park = park_with_data(year=2026, month=6)

    def setUp(self):
        self.client.force_login(self.user)

    def test_the_product_speaks_chinese_to_a_browser_that_asks_for_no_language(self):
        # tests/settings.py reads in English; the product's own settings decide here.
        with override_settings(LANGUAGE_CODE=product_settings.LANGUAGE_CODE):
            response = self.client.get("/")
        self.assertContains(response, '<html lang="zh-hans">')
        self.assertContains(response, "年度目标")

    def test_the_overview_reads_in_chinese(self):
        response = self.client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertContains(response, '<html lang="zh-hans">')
        self.assertContains(response, "年度目标")
        self.assertContains(response, "序时进度")
        self.assertNotContains(response, "Annual target")

    def test_the_overview_reads_in_english(self):
        response = self.client.get("/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Annual target")
        self.assertContains(response, "Months 1–6")

    def test_years_are_never_written_with_a_thousands_separator(self):
        for language in ("en", "zh-hans"):
            response = self.client.get("/", HTTP_ACCEPT_LANGUAGE=language)
            self.assertContains(response, 'value="2026"')
            self.assertNotContains(response, "2,026")

    def test_large_amounts_are_grouped(self):
        from parkdash.core.numbers import format_number

        self.assertEqual(format_number(1234567), "1,234,567")
