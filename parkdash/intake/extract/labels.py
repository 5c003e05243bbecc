"""Labels: the words that name a figure, and the catalogue indicator they name.

A figure's label is the noun phrase before the number (固定资产投资20.75亿元) or, after a verb or a count,
after it (围绕13个续建工程, 领旗食品3户规上企业); a clause without one carries the previous figure's (力争160亿元;
硬化道路4条,2000米; 比目标任务增加7个). The indicator is the catalogue name or alias found in the label, longest
first, with a compatible unit; a catalogue name that ends right at the number wins over everything (土地征收3200亩).

Not labels: verbs and adverbs around the name (完成, 共, 全年, 加快), the park or a town as a whole (园区, 全区,
天水经济技术开发区), comparisons (较2023年末), measures between a count and its noun (6条总长2886米的道路). A
breakdown in brackets by parts of the park gives zones (家具园62家, 一期6.96平方公里).
"""

import re
from bisect import bisect_left

from . import compose, zones
from .common import CN_DIGITS, HAN, LOOKBACK, last_match
from .units import COUNT_HEADS, compatible, dimension

# Words between a label and its number, or before an object (完成供地…, 围绕13个…). Stripped from the end.
_TAIL_WORDS = (
    "实现",
    "完成",
    "累计",
    "共计",
    "合计",
    "总计",
    "达到",
    "新增",
    "引进",
    "招引",
    "包括",
    "获得",
    "实施",
    "启动",
    "形成",
    "争取到",
    "争取",
    "力争",
    "确保",
    "预计",
    "计划",
    "目标是",
    "目标为",
    "围绕",
    "推进",
    "对接",
    "衔接",
    "选送",
    "开工建设",
    "建设",
    "建成",
    "新建",
    "投产",
    "开工",
    "落户",
    "拥有",
    "办理",
    "培育",
    "签约",
    "组织",
    "举办",
    "召开",
    "引导",
    "跟踪",
    "重点",
    "全面",
    "积极",
    "继续",
    "进一步",
    "基本",
    "已经",
    "已",
    "了",
    "共",
    "约",
    "近",
    "超过",
    "超",
    "逾",
    "为",
    "是",
    "有",
    "和",
    "及",
    "与",
    "并",
    "又",
    "再",
    "先后",
    "分别",
    "全部",
    "均",
    "都",
    "其中",
    "目前",
    "同时",
    "主动",
    "专门",
    "首次",
    "全年",
    "今年",
    "年内",
    "当年",
    "本年",
    "对",
    "向",
    "将",
    "要",
    "还",
    "也",
    "等",
    "达",
    "共有",
    "现有",
    "其中有",
    "今年以来",
    "年初以来",
    "一年来",
    "同比",
    "比上年",
    "较上年",
    "比去年",
    "较去年",
    "增加",
    "增长",
    "减少",
    "下降",
    "新",
    "在",
    "于",
    "从",
    "以",
    "的",
    "目标",
    "年度目标",
    "全年目标",
    "目标值",
    "任务",
    "突破",
    "铺设",
    "改建",
    "新建改建",
    "入驻",
    "已入驻",
    "净增",
    "净减",
    "同期",
    "比上年同期",
    "较上年同期",
    "比去年同期",
    "较去年同期",
    "不少于",
    "不低于",
    "不超过",
    "不多于",
    # verbs before an object counted after them (加快30个在建项目, 接洽29家企业)
    "加快",
    "推动",
    "促进",
    "促成",
    "帮助",
    "走访",
    "协调",
    "解决",
    "接洽",
    "接待",
    "打造",
    "建立",
    "组建",
    "新组建",
    "签订",
    "谋划",
    "安装",
    "栽植",
    "修建",
    "新修",
    "承担",
    "开展",
    "洽谈",
    "加强",
    "完善",
    "筹建",
    "引入",
    "聘请",
    "新开工",
    "续建",
    "带动",
    "扶持",
    "支持",
    "指导",
    "帮扶",
    "力促",
    "促使",
    "达成",
    "申报",
    # a level reached (发展到86家, 增加到) and a change in revenue (同比减收0.4亿元: flagged as an increment)
    "发展到",
    "增加到",
    "增长到",
    "提高到",
    "上升到",
    "下降到",
    "降至",
    "增至",
    "增收",
    "减收",
    # a target revised from one amount to another (目标由80亿元|调增至95亿元), a level reached (下降到)
    "由",
    "到",
    "至",
    "调增至",
    "调减至",
    "调增到",
    "调减到",
    "调整为",
    "调整到",
    "调整后为",
    "上调至",
    "下调至",
    # adverbs of expectation and of what remains (预计全年可达, 有望突破, 目前尚有, 仍有)
    "可达",
    "可实现",
    "可完成",
    "有望",
    "尚",
    "仍",
    "仅",
)
_TAIL_BY_LAST = {}
for _w in sorted(set(_TAIL_WORDS), key=len, reverse=True):
    _TAIL_BY_LAST.setdefault(_w[-1], []).append(_w)
