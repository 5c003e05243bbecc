"""Growth and shares: rates attach to the figure they qualify; shares keep the target they are measured against."""

from decimal import Decimal

import pytest

from parkdash.intake.extract import extract

D = Decimal


@pytest.mark.parametrize(
    "text, expected",
    [
        # (value, yoy) in order
        (
            "完成规上工业总产值85.6亿元、主营业务收入80.2亿元,分别增长8.5%、9.5%",
            [(D("85.6"), D("8.5")), (D("80.2"), D("9.5"))],
        ),
        ("实现工业总产值50亿元,增长1.2倍", [(D(50), D(120))]),
        ("实现工业总产值50亿元,占比提高2个百分点", [(D(50), None)]),
        # the growth after a parenthetical 其中 belongs to the outer figure
        ("固定资产投资完成92亿元(其中工业项目投资71.4亿元),同比增长11.6%", [(D(92), D("11.6")), (D("71.4"), None)]),
        ("园区规模以上工业增加值增长3.6%", [(None, D("3.6"))]),  # growth only
        ("实现税收2.1亿元,同比增收0.3亿元,增长16.7%", [(D("2.1"), D("16.7")), (D("0.3"), None)]),  # not the increment
    ],
)
def test_growth_attaches_to_the_figure_it_qualifies(text, expected):
    assert [(c.value, c.yoy_pct) for c in extract(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # (value, kind, share) in order
        ("预计引进到位县外资金8.4亿元,占目标任务7亿元的120%", [(D("8.4"), "actual", D(120)), (D(7), "target", None)]),
        (
            "实现工业总产值21.36亿元,完成年任务90亿元的23.7%",
            [(D("21.36"), "actual", D("23.7")), (D(90), "target", None)],
        ),
        (
            "完成工业总产值42亿元,占目标任务48亿元的87.5%,同比增长31%",
            [(D(42), "actual", D("87.5")), (D(48), "target", None)],
        ),
        ("光电产业园已完成全年计划4.2亿元的91.6%", [(None, "actual", D("91.6")), (D("4.2"), "target", None)]),
        ("北河县工业集中区实现工业总产值38.2亿元,占全县工业总产值的64%", [(D("38.2"), "actual", D(64))]),
        ("一般公共预算收入2.1亿元,完成全年预算5亿元的42%", [(D("2.1"), "actual", D(42)), (D(5), "target", None)]),
    ],
)
def test_a_share_belongs_to_the_actual_and_the_target_it_names_is_a_target(text, expected):
    assert [(c.value, c.kind, c.share_pct) for c in extract(text)] == expected


def test_the_growth_after_a_share_skips_the_target_inside_it():
    actual, target = extract("完成工业总产值42亿元,占目标任务48亿元的87.5%,同比增长31%")
    assert (actual.yoy_pct, target.yoy_pct, target.label, target.period) == (D(31), None, "工业总产值", "全年")


def test_growth_on_the_same_basis_belongs_to_the_figure_before_it():
    c = extract("一般公共预算收入6.8亿元,同口径增长9.2%")[0]
    assert (c.value, c.yoy_pct) == (D("6.8"), D("9.2"))


def test_one_rate_for_several_indicators_gives_each_its_growth():
    found = extract("规上工业增加值、固定资产投资均增长12%左右")
    assert [(c.label, c.value, c.yoy_pct) for c in found] == [
        ("规上工业增加值", None, D(12)),
        ("固定资产投资", None, D(12)),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "地方财政收入确保增长8%、力争增长10%",
        "地方财政收入确保增长8%以上,争取增长10%",
    ],
)
def test_two_rates_of_one_indicator_with_only_target_words_between_share_its_label(text):
    found = extract(text)
    assert [(c.value, c.yoy_pct, c.label, c.kind) for c in found] == [
        (None, D(8), "地方财政收入", "target"),
        (None, D(10), "地方财政收入", "target"),
    ]
