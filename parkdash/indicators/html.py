"""The indicator page's two tables written in Python: the year's figures (up to 200 rows) and the recent changes
(30), the same HTML, byte for byte, as the template loops they replace (templates/indicators/indicator_detail.html,
kept as tests/indicators/reference/) wrote, at a fraction of the cost: walking those loops through the template
engine was most of the page's CPU.

The rules the template engine applied are applied here by hand: every value written into the page escaped
(``{{ }}``), localised as the engine localises it; ``{% translate %}`` of a literal, and a literal translated
with ``_("…")`` in a filter's argument, not escaped (the literal is safe, and so is its translation).
tests/indicators/test_indicator_html.py renders the old loops side by side with these functions, in both languages,
through every branch.
"""

from html import escape as _escape

from django.conf import settings
from django.template.base import render_value_in_context
from django.utils.encoding import force_str
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, gettext_noop

from parkdash.core.numbers import DASH, format_number, format_quantity, unit_label
from parkdash.core.renderers import template_text as _text
from parkdash.core.templatetags.parkdash import signed

from .models import Figure


def _literal(msgid):
    """``{% translate "…" %}`` of a literal (or ``_("…")`` in a filter's argument): its translation, not escaped.
    The template engine doubles a literal's ``%`` for its msgid, and ``{% translate %}`` undoubles the translation's
    (the two agree for every literal of these tables)."""
    return gettext(mark_safe(msgid.replace("%", "%%"))).replace("%%", "%")


def _choices(model, name):
    """{stored value: label in the active language} of a field's choices, as ``get_FOO_display()`` gives them."""
    return {value: force_str(label, strings_only=True) for value, label in model._meta.get_field(name).flatchoices}


def _integer_text(context):
    """``{{ an int }}``: its digits (what localize() writes without a thousand separator), else the engine's own."""
    if getattr(settings, "USE_THOUSAND_SEPARATOR", False):
        return lambda value: render_value_in_context(value, context)
    return lambda value: _escape(str(value))


def _labels():
    """The columns' names (the tables' data-label attributes), as the template's ``{% translate … as … %}`` gave
    them."""
    return {
        key: _literal(msgid)
        for key, msgid in (
            ("period", gettext_noop("Period")),
            ("kind", gettext_noop("Kind")),
            ("zone", gettext_noop("Zone")),
            ("version", gettext_noop("Version")),
            ("value", gettext_noop("Value")),
            ("yoy", "YoY %"),  # msgid "YoY %%": the template engine doubles a literal's %
            ("source", gettext_noop("Source")),
            ("when", gettext_noop("When")),
            ("who", gettext_noop("Who")),
            ("change", gettext_noop("Change")),
        )
    }


def figure_rows(context, figures, indicator):
    """The rows of the year's figures, as the template's ``{% for figure in figures %}`` wrote them: period, kind,
    zone, version, value with its unit (and as entered, when in another unit), growth, source with the record it
    came from and the sentence quoted; one row saying so when there is none."""
    figures = list(figures)
    if not figures:
        empty = _literal(gettext_noop("No figures for this park yet."))
        return mark_safe('<tr><td colspan="7" class="empty">' + empty + "</td></tr>")
    labels = _labels()
    kinds, versions, sources = _choices(Figure, "kind"), _choices(Figure, "version"), _choices(Figure, "source")
    whole_park = _literal(gettext_noop("Whole park"))
    unit, chosen = indicator.unit, indicator.display_unit
    head = (
        '\n      <tr><td data-label="' + labels["period"] + '">',
        '</td><td data-label="' + labels["kind"] + '">',
        '</td><td data-label="' + labels["zone"] + '">',
        '</td><td data-label="' + labels["version"] + '">',
        '</td>\n        <td class="num key" data-label="' + labels["value"] + '">',
        '</td>\n        <td class="num" data-label="' + labels["yoy"] + '">',
        '</td>\n        <td class="wrap" data-label="' + labels["source"] + '">',
    )
    periods = {}  # a period's label depends on its year, month and kind alone (Figure.period_label)
    parts = []
    for figure in figures:
        period_key = (figure.year, figure.month, figure.kind)
        period = periods.get(period_key)
        if period is None:
            period = periods[period_key] = _text(figure.period_label, context)
        zone = figure.zone
        kind, version, source = figure.kind, figure.version, figure.source
        parts += [
            head[0],
            period,
            head[1],
            _text(kinds.get(kind, kind), context),
            head[2],
            _text(zone, context) if zone else whole_park,
            head[3],
            _text(versions.get(version, version), context),
            head[4],
            _escape(format_quantity(figure.value, unit, chosen)),
        ]
        entered_unit = figure.entered_unit
        if entered_unit and entered_unit != unit:
            parts += [
                ' <span class="muted">(',
                _escape(format_number(figure.entered_value, rounded=True)),
                " ",
                _escape(unit_label(entered_unit)),
                ")</span>",
            ]
        parts.append(head[5])
        yoy = figure.yoy_pct
        parts.append(_escape(signed(yoy)) + "%" if yoy is not None else DASH)
        parts += [head[6], _text(sources.get(source, source), context)]
        origin = figure.origin
        if origin:
            parts += [' · <a href="', _text(origin.get_absolute_url(), context), '">', _text(origin, context), "</a>"]
        quote = figure.source_quote
        if quote:
            parts += ['<blockquote class="quote">', _text(quote, context), "</blockquote>"]
        parts.append("</td></tr>\n    ")
    return mark_safe("".join(parts))


def history_rows(context, history):
    """The rows of the recent changes, as the template's ``{% for record in history %}`` wrote them: when (local
    time), who, the change, the figure's period and kind, its value; one row saying so when there is none."""
    history = list(history)
    if not history:
        empty = _literal(gettext_noop("No changes recorded."))
        return mark_safe('<tr><td colspan="5" class="empty">' + empty + "</td></tr>")
    labels = _labels()
    model = type(history[0])
    kinds, changes = _choices(model, "kind"), _choices(model, "history_type")
    integer = _integer_text(context)
    use_tz = context.use_tz
    head = (
        '<tr><td data-label="' + labels["when"] + '">',
        '</td><td data-label="' + labels["who"] + '">',
        '</td><td data-label="' + labels["change"] + '">',
        '</td><td data-label="' + labels["period"] + '">',
        '</td><td class="num key" data-label="' + labels["value"] + '">',
    )
    parts = []
    for record in history:
        when = template_localtime(record.history_date, use_tz)  # |date: the time where the page is read
        user = record.history_user
        kind, change = record.kind, record.history_type
        parts += [
            head[0],
            # |date:"Y-m-d H:i"
            f"{when.year:04d}-{when.month:02d}-{when.day:02d} {when.hour:02d}:{when.minute:02d}",
            head[1],
            _text(user, context) if user else DASH,
            head[2],
            _text(changes.get(change, change), context),
            head[3],
            integer(record.year),
            " · ",
            integer(record.month),
            " · ",
            _text(kinds.get(kind, kind), context),
            head[4],
            _escape(format_number(record.value, rounded=True)),
            "</td></tr>\n    ",
        ]
    return mark_safe("".join(parts))