_TAIL_PATTERN_RE = re.compile(
    r"(?:第?[" + CN_DIGITS + r"\d]{1,3}[批期届轮]|\d{1,2}[-~至到]\d{1,4}月份?|\d{1,2}月(?:底|末|份)?"
    r"|\d{4}年(?:度|末|底|初)?|上半年|下半年|前三季度|[一二三四]季度|年底前|年底|年初)$"
)
# Verbs that split a subject from its object inside a segment (北片造田造地工程已完成 | 开挖).
SPLIT_RE = re.compile(
    r"实现|完成|累计|共计|合计|总计|达到|新增|引进|招引|获得|实施|启动|形成|争取到|争取|力争|确保|预计|围绕|推进"
    r"|对接了?|衔接了?|选送|开工建设|新建|改建|铺设|突破|拥有|办理|培育|签约|组织|举办|其中有?|包括|目前|同时|今年以来"
    r"|今年|全年|\d{1,2}[-~至到]\d{1,4}月份?|\d{4}年度?|促进|力促|促使|尚有|仍有|还有|共有"
)
# A verb opening a label is not part of the name (建设住房 → 住房, 修建框架道路 → 框架道路).
_LEAD_VERB_RE = re.compile(
    r"(?:建设|新建|修建|兴建|新修|建成(?!区)|安装|铺设|栽植|完成|实现|开工建设|组织|举办|召开)(?=[" + HAN + r"]{2})"
)
# A head that says too little on its own (投资额, 总投资): the subject before the verb belongs to the label
# (基础设施建设累计投资额).
# 等 closes a list of names before the thing they are (滨河大道、纬三路等道路); not 中等, 高等, 等级.
_LIST_CLOSE_RE = re.compile(r"(?<![中高初同平次上对])等(?![级等])")
_GENERIC_HEAD_RE = re.compile(r"(?:总)?(?:投资|投资额|投入|金额|总额|资金|面积|长度|产值)")
# A measure between a count and what it counts (6条总长2886米的道路): the count takes the label after it.
_MEASURE_GAP_RE = re.compile(r"(?:总长|全长|长度?|宽|总面积|面积)(?:为|达|约)?")
# A label that names no thing, only a measure of it (总数, 总长度): the thing is named before.
_MEASURE_ONLY_RE = re.compile(r"(?:总|全)(?:数|数量|量|长|长度|面积|规模)|数量|长度")
_BREAKDOWN_PART_RE = re.compile(
    r"(?:其中)?(?P<part>[" + HAN + r"A-Za-z]{0,8}?(?:园区|园|片区|片|区|[一二三四五六七八九十\d]期))"
    r"(?:约|近|共|达|为)?"
)
_NOT_A_PART_RE = re.compile(r"幼儿园|公园|花园|校园|乐园|陵园|社区|小区|辖区|城区|景区|全区")
_SHORT_LIST_RE = re.compile(r"(?:[" + HAN + r"]{1,2}、)+(?P<last>[" + HAN + r"]{2,14})")
_LIST_GAP_RE = re.compile(r"[、, \t]{0,2}(?:共|共计|合计|总计|计)?")  # 2栋、共860套
# Places that open what a count names after it (园区道路, 农产品物流园道路) and lists of places (A和B道路).
_PLACE_PREFIX_RE = re.compile(
    r"(?:[" + HAN + r"]{0,10}(?:和|与|及|、))?[" + HAN + r"]{0,8}?(?:园区|工业园|产业园|物流园|园)(?=[" + HAN + r"]{2})"
)
# Words that open a segment without naming anything: particles, 即 (namely), 各类 (all kinds of). 在建, 在谈 and
# 在征 name a state and stay.
LEAD_JUNK_RE = re.compile(
    r"(?:\([一二三四五六七八九十\d]{1,3}\)|[的对于将把从向及和与了已,、 \t]|在(?![建谈征])|即|各类|各项|各种|各级"
    r"|共计|合计|总计|全区|全县|全市|我区|该区|本区"
    r"|共(?!青)|全年|今年|当年|年内|其中|此外|另外|同时|目前|要(?=新|引进|建成|开工|签约|招引|培育))+"
)
# Not labels: the park or a place as a whole (园区, 全区, 天水经济技术开发区), a comparison (比上年, 较2023年末).
_NOT_A_LABEL_RE = re.compile(
    r"[" + HAN + r"A-Za-z]{0,14}?(?:开发区|高新区|经开区|新区|集聚区|集中区|园区|工业园|产业园|县|市|镇|乡)(?:内|里)?"
    r"|全区|我区|该区|本区|区内|比|较|(?:比|较)(?:上年|去年|同期|目标|年初|计划|任务|\d{4}年)[" + HAN + r"\d]{0,8}"
)
_VERB_PREFIX_RE = re.compile(r"(?:完成|实现|获得|累计|新增)")
_AFTER_RUN_RE = re.compile(r"(?:左右)?(?:长|宽|深)?的?(?P<run>[" + HAN + r"A-Za-z]{1,16})")
# Where a label written after its count ends (13家入区企业|在9月底前…, 7条市政道路|完成临时路面).
_AFTER_STOP_RE = re.compile(
    r"的|已|正在|即将|正|在(?!建)|于|将|和|及|与|等|处在|处于|完成|实现|开工|投产|落户|进行|全部|全面|均|都|并"
    r"|也|达到|同比|比上年|比去年|较|增长|下降|增幅|增速|占|用于|获得|被|通过|其中|居|位居|排名|共|累计|(?<!规模|限额)以上"
    r"|以下|左右|建设|为|是|成为|顺利|基本|陆续|相继|分别|投入使用|总投资|计划|今年|目前|先后|已经|推进|因|由于"
)
_AFTER_STOP_AT_START_RE = re.compile(
    r"已(?![" + HAN + r"]{1,4}(?:项目|企业))"  # 已签约项目 names which projects
    r"|正在|即将|正|在(?!建)|于|将|和|及|与|等|完成|实现|均|都|并|也|同比|比上年|比去年|较|增长|下降|占|分别|调"
    r"|为|是|共|累计|以上|以下|左右|全部|陆续|相继|顺利|基本|其中|用于|达到|先后|目前|今年|已经"
)
_THINGS_RE = re.compile(r"项目|企业|工程|平台|基地|厂房|公司")
# A name heading the clause after it: "1.工业总产值:", "(一)规上工业增加值。", "税收:"; only verbs and adverbs
# between it and the figure.
_HEADING_NAME_RE = re.compile(
    r"[ \t]*(?:\d{1,2}[.、]|\(?[一二三四五六七八九十]{1,3}[)、]|\(\d{1,2}\))?"
    r"[ \t]*(?P<name>[" + HAN + r"A-Za-z]{2,16})[ \t]*"
)
_NOT_A_HEADING_NAME_RE = re.compile(r"如下|情况|目标是|任务是|主要|要求|预计|园区|全区|我区|今年|全年|以来|月")
_NO_LABEL_BETWEEN_RE = re.compile(
    r"[ \t]*(?:全年|今年|累计|共|预计|完成|实现|达到|达|为|是|约|近|超过|突破|同比)*[ \t]*"
)
_PER_UNIT_WORDS = frozenset(("亩均", "人均", "地均", "户均", "单位"))
_TOPIC_RE = re.compile(r"[ \t]*(?:从|在)?(?P<topic>(?!分)[" + HAN + r"]{2,12}?)(?:方面|来看|上看|看)[,:]")
_RESPECTIVELY_RE = re.compile(r"分别(?:为|是|达到|达|完成|实现)?")
LIST_ITEM_RE = re.compile(r"[^、和与及]+")


