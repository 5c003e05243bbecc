"""Sections of a summary: where the text proper starts, its headings, which parts are plans, and its year.

A part about plans (工作思路, 计划, 打算 …) makes its figures targets; a part reporting results (完成情况,
回顾 …) makes them actuals; a document whose title names a plan is a plan throughout.
"""

import re
from bisect import bisect_right
from collections import Counter

from . import kinds
from .normalise import Normalised

_HEAD_LINE_RE = re.compile(
    r"^[ \t]*(?:(?P<l1>[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]{1,3}部分)"
    r"|(?P<l2>\([一二三四五六七八九十]{1,3}\))|(?P<l3>\d{1,2}(?:\.|、)(?!\d)))",
    re.M,
)
_HEAD_INLINE_RE = re.compile(
    r"(?<=。)[ \t]*(?:(?P<l1>[一二三四五六七八九十]{1,3}、)|(?P<l2>\([一二三四五六七八九十]{1,3}\)))"
)
_HEAD_TITLE_RE = re.compile(r"[^。!?\n:]{0,40}")
# A part named on a short line of its own, without a number: "下一步工作打算", "2023年工作完成情况".
_HEAD_PLAIN_RE = re.compile(r"^[ \t]*(?P<plain>[^\n。,;!?]{2,24}?)[ \t:]*$", re.M)
_PLAIN_HEAD_END_RE = re.compile(
    r"(?:思路|计划|打算|安排|要点|重点工作|主要任务|目标任务|工作目标|下一步工作|情况|成效"
    r"|回顾|总结|做法|成绩|亮点)(?:如下)?$"
)
_PLAIN_HEAD_VERB_RE = re.compile(r"确保|力争|实现|完成(?!情况)|\d(?!\d{0,3}年)")
# 重点工作, 主要任务 and 工作举措 head a report's account of work done as often as a plan: only with a word of the
# future (2024年重点工作 in a 2023 summary, 下一步重点工作) do they make a plan part.
_PLAN_HEAD_RE = re.compile(
    r"思路|计划|打算|安排|展望|下一步|下步|下阶段|下一阶段|今后|明年|来年|下一年|工作目标|目标任务|主要目标|预期目标|工作要点"
    r"|努力方向"
)
_HEAD_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)年")
_FUTURE_WORK_HEAD_RE = re.compile(
    r"(?:下一步|今后|明年|来年|下半年)[^。]{0,8}(?:重点工作|工作重点|主要任务|重点任务|工作举措)"
)
_ACTUAL_HEAD_RE = re.compile(r"情况|成效|成绩|回顾|总结|以来|做法|亮点")
_PLAN_SUBHEAD_RE = re.compile(r"思路|计划|打算|下一步|下步|下阶段|今后|明年|来年|工作目标|目标任务|主要目标|预期目标")
_ACTUAL_SUBHEAD_RE = re.compile(r"完成情况|工作回顾|主要成效|工作成效|取得的成绩|进展情况|运行情况|以来|工作总结")
# A document is a plan when its title says so (…工作计划, 工作要点, 调增年度目标) and names no report, or when its
# opening sentence announces one (今年计划…, 园区将…) without reporting anything.
_PLAN_TITLE_RE = re.compile(r"计划|打算|要点|思路|安排|目标|展望|部署")
_REPORT_TITLE_RE = re.compile(r"总结|汇报|情况|通报|回顾|报告|综述|调研|发言|讲话|以来|成效|成绩")
_PLAN_OPENING_RE = re.compile(r"计划|" + kinds.WILL + r"|力争|确保|预期目标|目标是")
_REPORT_OPENING_RE = re.compile(
    _REPORT_TITLE_RE.pattern + r"|已|累计|截至|截止|\d{1,2}-\d{1,2}月|前三季度|上半年"
    r"|一季度|了"
)
_OPENING_RE = re.compile(r"[^。!?\d]{0,300}")  # the opening sentence up to its first number
_NOT_A_TITLE_RE = re.compile(r"[,;。!?]|\d[ \t]?(?:亿|万|个|家|%)")

_BOILER_HEAD_RE = re.compile(
    r"温馨提示|网站客服|客服|本站|本文档|文档由|下载|版权|上传|付费|侵权|预览|文库"
    r"|原创力|豆丁|汇文网|VIP|会员|扫码|二维码"
)
_BOILER_ANY_RE = re.compile(
    r"温馨提示|网站客服|本文档由|版权归属|下载文档|下载前请|文件下载后|付费完成|联系客服"
    r"|本站投诉"
)
_STARTS_BODY_RE = re.compile(r"[ \t]*(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\))")

# A year in a title: 2023年…, 2023工作总结, or 2023 alone on its line (not 2023万元, 2023月26日, 1-2023月).
_YEAR_RE = re.compile(r"(?<![\d.xX\-~])((?:19[89]|20\d)\d)(?=[ \t]*(?:年|工作|度|\n|\Z))")
_YEAR_NIAN_RE = re.compile(r"(?<![\d.xX\-~])((?:19[89]|20\d)\d)\s?年")
_CN_YEAR_RE = re.compile(r"([一二三四五六七八九〇零○Ｏ]{4})\s?年")
_CN_YEAR_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")


