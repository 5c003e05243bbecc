"""The overview's cards and charts written in Python: the same HTML, byte for byte, as the templates they replace
(templates/dashboard/card.html, included once per card, and templates/generic/chart.html, once per chart) wrote,
at a fraction of the cost. On an overview's first load after a write (its cached HTML gone with the old data
version), rendering some fifty cards through the template engine was most of the page's CPU.

The rules the template engine applied are applied here by hand: every value written into the page escaped
(``{{ }}``); ``{% translate %}`` of a literal not escaped (the literal is safe, and so is its translation); the
variables of ``{% blocktranslate %}`` escaped, its text not. tests/dashboard/test_overview_html.py renders the old
templates side by side with these functions, in both languages.
"""

from html import escape as _escape

from django.conf import settings
from django.core.cache import cache
from django.urls import get_script_prefix, reverse
from django.utils.html import json_script
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext, gettext_noop

from parkdash.core.numbers import DASH, format_number, format_percent, format_quantity, quantity_parts, series_unit
from parkdash.core.renderers import template_text as _text
from parkdash.core.templatetags.parkdash import bar_width, signed
from parkdash.parks import versions

_SLUG = "0"  # a code the indicator page's URL accepts, replaced by each card's (codes are slugs: never quoted)


def _percent(number_text):
    """:func:`~parkdash.core.numbers.format_percent` of a number :func:`format_number` wrote already."""
    return number_text if number_text == DASH else number_text + "%"


def _literal(msgid):
    """``{% translate "…" %}`` of a literal: the translation, safe (a literal is safe, and so is its translation)."""
    return gettext(mark_safe(msgid))


def _blocktranslate(msgid, **values):
    """``{% blocktranslate with … %}``: the translated text, not escaped, with the values (escaped) put in."""
    return gettext(msgid) % {key: _escape(value) for key, value in values.items()}