def label_all(doc, figures):
    """Label every figure; a figure without a label of its own takes its neighbour's or carries one."""
    prev_end = 0
    for fig in figures:
        _label(doc, fig, prev_end)
        prev_end = fig.e
    _breakdown_zones(doc, figures)
    _generic_labels(doc, figures)
    for i, fig in enumerate(figures):
        if fig.label_span is not None or fig.percent:
            continue
        # "6宗3319亩用海工程": the first count takes the next one's label.
        nxt = figures[i + 1] if i + 1 < len(figures) else None
        if (
            nxt is not None
            and nxt.label_span is not None
            and (nxt.s - fig.e <= 1 or _MEASURE_GAP_RE.fullmatch(doc.norm, fig.e, nxt.s))
        ):
            copy_label(fig, nxt)  # 6宗3319亩用海工程, 6条总长2886米的道路
            continue
        if _heading_label(doc, fig):
            continue
        parent = _parent(doc, figures, i) or _listed_before(doc, figures, i)
        if parent is not None:
            fig.label_span, fig.label_text, fig.entry = parent.label_span, parent.label_text, parent.entry
            if fig.entry is not None and not compatible(fig.unit, fig.entry):
                fig.entry = None
            if fig.zone is None and parent.zone is not None and parent.depth < fig.depth:
                fig.zone = parent.zone
            fig.flags.append("label_carried")
        else:
            _topic_label(doc, fig)
    for fig in figures:
        if fig.entry is None:
            _compose(doc, fig)


