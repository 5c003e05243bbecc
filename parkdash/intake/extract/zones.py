"""Zones: the named parts of a park a figure belongs to (东部XX县区, 上马工业园, 北片 …).

The park's own zone names (``extract(…, zones=[…])``: the park's Zone records on import, ``--zones`` on the
command line) are zones wherever they stand before a figure, and are given in the park's spelling. Other zones
are recognised by pattern (…县区, …工业园, …园区, …产业园, …片区, 北片/南片/中片/东片/西片): a zone right
before a figure, or named in brackets after the figure it breaks down (其中城东工业园8亿元), or heading a dash
list (北片3路5桥——…(桥2座)); "其中工业用地…" names a kind, which is an indicator, not a zone.
"""

import re

from .common import HAN, LOOKBACK, QUOTE_MAX

_QUARTERS = "东南西北中"
_PAIRED = "东南西北"  # 南北片, 东西片: two quarters together
_ZONE_SUFFIXES = ("工业园区", "县区", "园区", "工业园", "产业园", "片区")
_ZONE_MENTION_RE = re.compile(
    r"县区|工业园区|工业园|产业园|园区|片区|(?<![东南西北])[东南西北中]片(?!区)|(?<![东南西北集])[东南西北中]区"
)
_ZONE_NAME_RE = re.compile(r"[" + HAN + r"A-Za-z]")
_ZONE_STOPS_RE = re.compile(
    r"在|于|对|向|和|与|及|的|获得|实现|完成|其中|包括|全|本|该|各|年|月|日|为|是|了|推进|建设|开工|启动|至|到|从"
)
ZONE_START_RE = re.compile(
    r"(?:[东南西北中]片区?(?!["
    + HAN
    + r"]?区))|(?<![东南西北集])[东南西北中]区(?!内)|["
    + HAN
    + r"A-Za-z]{1,8}?(?:县区|工业园区|工业园|产业园|片区|园区)"
)


def zone_in(doc, a, b):
    """The last zone named in ``norm[a:b]`` (南片完成投资…, 在城东工业园新建…), if any."""
    known = _last_known(doc, a, b)
    for m in reversed(list(_ZONE_MENTION_RE.finditer(doc.norm, a, b))):
        if known is not None and known[1] >= m.end():
            break
        found = zone_ending_at(doc, a, m.end())
        if found is not None:
            return found[0]
    return known[0] if known is not None else None


def _last_known(doc, a, b):
    """(the park's name, end) of the last of the park's zones named in ``norm[a:b]``."""
    if doc.zone_re is None:
        return None
    found = None
    for m in doc.zone_re.finditer(doc.norm, a, b):
        if not _both_halves(doc.norm, m.start()):
            found = m
    return (doc.zone_names[found.group()], found.end()) if found else None


def _both_halves(n, start):
    """True for 北片 in 南北片: two quarters named together are the whole park."""
    return start > 0 and n[start] in _QUARTERS and n[start - 1] in _PAIRED


def _known_ending_at(doc, a, b):
    for name in doc.zone_lengths:
        if (
            b - len(name) >= a
            and doc.norm.startswith(name, b - len(name))
            and not _both_halves(doc.norm, b - len(name))
        ):
            return doc.zone_names[name], b - len(name)
    return None


def zone_ending_at(doc, a, b):
    """A zone name (东部XX县区, 上马工业园, 南片 …) that ends at ``b``: ``(original name, start)``."""
    n = doc.norm
    known = _known_ending_at(doc, a, b)
    if known is not None:
        return known
    # 北片 and 东区 but not 南北片 (both halves: the whole park) or 集中区; 其中北片 is 北片
    if b - a >= 2 and n[b - 1] in "片区" and n[b - 2] in _QUARTERS and not (b > a + 2 and n[b - 3] in _PAIRED + "集"):
        return doc.cleaned(b - 2, b), b - 2
    for suffix in _ZONE_SUFFIXES:
        if n.startswith(suffix, b - len(suffix)) and b - len(suffix) >= a:
            z = b - len(suffix)
            lo = z
            while lo > max(a, z - 8) and _ZONE_NAME_RE.match(n, lo - 1):
                lo -= 1
            stops = list(_ZONE_STOPS_RE.finditer(n, lo, z))
            if stops:
                lo = stops[-1].end()
            # 市园区, 县工业园: a whole town's parks, not a part of this one (北片区 is one)
            if z - lo >= 2 or (z - lo == 1 and n[lo] in _QUARTERS):
                return doc.cleaned(lo, b), lo
            return None
    return None


def zone_starting(doc, s, b):
    """A zone name opening ``norm[s:b]`` and followed by more text: ``(original name, end)`` or None."""
    m = doc.zone_re.match(doc.norm, s, b) if doc.zone_re is not None else None
    if m and m.end() < b:
        return doc.zone_names[m.group()], m.end()
    m = ZONE_START_RE.match(doc.norm, s, b)
    if m and m.end() < b:
        return doc.cleaned(m.start(), m.end()), m.end()
    return None


def zone_heading_dash_list(doc, pos):
    """ "北片3路5桥——松航北路南段(桥2座)、25街(桥1座)": a zone heading a dash list covers its items."""
    clause = max(doc.before(doc.clauses, pos), pos - QUOTE_MAX)
    dash = doc.norm.rfind("--", clause, pos)
    if dash >= 0:
        return zone_in(doc, max(clause, dash - LOOKBACK), dash)
    return None
