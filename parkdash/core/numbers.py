"""Numbers in and out: a query-string value read as a bounded int, a number formatted for the active language."""

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format

from .export import plain_decimal


def parse_int(value: object, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """``value`` as an int within bounds, or None for anything else (``abc``, ``-1`` when minimum is 0 …)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return None
    return number


def format_number(value: Decimal | int | float | None) -> str:
    """A number for display in the active language: thousands separators, trailing zeros dropped."""
    if value is None:
        return "—"
    try:
        if isinstance(value, Decimal):
            value = plain_decimal(value)
        return number_format(value, use_l10n=True, force_grouping=True)
    except InvalidOperation:
        # A value no page should have to hold; shown as it is rather than taking the page down.
        return str(value)