def _heading_label(doc, fig):
    """A figure whose clause follows an indicator's name and a colon or a full stop (工业总产值:完成45.6亿元;
    (一)规上工业增加值。完成38.2亿元) takes that name; True if it did."""
    n = doc.norm
    clause = doc.before(doc.clauses, fig.s)
    if clause - 1 <= doc.start or n[clause - 1] not in ":。" or not _NO_LABEL_BETWEEN_RE.fullmatch(n, clause, fig.s):
        return False
    a = doc.before(doc.clauses, clause - 1)
    m = _HEADING_NAME_RE.fullmatch(n, a, clause - 1)
    if m is None or _NOT_A_HEADING_NAME_RE.search(m.group("name")):
        return False
    s, e = m.span("name")
    fig.label_span, fig.entry = (s, e), entry_in(doc, s, e, fig)
    return True


def _topic_label(doc, fig):
    """The topic a sentence opens with (亩均税收方面,高新区达到38.6万元/亩; 从工业投资看,…) labels a figure that has
    no label of its own; a breakdown (分园区看) is not a topic."""
    topic = _TOPIC_RE.match(doc.norm, doc.before(doc.groups, fig.s), fig.s)
    if topic is not None:
        s, e = topic.span("topic")
        fig.label_span, fig.entry = (s, e), entry_in(doc, s, e, fig)
        fig.flags.append("label_carried")


def _generic_labels(doc, figures):
    """A label that only says how something is measured (总数达到141家, 7条、总长12.6千米) is about the thing the
    figure before it in the clause group names: the figure takes that label."""
    for i, fig in enumerate(figures):
        if fig.label_span is None or fig.entry is not None or not _MEASURE_ONLY_RE.fullmatch(doc.norm, *fig.label_span):
            continue
        group = doc.before(doc.groups, fig.s)
        before = next((f for f in figures[max(0, i - 4) : i][::-1] if f.label_span is not None and f.s >= group), None)
        if before is not None and not _MEASURE_ONLY_RE.fullmatch(doc.norm, *before.label_span):
            copy_label(fig, before)
            fig.flags.append("label_carried")


def _breakdown_zones(doc, figures):
    """A breakdown in brackets by parts of the park (入驻项目106家(家具园62家、食品园27家), 规划面积30平方公里(一期
    6.96平方公里、二期23平方公里)): each part is a zone of the figure before the brackets, with its label."""
    for i, fig in enumerate(figures):
        if fig.depth == 0 or fig.zone is not None:
            continue
        name = _BREAKDOWN_PART_RE.fullmatch(doc.norm, doc.segment_start(fig.s), fig.s)
        if name is None or _NOT_A_PART_RE.search(name.group("part")):
            continue
        outer = _outer(doc, figures, i)
        if outer is not None:
            fig.zone = doc.cleaned(name.start("part"), name.end("part"))
            copy_label(fig, outer)
            fig.flags.append("label_carried")


