"""Sections and periods: where the text proper starts, which parts are plans, the report year, and the period in
force at each figure."""

from decimal import Decimal

import pytest

from parkdash.intake.extract import extract, propose_year

D = Decimal


@pytest.mark.parametrize(
    "text, period",
    [
        ("1-10月,完成投资20亿元", "1-10月"),
        ("1—3月份,园区实现工业总产值14.05亿元", "1-3月"),  # an em dash
        ("1-8 月,园区完成投资22.83亿元", "1-8月"),  # a blank before 月
        ("1至9月,实现固定资产投资41.73亿元", "1-9月"),
        ("前9月完成投资28亿元", "1-9月"),
        ("截至9月底,累计完成固定资产投资28亿元", "1-9月"),
        ("前三季度,完成工业增加值6.1亿元", "前三季度"),
        ("上半年完成工业产值11.8亿元", "上半年"),
        ("全年完成基础设施建设投资3.17亿元", "全年"),
    ],
)
def test_the_period_in_force_is_read_and_normalised(text, period):
    assert extract(text)[0].period == period


def test_a_month_that_is_the_year_pasted_over_it_is_flagged():
    c = extract("今年1-2023月,完成投资5亿元", year=2023)[0]
    assert c.period is None and "suspect_period" in c.flags


def test_the_plan_part_of_a_summary_holds_targets_for_the_whole_year():
    text = "一、2023年工作完成情况\n1-11月完成固定资产投资18亿元。\n二、2024年工作打算\n完成固定资产投资22亿元。"
    done, planned = extract(text)
    assert (done.section, done.kind, planned.section, planned.kind, planned.period) == (
        "一、2023年工作完成情况",
        "actual",
        "二、2024年工作打算",
        "target",
        "全年",
    )


def test_site_notices_before_the_title_are_skipped():
    text = (
        "温馨提示:\n1. 本文档由用户上传,已有200人下载。\n网站客服:3074922707\nXX园区2023年工作总结\n今年实现税收3亿元。"
    )
    assert [(c.value, c.unit) for c in extract(text)] == [(D(3), "亿元")]


@pytest.mark.parametrize(
    "text, year",
    [
        ("XX园区2022年工作总结\n今年完成投资5亿元。", 2022),
        ("二〇二四年工作计划\n全年完成投资6亿元。", 2024),
        ("XX年工作总结\n完成投资5亿元。", None),  # a masked year
        ("二、**年1-9月工作情况\n完成投资5亿元。", None),
    ],
)
def test_the_report_year_comes_from_the_title_and_a_masked_year_gives_none(text, year):
    assert propose_year(text) == year


@pytest.mark.parametrize("heading", ["二、下步工作", "二、今后工作", "二、下阶段工作重点", "二、2024年工作安排"])
def test_a_part_about_the_work_ahead_holds_targets(heading):
    text = "园区2023年工作总结\n一、工作完成情况\n完成投资20亿元。\n" + heading + "\n新开工项目10个。"
    assert [c.kind for c in extract(text)] == ["actual", "target"]


def test_a_period_named_in_the_heading_holds_for_its_part():
    text = "一、上半年主要经济指标完成情况\n全区实现地区生产总值152.3亿元。\n社会消费品零售总额41.2亿元。"
    assert [c.period for c in extract(text)] == ["上半年", "上半年"]


def test_a_period_named_in_the_title_holds_for_the_document():
    text = "关于2024年1-10月园区主要经济指标完成情况的通报\n各园区:\n新签约项目32个。"
    assert extract(text)[0].period == "1-10月"


@pytest.mark.parametrize(
    "heading, kind",
    [
        ("二、重点工作", "actual"),  # in a report: the work done
        ("三、下一步重点工作", "target"),
        ("三、2024年重点工作", "target"),  # a later year than the report's
        ("一、2023年重点工作完成情况", "actual"),
    ],
)
def test_a_heading_of_key_work_is_a_plan_only_when_it_looks_ahead(heading, kind):
    assert extract(heading + "\n全年完成投资20亿元", year=2023)[0].kind == kind
