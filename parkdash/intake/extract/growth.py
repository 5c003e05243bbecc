"""Growth and shares: 同比增长42.45%, 比去年同期增长42, 下降3.5 %, 分别增长8.5%、9.5%, 占…的35%, 完成全年目标的49%.

A rate attaches to the figure before it in its clause group; without one it makes a value-less candidate
(工业增加值增长12%) labelled by the words before the rate. A growth target revised (增长目标由8%调增至9.5%,
增长目标调增1.5个百分点,调整后为11%) gives the original and the revised rate.
"""

import re
from bisect import bisect_left
from decimal import Decimal

from . import labels, zones
from . import shares as shares_module
from .candidate import tidy
from .common import LOOKBACK, last_match
from .numbers import RANGE_AFTER_RE, UNIT_AT_RE, Figure

_GROWTH_RE = re.compile(
    r"(?P<verb>增长率|增长|增加(?!值)|提高|提升|上升|上涨|下降|减少|降低|回落|下滑|增幅|增速|降幅"
    r"|同比(?=[+-]\d))"
    r"(?:预期)?(?:目标)?(?:由|从)?"  # 增长目标由8%(调增至9.5%)
    r"(?:(?:最高|最快|最大|较快|较高|居首)[,:]?(?=达|为))?"  # 增幅最高,达到21.5%
    r"(?:了|为|达到|达|约|近|超过|超)?[ \t]?"
    r"(?P<num>[+-]?(?:\d+(?:\.\d+)?|(?=[\d.xX]*[xX])[\dxX]+(?:\.[\dxX]+)?))"
    r"[ \t]?(?P<suffix>%|个百分点|倍)?"
)
# A growth target revised: 增长目标由8%|调增至9.5%; 增长目标调增1.5个百分点,|调整后为11%.
_REVISED_RATE_RE = re.compile(r"调(?:增|减|高|低|整)后?(?:至|到|为)[ \t]?(?P<num>\d+(?:\.\d+)?)[ \t]?%")
_AFTER_REVISION_RE = re.compile(
    r"调(?:增|减|高|低)[ \t]?\d+(?:\.\d+)?[ \t]?个?百分点[,;]?[ \t]?调整后(?:为|是)?[ \t]?(?P<num>\d+(?:\.\d+)?)[ \t]?%"
)
_GROWTH_LIST_ITEM_RE = re.compile(r"[、,和与及][ \t]?(?P<num>[+-]?\d+(?:\.\d+)?)[ \t]?%")
_BOTH_BEFORE_RE = re.compile(r"(?:均|都|分别)(?:同比|比上年)?$")
# Between two rates of one indicator: a separator and target words (增长10%、力争增长12%; 增长8%,争取增长10%).
_PAIRED_GAP_RE = re.compile(r"(?:(?:以上|左右)?[、,;和或][ \t]?(?:确保|力争|争取|努力|预期|计划)?(?:同比)?)?")
_BOUND_WORDS = ("以上", "左右", "多", "以下")
_NEGATIVE_VERBS = frozenset(("下降", "减少", "降低", "回落", "下滑", "降幅"))

_GROWTH_QUALIFIER_RE = re.compile(
    r"同比|比上年同期|比去年同期|较上年同期|较去年同期|比上年|比去年|较上年|较去年|比同期|较同期|较|比|同期|分别"
    r"|均|了|负|年均|平均|累计|全年|今年|上半年|前三季度|\d{1,2}[-~至到]\d{1,4}月份?|的|已经|已|[ \t]"
    r"|同口径|按可比价格计算|按可比价计算|按可比价|可比价|确保|力争|争取|预计|计划|要|将"
    r"|(?:增长|增速|增幅)(?:预期)?目标"
)


