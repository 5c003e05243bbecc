"""Periods: 1-10月, 截至9月底, 上半年, 前三季度, 全年 … and which one is in force at a figure."""

import re
from bisect import bisect_right

SUSPECT = object()  # a period that is the year pasted over a month (1-2023月)
NONE = object()  # no period: a stock (30个在建项目) or a descriptor (投资12亿元的…项目)

_PERIOD_RE = re.compile(
    r"(?=[\d截前上下第一二三四全今年])"
    r"(?:(?P<range>(?<![\d.])(?P<a>\d{1,2})[ \t]?[-~至到][ \t]?(?P<b>\d{1,4})[ \t]?月份?)"
    r"|(?P<upto>截[至止](?:\d{4}年)?(?:今年)?(?P<m>\d{1,4})月(?:底|末|份)?|前(?P<first>\d{1,2})个?月)"
    r"|(?P<named>上半年|下半年|前三季度|前两季度|前二季度|第一季度|一季度|第二季度|二季度|第三季度|三季度"
    r"|第四季度|四季度|全年(?!目标|任务|计划|的))"
    r"|(?P<reset>今年以来|年初以来|一年来))"
)
_NAMED_PERIODS = {
    "第一季度": "一季度",
    "第二季度": "二季度",
    "第三季度": "三季度",
    "第四季度": "四季度",
    "前两季度": "上半年",
    "前二季度": "上半年",
}


def _value(m):
    if m.group("range"):
        a, b = int(m.group("a")), int(m.group("b"))
        return "{}-{}月".format(a, b) if 1 <= a <= b <= 12 else SUSPECT
    if m.group("upto"):
        b = int(m.group("m") or m.group("first"))
        return "1-{}月".format(b) if 1 <= b <= 12 else SUSPECT
    if m.group("named"):
        return _NAMED_PERIODS.get(m.group("named"), m.group("named"))
    return None  # 今年以来: resets the period


def read_periods(doc):
    """Set ``doc.periods`` (normalised values, ``SUSPECT`` or None) and ``doc.period_pos``, in order."""
    doc.periods, doc.period_pos = [], []
    for m in _PERIOD_RE.finditer(doc.norm, doc.start):
        doc.periods.append(_value(m))
        doc.period_pos.append(m.start())


def period_at(doc, pos, plan, heading=""):
    """The period in force at ``pos``: the last one named earlier in the paragraph; else, in a plan, 全年; else the
    one the part's heading or the document's title names (一、上半年主要指标完成情况)."""
    i = bisect_right(doc.period_pos, pos) - 1
    line_start = doc.before(doc.lines, pos)
    if i >= 0 and doc.period_pos[i] >= line_start:
        return doc.periods[i]
    if plan:
        return "全年"
    return named_in(heading) or named_in(doc.norm[doc.start : doc.after(doc.lines, doc.start)][:60])


def named_in(text):
    """The period a heading or a title names, if any (上半年, 1-10月, 前三季度)."""
    m = _PERIOD_RE.search(text or "")
    if m is None or not (m.group("range") or m.group("named") or m.group("upto")):
        return None
    value = _value(m)
    return None if value is SUSPECT else value


def month_range(text):
    """ "1-10月" for a header cell such as "1-10月完成", else None."""
    m = _PERIOD_RE.search(text)
    if m and m.group("range"):
        return "{}-{}月".format(m.group("a"), m.group("b"))
    return None
