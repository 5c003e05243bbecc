"""Labels composed from an activity and the head noun of what is counted.

Summaries count projects and enterprises around a list of names: 新开工A、B等1-5亿元项目4个, 引进1个总投资5亿元以上的
大项目, 推动A、B等19个项目开工建设, 完成7个项目签约入园. The names and size classes say which ones; what is counted is
the activity and the head noun: 新开工项目, 引进大项目, 签约项目.
"""

import re

from .common import HAN

_ACTIVITY = (
    r"(?P<verb>新开工|开工建设|开工|签约|签订|引进|招引|新入园|新入驻|竣工投产|竣工|建成(?:并)?(?:试)?(?:投产|生产)"
    r"|建成|投产|储备|续建)"
)
_HEAD = r"(?P<head>(?:重点|重大|工业|产业|大|龙头|招商|外资)?(?:项目|企业))"
# Size classes between an activity and its head noun: 超亿元, 5亿元以上, 1-5亿元, 总投资5000万元-5亿元的.
_SIZE = r"(?:超?亿元|总投资|[\d.]+(?:万元|亿元)?[-~至][\d.]+(?:万元|亿元)|[\d.]+(?:万元|亿元)(?:以上|以下)?|的|[ \t])*"
_LIST = r"(?:[^,;。:!?]{0,40}?等)?"
# The head noun ends right before the count: 新开工A等1-5亿元项目|4个.
_BEFORE_RE = re.compile(_ACTIVITY + _LIST + _SIZE + r"(?:(?<=的)[" + HAN + r"、]{0,12}?)?" + _HEAD + r"[ \t]?$")
# The count comes first and the head noun after it: 引进|1个|总投资5亿元以上的大项目.
_VERB_BEFORE_COUNT_RE = re.compile(_ACTIVITY + _LIST + r"[ \t]?$")
_HEAD_AFTER_RE = re.compile(r"[ \t]?(?:总投资[^,;。]{0,16}?的)?" + _HEAD)
# …and the activity after the head noun: 7个|项目签约入园, 19个|项目开工建设.
_HEAD_THEN_VERB_RE = re.compile(r"[ \t]?" + _HEAD + r"[ \t]?(?:已|正在|相继)?" + _ACTIVITY)
_NORMAL_VERB = {"开工建设": "新开工", "开工": "新开工", "签订": "签约", "招引": "引进", "新入驻": "新入园"}
_COUNTS = ("个", "家", "户", "项")


def _activity(verb):
    if verb.startswith("建成") and verb != "建成":
        return "建成投产"
    return _NORMAL_VERB.get(verb, verb)


def composed_label(doc, fig, clause_start):
    """ "新开工项目" for a count written around a list of names or a size class, or None."""
    if fig.unit not in _COUNTS or fig.value_less:
        return None
    n = doc.norm
    m = _BEFORE_RE.search(n, clause_start, fig.s)
    if m:
        return _activity(m.group("verb")) + m.group("head")
    after = _HEAD_AFTER_RE.match(n, fig.e)
    verb = _VERB_BEFORE_COUNT_RE.search(n, clause_start, fig.s)
    if after and verb:
        return _activity(verb.group("verb")) + after.group("head")
    m = _HEAD_THEN_VERB_RE.match(n, fig.e)
    if m:
        return _activity(m.group("verb")) + m.group("head")
    return None
