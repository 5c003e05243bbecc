"""Zones: the park's own zone names, the parts a breakdown names, and zones recognised by their pattern."""

from decimal import Decimal

import pytest

from parkdash.intake.extract import extract

D = Decimal


@pytest.mark.parametrize(
    "text, expected",
    [
        ("北区完成投资3亿元,南区新建道路5公里", [(D(3), "北区"), (D(5), "南区")]),
        ("完成固定资产投资12亿元,其中北区5亿元、南区7亿元", [(D(12), None), (D(5), "北区"), (D(7), "南区")]),
        ("在北区新引进企业12家", [(D(12), "北区")]),
        ("南北区共完成投资8亿元", [(D(8), None)]),  # both halves: the whole park
    ],
)
def test_the_parks_own_zone_names_are_zones(text, expected):
    assert [(c.value, c.zone) for c in extract(text, zones=["北区", "南区"])] == expected


def test_a_zone_is_given_in_the_parks_spelling():
    text = "東區完成工業總產值5億元"  # traditional characters
    assert extract(text, zones=["东区"])[0].zone == "东区"


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "入驻企业达到84家(电子园41家、纺织园25家、医药科技园18家)",
            [(None, "入驻企业"), ("电子园", "入驻企业"), ("纺织园", "入驻企业"), ("医药科技园", "入驻企业")],
        ),
        (
            "总规划面积近25平方公里(一期8.4平方公里、二期约16平方公里)",
            [(None, "总规划面积"), ("一期", "总规划面积"), ("二期", "总规划面积")],
        ),
        ("新建学校3所(其中幼儿园2所)", [(None, "学校"), (None, "幼儿园")]),  # a kind, not a part of the park
    ],
)
def test_the_parts_a_breakdown_names_are_zones_of_the_figure_before_it(text, expected):
    assert [(c.zone, c.label) for c in extract(text)] == expected


def test_zones_without_a_list_are_recognised_by_their_pattern():
    found = extract("城东工业园完成投资4亿元,西片区新建道路2公里")
    assert [c.zone for c in found] == ["城东工业园", "西片区"]


def test_industrial_sectors_are_not_zones():
    found = extract("新材料领域实现营业收入1439.6亿元,占全部营业收入的67.8%")
    assert [(c.zone, c.share_pct) for c in found] == [(None, D("67.8"))]


def test_a_whole_towns_parks_are_not_a_zone():
    assert extract("全市园区实现规上工业总产值856.3亿元")[0].zone is None


@pytest.mark.parametrize(
    "text, expected",
    [
        # (zone, label): a quarter of the park named 东区/西区 without the park's zone list
        (
            "东区完成规上工业总产值98.5亿元,西区完成规上工业总产值61.2亿元",
            [("东区", "规上工业总产值"), ("西区", "规上工业总产值")],
        ),
        ("力争年内完成北区3平方公里土地平整", [("北区", "土地平整")]),
        ("工业集中区完成投资5亿元", [(None, "完成投资")]),  # 集中区 is not 中区
    ],
)
def test_a_quarter_of_the_park_is_a_zone(text, expected):
    assert [(c.zone, c.label) for c in extract(text)] == expected
