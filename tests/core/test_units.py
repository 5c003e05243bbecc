"""parkdash.core.units: exact conversion between compatible units, refusal between incompatible ones."""

from decimal import Decimal

import pytest

from parkdash.core import units
from parkdash.core.units import UnitError, compatible, convert, get_unit


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        ("3214", "万元", "亿元", "0.3214"),
        ("1", "亿元", "元", "100000000"),
        ("15", "公顷", "亩", "225"),
        ("1", "平方公里", "亩", "1500"),
        ("35", "万平方米", "平方米", "350000"),
        ("1800", "万吨", "吨", "18000000"),
        ("56.5", "公里", "米", "56500"),
        ("1", "亩", "平方米", "666.6667"),
    ],
)
def test_it_converts_between_compatible_units(value, source, target, expected):
    assert convert(Decimal(value), source, target) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "source", "target"),
    [
        ("3214", "万元", "亿元"),
        ("15", "公顷", "亩"),
        ("35", "万平方米", "平方米"),
        ("1696", "亩", "公顷"),
        ("0.0001", "亿元", "万元"),
    ],
)
def test_a_conversion_round_trips(value, source, target):
    there = convert(Decimal(value), source, target, places=10)
    assert convert(there, target, source, places=4) == Decimal(value).quantize(Decimal("0.0001"))


def test_it_refuses_to_convert_area_to_money():
    with pytest.raises(UnitError, match="亩.*亿元"):
        convert(Decimal("1"), "亩", "亿元")


def test_count_units_do_not_convert_into_each_other():
    # 家 (enterprises) and 个 (projects) count different things.
    assert not compatible("家", "个")
    with pytest.raises(UnitError):
        convert(1, "家", "个")


def test_an_unknown_unit_is_an_error():
    assert not units.is_known("斤两")
    with pytest.raises(UnitError, match="斤两"):
        get_unit("斤两")
    with pytest.raises(UnitError):
        convert(1, "斤两", "亿元")


def test_written_variants_resolve_to_the_canonical_unit():
    assert get_unit(" 万平米 ").symbol == "万平方米"
    assert get_unit("亿元人民币").symbol == "亿元"
    assert convert(Decimal("2"), "万㎡", "平方米") == Decimal("20000")


def test_it_rounds_to_the_requested_places():
    assert convert(Decimal("1"), "万元", "亿元", places=2) == Decimal("0.00")
    assert convert(Decimal("12345"), "万元", "亿元") == Decimal("1.2345")


def test_energy_intensity_is_a_rate_unit_converting_only_to_its_own_variants():
    assert convert(Decimal("0.4251"), "吨标准煤/万元", "千克标准煤/万元") == Decimal("425.1000")
    assert get_unit("吨标煤/万元").symbol == "吨标准煤/万元"
    for other in ("吨", "吨标准煤", "万元"):
        assert not compatible("吨标准煤/万元", other)
        with pytest.raises(UnitError):
            convert(1, other, "吨标准煤/万元")


@pytest.mark.parametrize(
    ("canonical", "offered"),
    [
        ("亿元", ["亿元", "万元", "元"]),
        ("万元", ["亿元", "万元", "元"]),
        ("万吨", ["万吨", "吨"]),
        ("家", ["家"]),
        ("吨标准煤/万元", ["吨标准煤/万元", "千克标准煤/万元"]),
    ],
)
def test_entry_units_are_the_units_that_fit_largest_first(canonical, offered):
    assert units.entry_units(canonical) == offered


def test_entry_units_of_an_area_include_mu_hectares_and_square_kilometres():
    assert {"亩", "公顷", "平方公里", "万平方米"} <= set(units.entry_units("亩"))


def test_a_rarely_used_unit_is_offered_when_it_is_the_indicators_own():
    assert "千元" in units.entry_units("千元")


@pytest.mark.parametrize(
    ("typed", "canonical", "meant"),
    [
        ("亿", "万元", "亿元"),
        ("万", "亿元", "万元"),
        ("万", "亩", "万亩"),
        ("万", "万吨", "万吨"),
        ("亿", "万美元", "亿美元"),
        ("万", "千瓦时", "万千瓦时"),
        ("万㎡", "亩", "万平方米"),
        ("", "亿元", "亿元"),
        ("  万元 ", "亿元", "万元"),
        ("万元人民币", "亿元", "万元"),
    ],
)
def test_shorthand_is_completed_from_the_indicators_unit(typed, canonical, meant):
    assert units.resolve(typed, canonical) == meant


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("吨", "亿元"), ("万", "公里"), ("万", "家"), ("亩地", "亩"), ("吨标准煤", "吨标准煤/万元")],
)
def test_a_unit_that_does_not_fit_or_is_unknown_is_refused(typed, canonical):
    with pytest.raises(UnitError):
        units.resolve(typed, canonical)
