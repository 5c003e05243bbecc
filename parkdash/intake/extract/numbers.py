"""Numbers and units: every number (or placeholder such as xx) followed by a unit, and what is not a figure.

Not figures: dates and periods (8月29日, 1-10月), ordinals and ranks (第28位, 第四批, 一期), thresholds
(500万元以上企业, 百亿元级), ranges used as guidance (每位领导联系2-3家企业), rates per person or day
(每天联系1次), back-references (这2项约束), street names (21街: 街 is not a unit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .candidate import tidy
from .common import HAN
from .flags import qualifier_flags
from .units import NON_UNITS, UNITS_ALT, dimension


@dataclass
class Figure:
    """A number with a unit (or a growth rate or share without one), while it is being read."""

    s: int  # number start in the normalised copy
    e: int  # end of the unit
    value: Decimal | None
    unit: str | None
    flags: list = field(default_factory=list)
    depth: int = 0
    label_span: tuple | None = None
    entry: object = None
    zone: str | None = None
    yoy: Decimal | None = None
    share: Decimal | None = None
    reach: int = 0  # end of the growth / share phrase that belongs to this figure
    percent: bool = False
    value_less: bool = False  # a growth- or share-only candidate
    kind: str | None = None  # set by a table column (目标 / 完成); otherwise read from the context
    period: str | None = None  # set by a table header (1-10月完成)
    quote: tuple | None = None  # a table row
    version: str | None = None  # "estimate" (预计)
    share_target: bool = False  # the target a share is measured against (占目标任务6亿元的110%)
    range: str | None = None  # "3-5" for a range written 3-5家
    label_text: str | None = None  # a label composed of words that are not one span (新开工 + 项目)


# A number (20.75, 1,696) or a placeholder with at least one x (xx, XX, x, 29XX6, 1.x). The figure pattern
# starts with a character class so the regex engine can skip quickly to digits; it only starts a number at the
# start of a run of digits and x, never backtracks into it and reads at most 31 characters (linear time on
# "xxxx…" or "1,1,1,…"); _NUM_RE then validates the number.
FIG_RE = re.compile(
    r"(?P<num>[\dxX*](?<![\dxX*][\dxX*])[\dxX*.,]{0,30}+)(?P<approx>余|多)?[ \t]?"
    r"(?:(?P<unit>" + UNITS_ALT + r")|(?P<pct>%))"
)
_NUM_RE = re.compile(r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[\dxX*]*[xX*][\dxX*]*(?:\.[\dxX*]+)?|\d+\.[\dxX*]+")
# A masked name glued to a number (xx400亩: a place written xx, then 400亩), not a masked number (29XX6, XX6).
_MASKED_NAME_RE = re.compile(r"(?:[xX]{2,}|\*{2,})(?P<digits>\d{3,}(?:\.\d+)?)")
UNIT_AT_RE = re.compile(r"[ \t]?(?:余|多)?(?:" + UNITS_ALT + r")")
# A rate such as 亩均税收30万元/亩 or 300万元每亩: the unit is kept as written and converts to nothing.
_PER_UNIT_RE = re.compile(r"(?:/|每)(?:" + UNITS_ALT + r"|年|月|天|日)")
_GLUED = frozenset("0123456789.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# A threshold qualifies a noun (500万元以上企业, 百亿元级) or opens a list of thresholds (30亿元以上、50亿元以上).
_THRESHOLD_AFTER_RE = re.compile(
    r"(?:及)?(?:以上|以下|以内)(?:的?(?=[" + HAN + r"A-Za-z])|[、和或及](?=[\d百千万亿])|以及)|级"
)
_PERCENT_THRESHOLD_RE = re.compile(r"在[ \t]?$")  # 增速在45%以上
_LETTERS_BEFORE_RE = re.compile(r"[A-Za-z]+$")
_MASK_BEFORE_RE = re.compile(r"(?<![\dxX*])(?:[xX]{2,}|\*{2,})$")
_OVER_BEFORE_RE = re.compile(r"(?:超过|超|逾|达到|达)$")
_OVER_AFTER_RE = re.compile(r"的?(?:企业|项目|单位|产业|集群|园区)|的[" + HAN + r"]{0,4}\d")  # 超10亿元的(仅有)2家
_RANK_BEFORE_RE = re.compile(r"(?<![目之此提当年月日以事])前$|排名$|排$")
_RANGE_BEFORE_RE = re.compile(r"\d(?:\.\d+)?[ \t]?(?:%|" + UNITS_ALT + r")?[ \t]?[-~至到][ \t]?$")
RANGE_AFTER_RE = re.compile(r"[ \t]?(?:[-~至到])[ \t]?\d")
# A capacity in a project's name (年产5万吨新材料项目, 年产20万台电机生产线) names the project; it is not a figure.
_CAPACITY_BEFORE_RE = re.compile(r"(?:年产|年产能|年加工|年处理|年吞吐)(?:量)?$")
_NAMED_AFTER_RE = re.compile(r"[" + HAN + r"A-Za-z]{0,12}?(?:项目|生产线|工程|工厂|基地)")
# Bounds in brackets right before a count define the class counted: (投资5亿元以上)3个.
_DEFINES_A_CLASS_RE = re.compile(r"(?:以上|以下)[^()。;\n]{0,24}\)[ \t]?\d")
_DEMONSTRATIVE_ENDS = ("这", "此", "该", "上述", "这些", "前述", "以上")
_AT_LEAST_OR_MOST_RE = re.compile(r"以上|以下|之间")
_RANGE_LOW_RE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)[ \t]?[-~至到][ \t]?$")
# A band of sizes qualifies what it counts (1-5亿元项目4个, 3-5万平方米的厂房): not a range to reach.
_SIZE_DIMENSIONS = frozenset(("money", "money_usd", "money_hkd", "area"))
_BAND_AFTER_RE = re.compile(r"的?[" + HAN + r"]{0,8}?(?:项目|企业|工程|产业|单位|厂房|大户)")


def read_figures(doc, taken):
    """Every figure in the text proper, in order; numbers at offsets in ``taken`` belong to rates."""
    figures = []
    for m in FIG_RE.finditer(doc.norm, doc.start):
        if m.start("num") in taken or doc.skipped(m.start()):
            continue
        fig = _figure(doc, m)
        if fig is not None:
            figures.append(fig)
    return figures


def _number_start(m):
    """(start, digits) of the number a match holds, or None: "2,3家" gives only the last number, "xx400亩" 400."""
    s, raw = m.start("num"), m.group("num")
    masked = _MASKED_NAME_RE.fullmatch(raw)
    if masked:
        return s + masked.start("digits"), masked.group("digits")
    if _NUM_RE.fullmatch(raw):
        return s, raw
    cut = raw.rfind(",") + 1
    if not cut or not _NUM_RE.fullmatch(raw[cut:]):
        return None
    return s + cut, raw[cut:]


def _not_a_figure(doc, s, e, unit, before, segment):
    """True for ranks, ranges, rates per day, back-references, thresholds (亿元以上项目, 超10亿元的项目)."""
    n = doc.norm
    if (
        s > 0
        and n[s - 1] in _GLUED
        and not _after_an_abbreviation(doc, s)
        and not _MASK_BEFORE_RE.search(n, max(0, s - 8), s)
    ):
        return True  # part of a code or a longer token: G20, bt3
    if before.endswith("第") or _RANK_BEFORE_RE.search(before) or RANGE_AFTER_RE.match(n, e):
        return True
    if _RANGE_BEFORE_RE.search(before) and range_low(doc, s) is None:
        return True  # 5000万元-5亿元: two amounts make a band
    if unit is None and _PERCENT_THRESHOLD_RE.search(before) and _AT_LEAST_OR_MOST_RE.match(n, e):
        return True
    if "每" in segment or segment.rstrip().endswith(_DEMONSTRATIVE_ENDS):
        return True
    if unit is not None and _THRESHOLD_AFTER_RE.match(n, e):
        return True
    if unit is not None and _CAPACITY_BEFORE_RE.search(before) and _NAMED_AFTER_RE.match(n, e):
        return True
    if unit is not None and _DEFINES_A_CLASS_RE.match(n, e):
        return True  # "双百"项目(总投资100亿元以上、年产值100亿元以上)2个: the brackets define what is counted
    return unit is not None and bool(_OVER_BEFORE_RE.search(before)) and bool(_OVER_AFTER_RE.match(n, e))


def _after_an_abbreviation(doc, s):
    """True when the letters glued before ``s`` are a catalogue name (GDP762亿元)."""
    letters = _LETTERS_BEFORE_RE.search(doc.norm, max(0, s - 8), s)
    return letters is not None and letters.group() in doc.cat.by_alias


def range_low(doc, s):
    """The lower bound of a range written "3-5家" whose upper bound starts at ``s``, or None."""
    m = _range_low_match(doc, s)
    return m.group(1) if m else None


def _range_low_match(doc, s):
    return _RANGE_LOW_RE.search(doc.norm, max(doc.start, s - 12), s)


def _figure(doc, m):
    n = doc.norm
    e = m.end()
    unit = m.group("unit")
    if unit in NON_UNITS:
        return None
    number = _number_start(m)
    if number is None:
        return None
    s, raw = number
    before = n[max(doc.start, s - 8) : s]
    segment = n[doc.segment_start(s) : s]
    if _not_a_figure(doc, s, e, unit, before, segment):
        return None
    if unit is not None:  # the unit as written (in simplified characters): 平米, 个亿
        per = _PER_UNIT_RE.match(n, e)
        if per is not None:
            unit = "{}/{}".format(unit, per.group()[1:])
            e = per.end()
    low = _range_low_match(doc, s)
    if low is not None:
        if unit is None or (dimension(unit) in _SIZE_DIMENSIONS and _BAND_AFTER_RE.match(n, e)):
            return None
        return _range_figure(doc, low.start(1), s, e, low.group(1), raw, unit)
    value, flags = _value(doc, raw)
    if value is _INVALID:
        return None
    flags += qualifier_flags(doc, m, before, e, segment)
    return Figure(
        s=s,
        e=e,
        value=value,
        unit=unit if unit is not None else "%",
        flags=flags,
        depth=doc.depth(s),
        percent=unit is None,
    )


_INVALID = object()


def _range_figure(doc, low_start, s, e, low, high, unit):
    """A range (3-5家, 10-15个): no value, the range kept and flagged."""
    fig = Figure(s=low_start, e=e, value=None, unit=unit, flags=["range"], depth=doc.depth(s))
    fig.range = "{}-{}".format(low, high)
    return fig


def _value(doc, raw):
    """(value, flags) of the digits ``raw``: None and "placeholder" for xx; "suspect_year" for 2023家."""
    if "x" in raw.lower() or "*" in raw:
        return None, ["placeholder"]
    try:
        value = tidy(Decimal(raw.replace(",", "")))
    except InvalidOperation:
        return _INVALID, []
    digits = raw.replace(",", "").split(".")[0]
    return value, (["suspect_year"] if doc.year_like(digits) else [])
