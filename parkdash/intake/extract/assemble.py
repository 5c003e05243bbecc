"""A read figure becomes a :class:`Candidate`: its part, kind, period, canonical value and quote."""

from . import kinds, periods, sections
from .candidate import Candidate
from .common import QUOTE_MAX
from .units import converted


def to_candidate(doc, fig):
    """The candidate for ``fig``, quoting the clause (or table row) it was read from."""
    section, plan = sections.heading_at(doc, fig.s)
    kind = fig.kind or kinds.kind_at(doc, fig.s, plan)
    period = fig.period or periods.period_at(doc, fig.s, plan or kind == "target")
    flags = list(dict.fromkeys(fig.flags))
    if period is periods.SUSPECT:
        period = None
        flags.append("suspect_period")
    label = doc.original(*fig.label_span).strip() if fig.label_span is not None else ""
    entry = fig.entry
    canonical_unit = getattr(entry, "unit", None) if entry is not None else None
    qs, qe = fig.quote if fig.quote is not None else _quote_span(doc, fig)
    start, end = doc.span(qs, qe)
    return Candidate(
        label=label,
        indicator_code=getattr(entry, "code", None) if entry is not None else None,
        value=fig.value,
        unit=fig.unit,
        canonical_value=_canonical_value(fig, canonical_unit) if entry is not None else None,
        canonical_unit=canonical_unit,
        yoy_pct=fig.yoy,
        period=period,
        kind=kind,
        zone=fig.zone,
        share_pct=fig.share,
        start=start,
        end=end,
        quote=doc.text[start:end],
        flags=flags,
        section=section,
    )


def _canonical_value(fig, canonical_unit):
    if fig.value is None or fig.percent:
        return None
    if fig.unit == canonical_unit and fig.value.as_tuple().exponent >= -4:
        return fig.value  # what convert() would return, without its exact arithmetic
    return converted(fig.value, fig.unit, canonical_unit)


def _quote_span(doc, fig):
    """The clause around the figure and its growth or share phrase, without surrounding blanks."""
    n = doc.norm
    reach = max(fig.e, fig.reach)
    qs = max(doc.before(doc.clauses, fig.s), fig.s - QUOTE_MAX)
    qe = min(doc.after(doc.clauses, reach - 1), reach + QUOTE_MAX)
    qe = max(qe, reach)
    while qs < fig.s and n[qs] in " \t\r":
        qs += 1
    while qe > fig.e and n[qe - 1] in " \t\r":
        qe -= 1
    return qs, qe