def read_growths(doc, taken):
    """Every growth rate as ``(start, end, [values], verb)``; the offsets of their numbers go into ``taken``."""
    n = doc.norm
    out = []
    for m in _GROWTH_RE.finditer(n, doc.start):
        raw = m.group("num")
        if m.start("num") + len(raw) - len(raw.lstrip("+-")) in taken:
            continue  # 年均增长24.5%: read as a change of its own
        suffix = m.group("suffix")
        end = m.end()
        if suffix is None:
            if UNIT_AT_RE.match(n, m.end("num")):
                continue  # 比上年增加5家: an increment, read as a figure
            nxt = n[end : end + 1]
            if nxt and (nxt.isalnum() or nxt == ".") and not n.startswith(_BOUND_WORDS, end):
                continue  # 增长2023年, 增长42个…: not a rate; 增长90以上 is one
        elif suffix == "个百分点":
            taken.add(m.start("num"))
            continue
        if RANGE_AFTER_RE.match(n, end):
            continue
        numbers = [(raw, m.start("num") + len(raw) - len(raw.lstrip("+-")))]
        if n.startswith("分别", max(0, m.start() - 2)) or "分别" in n[max(0, m.start() - 8) : m.start()]:
            end = _respectively_rates(n, end, numbers)
        negative = m.group("verb") in _NEGATIVE_VERBS or n[max(0, m.start() - 1) : m.start()] == "负"
        values = []
        for text_num, at in numbers:
            taken.add(at)
            values.append(_rate(text_num, suffix, negative))
        out.append((m.start(), end, values, m.group("verb")))
        revised = _REVISED_RATE_RE.match(n, end)
        if revised is not None and suffix == "%":
            taken.add(revised.start("num"))
            out.append((revised.start(), revised.end(), [_rate(revised.group("num"), "%", negative)], "revised"))
    for m in _AFTER_REVISION_RE.finditer(n, doc.start):
        taken.add(m.start("num"))
        out.append((m.start(), m.end(), [_rate(m.group("num"), "%", False)], "revised"))
    return sorted(out)


def _respectively_rates(n, pos, numbers):
    """Append the rates listed after "分别增长8.5%" (、9.5%、10%) to ``numbers``; return where the list ends."""
    while True:
        item = _GROWTH_LIST_ITEM_RE.match(n, pos)
        if item is None:
            return pos
        item_num = item.group("num")
        numbers.append((item_num, item.start("num") + len(item_num) - len(item_num.lstrip("+-"))))
        pos = item.end()


def _rate(text_num, suffix, negative):
    """The rate in percent: None for a placeholder, ×100 for 倍, negative for 下降."""
    if "x" in text_num.lower():
        return None
    v = Decimal(text_num)
    if suffix == "倍":
        v *= 100
    return tidy(-v if negative else v)


def attach(doc, figures, growths, shares):
    """Give growth rates and shares to the figures before them; the rest become value-less candidates."""
    starts = [f.s for f in figures]
    extra = _attach_growths(doc, figures, starts, growths)
    for share in shares:
        if doc.skipped(share.start):
            continue
        owners = _owners(doc, figures, starts, share.start, 1, "share")
        if not owners:
            owners = _free_figures(doc, share.start, share.end, 1)
            extra.extend(owners)
        for fig in owners:
            fig.share = share.value
            fig.reach = max(fig.reach, share.end)
            shares_module.label_targets(share, fig)
    return extra


def _attach_growths(doc, figures, starts, growths):
    """Growth rates onto the figures before them; value-less candidates for the others, returned."""
    extra = []
    for start, end, values, _verb in growths:
        if doc.skipped(start):
            continue
        owners = _owners(doc, figures, starts, start, len(values), "yoy")
        if not owners:
            owners = _paired_with(doc, extra[-1] if extra else None, start, end, len(values))
        if not owners:
            owners = _free_figures(doc, start, end, len(values))
            if not owners and len(values) == 1 and _BOTH_BEFORE_RE.search(doc.norm, max(0, start - 4), start):
                owners = _free_figures(doc, start, end, 0)  # A、B均增长12%: each grew by 12%
                values = values * len(owners)
        if owners and owners[0].value_less:
            extra.extend(owners)
        for fig, value in zip(owners, values):
            fig.yoy = value
            fig.reach = max(fig.reach, end)
            if value is None:
                fig.flags.append("placeholder_yoy")
    return extra


