"""Rates and changes that are not year-on-year growth, each a figure of its own about the figure before it:

* average annual growth (年均增长24.5%): unit %, flag ``average_growth``;
* points against time-elapsed progress (高于平均进度10.9个百分点, 超序时进度3个百分点, 低于均衡进度2个百分点):
  unit 个百分点, negative when behind, flag ``progress_points``;
* a revision of a target (调增2个百分点, 调增2家, 调减5%): a target, negative when revised down, flag ``revision``.

Each takes the label and indicator of the figure it follows, so the reviewer sees what it is about; its unit
keeps it from being stored as that indicator's value.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal

from . import growth, labels
from .candidate import tidy
from .numbers import Figure
from .units import UNITS_ALT

_NUM = r"[ \t]?(?P<sign>[-+]?)(?P<num>\d+(?:\.\d+)?)[ \t]?"
_AVERAGE_RE = re.compile(r"(?:年均|年平均|平均每年|平均年)(?:增长|增速|增幅)(?:率)?(?:为|达到|达|了)?" + _NUM + "%")
_PROGRESS_RE = re.compile(
    r"(?P<dir>高于|超过?|超出|快于|领先|低于|落后|慢于)(?:全市|全县|全区)?(?:序时|时序|均衡|平均|时间|计划)进度(?:了)?"
    + _NUM
    + r"个?百分点"
)
_REVISION_RE = re.compile(r"调(?P<dir>增|减|高|低|升|降)了?" + _NUM + r"(?P<unit>个百分点|%|" + UNITS_ALT + ")")
_BACKWARD = frozenset(("低于", "落后", "慢于", "减", "低", "降"))
_READERS = (
    (_AVERAGE_RE, "average_growth", None),
    (_PROGRESS_RE, "progress_points", None),
    (_REVISION_RE, "revision", "target"),
)
_OWNER_DISTANCE = 80  # how far back the figure a change is about may be


@dataclass
class Change:
    start: int
    end: int
    value: Decimal
    unit: str
    flag: str
    kind: str | None


def read_changes(doc, taken):
    """Every average growth, progress gap and revision, in order; their numbers go into ``taken``."""
    found = []
    for regex, flag, kind in _READERS:
        for m in regex.finditer(doc.norm, doc.start):
            if doc.skipped(m.start()):
                continue
            taken.add(m.start("num"))
            sign = -1 if (m.groupdict().get("dir") or "") in _BACKWARD else 1
            sign = -sign if m.group("sign") == "-" else sign  # 超序时进度-0.8个百分点
            unit = m.groupdict().get("unit") or ("个百分点" if flag == "progress_points" else "%")
            found.append(Change(m.start(), m.end(), tidy(sign * Decimal(m.group("num"))), unit, flag, kind))
    return sorted(found, key=lambda c: c.start)


def change_figures(doc, changes, figures):
    """A figure for each change, labelled like the figure it follows (``figures`` sorted by start)."""
    starts = [f.s for f in figures]
    out = []
    for change in changes:
        fig = Figure(
            s=change.start,
            e=change.end,
            value=change.value,
            unit=change.unit,
            flags=[change.flag],
            depth=doc.depth(change.start),
            kind=change.kind,
        )
        owner = _owner(doc, figures, starts, change.start)
        if owner is not None:
            fig.label_span, fig.label_text, fig.zone, fig.entry = (
                owner.label_span,
                owner.label_text,
                owner.zone,
                owner.entry,
            )
        else:
            _own_label(doc, fig)
        if change.flag == "revision":
            fig.period = "全年"
        out.append(fig)
    return out


def _own_label(doc, fig):
    """A change with no figure before it is labelled by the words before it (园区工业总产值年均增长16.8%)."""
    spans = growth.free_labels(doc, fig.s, 1)
    if spans:
        fig.label_span = spans[0]
        unitless = Figure(s=fig.s, e=fig.e, value=None, unit=None)  # a rate: an indicator in any unit fits
        fig.entry = labels.entry_in(doc, *spans[0], unitless)


def _owner(doc, figures, starts, pos):
    """The nearest labelled figure before ``pos`` in its sentence group."""
    group = max(doc.before(doc.groups, pos), pos - _OWNER_DISTANCE)
    for j in range(bisect_left(starts, pos) - 1, -1, -1):
        fig = figures[j]
        if fig.s < group:
            return None
        if (fig.label_span is not None or fig.label_text) and not fig.share_target:
            return fig
    return None
