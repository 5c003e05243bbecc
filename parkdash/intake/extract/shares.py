"""Shares: 占…的35%, 完成全年目标的49%, 完成年任务3.5亿元的94.3%, and the targets named inside them.

A share belongs to the actual before it (``share_pct``). When the phrase names the target it is measured
against (占目标任务6亿元的110%, 已完成全年计划3.5亿元的94.3%), that amount is a target figure of its own, for the
full year, about the same indicator as the actual.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal

from . import labels
from .candidate import tidy

_OF = r"[^,;。!?\n%]{0,20}?"
# The leading lookahead gives the regex engine a first-character set to skip ahead with.
_SHARE_RE = re.compile(
    r"(?=[占完达实为目计年全])(?:占(?P<of>" + _OF + r")的?(?:比重|比例|份额)?(?:为|达到|达)?"
    r"|(?:完成|达到|实现|为)了?(?P<plan>" + _OF + r")的"
    r"|(?:目标|计划|年度|全年)?完成率(?:为|达到|达)?)"
    r"[ \t]?(?P<num>\d+(?:\.\d+)?|[xX]+)[ \t]?%"
)
_PLAN_WORDS_RE = re.compile(r"目标|计划|任务|预期|预算")


@dataclass
class Share:
    start: int
    end: int
    value: Decimal | None
    target_span: tuple | None  # where the phrase names its target (目标任务6亿元)
    targets: list = field(default_factory=list)  # the target figures read there


def read_shares(doc, taken):
    """Every share phrase, in order; the offsets of their numbers go into ``taken``. Sets ``doc.share_spans``."""
    out = []
    for m in _SHARE_RE.finditer(doc.norm, doc.start):
        of = "of" if m.group("of") is not None else "plan" if m.group("plan") is not None else None
        names_plan = of is not None and bool(_PLAN_WORDS_RE.search(m.group(of)))
        if of == "plan" and not names_plan:
            continue  # 实现…的15%: not a share of a target
        taken.add(m.start("num"))
        raw = m.group("num")
        value = None if "x" in raw.lower() else tidy(Decimal(raw))
        out.append(Share(m.start(), m.end(), value, m.span(of) if names_plan else None))
    doc.share_spans = [(s.start, s.end) for s in out]
    doc.share_starts = [s.start for s in out]
    return out


def mark_targets(figures, shares):
    """Make the amounts named as a share's target (目标任务6亿元) full-year targets, listed on their share."""
    starts = [f.s for f in figures]
    for share in shares:
        if share.target_span is None:
            continue
        a, b = share.target_span
        for j in range(bisect_left(starts, a), len(figures)):
            fig = figures[j]
            if fig.s >= b:
                break
            if not fig.percent:
                fig.kind, fig.period, fig.share_target = "target", "全年", True
                share.targets.append(fig)


def label_targets(share, owner):
    """Give a share's target figures the label, indicator and zone of the actual it belongs to."""
    for fig in share.targets:
        labels.copy_label(fig, owner)
        fig.zone = owner.zone
        if "label_carried" not in fig.flags:
            fig.flags.append("label_carried")
