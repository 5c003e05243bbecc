"""Things that are not year-on-year growth: average growth, points against time-elapsed progress, target
revisions and net increases are figures of their own, never a yoy."""

from decimal import Decimal

import pytest

from parkdash.intake.extract import extract

D = Decimal


@pytest.mark.parametrize(
    "text, expected",
    [
        # (value, unit, yoy, flag of the change)
        (
            "实现地区生产总值410亿元,预计年均增长18.6%",
            [(D(410), "亿元", None, None), (D("18.6"), "%", None, "average_growth")],
        ),
        (
            "完成财政收入3.7亿元,高于平均进度6.4个百分点",
            [(D("3.7"), "亿元", None, None), (D("6.4"), "个百分点", None, "progress_points")],
        ),
        (
            "完成固定资产投资28亿元,超序时进度3.2个百分点",
            [(D(28), "亿元", None, None), (D("3.2"), "个百分点", None, "progress_points")],
        ),
        (
            "完成投资26亿元,占年度计划的85%,超时序进度10个百分点",
            [(D(26), "亿元", None, None), (D(10), "个百分点", None, "progress_points")],
        ),
        (
            "完成工业投资9亿元,低于均衡进度2个百分点",
            [(D(9), "亿元", None, None), (D(-2), "个百分点", None, "progress_points")],
        ),
        (
            "力争固定资产投资增长15%以上(调增3个百分点)",
            [(None, None, D(15), None), (D(3), "个百分点", None, "revision")],
        ),
        ("新增规上工业企业11家(调增3家)", [(D(11), "家", None, None), (D(3), "家", None, "revision")]),
    ],
)
def test_changes_that_are_not_year_on_year_growth_are_figures_of_their_own(text, expected):
    found = [
        (
            c.value,
            c.unit,
            c.yoy_pct,
            next((f for f in c.flags if f in ("average_growth", "progress_points", "revision")), None),
        )
        for c in extract(text)
    ]
    assert found == expected


def test_a_change_is_labelled_by_the_figure_it_is_about():
    total, average = extract("分别完成地区生产总值198亿元、263亿元,预计年均增长15.2%")[1:]
    assert average.label == total.label == "地区生产总值"
    assert (average.kind, average.version) == ("actual", "estimate")


def test_a_revision_of_a_target_is_a_target_for_the_year():
    growth, revision = extract("该区计划:力争地区生产总值增长9%以上(调增1.5个百分点)")
    assert (growth.kind, growth.yoy_pct, revision.kind, revision.period) == ("target", D(9), "target", "全年")
    assert revision.indicator_code == growth.indicator_code == "gdp"


def test_a_net_increase_is_an_absolute_change_and_not_a_rate():
    stock, increase = extract("截至6月,市场主体存量为28420户,较2023年末净增5316户")
    assert (increase.value, increase.unit, increase.yoy_pct) == (D(5316), "户", None)
    assert "increment" in increase.flags and stock.yoy_pct is None
    assert increase.label == stock.label  # 较2023年末 is not a label


def test_a_negative_gap_to_progress_is_written_with_a_sign():
    gap = extract("完成规上工业总产值856亿元,超序时进度-0.8个百分点")[1]
    assert (gap.value, gap.unit, gap.flags) == (D("-0.8"), "个百分点", ["progress_points"])


def test_a_net_increase_without_a_comparison_is_flagged_too():
    c = extract("净增规上企业6家")[0]
    assert (c.value, c.yoy_pct) == (D(6), None) and "increment" in c.flags


def test_an_average_growth_with_no_figure_before_it_is_labelled_by_its_words_and_labels_the_figure_after():
    average, target = extract("到2027年,园区工业总产值年均增长15%,力争突破500亿元。")
    assert (average.value, average.unit, average.indicator_code) == (Decimal(15), "%", "industrial_output")
    assert (target.value, target.indicator_code, target.kind) == (Decimal(500), "industrial_output", "target")


@pytest.mark.parametrize(
    "text, expected",
    [
        # (value, unit, yoy, label) in order: the original target, then the revised one
        (
            "工业增加值增长目标由7%调增至8.5%。",
            [(None, None, D(7), "工业增加值"), (None, None, D("8.5"), "工业增加值")],
        ),
        (
            "税收收入目标由6亿元调增至6.8亿元。",
            [(D(6), "亿元", None, "税收收入"), (D("6.8"), "亿元", None, "税收收入")],
        ),
        (
            "新增规上企业目标由8家调增至12家。",
            [(D(8), "家", None, "规上企业"), (D(12), "家", None, "规上企业")],
        ),
        (
            "工业增加值增长目标调增2个百分点,调整后为10%。",
            [(None, None, D(10), "工业增加值"), (D(2), "个百分点", None, "工业增加值")],
        ),
    ],
)
def test_a_target_revised_from_one_figure_to_another_gives_both_as_targets(text, expected):
    found = extract("园区年度目标调整方案\n" + text)
    assert [(c.value, c.unit, c.yoy_pct, c.label) for c in found] == expected
    assert {c.kind for c in found} == {"target"}
