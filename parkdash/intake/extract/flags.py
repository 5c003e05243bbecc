"""Flags that qualify a figure for its reviewer: approximate (余, 约), at least (以上), an increase rather than a
level, a value that hides the report year.

Flags: ``placeholder`` (value unreadable: xx, 29XX6), ``suspect_year``, ``suspect_period``, ``approximate``,
``at_least``, ``increment`` (比上年增加5家: a change, not a level), ``label_carried`` (label taken from an
earlier figure), ``unit_mismatch`` (the label is a catalogue name but the unit cannot convert to the
indicator's), ``placeholder_yoy``.
"""

import re

_AT_LEAST_AFTER_RE = re.compile(r"(?:及)?以上")
_APPROX_BEFORE_RE = re.compile(r"(?:约|近|大约|将近|接近)$")
_INCREMENT_BEFORE_RE = re.compile(r"(?:比|较|同比)[^,;。]{0,8}?(?:增加|增长|减少|下降|新增|净增|净减)$")


def qualifier_flags(doc, match, before, end, segment):
    """Flags of a figure read by ``match``: ``before`` is the text just before it, ``segment`` its label
    segment and ``end`` the end of its unit."""
    n = doc.norm
    flags = []
    if _AT_LEAST_AFTER_RE.match(n, end):
        flags.append("at_least")
    if match.group("approx") or _APPROX_BEFORE_RE.search(before) or n.startswith("左右", end):
        flags.append("approximate")
    if _INCREMENT_BEFORE_RE.search(segment):
        flags.append("increment")
    return flags
