"""Units as summaries write them: the regex alternation, canonical symbols, dimensions and conversion."""

import re
from decimal import InvalidOperation

from parkdash.core import units as core_units

from .candidate import tidy

# Counts that are not quantities of anything we track: durations, percentage points, aspects …
NON_UNITS = ("个百分点", "个点", "个月", "个工作日", "个小时", "个季度", "个年度", "个方面", "个环节", "个阶段")
# Count units after which a one-character noun is still a label (9座桥, 3个湖).
COUNT_HEADS = frozenset(s for s, u in core_units.UNITS.items() if u.dimension.startswith("count:"))


def _unit_alternation():
    symbols = (set(core_units.UNITS) | set(core_units.ALIASES)) - {"方", "%"}  # bare 方 is mostly 方面/方案
    parts = []
    for sym in sorted(symbols | set(NON_UNITS), key=len, reverse=True):
        part = re.escape(sym)
        if sym[-1].isascii() and sym[-1].isalpha():
            part += "(?![A-Za-z])"  # 5m, not 5mm or 5min
        parts.append(part)
    return "|".join(parts)


UNITS_ALT = _unit_alternation()
_DIMENSIONS = {}


def dimension(symbol):
    """The dimension of a unit symbol (money, area, count:家 …), or None when unknown."""
    if symbol not in _DIMENSIONS:
        try:
            _DIMENSIONS[symbol] = core_units.get_unit(symbol).dimension
        except core_units.UnitError:
            _DIMENSIONS[symbol] = None
    return _DIMENSIONS[symbol]


def compatible(unit, entry):
    """True when a figure in ``unit`` can be stored under ``entry`` (no unit: a growth-only candidate)."""
    if unit is None:
        return True
    target = getattr(entry, "unit", None)
    if dimension(unit) is not None and dimension(unit) == dimension(target):
        return True
    # Enterprises are counted in 户 as often as in 家: the indicator is named, and the reviewer sets the unit
    # (the count units never convert into each other).
    if {unit, target} == {"户", "家"} and getattr(entry, "category", "enterprises") == "enterprises":
        return True
    # An amount in dollars of an indicator kept in yuan (协议总投资6.45亿美元) needs an exchange rate: the same.
    return all((dimension(u) or "").startswith("money") for u in (unit, target))


def converted(value, unit, target):
    """``value`` in ``unit`` converted to ``target``, or None when they do not convert."""
    try:
        return tidy(core_units.convert(value, unit, target))
    except (core_units.UnitError, InvalidOperation):
        return None
