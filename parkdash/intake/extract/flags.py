"""Flags that qualify a figure for its reviewer.

``placeholder`` (value unreadable: xx, 29XX6, **00), ``suspect_year`` (the year pasted over a number),
``suspect_period``, ``approximate`` (余, 多, 约, 近, 左右), ``at_least`` (以上, 超过, 突破, 逾), ``increment``
(比上年增加5家: a change, not a level), ``label_carried`` (label taken from an earlier figure), ``unit_mismatch``
(the label is a catalogue name but the unit cannot convert to the indicator's), ``placeholder_yoy``, ``range``
(3-5家), ``chinese_numeral`` (三个项目), ``average_growth``, ``progress_points``, ``revision`` (see changes.py).
"""

import re

_AT_LEAST_AFTER_RE = re.compile(r"(?:及)?以上")
_AT_LEAST_BEFORE_RE = re.compile(r"(?:超过|超出|超|突破|逾|不低于|不少于)$")
_APPROX_BEFORE_RE = re.compile(r"(?:约|近|大约|将近|接近)$")
_INCREMENT_BEFORE_RE = re.compile(
    r"(?:(?:比|较|同比)[^,;。]{0,8}?(?:增加|增长|减少|下降|新增|增收|减收)|净增加?|净减少?)[^,;。]{0,8}$"
)


def qualifier_flags(doc, match, before, end, segment):
    """Flags of a figure read by ``match``: ``before`` is the text just before it, ``segment`` its label
    segment and ``end`` the end of its unit."""
    n = doc.norm
    flags = []
    if _AT_LEAST_AFTER_RE.match(n, end) or _AT_LEAST_BEFORE_RE.search(before):
        flags.append("at_least")
    if match.group("approx") or _APPROX_BEFORE_RE.search(before) or n.startswith("左右", end):
        flags.append("approximate")
    if _INCREMENT_BEFORE_RE.search(segment):
        flags.append("increment")
    return flags