class CardWriter:
    """Writes the cards of one overview: what they share (the indicator page's URL, the query string, the labels in
    the active language) worked out once."""

    def __init__(self, context, querystring, no_targets):
        self.context = context
        self.no_targets = no_targets
        prefix, _sep, suffix = reverse("indicators:indicator_detail", args=[_SLUG]).rpartition(_SLUG)
        self.url_prefix = _escape(prefix)
        self.url_suffix = _escape(suffix) + "?" + _escape(querystring)
        self.labels = {
            "No actual figure yet": _literal(gettext_noop("No actual figure yet")),
            "Period": _literal(gettext_noop("Period")),
            "Annual target": _literal(gettext_noop("Annual target")),
            "none": _literal(gettext_noop("none")),
            "Completion": _literal(gettext_noop("Completion")),
            "Time-elapsed pace": _literal(gettext_noop("Time-elapsed pace")),
            "Gap": _literal(gettext_noop("Gap")),
            "points": _literal(gettext_noop("points")),
            "Against target": _literal(gettext_noop("Against target")),
            "YoY": _literal(gettext_noop("YoY")),
        }

    def card(self, card):
        """One card, as ``{% include "dashboard/card.html" %}`` wrote it (from the newline after its first line)."""
        labels, context = self.labels, self.context
        indicator, progress = card.indicator, card.progress
        actual, target = card.actual, card.target
        status = progress.status
        code = _escape(indicator.code)
        completion = progress.completion
        paced = progress.paced
        parts = [
            '\n<article class="card status-',
            "none" if self.no_targets else status,
            '" data-indicator="',
            code,
            '" data-status="',
            status,
            '">\n  <h3><a href="',
            self.url_prefix,
            code,
            self.url_suffix,
            '">',
            _text(indicator.display_name, context),
            "</a></h3>\n  ",
        ]
        unit = indicator.unit
        chosen = series_unit([actual, target], unit, indicator.display_unit)
        if actual is not None:
            number, unit_text = quantity_parts(actual, unit, chosen)
            parts += [
                '\n    <div class="actual">',
                _text(number, context),
                '<span class="unit">',
                _text(unit_text, context),
                "</span></div>\n    ",
            ]
            if not self.no_targets:
                parts += ['<div class="status-label">', _text(progress.label, context), "</div>"]
            parts.append("\n  ")
        else:
            parts += [
                '\n    <div class="actual no-actual" data-no-actual>',
                labels["No actual figure yet"],
                "</div>\n  ",
            ]
        parts.append("\n  ")
        expected = gap = None
        if completion is not None:
            gap = progress.gap
            # Each number formatted once: the bar's label and the list's line show the same (format_percent).
            completion_text = format_number(completion, rounded=True)
            done = f"{bar_width(completion):.1f}"
            if paced:
                expected = progress.expected
                expected_text = format_number(expected, rounded=True)
                parts += [
                    '\n    <svg class="bar" role="img" aria-label="',
                    _blocktranslate(
                        gettext_noop("%(c)s%% of target, time-elapsed pace %(e)s%%"),
                        c=completion_text,
                        e=expected_text,
                    ),
                    '"><rect class="track" y="3" width="100%" height="6" rx="3"/><rect class="done" y="3" width="',
                    done,
                    '%" height="6" rx="3"/><rect class="pace" x="',
                    f"{bar_width(expected):.1f}",
                    '%" width="2" height="12"/></svg>\n  ',
                ]
            else:
                parts += [
                    '\n    <svg class="bar" role="img" aria-label="',
                    _blocktranslate(gettext_noop("%(c)s%% of target"), c=completion_text),
                    '"><rect class="track" y="3" width="100%" height="6" rx="3"/><rect class="done" y="3" width="',
                    done,
                    '%" height="6" rx="3"/></svg>\n  ',
                ]
        parts.append("\n  <dl>\n    ")
        if card.month:
            parts += ["<dt>", labels["Period"], "</dt><dd>", _text(card.period_label, context), "</dd>"]
        parts.append("\n    ")
        if not self.no_targets:
            parts += ["<dt>", labels["Annual target"], "</dt><dd>"]
            if target is not None:
                parts.append(_text(format_quantity(target, unit, chosen), context))
            else:
                parts.append(labels["none"])
            parts.append("</dd>")
        parts.append("\n    ")
        if completion is not None:
            gap_text = _escape(signed(gap))
            parts += [
                "\n    <dt>",
                labels["Completion"],
                "</dt><dd>",
                _escape(_percent(completion_text)),
                "</dd>\n    ",
            ]
            if paced:
                parts += [
                    "\n    <dt>",
                    labels["Time-elapsed pace"],
                    "</dt><dd>",
                    _escape(_percent(expected_text)),
                    "</dd>\n    <dt>",
                    labels["Gap"],
                    "</dt><dd>",
                    gap_text,
                    " ",
                    labels["points"],
                    "</dd>\n    ",
                ]
            else:
                parts += [
                    "\n    <dt>",
                    labels["Against target"],
                    "</dt><dd>",
                    gap_text,
                    " ",
                    labels["points"],
                    "</dd>\n    ",
                ]
            parts.append("\n    ")
        parts.append("\n    ")
        if actual is not None:
            yoy = card.yoy_pct
            parts += ["<dt>", labels["YoY"], '</dt><dd class="']
            if yoy is not None:
                parts += ["up" if yoy >= 0 else "down", '">', _escape(signed(yoy)), "%</dd>"]
            else:
                parts.append('">—</dd>')
        parts.append("\n  </dl>\n</article>\n")
        return "".join(parts)


def card_identity(card):
    """Everything a card's HTML is made of, besides what all the cards of an overview share (the language, the
    park and year of its links, whether the year has targets): its indicator's code, names, units and kind, its
    figures. Written out with ``repr`` (12.00 and 12 are different identities: never the same by accident)."""
    indicator = card.indicator
    return repr(
        (
            indicator.code,
            indicator.name,
            indicator.name_en,
            indicator.unit,
            indicator.display_unit,
            indicator.aggregation,
            indicator.higher_is_better,
            card.actual,
            card.target,
            card.month,
            card.yoy_pct,
        )
    )