def propose_year(text):
    """The year the summary reports on, for the upload form: from the title, else the most frequent 20XX年.

    The title area is the first lines after any site boilerplate. Years pasted over other numbers
    (2023月26日, 1-2023月) are ignored; Chinese-numeral years (二〇二三年) are read too.
    """
    if not text:
        return None
    return year_of(Normalised(text).norm)


def year_of(norm, start=None):
    """The report year named in the title area of ``norm``, else the most frequent 20XX年 after ``start``."""
    start = content_start(norm) if start is None else start
    head = norm[start : start + 300]
    m = _YEAR_RE.search(head)
    if m:
        return int(m.group(1))
    m = _CN_YEAR_RE.search(head)
    if m:
        return int(m.group(1).translate(_CN_YEAR_DIGITS))
    years = Counter(int(m.group(1)) for m in _YEAR_NIAN_RE.finditer(norm, start))
    if years:
        return years.most_common(1)[0][0]
    return None


def content_start(norm):
    """Offset of the summary proper: after the document site's notice lines at the top, if any."""
    start = 0
    pos = 0
    for count, line in enumerate(norm[:4000].split("\n")):
        end = pos + len(line) + 1
        if _BOILER_HEAD_RE.search(line):
            start = min(end, len(norm))
        elif _STARTS_BODY_RE.match(line) or len(line.strip()) > 60 or count > 40:
            break
        pos = end
    return start


def boilerplate_spans(doc):
    """Sorted, disjoint (start, end) spans of site notice lines inside the text."""
    spans = []
    for m in _BOILER_ANY_RE.finditer(doc.norm, doc.start):
        a, b = doc.before(doc.lines, m.start()), doc.after(doc.lines, m.start())
        if not spans or a >= spans[-1][1]:
            spans.append((a, b))
    return spans


def _heading_marks(doc):
    """{offset: (level, title end)} of every heading: numbered (一、 (一) 1.) or a plain title line."""
    n = doc.norm
    found = {}
    for regex in (_HEAD_LINE_RE, _HEAD_INLINE_RE):
        for m in regex.finditer(n, doc.start):
            level = 1 if m.group("l1") else 2 if m.group("l2") else 3
            at = m.start(m.lastgroup)
            title_end = _HEAD_TITLE_RE.match(n, m.end()).end()
            found.setdefault(at, (level, title_end))
    for m in _HEAD_PLAIN_RE.finditer(n, doc.start):
        title = m.group("plain")
        if _PLAIN_HEAD_END_RE.search(title) and not _PLAIN_HEAD_VERB_RE.search(title):
            found.setdefault(m.start("plain"), (1, m.end("plain")))
    return found


def _names_a_later_year(title, year):
    return year is not None and any(int(y) > year for y in _HEAD_YEAR_RE.findall(title))


def _is_plan_heading(title, level, long_item, parent, year=None):
    if level == 1:
        # "主要目标任务完成情况" reports results: words of results win over words of plans. A part that names
        # neither (重点工作任务, 保障措施) is what the document is: a plan's parts plan, a report's parts report.
        if _ACTUAL_HEAD_RE.search(title):
            return False
        if _PLAN_HEAD_RE.search(title) or _FUTURE_WORK_HEAD_RE.search(title) or _names_a_later_year(title, year):
            return True
        return parent
    if long_item:
        return parent  # a long "1.…" item is a sentence of the part, not a heading that names it
    if _PLAN_SUBHEAD_RE.search(title):
        return True
    if _ACTUAL_SUBHEAD_RE.search(title):
        return False
    return parent


def read_headings(doc):
    """Set ``doc.heads`` [(title, is_plan)], ``doc.head_pos`` and ``doc.plan_doc`` (the title names a plan)."""
    n = doc.norm
    found = _heading_marks(doc)
    doc.plan_doc = is_plan_document(doc)
    doc.heads, doc.head_pos = [], []
    stack = {0: doc.plan_doc}
    for at, (level, title_end) in sorted(found.items()):
        parent = stack[max(k for k in stack if k < level)]
        plan = _is_plan_heading(n[at:title_end], level, title_end - at > 24, parent, doc.year)
        stack = {k: v for k, v in stack.items() if k < level}
        stack[level] = plan
        doc.heads.append((doc.original(at, title_end).strip(), plan))
        doc.head_pos.append(at)


def is_plan_document(doc):
    """True when the title (a short first line) names a plan and no report, or when, without such a title, the
    opening sentence announces plans (今年计划…, 园区将…) before its first number and reports nothing."""
    n = doc.norm
    first_end = doc.after(doc.lines, doc.start)
    title = n[doc.start : first_end].strip()
    if 0 < len(title) <= 60 and not _NOT_A_TITLE_RE.search(title):
        if _REPORT_TITLE_RE.search(title):
            return False
        if _PLAN_TITLE_RE.search(title):
            return True
    opening = _OPENING_RE.match(n, doc.start)
    if _REPORT_OPENING_RE.search(opening.group()):
        return False
    return any(
        not kinds.names_targets_as_context(doc, m.start())
        for m in _PLAN_OPENING_RE.finditer(n, opening.start(), opening.end())
    )


def heading_at(doc, pos):
    """(title, is_plan) of the part that holds ``pos``."""
    i = bisect_right(doc.head_pos, pos) - 1
    return doc.heads[i] if i >= 0 else ("", doc.plan_doc)
