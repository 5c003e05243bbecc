"""Template filters for numbers and status labels; the numbers themselves are computed in Python."""

from django import template
from django.utils.translation import gettext_lazy as _

from parkdash.core.numbers import format_number
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
    """A number for the active language: grouped thousands, no storage zeros; — for none."""
    return format_number(value)


@register.filter
def signed(value):
    """A growth or gap with its sign: +42.45, −3.5."""
    if value is None:
        return "—"
    text = format_number(abs(value))
    return ("+" if value >= 0 else "−") + text


@register.filter
def status_label(status):
    return STATUS_LABELS.get(status, "")


@register.filter
def bar_width(value):
    """A percentage clamped to 0–100 for a CSS width."""
    if value is None:
        return 0
    return max(0, min(100, float(value)))