def _paired_with(doc, before, start, end, count):
    """A rate right after a growth-only one, with only target words between (确保增长10%、力争增长12%), is
    about the same indicator: a value-less figure with that one's label."""
    if count != 1 or before is None or before.label_span is None:
        return []
    if not _PAIRED_GAP_RE.fullmatch(doc.norm, before.reach, start):
        return []
    fig = Figure(
        s=start, e=end, value=None, unit=None, flags=["label_carried"], depth=doc.depth(start), value_less=True
    )
    labels.copy_label(fig, before)
    fig.zone, fig.reach = before.zone, end
    return [fig]


def _owners(doc, figures, starts, pos, count, attr):
    """The ``count`` figures a rate at ``pos`` refers to: the last ones before it in the clause group,
    at the same or an outer bracket depth, unless the rate's own clause names something else."""
    n = doc.norm
    clause = max(doc.before(doc.clauses, pos), pos - LOOKBACK)
    i = bisect_left(starts, pos)
    own_clause = [f for f in figures[max(0, i - 3) : i] if f.s >= clause and not f.percent]
    if not own_clause:
        head = _GROWTH_QUALIFIER_RE.sub("", n[clause:pos]).strip(" \t()")
        if len(head) >= 2:
            return []  # 工业增加值增长12%: the rate has its own subject
    group = max(doc.before(doc.groups, pos), pos - 300)
    depth = doc.depth(pos)
    owners = []
    for j in range(i - 1, -1, -1):
        fig = figures[j]
        if fig.s < group:
            break
        if fig.percent or fig.depth > depth or fig.share_target or "increment" in fig.flags:
            continue  # an increment (同比增收0.3亿元) is not what grew: the figure before it is
        if getattr(fig, attr) is not None:
            break
        owners.append(fig)
        if len(owners) == count:
            break
    return owners[::-1] if len(owners) == count else []


def _free_figures(doc, start, end, count):
    """Value-less figures for a rate that has no figure before it, labelled by the words before the rate."""
    out = []
    for span in free_labels(doc, start, count):
        fig = _value_less(doc, span, start, end)
        if fig is not None:
            out.append(fig)
    return out


def free_labels(doc, pos, count):
    """Label spans for rates without a figure: "工业增加值增长12%", "A、B分别增长8.5%、9.5%"; ``count`` 0 for
    "A、B均增长12%" (one span per name)."""
    n = doc.norm
    a = max(doc.before(doc.clauses, pos), pos - LOOKBACK)
    b = _strip_growth_words(doc, a, pos)
    split = last_match(labels.SPLIT_RE, n, a, b)
    if split is not None and split.end() < b:
        a = split.end()
    m = labels.LEAD_JUNK_RE.match(n, a, b)
    if m:
        a = m.end()
    if b - a < 2:
        return []
    names = [(x.start() + a, x.end() + a) for x in labels.LIST_ITEM_RE.finditer(n[a:b])]
    if count == 1 and not (len(names) > 1 and _BOTH_BEFORE_RE.search(n, max(a, pos - 4), pos)):
        return [(a, b)]
    return names if len(names) == count or (count == 0 and len(names) > 1) else []


def _strip_growth_words(doc, a, b):
    n = doc.norm
    while b > a:
        for m in _GROWTH_QUALIFIER_RE.finditer(n, max(a, b - 8), b):
            if m.end() == b:
                b = m.start()
                break
        else:
            break
    return b


def _value_less(doc, span, start, end):
    s, e = span
    fig = Figure(s=start, e=end, value=None, unit=None, flags=[], depth=doc.depth(start), value_less=True)
    fig.label_span = span
    fig.entry = labels.entry_in(doc, s, e, fig)
    opening = zones.zone_starting(doc, s, e)
    if opening is not None:
        fig.zone = opening[0]
        fig.label_span = (opening[1], e)
    fig.reach = end
    return fig
