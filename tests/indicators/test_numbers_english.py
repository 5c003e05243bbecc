"""Indicators in one number style and in complete English: the figures table, a card's unit, the display unit,
the charts, the export headers and the English names of the catalogue."""

import importlib
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import TestCase
from django.utils import translation

from parkdash.indicators.cards import indicator_cards
from parkdash.indicators.catalogue import CATALOGUE
from parkdash.indicators.charts import completion_chart, indicator_series, monthly_chart, years_chart
from parkdash.indicators.models import Indicator
from tests.support import make_admin, make_figure, make_indicator, make_park

FILL_NAMES = importlib.import_module("parkdash.indicators.migrations.0012_indicator_display_unit").fill_english_names


def render(template, **context):
    return Template("{% load parkdash %}" + template).render(Context(context))


class FigureTableTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.park = make_park()
        cls.fai = make_indicator()
        cls.started = make_indicator("enterprises_started")
        make_figure(cls.fai, cls.park, value=Decimal("0.3214"), yoy_pct=Decimal("42.4500"))
        make_figure(cls.started, cls.park, value=Decimal("6.0000"))

    def setUp(self):
        self.client.force_login(self.user)

    def row_of(self, html, name):
        start = html.index(name, html.index("<tbody"))
        return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]

    def test_a_figure_row_reads_in_english_with_english_units(self):
        html = self.client.get(f"/indicators/?park={self.park.pk}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        row = self.row_of(html, "Fixed-asset investment")
        self.assertIn(">3,214<", row)  # 0.3214 亿元 in the unit people use at that size
        self.assertIn(">10k yuan<", row)
        self.assertIn(">42.45%<", row)
        self.assertNotIn("亿元", row)
        self.assertNotIn("万元", row)
        count = self.row_of(html, "Enterprises started construction")
        self.assertIn(">6<", count)  # not 6.0000
        self.assertNotIn("家", count)

    def test_a_figure_row_reads_in_chinese_with_grouped_numbers(self):
        html = self.client.get(f"/indicators/?park={self.park.pk}", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        row = self.row_of(html, "固定资产投资")
        self.assertIn(">3,214<", row)
        self.assertIn(">万元<", row)
        self.assertIn(">42.45%<", row)
        self.assertIn(">家<", self.row_of(html, "新开工企业"))

    def test_the_export_keeps_the_stored_value_and_unit_and_names_its_columns_in_the_users_language(self):
        english = self.client.get("/indicators/?_export=csv", HTTP_ACCEPT_LANGUAGE="en")
        chinese = self.client.get("/indicators/?_export=csv", HTTP_ACCEPT_LANGUAGE="zh-hans")
        english_lines = b"".join(english.streaming_content).decode("utf-8-sig").splitlines()
        chinese_lines = b"".join(chinese.streaming_content).decode("utf-8-sig").splitlines()
        self.assertTrue(english_lines[0].startswith("Indicator code,Indicator,"))
        self.assertTrue(chinese_lines[0].startswith("指标代码,"))
        self.assertIn("Value (in the unit column)", english_lines[0])
        # An import reads the file back: the value as stored, in the stored unit, whatever the page shows.
        self.assertTrue(any(",0.3214,亿元," in line for line in english_lines[1:]))


class CardUnitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.fai = make_indicator()
        cls.land = make_indicator("land_supplied")
        make_figure(cls.fai, cls.park, value=Decimal("0.3214"))
        make_figure(cls.land, cls.park, value=Decimal("1696.0000"))

    def cards(self):
        return {c.indicator.code: c for c in indicator_cards(self.park, 2023)}

    def test_a_cards_value_and_unit_come_from_the_quantity_filter_in_both_languages(self):
        card = self.cards()["fixed_asset_investment"]
        template = "{{ c.actual|quantity_number:c.indicator }} {{ c.actual|quantity_unit:c.indicator }}"
        with translation.override("en"):
            self.assertEqual(render(template, c=card), "3,214 10k yuan")
            self.assertEqual(render("{{ c.actual|quantity:c.indicator }}", c=self.cards()["land_supplied"]), "1,696 mu")
        with translation.override("zh-hans"):
            self.assertEqual(render(template, c=card), "3,214 万元")
            self.assertEqual(render("{{ c.actual|quantity:c.indicator }}", c=self.cards()["land_supplied"]), "1,696 亩")

    def test_an_indicators_display_unit_is_used_whatever_the_size(self):
        Indicator.objects.filter(pk=self.fai.pk).update(display_unit="亿元")
        card = self.cards()["fixed_asset_investment"]
        with translation.override("zh-hans"):
            self.assertEqual(render("{{ c.actual|quantity:c.indicator }}", c=card), "0.3214 亿元")
        with translation.override("en"):
            self.assertEqual(render("{{ c.actual|quantity:c.indicator }}", c=card), "0.3214 100M yuan")


class DisplayUnitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.fai = make_indicator()

    def test_a_display_unit_must_measure_what_the_indicator_measures(self):
        self.fai.display_unit = "亩"
        with self.assertRaises(ValidationError) as refused:
            self.fai.full_clean()
        self.assertIn("display_unit", refused.exception.message_dict)
        self.fai.display_unit = "万元"
        self.fai.full_clean()

    def test_the_display_unit_is_editable_in_the_admin(self):
        self.client.force_login(self.user)
        response = self.client.get(f"/admin/indicators/indicator/{self.fai.pk}/change/")
        self.assertContains(response, 'name="display_unit"')


class ChartTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.fai = make_indicator()
        make_figure(cls.fai, cls.park, kind="target", month=12, value=Decimal("0.6"))
        make_figure(cls.fai, cls.park, month=6, value=Decimal("0.3214"))

    def test_a_chart_of_small_money_is_drawn_in_wan_yuan(self):
        with translation.override("en"):
            chart = monthly_chart(self.fai, indicator_series(self.fai, self.park), 2023)
        self.assertEqual(chart["unit"], "10k yuan")
        self.assertEqual(chart["datasets"][0]["data"][5], 3214.0)
        self.assertIn(["Months 1–6", "3,214 10k yuan", "3,000 10k yuan", "—"], chart["table"]["rows"])
        with translation.override("zh-hans"):
            chart = years_chart(self.fai, indicator_series(self.fai, self.park))
        self.assertEqual(chart["unit"], "万元")
        self.assertEqual(chart["table"]["rows"][0][1:3], ["6,000 万元", "3,214 万元"])

    def test_the_completion_chart_names_time_elapsed_pace_in_the_users_language(self):
        with translation.override("en"):
            chart = completion_chart(indicator_cards(self.park, 2023))
        self.assertIn("Time-elapsed pace", chart["table"]["columns"])
        self.assertEqual(chart["datasets"][1]["label"], "Time-elapsed pace")
        self.assertNotIn("序时进度", str(chart))
        self.assertEqual(chart["table"]["rows"][0][3], "53.6%")
        with translation.override("zh-hans"):
            chart = completion_chart(indicator_cards(self.park, 2023))
        self.assertIn("序时进度", chart["table"]["columns"])


class EnglishNameTests(TestCase):
    def test_every_catalogue_indicator_has_an_english_name(self):
        missing = [s.code for s in CATALOGUE if not s.name_en or any("\u4e00" <= ch <= "\u9fff" for ch in s.name_en)]
        self.assertEqual(missing, [])

    def test_the_migration_gives_an_existing_indicator_its_english_name_and_keeps_one_a_user_wrote(self):
        blank = make_indicator("land_supplied", name_en="")
        chinese = make_indicator("industrial_output", name_en="工业总产值")
        written = make_indicator("enterprises_started", name_en="New construction starts")
        FILL_NAMES(apps, None)
        for indicator in (blank, chinese, written):
            indicator.refresh_from_db()
        self.assertEqual((blank.name_en, chinese.name_en), ("Land supplied", "Gross industrial output"))
        self.assertEqual(written.name_en, "New construction starts")


class IndicatorPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.park = make_park()
        cls.fai = make_indicator()
        make_figure(cls.fai, cls.park, value=Decimal("20.7500"), yoy_pct=Decimal("42.4500"))

    def setUp(self):
        self.client.force_login(self.user)

    def test_the_indicator_page_reads_in_english_without_chinese_units_or_terms(self):
        url = f"/indicators/{self.fai.code}/?park={self.park.pk}&year=2023"
        html = self.client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        self.assertIn("unit: 100M yuan", html)
        self.assertIn("20.75 100M yuan", html)
        self.assertIn("judged against the time-elapsed pace", html)
        self.assertNotIn("亿元", html)
        self.assertNotIn("序时进度", html)
        with translation.override("zh-hans"):
            html = self.client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        self.assertIn("20.75 亿元", html)
        self.assertIn("对照序时进度", html)


class AdminFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.park = make_park()
        cls.fai = make_indicator()
        cls.figure = make_figure(
            cls.fai, cls.park, kind="target", month=12, value=Decimal("7.6000"), entered_value=Decimal("7.6000")
        )

    def test_an_amount_in_the_entry_form_reads_without_the_storage_scales_zeros(self):
        self.client.force_login(self.user)
        for url in (
            f"/admin/indicators/figure/{self.figure.pk}/change/",
            f"/admin/indicators/indicator/{self.fai.pk}/change/",
        ):
            html = self.client.get(url).content.decode()
            self.assertIn('value="7.6"', html)
            self.assertNotIn("7.6000", html)


class CardInOneUnitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.fai = make_indicator()
        make_figure(cls.fai, cls.park, kind="target", month=12, value=Decimal("1.2"))
        cls.actual = make_figure(cls.fai, cls.park, value=Decimal("0.3214"))

    def test_a_cards_actual_and_target_read_in_one_unit_the_one_the_larger_reads_in(self):
        card = indicator_cards(self.park, 2023)[0]
        with translation.override("zh-hans"):
            self.assertEqual(
                render("{{ c.actual|quantity:c }} / {{ c.target|quantity:c }}", c=card), "0.3214 亿元 / 1.2 亿元"
            )
            self.assertEqual(render("{{ c.actual|quantity:c.indicator }}", c=card), "3,214 万元")
            self.assertEqual(render("{{ f.value|quantity:f }}", f=self.actual), "3,214 万元")
        with translation.override("en"):
            self.assertEqual(render("{{ c.actual|quantity_unit:c }}", c=card), "100M yuan")
