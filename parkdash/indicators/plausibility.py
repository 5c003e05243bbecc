"""Plausibility checks of one figure against its neighbours: warnings a person confirms, never errors.

Pure: no database. A check takes the figure (anything with ``indicator``, ``zone_id``, ``year``, ``month``,
``kind``, ``value`` and ``yoy_pct``) and its :class:`Neighbours` (the figures around it, chosen by
``parkdash.indicators.quality``), and returns :class:`Warning` s in the active language, with the numbers in them.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from parkdash.core import units
from parkdash.core.numbers import format_number
from parkdash.core.periods import period_label

from .choices import Aggregation, FigureKind, WarningCode

JUMP_FACTOR = Decimal(10)  # a cumulative actual 10× above or below the month before: the 万/亿 slip
YOY_TOLERANCE = Decimal(2)  # points between a stated YoY and the one computed from last year's figure
COMPLETION_LIMIT = Decimal(300)  # % of the annual target
YEARS = (2000, 2099)  # a count equal to one of these is probably the year typed into the value
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Warning:  # not Python's Warning (an exception class): import it from here, by this module's name
    """One reason to look at a figure again: ``code`` (a WarningCode) and a sentence with the numbers."""

    code: str
    message: str


@dataclass
class Neighbour:
    """Another figure, as a check reads it: its value and the period it is for."""

    value: Decimal | None
    year: int
    month: int


@dataclass
class Neighbours:
    """The figures around one figure (same indicator, park and kind; same zone unless said otherwise), each the
    most authoritative version of its period (the rule the dashboard uses).

    - ``previous``: the figure of the latest earlier month of the same year;
    - ``last_year``: the figure of the same month last year;
    - ``target``: the annual target of the same year (actuals only);
    - ``park``: for a zone's figure, the whole park's figure of the same period;
    - ``other_zones``: the figures of the park's other zones in the same period ({zone name: value}).
    """

    previous: Neighbour | None = None
    last_year: Neighbour | None = None
    target: Neighbour | None = None
    park: Neighbour | None = None
    other_zones: dict = field(default_factory=dict)


def _is_cumulative(indicator):
    return indicator.aggregation == Aggregation.CUMULATIVE


def _is_count(indicator):
    unit = units.get_unit(indicator.unit) if units.is_known(indicator.unit) else None
    return unit is not None and unit.dimension.startswith("count:")


def _n(value):
    return format_number(value)


def _ratio(value):
    return format_number(value.quantize(Decimal("0.1"), ROUND_HALF_UP))


def check_jump(figure, neighbours):
    """A cumulative actual 10× or more above or below the figure of the month before (万 typed as 亿)."""
    previous = neighbours.previous
    if not _is_cumulative(figure.indicator) or figure.kind != FigureKind.ACTUAL or previous is None:
        return []
    if not figure.value or not previous.value or figure.value < 0 or previous.value < 0:
        return []
    unit = figure.indicator.unit
    numbers = {
        "value": _n(figure.value),
        "unit": unit,
        "previous": _n(previous.value),
        "period": period_label(previous.year, previous.month),
    }
    if figure.value >= previous.value * JUMP_FACTOR:
        numbers["ratio"] = _ratio(figure.value / previous.value)
        message = _(
            "{value} {unit} is {ratio} times the figure of {period} ({previous} {unit}). Was it entered in the wrong "
            "unit (亿 for 万, say)?"
        )
    elif figure.value * JUMP_FACTOR <= previous.value:
        numbers["ratio"] = _ratio(previous.value / figure.value)
        message = _(
            "{value} {unit} is 1/{ratio} of the figure of {period} ({previous} {unit}). Was it entered in the wrong "
            "unit (万 for 亿, say)?"
        )
    else:
        return []
    return [Warning(WarningCode.JUMP, message.format(**numbers))]


def check_fall(figure, neighbours):
    """A cumulative actual below the figure of the month before: a running total cannot fall.

    A fall by 10× or more is the 万/亿 slip, which :func:`check_jump` reports on its own."""
    previous = neighbours.previous
    if not _is_cumulative(figure.indicator) or figure.kind != FigureKind.ACTUAL or previous is None:
        return []
    if figure.value is None or previous.value is None or not figure.value < previous.value:
        return []
    if figure.value > 0 and figure.value * JUMP_FACTOR <= previous.value:
        return []
    message = _(
        "{value} {unit} is less than the figure of {period} ({previous} {unit}), but a running total from January "
        "cannot fall."
    ).format(
        value=_n(figure.value),
        unit=figure.indicator.unit,
        previous=_n(previous.value),
        period=period_label(previous.year, previous.month),
    )
    return [Warning(WarningCode.FALL, message)]


def check_zones(figure, neighbours):
    """The zones' figures of a period adding up to more than the whole park's figure of that period."""
    if figure.indicator.aggregation == Aggregation.RATE or figure.value is None:
        return []
    others = [value for value in neighbours.other_zones.values() if value is not None]
    if figure.zone_id:
        park = neighbours.park.value if neighbours.park else None
        total = figure.value + sum(others, Decimal(0))
        count = len(others) + 1
    else:
        park, total, count = figure.value, sum(others, Decimal(0)), len(others)
    if park is None or not count or total <= park:
        return []
    message = _(
        "The figures of {count} zones add up to {total} {unit}, more than the {park} {unit} of the whole park for the "
        "same period."
    ).format(count=count, total=_n(total), park=_n(park), unit=figure.indicator.unit)
    return [Warning(WarningCode.ZONES, message)]


def check_year(figure, neighbours=None):
    """A count (家, 个, 项 …) equal to a year from 2000 to 2099: the year typed into the value."""
    value = figure.value
    if value is None or not _is_count(figure.indicator):
        return []
    if value != value.to_integral_value() or not YEARS[0] <= value <= YEARS[1]:
        return []
    message = _("{value} {unit} looks like a year: was the year typed into the value?").format(
        value=int(value), unit=figure.indicator.unit
    )
    return [Warning(WarningCode.YEAR, message)]


def check_yoy(figure, neighbours):
    """A stated year-on-year growth more than 2 points from the one computed from last year's figure."""
    last = neighbours.last_year
    if figure.kind != FigureKind.ACTUAL or figure.yoy_pct is None or figure.value is None:
        return []
    if last is None or not last.value or last.value < 0:
        return []
    computed = (figure.value / last.value - 1) * HUNDRED
    difference = abs(Decimal(figure.yoy_pct) - computed)
    if difference <= YOY_TOLERANCE:
        return []
    message = _(
        # xgettext:no-python-format
        "The stated growth of {stated}% differs by {difference} points from the {computed}% computed from last year's "
        "figure ({last} {unit} in {period})."
    ).format(
        stated=_n(figure.yoy_pct),
        difference=_ratio(difference),
        computed=_ratio(computed),
        last=_n(last.value),
        unit=figure.indicator.unit,
        period=period_label(last.year, last.month),
    )
    return [Warning(WarningCode.YOY, message)]


def check_completion(figure, neighbours):
    """An actual above 300 % of the annual target: the value or the target is probably in the wrong unit."""
    target = neighbours.target
    if figure.kind != FigureKind.ACTUAL or figure.value is None or target is None or not target.value:
        return []
    if target.value < 0:
        return []
    pct = figure.value / target.value * HUNDRED
    if pct <= COMPLETION_LIMIT:
        return []
    message = _(
        "{value} {unit} is {pct}% of the annual target of {target} {unit}, more than 300%. Is the value or the target "
        "in the wrong unit?"
    ).format(value=_n(figure.value), unit=figure.indicator.unit, pct=_ratio(pct), target=_n(target.value))
    return [Warning(WarningCode.COMPLETION, message)]


CHECKS = (check_jump, check_fall, check_zones, check_year, check_yoy, check_completion)


def check(figure, neighbours):
    """Every warning about ``figure`` given its ``neighbours``, in the order of CHECKS."""
    found = []
    for one in CHECKS:
        try:
            found.extend(one(figure, neighbours))
        except ArithmeticError:
            # An amount beyond what a figure may hold (stored before the bounds): the pages and the amount checks say
            # so; a check cannot compare it.
            continue
    return found
