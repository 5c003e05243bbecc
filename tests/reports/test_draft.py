"""The summary draft's sentences: the usual phrasing, 增长/下降 by sign, 万/亿 by size, growth and completion only where
known, a stock's wording, counts with their unit, sections left out when empty, a park's own wording, English."""

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import connection
from django.template import TemplateSyntaxError
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from parkdash.reports import wording
from parkdash.reports.draft import build_draft
from parkdash.reports.models import ReportLine
from tests.support.records import (
    make_enterprise,
    make_figure,
    make_indicator,
    make_park,
    make_project,
    make_work,
    small_and_large_parks,
)


def draft(park, month=10, language="zh"):
    return build_draft(park, 2023, month, language=language)


def sentences(d, key="indicators"):
    section = next(s for s in d.sections if s.key == key)
    return [sentence.text for p in section.paragraphs for sentence in p.sentences]


class IndicatorSentenceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.fai = make_indicator("fixed_asset_investment")

    def test_it_writes_the_usual_sentence_with_growth_completion_and_pace(self):
        make_figure(self.fai, self.park, value=Decimal("20.75"), yoy_pct=Decimal("42.45"))
        make_figure(self.fai, self.park, month=12, kind="target", value=Decimal("24"))
        self.assertEqual(
            sentences(draft(self.park)),
            ["1-10月，完成固定资产投资20.75亿元，同比增长42.45%，完成年度目标的86.5%，超序时进度3.2个百分点。"],
        )

    def test_a_negative_growth_is_a_decline_of_its_absolute_value_and_behind_pace_is_below(self):
        make_figure(self.fai, self.park, value=Decimal("12"), yoy_pct=Decimal("-4.91"))
        make_figure(self.fai, self.park, month=12, kind="target", value=Decimal("24"))
        self.assertEqual(
            sentences(draft(self.park)),
            ["1-10月，完成固定资产投资12亿元，同比下降4.91%，完成年度目标的50%，低于序时进度33.3个百分点。"],
        )

    def test_the_indicators_of_one_category_make_one_paragraph_that_says_the_period_once(self):
        make_figure(self.fai, self.park, value=Decimal("20.75"))
        industry = make_indicator(
            "industrial_investment",
            name="工业投资",
            name_en="Industrial investment",
            category="investment",
            sort_order=200,
        )
        make_figure(industry, self.park, value=Decimal("13.55"), yoy_pct=Decimal("41.18"))
        land = make_indicator("land_supplied", name="供地", unit="亩", category="land", sort_order=300)
        make_figure(land, self.park, value=Decimal("1696"))
        section = draft(self.park).sections[0]
        paragraphs = ["".join(s.text for s in p.sentences) for p in section.paragraphs]
        self.assertEqual(
            paragraphs,
            ["1-10月，完成固定资产投资20.75亿元；完成工业投资13.55亿元，同比增长41.18%。", "1-10月，完成供地1696亩。"],
        )
        english = draft(self.park, language="en").sections[0].paragraphs[0]
        self.assertEqual(
            " ".join(s.text for s in english.sentences),
            "In months 1–10, fixed-asset investment reached 20.75 (100M yuan). "
            "Industrial investment reached 13.55 (100M yuan), up 41.18% year on year.",
        )

    def test_a_level_after_a_running_total_says_its_own_date(self):
        make_figure(self.fai, self.park, value=Decimal("20.75"))
        stock = make_indicator(
            "enterprises_above_size",
            name="规上工业企业",
            unit="家",
            aggregation="stock",
            category="investment",
            sort_order=200,
        )
        make_figure(stock, self.park, value=Decimal("90"))
        self.assertEqual(
            sentences(draft(self.park)), ["1-10月，完成固定资产投资20.75亿元；", "截至10月底，规上工业企业达到90家。"]
        )

    def test_growth_and_completion_are_left_out_when_not_known(self):
        make_figure(self.fai, self.park, value=Decimal("20.75"))
        self.assertEqual(sentences(draft(self.park)), ["1-10月，完成固定资产投资20.75亿元。"])

    def test_an_amount_below_one_yi_is_written_in_wan(self):
        make_figure(self.fai, self.park, value=Decimal("0.3214"))
        d = draft(self.park)
        self.assertEqual(sentences(d), ["1-10月，完成固定资产投资3214万元。"])
        self.assertEqual((d.stated[0].value, d.stated[0].unit), (Decimal("3214"), "万元"))
        self.assertEqual(d.stated[0].canonical_value, Decimal("0.3214"))

    def test_an_amount_from_one_yi_up_is_written_in_yi(self):
        make_figure(self.fai, self.park, value=Decimal("1"))
        self.assertEqual(sentences(draft(self.park)), ["1-10月，完成固定资产投资1亿元。"])

    def test_month_one_is_written_1yue(self):
        make_figure(self.fai, self.park, month=1, value=Decimal("2"))
        self.assertEqual(sentences(draft(self.park, month=1)), ["1月，完成固定资产投资2亿元。"])

    def test_every_number_is_a_segment_linked_to_its_figure(self):
        actual = make_figure(self.fai, self.park, value=Decimal("20.75"), yoy_pct=Decimal("42.45"))
        section = draft(self.park).sections[0]
        linked = [s for s in section.paragraphs[0].sentences[0].segments if s.url]
        self.assertEqual([s.text for s in linked], ["20.75", "42.45"])
        self.assertTrue(all(s.url == self.fai.get_absolute_url() + f"?park={self.park.pk}" for s in linked))
        self.assertEqual(draft(self.park).stated[0].figure_id, actual.pk)

    def test_english_reads_naturally(self):
        make_figure(self.fai, self.park, value=Decimal("20.75"), yoy_pct=Decimal("-3"))
        make_figure(self.fai, self.park, month=12, kind="target", value=Decimal("24"))
        with translation.override("en"):
            d = build_draft(self.park, 2023, 10)
        self.assertEqual(
            sentences(d),
            [
                "In months 1–10, fixed-asset investment reached 20.75 (100M yuan), down 3% year on year, 86.5% of "
                "the annual target, 3.2 percentage points ahead of the time-elapsed pace."
            ],
        )
        self.assertEqual(d.sections[0].heading, "1. Main economic indicators")

    def test_english_counts_are_numbered(self):
        make_figure(make_indicator("enterprises_started"), self.park, value=Decimal("14"))
        with translation.override("en"):
            d = build_draft(self.park, 2023, 10)
        self.assertEqual(sentences(d), ["In months 1–10, enterprises started construction numbered 14."])


class KindsAndCountsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()

    def test_a_stock_is_a_level_at_the_month_with_completion_and_no_pace(self):
        above = make_indicator("enterprises_above_size", name="规上工业企业", unit="家", aggregation="stock")
        make_figure(above, self.park, value=Decimal("12"))
        make_figure(above, self.park, month=12, kind="target", value=Decimal("15"))
        self.assertEqual(sentences(draft(self.park)), ["截至10月底，规上工业企业达到12家，完成年度目标的80%。"])

    def test_a_rate_is_its_value_with_completion_and_no_pace(self):
        energy = make_indicator(
            "energy_per_output",
            name="单位工业增加值能耗",
            unit="吨标准煤/万元",
            aggregation="rate",
            higher_is_better=False,
        )
        make_figure(energy, self.park, value=Decimal("0.52"), yoy_pct=Decimal("-3.1"))
        make_figure(energy, self.park, month=12, kind="target", value=Decimal("0.5"))
        self.assertEqual(
            sentences(draft(self.park)),
            ["1-10月，单位工业增加值能耗为0.52吨标准煤/万元，同比下降3.1%，完成年度目标的104%。"],
        )

    def test_a_cumulative_count_and_land_are_written_with_their_unit(self):
        started = make_indicator("enterprises_started")
        land = make_indicator("land_supplied")
        make_figure(started, self.park, value=Decimal("14"))
        make_figure(land, self.park, value=Decimal("1696"))
        self.assertEqual(sentences(draft(self.park)), ["1-10月，新开工企业14家。", "1-10月，完成供地1696亩。"])

    def test_the_sentences_follow_the_parks_chosen_order_and_names(self):
        started = make_indicator("enterprises_started")
        land = make_indicator("land_supplied")
        make_figure(started, self.park, value=Decimal("14"))
        make_figure(land, self.park, value=Decimal("1696"))
        ReportLine.objects.create(park=self.park, indicator=land, position=1, label="供地面积")
        ReportLine.objects.create(park=self.park, indicator=started, position=2)
        self.assertEqual(sentences(draft(self.park)), ["1-10月，完成供地面积1696亩。", "1-10月，新开工企业14家。"])

    def test_a_name_that_starts_with_a_verb_takes_no_wancheng(self):
        loans = make_indicator("loans_obtained", name="获得贷款")
        make_figure(loans, self.park, value=Decimal("8.42"))
        self.assertEqual(sentences(draft(self.park)), ["1-10月，获得贷款8.42亿元。"])

    def test_sections_with_nothing_to_say_are_left_out(self):
        make_figure(make_indicator(), self.park, value=Decimal("3"))
        self.assertEqual([s.key for s in draft(self.park).sections], ["indicators"])

    def test_a_park_with_nothing_has_no_section(self):
        self.assertEqual(draft(self.park).sections, [])

    def test_projects_are_counted_by_phase_with_their_names_and_investment(self):
        make_project(self.park, name="城市规划馆", phase="continuing", ytd_investment=Decimal("3214"))
        make_project(self.park, name="港湾大道", phase="completed", ytd_investment=Decimal("10000"))
        self.assertEqual(
            sentences(draft(self.park), "projects"),
            ["续建项目1个，包括城市规划馆。", "完工项目1个，包括港湾大道。", "项目本年投资合计1.32亿元。"],
        )
        self.assertEqual(len(draft(self.park).sections[0].paragraphs), 3)

    def test_a_phase_count_is_the_parks_figure_when_it_has_one(self):
        new_start = make_indicator("projects_new_start", name="新开工工程", unit="个", category="construction")
        make_figure(new_start, self.park, value=Decimal("30"))
        make_project(self.park, name="北片污水处理厂", phase="new_start")
        self.assertEqual(sentences(draft(self.park), "projects"), ["新开工项目30个，包括北片污水处理厂。"])

    def test_a_count_said_among_the_indicators_is_not_said_again_without_names(self):
        new_start = make_indicator("projects_new_start", name="新开工工程", unit="个", category="construction")
        make_figure(new_start, self.park, value=Decimal("30"))
        started = make_indicator("enterprises_started", name="新开工企业", unit="家", category="enterprises")
        make_figure(started, self.park, value=Decimal("14"))
        d = draft(self.park)
        self.assertEqual([s.key for s in d.sections], ["indicators"])
        self.assertIn("1-10月，新开工工程30个。", sentences(d))
        self.assertIn("1-10月，新开工企业14家。", sentences(d))

    def test_enterprises_are_counted_by_the_stage_they_reached_this_year_with_their_land(self):
        make_enterprise(
            self.park,
            name="浙江爱仕达电器",
            intent_date=date(2023, 2, 1),
            settled_date=date(2023, 5, 1),
            land_area_mu=Decimal("643"),
        )
        make_enterprise(self.park, name="去年落户企业", settled_date=date(2022, 5, 1), land_area_mu=Decimal("100"))
        make_enterprise(self.park, name="十一月落户企业", settled_date=date(2023, 11, 1), land_area_mu=Decimal("50"))
        self.assertEqual(
            sentences(draft(self.park), "enterprises"),
            ["签约企业1家，包括浙江爱仕达电器。", "新入区企业1家，包括浙江爱仕达电器。", "新入区企业用地643亩。"],
        )

    def test_works_are_done_against_planned(self):
        make_work(self.park, name="道路路基", planned_quantity=Decimal("60"), completed_quantity=Decimal("56.5"))
        make_work(
            self.park,
            name="填筑土石方",
            kind="earth_fill",
            unit="万吨",
            planned_quantity=None,
            completed_quantity=Decimal("1800"),
        )
        self.assertEqual(
            sentences(draft(self.park), "infrastructure"),
            ["填筑土石方：已完成1800万吨。", "道路路基：已完成56.5公里，计划60公里，完成计划的94.2%。"],
        )


class WordingTemplateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        make_figure(make_indicator(), cls.park, value=Decimal("20.75"))

    def test_a_parks_own_template_is_chosen_over_the_default(self):
        with tempfile.TemporaryDirectory() as folder:
            own = Path(folder) / "zh" / self.park.code
            own.mkdir(parents=True)
            (own / "indicator.txt").write_text("{{ name }}累计{{ value }}{{ unit }}。", encoding="utf-8")
            with override_settings(PARKDASH_WORDING_DIRS=[folder]):
                self.assertEqual(sentences(draft(self.park)), ["固定资产投资累计20.75亿元。"])
                other = make_park(code="xibu", name="西部园区")
                make_figure(make_indicator("industrial_output"), other, value=Decimal("3"))
                self.assertEqual(sentences(draft(other)), ["1-10月，完成工业总产值3亿元。"])

    def test_a_template_gets_plain_values_only(self):
        with self.assertRaises(TypeError):
            wording.Values().plain(park=self.park)

    def test_a_template_cannot_load_the_sites_tag_libraries(self):
        with self.assertRaises(TemplateSyntaxError):
            wording.render("x", "zh", "", wording.Values(), source="{% load parkdash %}{{ 1 }}")

    def test_the_text_is_not_html_escaped(self):
        values = wording.Values().plain(name="A&B <c>")
        self.assertEqual(wording.render_text("x", "zh", "", values.context, source="{{ name }}"), "A&B <c>")


class QueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.small, cls.large = small_and_large_parks(n_large=20)

    def queries(self, park):
        with CaptureQueriesContext(connection) as captured:
            build_draft(park, 2023, 6, language="zh")
        return len(captured)

    def test_the_draft_costs_the_same_queries_for_one_record_of_each_kind_or_twenty(self):
        self.assertEqual(self.queries(self.small), self.queries(self.large))
