"""Counts written in Chinese numerals (三个项目, 十二家企业, 两所学校), read with cn2an and flagged
``chinese_numeral``.

Chinese numerals are mostly slogans and ordinals (三个定位, 一个定位、三个着力, 两大主导产业, 第二批, 六届十二次),
so a count is read only when it counts things a park has (项目, 企业, 平台, 道路 …), outside quotes and outside a
list of slogans; 一个 is an article more often than a count.
"""

import re
from decimal import Decimal
from functools import lru_cache

from .common import HAN
from .numbers import Figure

_DIGITS = "零一二三四五六七八九十两百千万"
_COUNT_RE = re.compile(
    r"(?<![" + _DIGITS + r"第每这那几哪其“\"])(?P<num>[" + _DIGITS + r"]{1,5})"
    r"(?P<unit>个|家|户|项|座|条|名|宗|栋|幢|台|套|处|所)(?P<noun>[" + HAN + r"]{1,12})"
)
# The count after what it counts, closing a clause: 新建桥梁三座, 改造人行天桥两座.
_COUNT_AFTER_RE = re.compile(
    r"(?<=[" + HAN + r"])(?P<num>[" + _DIGITS + r"]{1,3})(?P<unit>个|家|户|项|座|条|所|栋|幢|台|套|处)"
    r"(?=[,;。、)\n]|$)"
)
# What a park counts. A count of anything else (三个定位, 十个新突破) is a slogan.
_THINGS_RE = re.compile(
    r"项目|企业|公司|平台|园区|工程|厂房|基地|中心|道路|桥梁|学校|社区|党支部|支部|生产线|车间"
    r"|污水处理厂|小区|村|标准厂房|桥|楼|站|馆|公园|广场|医院|公寓"
)
_SLOGAN_NEIGHBOUR_RE = re.compile(r"[、和与]?[" + _DIGITS + r"]{1,3}(?:个|大|项|条)")
_SLOGAN_BEFORE_RE = re.compile(r"[" + _DIGITS + r"]{1,3}个[^、]{1,6}、$")


@lru_cache(maxsize=1)
def _cn2an():
    import cn2an  # imported on first use: loading it takes a few hundred milliseconds

    return cn2an.cn2an


def _value(numeral):
    try:
        return Decimal(_cn2an()(numeral, "smart"))
    except (ValueError, KeyError, IndexError):
        return None


def read_counts(doc, taken):
    """Figures for the Chinese-numeral counts of things in the text proper."""
    found = []
    for m in sorted(_counts(doc), key=lambda m: m.start()):
        value = _value(m.group("num"))
        if value is None or value < 2:
            continue  # 一个 is mostly an article (抓好一个项目, 迈上一个台阶)
        taken.add(m.start())
        found.append(
            Figure(
                s=m.start(),
                e=m.end("unit"),
                value=value,
                unit=m.group("unit"),
                flags=["chinese_numeral"],
                depth=doc.depth(m.start()),
            )
        )
    return found


def _counts(doc):
    """Matches of counts of things: the numeral before what it counts (三个项目) or after it (桥梁三座)."""
    n = doc.norm
    for m in _COUNT_RE.finditer(n, doc.start):
        if not doc.skipped(m.start()) and _THINGS_RE.search(m.group("noun")) and not _in_slogan_list(doc, m):
            yield m
    for m in _COUNT_AFTER_RE.finditer(n, doc.start):
        noun = n[doc.segment_start(m.start()) : m.start()]
        if not doc.skipped(m.start()) and _THINGS_RE.search(noun[-4:]) and not _in_slogan_list(doc, m):
            yield m


def _in_slogan_list(doc, m):
    """True for one of an enumeration of Chinese-numeral phrases (一个定位、三个着力), or inside quotes."""
    n = doc.norm
    before = n[max(doc.start, m.start() - 12) : m.start()]
    if before.count("“") > before.count("”"):
        return True
    after = n[m.end("unit") : m.end("unit") + 8] if m.re is _COUNT_RE else ""
    return bool(_SLOGAN_NEIGHBOUR_RE.search(after)) or bool(_SLOGAN_BEFORE_RE.search(before))
