"""A read figure becomes a :class:`Candidate`: its part, kind, period, canonical value and quote."""

from . import kinds, periods, sections
from .candidate import Candidate
from .common import QUOTE_MAX
from .units import converted

_CHANGES = frozenset(("average_growth", "progress_points", "revision"))  # flagged already: a unit of their own


def to_candidate(doc, fig):
    """The candidate for ``fig``, quoting the clause (or table row) it was read from."""
    section, plan = sections.heading_at(doc, fig.s)
    kind, version = kinds.kind_at(doc, fig.s, plan, fig.e if fig.value_less else None)
    period = None
    if fig.kind is not None:
        kind, version = fig.kind, fig.version
    elif kinds.is_stock(doc, fig) or kinds.is_descriptor(doc, fig):
        kind, version, period = kinds.ACTUAL, None, periods.NONE
    period = fig.period or period or periods.period_at(doc, fig.s, plan or kind == kinds.TARGET, section)
    flags = list(dict.fromkeys(fig.flags))
    if period is periods.SUSPECT:
        flags.append("suspect_period")
    if period is periods.SUSPECT or period is periods.NONE:
        period = None
    label = fig.label_text or (doc.cleaned(*fig.label_span).strip() if fig.label_span is not None else "")
    entry = fig.entry
    canonical_unit = getattr(entry, "unit", None) if entry is not None else None
    canonical_value = _canonical_value(fig, canonical_unit) if entry is not None else None
    if (
        entry is not None
        and canonical_value is None
        and fig.value is not None
        and not fig.percent
        and not _CHANGES.intersection(flags)
        and "unit_mismatch" not in flags
    ):
        flags.append("unit_mismatch")  # 90户 of an indicator counted in 家
    qs, qe = fig.quote if fig.quote is not None else _quote_span(doc, fig)
    start, end = doc.span(qs, qe)
    return Candidate(
        label=label,
        indicator_code=getattr(entry, "code", None) if entry is not None else None,
        indicator_name=(getattr(entry, "name_zh", None) or getattr(entry, "name", None)) if entry is not None else None,
        value=fig.value,
        unit=fig.unit,
        canonical_value=canonical_value,
        canonical_unit=canonical_unit,
        yoy_pct=fig.yoy,
        period=period,
        kind=kind,
        version=version,
        zone=fig.zone,
        share_pct=fig.share,
        range=fig.range,
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