def overview_cards(context, groups, querystring, no_targets, known=None, written=None):
    """The cards grouped by category, as the overview's loop over ``groups`` (each group's cards included from
    templates/dashboard/card.html) wrote them; the sentence for an empty status when there are none.

    ``known``: {:func:`card_identity`: HTML} of cards written before for the same language, park, year and
    targets, reused; ``written`` (a dict) receives the identity and HTML of each card written anew."""
    if not groups:
        empty = _literal(gettext_noop("No indicator has this status."))
        return mark_safe('\n<p class="chart-empty">' + empty + "</p>\n")
    writer = CardWriter(context, querystring, no_targets)
    parts = []
    for group in groups:
        category = _text(group.category, context)
        parts += [
            '\n<section class="category-group" data-category="',
            category,
            '" aria-labelledby="category-',
            category,
            '">\n  <h2 class="category-title" id="category-',
            category,
            '">',
            _text(group.label, context),
            ' <span class="muted">',
            _text(len(group.cards), context),
            '</span></h2>\n  <div class="cards">',
        ]
        for card in group.cards:
            if known is None:
                parts.append(writer.card(card))
                continue
            identity = card_identity(card)
            html = known.get(identity)
            if html is None:
                html = written[identity] = writer.card(card)
            parts.append(html)
        parts.append("</div>\n</section>\n")
    return mark_safe("".join(parts))


def reusing_cards(context, groups, cards, selection, no_targets):
    """:func:`overview_cards`, reusing the HTML of the cards that did not change since the overview was last
    written: one cache entry per language, park, year and targets holds {:func:`card_identity`: HTML} of the park's
    current cards. A write moves the park's data version on, so the overview's cached HTML is gone
    (templates/dashboard/overview.html), but a write changes a card or two: the others are not written again.

    Never stale: a card is reused only when everything it is made of is the same (its identity), and what all the
    cards share is in the entry's key, with the epoch (a new one after every migrate and flush)."""
    request = context.get("request")
    querystring = selection.querystring()
    if request is None:
        return overview_cards(context, groups, querystring, no_targets)
    (epoch,) = versions.for_request(request).get()
    key = versions.cache_key(
        CARD_STORE,
        (epoch,),
        (
            selection.park.pk,
            selection.year,
            versions.language(),
            bool(no_targets),
            querystring,
            get_script_prefix(),
            str(getattr(settings, "PARKDASH_BEHIND_THRESHOLD", 10)),
        ),
    )
    known = cache.get(key) or {}
    written = {}
    html = overview_cards(context, groups, querystring, no_targets, known, written)
    # Kept: the current cards' HTML (those of another status than the one shown stay, the changed ones go).
    merged = {**known, **written}
    kept = {identity: merged[identity] for identity in map(card_identity, cards) if identity in merged}
    if written or len(kept) != len(known):
        cache.set(key, kept)
    return html


CARD_STORE = "overview-card-html"


def behind_rows(context, behind, selection):
    """The rows of the overview's list of the indicators behind (``behind``: (card, need in words) pairs), as its
    template loop wrote them."""
    prefix, _sep, suffix = reverse("indicators:indicator_detail", args=[_SLUG]).rpartition(_SLUG)
    prefix, suffix = _escape(prefix), _escape(suffix) + "?" + _escape(selection.querystring())
    against = {
        True: _literal(gettext_noop("against the time-elapsed pace")),
        False: _literal(gettext_noop("against the target")),
    }
    parts = []
    for card, need in behind:
        progress = card.progress
        status = _escape(progress.status)
        code = _escape(card.indicator.code)
        parts += [
            '\n      <tr class="status-',
            status,
            '" data-behind="',
            code,
            '">\n        <th scope="row"><i class="dot status-',
            status,
            '" aria-hidden="true"></i> <a href="',
            prefix,
            code,
            suffix,
            '">',
            _text(card.indicator.display_name, context),
            '</a> <span class="muted">',
            _text(card.period_label, context),
            '</span></th>\n        <td class="num">',
            _escape(format_percent(progress.completion)),
            '</td>\n        <td class="num">',
            _escape(signed(progress.gap)),
            ' <span class="muted">',
            against[bool(progress.paced)],
            '</span></td>\n        <td class="num key">',
            _text(need, context) if need else DASH,
            "</td>\n      </tr>",
        ]
    return mark_safe("".join(parts))