def _outer(doc, figures, i):
    """The labelled figure outside the brackets that hold ``figures[i]``, measured in the same way."""
    fig = figures[i]
    sentence = doc.before(doc.sentences, fig.s)
    for j in range(i - 1, max(-1, i - 20), -1):
        other = figures[j]
        if other.s < sentence:
            return None
        if other.depth < fig.depth and other.label_span is not None:
            return other if dimension(other.unit) == dimension(fig.unit) else None
    return None


def carry_from_rates(doc, figures):
    """A figure still without a label after a growth-only one or an average growth in its clause group takes that
    one's (固定资产投资增长10%以上,达到108亿元; 年均增长12%,力争突破400亿元). ``figures`` holds the value-less ones
    and the changes too, in order."""
    for i, fig in enumerate(figures):
        if fig.label_span is not None or fig.label_text or fig.percent or i == 0:
            continue
        before = figures[i - 1]
        rate = before.value_less or "average_growth" in before.flags
        if rate and before.label_span is not None and before.s >= doc.before(doc.groups, fig.s):
            copy_label(fig, before)
            fig.flags.append("label_carried")


def copy_label(fig, source):
    """Give ``fig`` the label and indicator of ``source`` (its indicator only if the units fit)."""
    fig.label_span, fig.label_text = source.label_span, source.label_text
    fig.entry = source.entry if source.entry is not None and compatible(fig.unit, source.entry) else None


def _compose(doc, fig):
    """A label made of the activity and the head noun of a count (新开工A、B等项目4个 → 新开工项目)."""
    clause = max(doc.before(doc.clauses, fig.s), fig.s - 2 * LOOKBACK)
    text = compose.composed_label(doc, fig, clause)
    if text is not None:
        fig.label_text = text
        fig.entry = doc.cat.named_in(text, lambda entry: compatible(fig.unit, entry))
        if "label_carried" in fig.flags:
            fig.flags.remove("label_carried")


def _listed_before(doc, figures, i):
    """The figure listed right before a label-less one (硬化道路4条,2000米; 住房1.3万套、130万平方米): the same
    thing measured another way."""
    if i == 0 or figures[i - 1].label_span is None or figures[i - 1].percent:
        return None
    before = figures[i - 1]
    return before if _LIST_GAP_RE.fullmatch(doc.norm, before.e, figures[i].s) else None


def _parent(doc, figures, i):
    """The figure whose label a label-less one carries: an enclosing one, else an earlier one alike."""
    fig = figures[i]
    line_start = doc.before(doc.lines, fig.s)
    dim = dimension(fig.unit)
    for j in range(i - 1, max(-1, i - 12), -1):
        other = figures[j]
        if other.s < line_start:
            break
        if other.label_span is None or other.percent:
            continue
        if fig.depth > 0 and other.depth < fig.depth:
            return other if dimension(other.unit) == dim else None
        if dimension(other.unit) == dim:
            return other
    return None


def _label(doc, fig, prev_end):
    n = doc.norm
    a = doc.segment_start(fig.s, prev_end)
    entry, length = doc.cat.ending_at(n, a, fig.s)
    if entry is not None and compatible(fig.unit, entry) and not fig.percent and not _per_unit(doc, a, fig.s - length):
        fig.label_span, fig.entry = (fig.s - length, fig.s), entry  # a catalogue name ending in a verb: 土地征收
        fig.zone = zones.zone_in(doc, a, fig.s - length)
        return
    b, stripped, zone = strip_tail(doc, a, fig.s)
    if b <= a and a > prev_end and n[a - 1] == ")":
        # 地区生产总值(GDP)152亿元: the label is before a short bracket that ends right at the number.
        opening = n.rfind("(", max(doc.start, a - 16), a)
        if opening > doc.start:
            a = doc.segment_start(opening, prev_end)
            b, stripped, zone = strip_tail(doc, a, opening)
    fig.zone = zone
    after = None if fig.percent else _after_label(doc, fig)
    if after is not None and (
        stripped
        or b <= a
        or _names_what_is_counted(doc, fig, after)
        or _MEASURE_GAP_RE.fullmatch(n, doc.segment_start(b, prev_end), b)
    ):
        fig.label_span, fig.entry = after
    elif b > a and _before_label(doc, a, b, fig):
        pass
    elif after is not None:
        fig.label_span, fig.entry = after
    if fig.zone is None:
        end = fig.label_span[0] if fig.label_span and fig.label_span[0] < fig.s else b
        fig.zone = zones.zone_in(doc, a, end)
    if fig.zone is None:
        fig.zone = zones.zone_heading_dash_list(doc, fig.s)


