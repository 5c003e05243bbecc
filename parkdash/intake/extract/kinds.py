"""Kind and version: is a figure an actual (reported) or a target (planned), and is it an estimate (预计)?

Kind comes from the document and the sentence, never from a fallback:

* A plan part (a heading such as 工作思路 / 计划 / 目标任务, or a document titled as a plan) holds targets,
  except figures whose own clause reports a result (已完成, 累计完成, 今年以来) or last year's (去年, 2023年 in a
  2024 plan): last year's actuals quoted in a plan stay actuals.
* Elsewhere a report holds actuals. A target word (确保, 力争, 计划, 目标, 预期, 将, 年任务 …) makes the figures
  after it in its sentence targets, until a word of results (已完成, 累计, 截至, 1-9月 …) takes over.
* 预计 (预计完成, 预计全年) in a report is an actual with version ``estimate``.
* A target named inside a share phrase (占目标任务6亿元的110%, 完成年任务3.5亿元的94.3%) is a target, but the
  phrase is about the actual's progress: its words make nothing else a target.
* A count of what already exists (30个在建项目, 现有企业) is an actual, even in a plan.
"""

import re
from bisect import bisect_right

from .common import QUOTE_MAX

TARGET, ACTUAL, ESTIMATE = "target", "actual", "estimate"
# 将 announces plans, but 将A作为B (like 把) and 即将 (about to) do not.
WILL = r"(?<!即)将(?!近|其|该|此|这|军|[^,;。!?\n]{0,20}?(?:作为|纳入|列入|放在|摆在|当作|当成|落到|落实到))"
# 要 before an action is a directive (全年要新开工项目30个); 主要, 重要, 需要 and 要素 are other words.
MUST = r"(?<![主重需只必纲摘])要(?:新开工|新增|新建|新引进|引进|建成|开工|签约|招引|培育|完成|实现|达到|确保|力争|突破)"
_MARKERS_RE = re.compile(  # the lookahead lets the scan skip to the first characters of the words
    r"(?=[力确争计预目年将要拟已累截完实今去上过明来下\d])"
    r"(?P<target>力争|确保(?!了)|争取(?!到|了)|计划(?!的|内|外|中|生育)|预期|力求|目标|年任务"
    r"|" + WILL + r"|" + MUST + r"|拟(?:投资|新建|建设|引进|实施|开工)|力促|明年|来年|下一步)"
    r"|(?P<estimate>预计)"
    r"|(?P<actual>已完成|已实现|已达|累计|截至|截止|完成了|实现了|实际完成|今年以来|年初以来|\d{1,2}-\d{1,2}月"
    r"|(?<![比较])(?:去年|上年)(?!同期|底|末)|过去一年)"
    r"|(?P<year>(?<![\d.])(?:19|20)\d\d(?=年))"
)
_THIS_YEAR_RE = re.compile(r"今年|本年|明年|来年|年内|全年")
_STOCK_LABEL_RE = re.compile(r"在建|现有|已有|已建成|存量|在谈|在征")
# A clause that works towards targets (围绕年初确定的目标任务, 按照年度计划) or reports them met (完成了各项目标任务)
# names targets as its context: its target words make nothing a target.
_CONTEXT_CLAUSE_RE = re.compile(r"[ \t]*(?:紧紧|始终|全力|继续)?(?:围绕|锚定|对照|按照|紧扣|紧盯|聚焦|根据|对标|瞄准)")
_MET_BEFORE_RE = re.compile(r"(?:完成|实现|超额完成|达成)了?[^,;。]{0,12}$")
_REPORTED_AFTER_RE = re.compile(r"[^,;:。!?\n]{0,6}?(?:完成情况|完成率|执行情况|进展情况|进度|考核)")
# 投资12亿元的…项目 describes a project; 计划投资30亿元的项目 plans an investment.
_INVESTMENT_BEFORE_RE = re.compile(r"(?<!计划)(?<!预计)(?<!拟)(?<!年度)投资(?:额|总额)?(?:约|近|达)?$")
_DESCRIBED_AFTER_RE = re.compile(r"(?:左右)?的[^,;。!?\n]{2,24}?(?:项目|工程|基地|企业|公司|产业园)")


