"""Numbers in and out: a query-string value read as a bounded int, and every number ParkDash shows.

One style in both languages, whatever the page (cards, tables, charts, the admin, the review):

* thousands grouped with a comma, in Chinese too (156,276 万元: Django's Chinese format groups nothing);
* the storage scale's trailing zeros dropped (7.6000 → 7.6, 6.0000 → 6);
* a percentage written "83.3%", no space;
* for display, a value rounded to a sensible precision (:func:`display_round`) and money shown in the unit people
  use at that size (3,214 万元 rather than 0.3214 亿元, :func:`quantity`); the stored value never changes.
"""

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from django.utils.translation import get_language

from . import units
from .export import plain_decimal

# Display precision: at most this many significant digits below 1 (0.4251), at most this many decimals from 1 up
# (20.75, 11.78, 1,696); the whole part is never rounded (156,276).
SIGNIFICANT = 4
MAX_DECIMALS = 2
DASH = "—"


def parse_int(value: object, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """``value`` as an int within bounds, or None for anything else (``abc``, ``-1`` when minimum is 0 …)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return None
    return number


def _decimal(value: Decimal | int | float) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _grouped(value: Decimal) -> str:
    """``value`` written out with a comma every three digits of its whole part, and no exponent."""
    sign, digits = ("-", -value) if value < 0 else ("", value)
    text = format(digits, "f")
    whole, _dot, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ",".join(groups) + ("." + fraction if fraction else "")


def display_round(value: Decimal | int | float) -> Decimal:
    """``value`` rounded for reading: four significant digits below 1, two decimals at most from 1 up."""
    number = _decimal(value)
    if not number.is_finite() or number == 0:
        return number
    places = MAX_DECIMALS if abs(number) >= 1 else SIGNIFICANT - 1 - number.adjusted()
    precision = max(28, number.adjusted() + places + 2)
    return number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP, context=Context(prec=precision))


def format_number(value: Decimal | int | float | None, rounded: bool = False) -> str:
    """A number as ParkDash writes it in either language: 156,276 · 7.6 · 0.4251; — for none.

    ``rounded`` rounds it for display first (:func:`display_round`); without, every digit of the value is kept
    (messages that quote a value, such as a limit it crossed).
    """
    if value is None or value == "":
        return DASH
    try:
        number = _decimal(value)
        if not number.is_finite():
            return str(value)
        if rounded:
            number = display_round(number)
        number = plain_decimal(number)
        if number == 0:
            number = abs(number)  # never "-0"
        return _grouped(number)
    except (InvalidOperation, TypeError, ValueError):
        # A value no page should have to hold; shown as it is rather than taking the page down.
        return str(value)


def format_percent(value: Decimal | int | float | None) -> str:
    """A percentage, rounded for reading like any number, the sign right after it: 83.3%, +42.45%; — for none."""
    text = format_number(value, rounded=True)
    return text if text == DASH else text + "%"


def english() -> bool:
    return (get_language() or "").startswith("en")


def unit_label(symbol: str | None) -> str:
    """The unit as the active language writes it: 亿元 in Chinese, "100M yuan" in English; "" for a count unit
    (家, 个) in English."""
    if not symbol:
        return ""
    return units.english_symbol(symbol) if english() else symbol


def quantity_parts(value: Decimal | int | float | None, unit: str | None, chosen: str | None = None) -> tuple[str, str]:
    """(number, unit) of ``value`` stored in ``unit`` as it is shown: in its display unit (``chosen``, or 万元 /
    亿元 by size for money), rounded, grouped, the unit in the active language."""
    if value is None or value == "":
        return DASH, ""
    if not unit:
        return format_number(value, rounded=True), ""
    try:
        number = _decimal(value)
        shown = units.display_unit(number, unit, chosen)
        number = units.to_display(number, unit, shown)
    except (units.UnitError, InvalidOperation, TypeError, ValueError):
        return format_number(value, rounded=True), unit_label(unit)
    return format_number(number, rounded=True), unit_label(shown)


def format_quantity(value: Decimal | int | float | None, unit: str | None, chosen: str | None = None) -> str:
    """A value with its unit, as :func:`quantity_parts` shows it: "3,214 万元", "7.6 亿元", "1,696 mu", "83.3%"."""
    if unit in ("%", "％") and value not in (None, ""):
        return format_percent(value)
    number, label = quantity_parts(value, unit, chosen)
    if not label:
        return number
    return number + ("" if label == "%" else " ") + label


def series_unit(values: list, unit: str, chosen: str | None = None) -> str:
    """One display unit for a whole series (a chart's axis): the one its largest value would be shown in."""
    present = [abs(_decimal(v)) for v in values if v is not None]
    if not present:
        return units.display_unit(None, unit, chosen)
    return units.display_unit(max(present), unit, chosen)


def in_unit(values: list, unit: str, target: str) -> list:
    """``values`` stored in ``unit`` expressed in ``target`` (None stays None), for a chart drawn in ``target``."""
    if target == unit:
        return list(values)
    return [None if v is None else units.to_display(_decimal(v), unit, target) for v in values]