def _names_what_is_counted(doc, fig, after):
    """True when the words after a count name what is counted (领旗食品3户规上企业, A和B 2个项目): they are the
    label rather than the names listed before the count."""
    if fig.unit not in COUNT_HEADS:
        return False
    (s, e), entry = after
    return entry is not None or bool(_THINGS_RE.search(doc.norm, s, e))


def strip_tail(doc, a, b):
    """Strip verbs, adverbs, ordinals, periods and zone names from the end of ``norm[a:b]``.

    Returns ``(new end, whether anything was stripped, the zone stripped if any)``."""
    n = doc.norm
    stripped, zone = False, None
    while b > a:
        ch = n[b - 1]
        if ch in " \t":
            b -= 1
            continue
        word = next((w for w in _TAIL_BY_LAST.get(ch, ()) if b - len(w) >= a and n.startswith(w, b - len(w))), None)
        if word is not None:
            b -= len(word)
            stripped = True
            continue
        m = _TAIL_PATTERN_RE.search(n, max(a, b - 12), b)
        if m is not None:
            b = m.start()
            stripped = True
            continue
        found = zones.zone_ending_at(doc, a, b)
        if found is None:
            break
        name, b = found
        zone = zone or name
        stripped = True
    return b, stripped, zone


def _before_label(doc, a, b, fig):
    """Set the label written before the number, within ``norm[a:b]`` (stripped at its end); False if none."""
    n = doc.norm
    entry, length = doc.cat.ending_at(n, a, b)
    if entry is not None and compatible(fig.unit, entry) and not _per_unit(doc, a, b - length):
        s = b - length
        m = _VERB_PREFIX_RE.match(n, s)
        if m and b - m.end() >= 2:
            s = m.end()
        fig.label_span, fig.entry = (s, b), entry
        return True
    s, b, verb = _object_of_verb(doc, a, b, fig)
    s = _skip_openers(doc, s, b, fig)
    if b - s < 1 or (b - s == 1 and not n[s].isalpha()):
        return False
    zone = zones.zone_ending_at(doc, s, b)
    if (zone is not None and zone[1] == s) or _NOT_A_LABEL_RE.fullmatch(n, s, b):
        return False
    fig.label_span, fig.entry = (s, b), entry_in(doc, s, b, fig)
    if verb is not None and s < verb[0]:
        fig.label_text = doc.cleaned(s, verb[0]) + doc.cleaned(verb[1], b)  # 新材料产业(完成)产值
    return True


def _per_unit(doc, a, s):
    """True when the catalogue name at ``s`` is measured per unit (亩均税收, 人均产值): another indicator."""
    return s - 2 >= a and doc.norm[s - 2 : s] in _PER_UNIT_WORDS


def _object_of_verb(doc, a, b, fig):
    """(start, end, verb span or None) of the label in ``norm[a:b]``: what follows the last verb that splits a
    subject from its object (园区完成|投资); the subject when the verb ends the segment (北片造田造地工程已完成); the
    subject and the object without the verb when the object says too little alone (新材料产业|完成|产值)."""
    n = doc.norm
    split = last_match(SPLIT_RE, n, a, b)
    if split is None or split.end() == b - 1:
        return a, b, None  # no verb, or one that leaves a single character: part of a word (银企对接会)
    if split.end() >= b:
        b, _, zone = strip_tail(doc, a, split.start())
        fig.zone = fig.zone or zone
        return a, b, None
    if _GENERIC_HEAD_RE.fullmatch(n, split.end(), b):
        subject = LEAD_JUNK_RE.match(n, a, split.start())
        if split.start() - (subject.end() if subject else a) >= 2:
            return (subject.end() if subject else a), b, split.span()  # 基础设施建设|累计|投资额
    return split.end(), b, None


