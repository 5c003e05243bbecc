"""parkdash.core.numbers: one number style in both languages, and the unit people read a value in."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from parkdash.core.numbers import (
    display_round,
    format_number,
    format_percent,
    format_quantity,
    in_unit,
    series_unit,
    unit_label,
)

BOTH = ("zh-hans", "en")


@pytest.mark.parametrize("language", BOTH)
def test_thousands_are_grouped_with_a_comma_in_both_languages(language):
    with translation.override(language):
        assert format_number(Decimal("156276")) == "156,276"
        assert format_number(1696) == "1,696"
        assert format_number(Decimal("-1234567.5")) == "-1,234,567.5"


@pytest.mark.parametrize("language", BOTH)
def test_the_storage_scales_trailing_zeros_are_dropped(language):
    with translation.override(language):
        assert format_number(Decimal("7.6000")) == "7.6"
        assert format_number(Decimal("6.0000")) == "6"
        assert format_number(Decimal("1E+3")) == "1,000"
        assert format_number(Decimal("-0.0000")) == "0"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("4.335", "4.34"),
        ("11.782", "11.78"),
        ("57.25", "57.25"),
        ("20.7500", "20.75"),
        ("156276.4", "156,276.4"),
        ("0.4251", "0.4251"),
        ("0.00123456", "0.001235"),
        ("99999999999999.9999", "100,000,000,000,000"),
    ],
)
def test_a_value_is_rounded_for_reading_but_its_whole_part_never(value, shown):
    assert format_number(Decimal(value), rounded=True) == shown


def test_rounding_for_display_leaves_the_value_itself_alone():
    value = Decimal("11.7820")
    assert display_round(value) == Decimal("11.78")
    assert value == Decimal("11.7820")
    assert format_number(value) == "11.782"  # unrounded, for messages that quote a value exactly


@pytest.mark.parametrize("language", BOTH)
def test_a_percentage_has_its_sign_right_after_the_number(language):
    with translation.override(language):
        assert format_percent(Decimal("83.3")) == "83.3%"
        assert format_percent(Decimal("83.0")) == "83%"
        assert format_percent(Decimal("42.45")) == "42.45%"
        assert format_percent(None) == "—"
        assert format_quantity(Decimal("83.3"), "%") == "83.3%"


@pytest.mark.parametrize(
    ("language", "value", "unit", "shown"),
    [
        ("zh-hans", "0.3214", "亿元", "3,214 万元"),
        ("en", "0.3214", "亿元", "3,214 10k yuan"),
        ("zh-hans", "156276", "万元", "15.63 亿元"),
        ("en", "156276", "万元", "15.63 100M yuan"),
        ("zh-hans", "20.75", "亿元", "20.75 亿元"),
        ("zh-hans", "1", "亿元", "1 亿元"),
        ("zh-hans", "0.5", "亿美元", "5,000 万美元"),
        ("en", "0.5", "亿美元", "5,000 10k USD"),
        ("zh-hans", "0", "亿元", "0 亿元"),
    ],
)
def test_money_is_shown_in_wan_below_one_yi_and_in_yi_from_there(language, value, unit, shown):
    with translation.override(language):
        assert format_quantity(Decimal(value), unit) == shown


@pytest.mark.parametrize(
    ("language", "chosen", "shown"),
    [("zh-hans", "万元", "207,500 万元"), ("en", "万元", "207,500 10k yuan"), ("zh-hans", "亩", "20.75 亿元")],
)
def test_an_indicators_display_unit_overrides_the_choice_by_size_when_it_fits(language, chosen, shown):
    with translation.override(language):
        assert format_quantity(Decimal("20.75"), "亿元", chosen) == shown


@pytest.mark.parametrize(
    ("symbol", "zh", "en"),
    [
        ("亿元", "亿元", "100M yuan"),
        ("万元", "万元", "10k yuan"),
        ("亩", "亩", "mu"),
        ("公里", "公里", "km"),
        ("家", "家", ""),
        ("个", "个", ""),
        ("万人", "万人", "10k"),
        ("吨标准煤/万元", "吨标准煤/万元", "tce per 10k yuan"),
        ("%", "%", "%"),
    ],
)
def test_a_unit_reads_in_the_users_language(symbol, zh, en):
    with translation.override("zh-hans"):
        assert unit_label(symbol) == zh
    with translation.override("en"):
        assert unit_label(symbol) == en


def test_a_count_reads_as_a_bare_number_in_english_and_with_its_measure_word_in_chinese():
    with translation.override("en"):
        assert format_quantity(Decimal("6.0000"), "家") == "6"
        assert format_quantity(Decimal("1696.0000"), "亩") == "1,696 mu"
    with translation.override("zh-hans"):
        assert format_quantity(Decimal("6.0000"), "家") == "6 家"
        assert format_quantity(Decimal("1696.0000"), "亩") == "1,696 亩"


def test_a_chart_series_is_drawn_in_the_unit_of_its_largest_value():
    values = [Decimal("0.12"), None, Decimal("0.3214")]
    assert series_unit(values, "亿元") == "万元"
    assert in_unit(values, "亿元", "万元") == [Decimal("1200"), None, Decimal("3214")]
    assert series_unit([Decimal("0.5"), Decimal("2")], "亿元") == "亿元"
    assert series_unit([None], "亩") == "亩"


@pytest.mark.parametrize(
    ("language", "template", "shown"),
    [
        ("zh-hans", "{{ v|quantity:'亿元' }}", "3,214 万元"),
        ("en", "{{ v|quantity:'亿元' }}", "3,214 10k yuan"),
        ("zh-hans", "{{ v|quantity_number:'亿元' }}|{{ v|quantity_unit:'亿元' }}", "3,214|万元"),
        ("en", "{{ v|quantity_number:'亿元' }}|{{ v|quantity_unit:'亿元' }}", "3,214|10k yuan"),
        ("zh-hans", "{{ p|percent }}", "83.3%"),
        ("en", "{{ '亩'|unit }}", "mu"),
        ("zh-hans", "{{ big|num }}", "156,276"),
        ("en", "{{ big|num }}", "156,276"),
    ],
)
def test_the_template_filters_write_the_same_style(language, template, shown):
    context = Context({"v": Decimal("0.3214"), "p": Decimal("83.30"), "big": Decimal("156276.0000")})
    with translation.override(language):
        assert Template("{% load parkdash %}" + template).render(context) == shown