def _markers(doc, a, b):
    """("target" | "estimate" | "actual", offset) of the kind words in ``norm[a:b]``, in order. Words inside a
    share phrase (完成年任务…的23.7%), words naming targets as a context and years that are not past years are
    left out."""
    found = []
    for m in _MARKERS_RE.finditer(doc.norm, a, b):
        if _in_share(doc, m.start()):
            continue
        name = m.lastgroup
        if name == TARGET and names_targets_as_context(doc, m.start()):
            continue
        if name == "year":
            if doc.year is None or int(m.group()) >= doc.year:
                continue
            name = ACTUAL  # last year's figures quoted in a plan
        found.append((name, m.start()))
    return found


def names_targets_as_context(doc, pos):
    """True when the clause at ``pos`` works towards targets (围绕…目标任务) or reports them met (完成了…任务)."""
    clause = max(doc.before(doc.clauses, pos), pos - QUOTE_MAX)
    return (
        bool(_CONTEXT_CLAUSE_RE.match(doc.norm, clause, pos))
        or bool(_MET_BEFORE_RE.search(doc.norm, max(clause, pos - 16), pos))
        or bool(_REPORTED_AFTER_RE.match(doc.norm, pos + 2))
    )  # 目标任务完成情况: a report of targets


def _in_share(doc, pos):
    i = bisect_right(doc.share_starts, pos) - 1
    return i >= 0 and pos < doc.share_spans[i][1]


def kind_at(doc, pos, plan, upto=None):
    """(kind, version) for a figure at ``pos`` in a part that is (``plan``) or is not a plan; its own clause is
    read up to ``upto`` (by default one character on: 目标30亿元)."""
    clause = max(doc.before(doc.clauses, pos), pos - QUOTE_MAX)
    own = {name for name, _ in _markers(doc, clause, upto or pos + 1)}
    if TARGET in own and not (plan and ACTUAL in own):
        return TARGET, None
    if ESTIMATE in own:
        return (TARGET, None) if plan else (ACTUAL, ESTIMATE)  # 预计 in a plan part is a projection
    if ACTUAL in own:
        return ACTUAL, None
    sentence = max(doc.before(doc.sentences, pos), clause - 300)
    if plan:  # a plan, unless its sentence opened with last year's results (2023年,完成…) and goes on with them
        earlier = _markers(doc, _continued_from(doc, sentence, clause - 300), clause)
        last_year = earlier and earlier[-1][0] == ACTUAL and not _THIS_YEAR_RE.search(doc.norm, clause, pos)
        return (ACTUAL, None) if last_year else (TARGET, None)
    earlier = _markers(doc, sentence, clause)
    if not earlier:
        return ACTUAL, None
    name = earlier[-1][0]
    return (TARGET, None) if name == TARGET else (ACTUAL, ESTIMATE if name == ESTIMATE else None)


def _continued_from(doc, start, floor):
    """Where a sentence starts when its lines end in ; or , (one item a line): the first of those lines."""
    n = doc.norm
    while start - 2 >= max(floor, doc.start) and n[start - 1] == "\n" and n[start - 2] in ";,、":
        start = doc.before(doc.sentences, start - 2)
    return max(start, floor)


def is_descriptor(doc, fig):
    """True for the size of a named project (投资12亿元的…项目): an actual without a period."""
    return (
        fig.unit is not None
        and bool(_DESCRIBED_AFTER_RE.match(doc.norm, fig.e))
        and bool(_INVESTMENT_BEFORE_RE.search(doc.norm, max(0, fig.s - 8), fig.s))
    )


def is_stock(doc, fig):
    """True for a count of what already exists (30个在建项目): an actual without a period."""
    if fig.label_span is None:
        return False
    s, e = fig.label_span
    return bool(_STOCK_LABEL_RE.match(doc.norm, s, e))