def _skip_openers(doc, s, b, fig):
    """Where the label proper starts: after particles and adverbs (的, 其中, 全年), an opening verb (建设住房), the
    names listed before 等 (建成A路、B路等道路), and a zone (南片), which becomes the figure's zone."""
    n = doc.norm
    m = LEAD_JUNK_RE.match(n, s, b)
    if m:
        s = m.end()
    m = _LEAD_VERB_RE.match(n, s, b)
    if m:
        s = m.end()
    listed = last_match(_LIST_CLOSE_RE, n, s, b)
    if listed is not None and b - listed.end() >= 2:
        s = listed.end()
    opening = zones.zone_starting(doc, s, b)
    if opening is not None:
        fig.zone = fig.zone or opening[0]
        s = opening[1]
    return max(s, b - 20)


def _after_label(doc, fig):
    """The label written after a count or a 的 (13个续建工程, 3700余亩的融资权证办理), if any."""
    n = doc.norm
    m = _AFTER_RUN_RE.match(n, fig.e)
    if m is None:
        return None
    s, e = m.start("run"), m.end("run")
    if _AFTER_STOP_AT_START_RE.match(n, s):
        return None
    listed = _SHORT_LIST_RE.match(n, s)
    if listed:
        e = listed.end("last")  # 9个市、县重点项目: the modifiers listed belong to the noun
    if _MEASURE_GAP_RE.fullmatch(n, s, e) and n[e : e + 1].isdigit():
        return None  # 6条|总长2886米的道路: the count takes the label of the measure
    place = _PLACE_PREFIX_RE.match(n, s, e)
    if place:
        s = place.end()  # 2886米的食品产业园和农产品物流园|道路
    stop = _AFTER_STOP_RE.search(n, s + 1, e)
    if stop is not None:
        e = stop.start()
    e = min(e, s + 12)
    if e - s < 1 or (e - s == 1 and fig.unit not in COUNT_HEADS):
        return None
    entry, length = doc.cat.starting_at(n, s, min(len(n), s + 16))
    if entry is not None and compatible(fig.unit, entry):
        return (s, s + length), entry  # the catalogue's words: 续建项目(推进), 用海项目的验收(和收储)
    return (s, e), entry_in(doc, s, e, fig)


def entry_in(doc, s, e, fig):
    """The catalogue entry named in the label ``norm[s:e]`` whose unit fits the figure, if any."""
    found = [f for f in doc.cat.inside(doc.norm, s, e) if not _per_unit(doc, s, f[1])]
    if not found:
        return None
    # Prefer the head noun (an alias ending the label), then one opening it, then the longest.
    found.sort(key=lambda f: (f[1] + f[2] != e, f[1] != s, -f[2]))
    for entry, _, _ in found:
        if compatible(fig.unit, entry):
            return entry
    if any(length == e - s for _, _, length in found):
        fig.flags.append("unit_mismatch")
    return None


def _respectively_run(doc, figures, starts, pos):
    """The figures listed right after ``分别…`` at ``pos``: "85.6亿元、80.2亿元"."""
    n = doc.norm
    run = []
    for j in range(bisect_left(starts, pos), len(figures)):
        fig = figures[j]
        if fig.value_less:
            continue
        gap = n[pos : fig.s] if fig.s - pos <= 8 else "far"
        if gap.strip(" 、,和与及约近") or len(run) == 20:
            break
        run.append(fig)
        pos = fig.e
    return run


def label_lists(doc, figures):
    """Pair "A、B分别为x、y" labels with their figures in order."""
    n = doc.norm
    starts = [f.s for f in figures]
    for m in _RESPECTIVELY_RE.finditer(n, doc.start):
        run = _respectively_run(doc, figures, starts, m.end())
        if len(run) < 2:
            continue
        a = max(doc.before(doc.clauses, m.start()), m.start() - 60)
        lead = SPLIT_RE.match(n[a : m.start()])
        offset = a + (lead.end() if lead else 0)
        names = [(x.start() + offset, x.end() + offset) for x in LIST_ITEM_RE.finditer(n[offset : m.start()])]
        if len(names) != len(run):
            continue
        for fig, (s, e) in zip(run, names):
            fig.label_span = (s, e)
            fig.entry = entry_in(doc, s, e, fig)
            if "label_carried" in fig.flags:
                fig.flags.remove("label_carried")