UNAVAILABLE = gettext_noop("The chart could not be drawn (Chart.js did not load); the numbers are in the table below.")


def chart_panel(context, chart, title, wide=False):
    """One chart, as ``{% include "generic/chart.html" with chart=… title=… %}`` wrote it (``title``: a translated
    literal, not escaped)."""
    chart_id = _text(chart["id"], context)
    title = title if isinstance(title, SafeData) else _escape(title)
    parts = [
        '\n<section class="chart-panel',
        " wide" if wide else "",
        '" aria-labelledby="',
        chart_id,
        '-title">\n  <h2 id="',
        chart_id,
        '-title">',
        title,
        "</h2>\n  ",
    ]
    notes = chart.get("notes")
    if notes:
        parts += ['<ul class="chart-notes" data-chart-notes="', chart_id, '">']
        parts += ["<li>" + _text(note, context) + "</li>" for note in notes]
        parts.append("</ul>")
    parts.append("\n  ")
    if chart.get("empty"):
        parts += [
            '\n    <p class="chart-empty" data-empty-chart="',
            chart_id,
            '">',
            _text(chart.get("empty_text", ""), context),
            "</p>\n  ",
        ]
    else:
        parts += [
            '\n    <div class="chart-box" data-unavailable="',
            _literal(UNAVAILABLE),
            '"><canvas id="',
            chart_id,
            '-canvas" data-chart="',
            chart_id,
            '-data" role="img" aria-label="',
            title,
            '"></canvas></div>\n    ',
            json_script(chart, chart.get("data_id")),
            "\n  ",
        ]
    parts.append("\n  \n  ")
    table = chart.get("table") or {}
    rows = table.get("rows") if isinstance(table, dict) else None
    if rows:
        parts += [
            '\n    <details class="chart-data"><summary>',
            _literal(gettext_noop("Show the numbers")),
            '</summary>\n      <table><caption class="visually-hidden">',
            title,
            "</caption>\n        <thead><tr>",
        ]
        parts += ['<th scope="col">' + _text(column, context) + "</th>" for column in table.get("columns") or ()]
        parts.append("</tr></thead>\n        <tbody>")
        for row in rows:
            parts.append("<tr>")
            for i, value in enumerate(row):
                parts.append(('<th scope="row">' if i == 0 else "<td>") + _text(value, context))
                parts.append("</th>" if i == 0 else "</td>")
            parts.append("</tr>")
        parts.append("</tbody>\n      </table>\n    </details>\n  ")
    parts.append("\n</section>\n")
    return "".join(parts)


# The overview's charts: (index in the view's list, title, wide); the completion chart only when the year has targets.
OVERVIEW_CHARTS = (
    (0, gettext_noop("Completion of annual targets against the time-elapsed pace"), True),
    (1, gettext_noop("Projects by phase: planned against the register"), False),
    (2, gettext_noop("Enterprises by stage"), False),
    (3, gettext_noop("Infrastructure works: completed against planned"), True),
)


def overview_charts(context, charts, no_targets):
    """The overview's ``<div class="charts">``, as its four ``{% include "generic/chart.html" %}`` wrote it."""
    parts = ['<div class="charts">\n  ']
    for index, title, wide in OVERVIEW_CHARTS:
        if index or not no_targets:
            parts.append(chart_panel(context, charts[index], _literal(title), wide))
        parts.append("\n  " if index < 3 else "\n</div>")
    return mark_safe("".join(parts))
