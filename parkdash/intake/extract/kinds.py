"""Kind: is a figure an actual (reported) or a target (planned)? From its part and its sentence."""

import re

from .common import QUOTE_MAX

_TARGET_RE = re.compile(
    r"力争|确保(?!了)|争取(?!到|了)|计划(?!的|内|外|中)|预计|预期|力求|目标(?:是|为|任务是|任务为|值|:|\d)"
    r"|将(?:完成|实现|达到|新增|建成|引进|突破)|要(?:完成|实现|达到)|拟(?:投资|新建|建设|引进)"
)
_ACTUAL_RE = re.compile(r"已完成|已实现|已达|累计|截至|截止|完成了|实现了|今年以来|年初以来|\d{1,2}-\d{1,2}月")
_PLAN_ACTUAL_RE = re.compile(r"已完成|已实现|累计完成|累计实现|今年以来")


def kind_at(doc, pos, plan):
    """"target" or "actual" for a figure at ``pos`` in a part that is (``plan``) or is not a plan."""
    n = doc.norm
    clause = max(doc.before(doc.clauses, pos), pos - QUOTE_MAX)
    own = n[clause:pos + 1]  # one character more: 目标30亿元
    if plan:
        return "actual" if _PLAN_ACTUAL_RE.search(own) else "target"
    if _TARGET_RE.search(own):
        return "target"
    if _ACTUAL_RE.search(own):
        return "actual"
    sentence = max(doc.before(doc.sentences, pos), clause - 300)
    last_target = last_actual = -1
    for m in _TARGET_RE.finditer(n, sentence, clause):
        last_target = m.start()
    for m in _ACTUAL_RE.finditer(n, sentence, clause):
        last_actual = m.start()
    return "target" if last_target > last_actual else "actual"
