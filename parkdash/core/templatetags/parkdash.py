"""Template filters for numbers and status labels; the numbers themselves are computed in Python."""

from django import template
from django.utils.translation import gettext_lazy as _

from parkdash.core.numbers import (
    format_number,
    format_percent,
    format_quantity,
    quantity_parts,
    series_unit,
    unit_label,
)
from parkdash.core.progress import Status

register = template.Library()

STATUS_LABELS = {
    Status.AHEAD: _("On or ahead of pace"),
    Status.SLIGHTLY_BEHIND: _("Slightly behind pace"),
    Status.BEHIND: _("Behind pace"),
    Status.NO_TARGET: _("No target"),
    Status.NO_ACTUAL: _("No actual figure yet"),
}


@register.filter
def num(value):
    """A number as every page writes it (core.numbers): grouped thousands, no storage zeros, rounded for reading;
    — for none."""
    return format_number(value, rounded=True)


@register.filter
def signed(value):
    """A growth or gap with its sign: +42.45, −3.5."""
    if value is None:
        return "—"
    text = format_number(abs(value), rounded=True)
    return ("+" if value >= 0 else "−") + text


@register.filter
def percent(value):
    """A percentage: "83.3%", no space; — for none."""
    return format_percent(value)


def _unit_of(subject):
    """(stored unit, display unit) of what a value belongs to: an Indicator (its unit and display unit), an overview
    card (anything with ``indicator``, ``actual`` and ``target``: the unit the larger of the two reads in, so that a
    card's actual and target read in one unit), a figure (its indicator's), or a plain unit symbol."""
    if isinstance(subject, str):
        return subject, ""
    indicator = getattr(subject, "indicator", None)
    if indicator is not None and hasattr(subject, "actual") and hasattr(subject, "target"):
        unit = indicator.unit
        return unit, series_unit([subject.actual, subject.target], unit, indicator.display_unit)
    if indicator is not None:  # a figure: its indicator's units
        return indicator.unit, indicator.display_unit
    return getattr(subject, "unit", ""), getattr(subject, "display_unit", "")


@register.filter
def quantity(value, indicator):
    """``{{ value|quantity:indicator }}``: the value with its unit as people read it: "3,214 万元", "7.6 亿元",
    "1,696 mu"; the indicator's display unit when it has one. ``indicator`` may also be an overview card
    (``{{ card.target|quantity:card }}``: actual and target in one unit) or a unit symbol."""
    unit, chosen = _unit_of(indicator)
    return format_quantity(value, unit, chosen)


@register.filter
def quantity_number(value, indicator):
    """The number part of :func:`quantity` alone, for a layout that sets the unit apart (a card's big figure)."""
    unit, chosen = _unit_of(indicator)
    return quantity_parts(value, unit, chosen)[0]


@register.filter
def quantity_unit(value, indicator):
    """The unit part of :func:`quantity` alone: the unit ``value`` is shown in, in the active language."""
    unit, chosen = _unit_of(indicator)
    return quantity_parts(value, unit, chosen)[1]


@register.filter
def unit(symbol):
    """A unit symbol in the active language: 亿元 → "100M yuan" in English, 家 → "" (a measure word)."""
    return unit_label(symbol)


@register.filter
def status_label(status):
    return STATUS_LABELS.get(status, "")


@register.filter
def bar_width(value):
    """A percentage clamped to 0–100 for a CSS width."""
    if value is None:
        return 0
    return max(0, min(100, float(value)))
