"""Figures out of a work summary (工作总结): bytes → text → candidate figures.

Pure Python: no Django, no ORM, no request. ``services.py`` and the views turn candidates into figures.

Public API
----------
``decode(data) -> str``
    UTF-8 (with or without BOM), UTF-16/32 with BOM, GB18030/GBK; raises :class:`DecodeError` otherwise.
``propose_year(text) -> int | None``
    The report year named in the title (or most often in the text), for the upload form.
``extract(text, catalogue=CATALOGUE, year=None) -> list[Candidate]``
    Every figure (a number, or a placeholder such as ``xx``, with a unit) in document order.

How extraction reads a summary
------------------------------
* Matching runs on a *normalised copy* of the text of the same length (full-width forms folded, the document
  sites' word swaps such as 开展→发展, 工程→项目 undone), so offsets and quotes always refer to the original.
* Site boilerplate before the title (温馨提示 …, 网站客服 …) is skipped.
* Headings (一、 / (一) / 1.) split the text into parts; a part about plans (工作思路, 计划, 打算 …) makes its
  figures targets, period 全年 by default. Elsewhere a clause with a target verb (力争, 确保, 预计 …) makes
  its figure, and the sentence's later figures, targets.
* A figure's label is the noun phrase before the number (固定资产投资20.75亿元) or, after a verb or a
  count, after it (围绕13个续建工程); a clause without one carries the previous figure's (力争160亿元).
  The indicator is the catalogue name or alias found in the label, longest first, with a compatible unit.
* Growth (同比增长42.45%, 比去年同期增长42, 下降3.5 %, 分别增长8.5%、9.5%) and shares (占…%, 完成全年目标
  的49%) attach to the figure before them; without one they make a value-less candidate (工业增加值增长12%).
* Not figures: dates and periods (8月29日, 1-10月), ordinals and ranks (第28位, 第四批, 一期), thresholds
  (500万元以上企业, 百亿元级), ranges used as guidance (每位领导联系2-3家企业), rates per person or day
  (每天联系1次), back-references (这2项约束), street names (21街: 街 is not a unit).
* A value that hides the report year (新投产企业2023家, 202300亩) is kept but flagged ``suspect_year``;
  a period that does (1-2023月) is dropped and its figures flagged ``suspect_period``.
* Zones are recognised by pattern (…县区, …工业园, …园区, …产业园, …片区, 北片/南片/中片/东片/西片): a zone right
  before a figure, or named in brackets after the figure it breaks down (其中城东工业园8亿元), or heading a dash
  list (北片3路5桥——…(桥2座)); "其中工业用地…" names a kind, which is an indicator, not a zone.
* Word tables arrive as tab-separated rows; a header row names the columns (单位, 1-10月完成, 全年目标, 同比增长,
  完成率), so a row gives an actual and a target with their unit, growth and share.

Flags: ``placeholder`` (value unreadable: xx, 29XX6), ``suspect_year``, ``suspect_period``, ``approximate``
(余, 多, 约, 近, 左右), ``at_least`` (10个以上), ``increment`` (比上年增加5家: a change, not a level),
``label_carried`` (label taken from an earlier figure), ``unit_mismatch`` (the label is a catalogue name but
the unit cannot convert to the indicator's), ``placeholder_yoy``.

JSON: :meth:`Candidate.to_dict` writes Decimals as strings ("20.75"), so no precision is lost.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from parkdash.core import units as _units
from parkdash.indicators.catalogue import CATALOGUE

__all__ = ["Candidate", "DecodeError", "decode", "extract", "propose_year"]


# --------------------------------------------------------------------------------------------------------------
# decode
# --------------------------------------------------------------------------------------------------------------


class DecodeError(ValueError):
    """The uploaded bytes are not a text document in an encoding we can read without guessing."""


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .xlsx or .zip file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc, .xls, .wps)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# C0 controls other than tab, newline, carriage return and form feed never occur in a text document.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes) -> str:
    """Decode an uploaded summary, trying strict decoders in a fixed order; never guess silently.

    Order: a byte-order mark (UTF-8, UTF-16, UTF-32), then strict UTF-8, then strict GB18030 (a superset of
    GBK and GB2312) accepted only when the result reads as Chinese text. Raises :class:`DecodeError` for empty
    input, known binary formats (images, PDF, Office files) and anything else.
    """
    if not data:
        raise DecodeError("The file is empty.")
    head = bytes(data[:16])
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise DecodeError("This looks like {}, not a text file. Save the summary as plain text (.txt)."
                              .format(what))
    for bom, codec in _BOMS:
        if head.startswith(bom):
            try:
                text = bytes(data).decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError("The file starts with a {} byte-order mark but is not valid {}: {}".format(
                    codec.upper(), codec.upper(), exc)) from None
            return _checked(text, codec)
    try:
        return _checked(bytes(data).decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = bytes(data).decode("gb18030")
    except UnicodeDecodeError:
        raise DecodeError("The file is neither UTF-8 nor GB18030/GBK text; it may be binary or in another "
                          "encoding. Save it as UTF-8 text and upload it again.") from None
    if not _reads_as_chinese(text):
        raise DecodeError("The file is not valid UTF-8, and read as GB18030/GBK it gives no sensible text; "
                          "it may be binary or in another encoding (Big5, Latin-1 …).")
    return _checked(text, "gb18030")


def _checked(text, codec):
    if "\x00" in text or len(_CONTROL_RE.findall(text, 0, 1 << 20)) > 2:
        raise DecodeError("The file decodes as {} but contains control characters: it is binary, not text."
                          .format(codec.upper()))
    if not text.strip():
        raise DecodeError("The file contains no text.")
    return text


def _reads_as_chinese(text):
    """True when nearly every non-ASCII character is a common (GB2312) character: real Chinese prose is."""
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if non_ascii == 0:
        return True
    # Characters outside GB2312 come out as "?"; random bytes decode mostly to rare or private-use ones.
    rare = text.encode("gb2312", "replace").count(b"?") - text.count("?")
    return rare <= 0.05 * non_ascii


# --------------------------------------------------------------------------------------------------------------
# normalisation (same length as the original, so offsets carry over)
# --------------------------------------------------------------------------------------------------------------

_FOLD = {chr(i): chr(i - 0xFEE0) for i in range(0xFF01, 0xFF5F)}  # full-width ASCII → ASCII
_FOLD.update({"\u3000": " ", "\xa0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "〞": "”", "〝": "“",
              "—": "-", "–": "-", "―": "-", "〜": "~", "﹪": "%", "×": "X", "╳": "X", "〔": "(", "〕": ")",
              "﹙": "(", "﹚": ")"})
# A regex touches only the few characters to fold; str.translate would look up every character.
_FOLD_RE = re.compile("[" + "".join(map(re.escape, _FOLD)) + "]")
# Word swaps made by document-site rewriting tools; undone for matching only (same length each).
_REWRITES = {"开展": "发展", "根底": "基础", "工程": "项目", "效劳": "服务", "屡次": "多次", "平安": "安全",
             "根本": "基本", "效劳业": "服务业"}
assert all(len(k) == len(v) for k, v in _REWRITES.items())
_REWRITE_RE = re.compile("|".join(sorted(map(re.escape, _REWRITES), key=len, reverse=True)))


def _normalise(text):
    folded = _FOLD_RE.sub(lambda m: _FOLD[m.group()], text)
    return _REWRITE_RE.sub(lambda m: _REWRITES[m.group()], folded)


# --------------------------------------------------------------------------------------------------------------
# the candidate
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Candidate:
    """One figure proposed for import, with where it came from (``text[start:end] == quote``)."""

    label: str
    indicator_code: str | None
    value: Decimal | None
    unit: str | None
    canonical_value: Decimal | None
    canonical_unit: str | None
    yoy_pct: Decimal | None
    period: str | None
    kind: str
    zone: str | None
    share_pct: Decimal | None
    start: int
    end: int
    quote: str
    flags: list[str] = field(default_factory=list)
    section: str = ""

    KEYS = ("label", "indicator_code", "value", "unit", "canonical_value", "canonical_unit", "yoy_pct", "period",
            "kind", "zone", "share_pct", "start", "end", "quote", "flags")

    def to_dict(self, with_section=False):
        """The 15 public fields, JSON-ready: Decimals as plain strings ("0.3214"), flags as a list."""
        out = {}
        for key in self.KEYS:
            value = getattr(self, key)
            if isinstance(value, Decimal):
                value = _plain(value)
            elif key == "flags":
                value = list(value)
            out[key] = value
        if with_section:
            out["section"] = self.section
        return out


def _plain(d):
    """A Decimal as a string without exponent or trailing zeros: 20.7500 → "20.75", 1E+2 → "100"."""
    text = format(d.normalize(), "f")
    return text


def _tidy(d):
    d = d.normalize()
    return d.quantize(Decimal(1)) if d.as_tuple().exponent > 0 else d


# --------------------------------------------------------------------------------------------------------------
# catalogue matching
# --------------------------------------------------------------------------------------------------------------

_ALIAS_SPLIT_RE = re.compile(r"[\n,，、;；]+")


class _Catalogue:
    """Names and aliases of a catalogue, normalised, for longest-first lookups by position."""

    def __init__(self, entries):
        self.by_alias = {}
        aliases = []
        for entry in entries:
            name = getattr(entry, "name_zh", None) or getattr(entry, "name", "")
            self._add(name, entry)
            raw = getattr(entry, "aliases", ()) or ()
            aliases.extend((a, entry) for a in (_ALIAS_SPLIT_RE.split(raw) if isinstance(raw, str) else raw))
        for alias, entry in aliases:  # names first: a name wins over another entry's identical alias
            self._add(alias, entry)
        self.lengths = sorted({len(k) for k in self.by_alias}, reverse=True)

    def _add(self, label, entry):
        key = _normalise((label or "").strip())
        if len(key) >= 2:  # one character says too little (绿, 税)
            self.by_alias.setdefault(key, entry)

    def ending_at(self, s, a, b):
        """Longest alias that is ``s[x:b]`` with ``x >= a``: ``(entry, length)`` or ``(None, 0)``."""
        for n in self.lengths:
            if b - n >= a and s[b - n:b] in self.by_alias:
                return self.by_alias[s[b - n:b]], n
        return None, 0

    def starting_at(self, s, a, b):
        """Longest alias that is ``s[a:y]`` with ``y <= b``."""
        for n in self.lengths:
            if a + n <= b and s[a:a + n] in self.by_alias:
                return self.by_alias[s[a:a + n]], n
        return None, 0

    def inside(self, s, a, b):
        """Every alias inside ``s[a:b]`` as ``(entry, start, length)``, longest first."""
        found = []
        for n in self.lengths:
            for x in range(a, b - n + 1):
                entry = self.by_alias.get(s[x:x + n])
                if entry is not None:
                    found.append((entry, x, n))
        return found


_CATALOGUE_CACHE = {}
_DEFAULT = []  # the built-in catalogue, matched once


def _catalogue_for(catalogue):
    if catalogue is CATALOGUE and _DEFAULT:
        return _DEFAULT[0]
    entries = list(catalogue)
    key = tuple((getattr(e, "code", None), getattr(e, "name_zh", None), str(getattr(e, "aliases", "")),
                 getattr(e, "unit", None)) for e in entries)
    cached = _CATALOGUE_CACHE.get(key)
    if cached is None:
        if len(_CATALOGUE_CACHE) > 16:
            _CATALOGUE_CACHE.clear()
        cached = _CATALOGUE_CACHE[key] = _Catalogue(entries)
    if catalogue is CATALOGUE:
        _DEFAULT.append(cached)
    return cached


_DIMENSIONS = {}


def _dimension(symbol):
    if symbol not in _DIMENSIONS:
        try:
            _DIMENSIONS[symbol] = _units.get_unit(symbol).dimension
        except _units.UnitError:
            _DIMENSIONS[symbol] = None
    return _DIMENSIONS[symbol]


def _compatible(unit, entry):
    """True when a figure in ``unit`` can be stored under ``entry`` (no unit: a growth-only candidate)."""
    if unit is None:
        return True
    target = getattr(entry, "unit", None)
    return _dimension(unit) is not None and _dimension(unit) == _dimension(target)


# --------------------------------------------------------------------------------------------------------------
# patterns (compiled once)
# --------------------------------------------------------------------------------------------------------------

_HAN = "\u4e00-\u9fff"
_CN_DIGITS = "一二三四五六七八九十两"

# Counts that are not quantities of anything we track: durations, percentage points, aspects …
_NON_UNITS = ("个百分点", "个点", "个月", "个工作日", "个小时", "个季度", "个年度", "个方面", "个百亿", "个千亿",
              "个亿", "个环节", "个阶段")


def _unit_alternation():
    symbols = (set(_units.UNITS) | set(_units.ALIASES)) - {"方", "%"}  # bare 方 is mostly 方面/方案
    parts = []
    for sym in sorted(symbols | set(_NON_UNITS), key=len, reverse=True):
        part = re.escape(sym)
        if sym[-1].isascii() and sym[-1].isalpha():
            part += "(?![A-Za-z])"  # 5m, not 5mm or 5min
        parts.append(part)
    return "|".join(parts)


_UNITS_ALT = _unit_alternation()
# A number (20.75, 1,696) or a placeholder with at least one x (xx, XX, x, 29XX6, 1.x). The figure pattern
# starts with a character class so the regex engine can skip quickly to digits; it only starts a number at the
# start of a run of digits and x, never backtracks into it and reads at most 31 characters (linear time on
# "xxxx…" or "1,1,1,…"); _NUM_RE then validates the number.
_FIG_RE = re.compile(
    r"(?P<num>[\dxX](?<![\dxX][\dxX])[\dxX.,]{0,30}+)(?P<approx>余|多)?[ \t]?"
    r"(?:(?P<unit>" + _UNITS_ALT + r")|(?P<pct>%))"
)
_NUM_RE = re.compile(r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[\dxX]*[xX][\dxX]*(?:\.[\dxX]+)?|\d+\.[\dxX]+")
_UNIT_AT_RE = re.compile(r"[ \t]?(?:余|多)?(?:" + _UNITS_ALT + r")")
# A rate such as 亩均税收30万元/亩 or 300万元每亩: the unit is kept as written and converts to nothing.
_PER_UNIT_RE = re.compile(r"(?:/|每)(?:" + _UNITS_ALT + r"|年|月|天|日)")

_GROWTH_RE = re.compile(
    r"(?P<verb>增长率|增长|增加(?!值)|提高|提升|上升|上涨|下降|减少|降低|回落|下滑|增幅|增速|降幅"
    r"|同比(?=[+-]\d))"
    r"(?:了|为|达到|达|约|近|超过|超)?[ \t]?"
    r"(?P<num>[+-]?(?:\d+(?:\.\d+)?|(?=[\d.xX]*[xX])[\dxX]+(?:\.[\dxX]+)?))"
    r"[ \t]?(?P<suffix>%|个百分点|倍)?"
)
_GROWTH_LIST_ITEM_RE = re.compile(r"[、,和与及][ \t]?(?P<num>[+-]?\d+(?:\.\d+)?)[ \t]?%")
_NEGATIVE_VERBS = frozenset(("下降", "减少", "降低", "回落", "下滑", "降幅"))

# The leading lookaheads give the regex engine a first-character set to skip ahead with (3x faster scans).
_SHARE_RE = re.compile(
    r"(?=[占完达实为目计年全])(?:占(?P<of>[^,;。!?\n%]{0,16}?)的?(?:比重|比例|份额)?(?:为|达到|达)?"
    r"|(?:完成|达到|实现|为|占)了?(?:全年度|全年|年度|年)?(?:目标|计划|任务)(?:任务)?的?"
    r"|(?:目标|计划|年度|全年)?完成率(?:为|达到|达)?)"
    r"[ \t]?(?P<num>\d+(?:\.\d+)?|[xX]+)[ \t]?%"
)

_PERIOD_RE = re.compile(
    r"(?=[\d截前上下第一二三四全今年])"
    r"(?:(?P<range>(?<![\d.])(?P<a>\d{1,2})[ \t]?[-~至到][ \t]?(?P<b>\d{1,4})[ \t]?月份?)"
    r"|(?P<upto>截[至止](?:\d{4}年)?(?:今年)?(?P<m>\d{1,4})月(?:底|末|份)?|前(?P<first>\d{1,2})个月)"
    r"|(?P<named>上半年|下半年|前三季度|前两季度|前二季度|第一季度|一季度|第二季度|二季度|第三季度|三季度"
    r"|第四季度|四季度|全年(?!目标|任务|计划|的))"
    r"|(?P<reset>今年以来|年初以来|一年来))"
)
_NAMED_PERIODS = {"第一季度": "一季度", "第二季度": "二季度", "第三季度": "三季度", "第四季度": "四季度",
                  "前两季度": "上半年", "前二季度": "上半年"}

_TARGET_RE = re.compile(
    r"力争|确保(?!了)|争取(?!到|了)|计划(?!的|内|外|中)|预计|预期|力求|目标(?:是|为|任务是|任务为|值|:|\d)"
    r"|将(?:完成|实现|达到|新增|建成|引进|突破)|要(?:完成|实现|达到)|拟(?:投资|新建|建设|引进)"
)
_ACTUAL_RE = re.compile(r"已完成|已实现|已达|累计|截至|截止|完成了|实现了|今年以来|年初以来|\d{1,2}-\d{1,2}月")

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
_PLAIN_HEAD_END_RE = re.compile(r"(?:思路|计划|打算|安排|要点|重点工作|主要任务|目标任务|工作目标|下一步工作|情况|成效"
                                r"|回顾|总结|做法|成绩|亮点)(?:如下)?$")
_PLAIN_HEAD_VERB_RE = re.compile(r"确保|力争|实现|完成(?!情况)|\d(?!\d{0,3}年)")
_PLAN_HEAD_RE = re.compile(r"思路|计划|打算|安排|展望|下一步|明年|来年|下一年|工作目标|目标任务|主要目标|工作要点"
                           r"|重点工作|主要任务|努力方向|工作举措")
_ACTUAL_HEAD_RE = re.compile(r"情况|成效|成绩|回顾|总结|以来|做法|亮点")
_PLAN_SUBHEAD_RE = re.compile(r"思路|计划|打算|下一步|明年|来年|工作目标|目标任务|主要目标")
_ACTUAL_SUBHEAD_RE = re.compile(r"完成情况|工作回顾|主要成效|工作成效|取得的成绩|进展情况|运行情况|以来|工作总结")
_PLAN_TITLE_RE = re.compile(r"计划|打算|要点|思路")

_BOILER_HEAD_RE = re.compile(r"温馨提示|网站客服|客服|本站|本文档|文档由|下载|版权|上传|付费|侵权|预览|文库"
                             r"|原创力|豆丁|汇文网|VIP|会员|扫码|二维码")
_BOILER_ANY_RE = re.compile(r"温馨提示|网站客服|本文档由|版权归属|下载文档|下载前请|文件下载后|付费完成|联系客服"
                            r"|本站投诉")
_STARTS_BODY_RE = re.compile(r"[ \t]*(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\))")

# A year in a title: 2023年…, 2023工作总结, or 2023 alone on its line (not 2023万元, 2023月26日, 1-2023月).
_YEAR_RE = re.compile(r"(?<![\d.xX\-~])((?:19[89]|20\d)\d)(?=[ \t]*(?:年|工作|度|\n|\Z))")
_YEAR_NIAN_RE = re.compile(r"(?<![\d.xX\-~])((?:19[89]|20\d)\d)\s?年")
_CN_YEAR_RE = re.compile(r"([一二三四五六七八九〇零○Ｏ]{4})\s?年")
_CN_YEAR_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")

# Boundaries: a clause ends at , ; 。 ! ? or a line; a sentence at 。 ! ? or a line; a "group" (what a growth
# rate can refer back to) at ; 。 ! ? or a line. A label segment also stops at 、 brackets and quotes.
_CLAUSE_CHARS = ",;:。!?\n"
_SENTENCE_CHARS = "。!?\n"
_GROUP_CHARS = ";。!?\n"
_SEGMENT_CHARS = ",;。!?\n、()“”\"‘’:[]【】《》<>"
_CLAUSE_END_RE = re.compile("[" + re.escape(_CLAUSE_CHARS) + "]")
_SENTENCE_END_RE = re.compile("[" + re.escape(_SENTENCE_CHARS) + "]")
_GROUP_END_RE = re.compile("[" + re.escape(_GROUP_CHARS) + "]")
_LINE_END_RE = re.compile("\n")
_SEGMENT_END_RE = re.compile("[" + re.escape(_SEGMENT_CHARS) + "]")
_LOOKBACK = 40  # a label is at most this far before its number
_QUOTE_MAX = 150

# Words between a label and its number, or before an object (完成供地…, 围绕13个…). Stripped from the end.
_TAIL_WORDS = (
    "实现", "完成", "累计", "共计", "合计", "总计", "达到", "新增", "引进", "招引", "包括", "获得", "实施", "启动",
    "形成", "争取到", "争取", "力争", "确保", "预计", "计划", "目标是", "目标为", "围绕", "推进", "对接", "衔接",
    "选送", "开工建设", "建设", "建成", "新建", "投产", "开工", "落户", "拥有", "办理", "培育", "签约", "组织",
    "举办", "召开", "引导", "跟踪", "重点", "全面", "积极", "继续", "进一步", "基本", "已经", "已", "了", "共",
    "约", "近", "超过", "超", "逾", "为", "是", "有", "和", "及", "与", "并", "又", "再", "先后", "分别", "全部",
    "均", "都", "其中", "目前", "同时", "主动", "专门", "首次", "全年", "今年", "年内", "当年", "本年", "对",
    "向", "将", "要", "还", "也", "等", "达", "共有", "现有", "其中有", "今年以来", "年初以来", "一年来", "同比",
    "比上年", "较上年", "比去年", "较去年", "增加", "增长", "减少", "下降", "新", "在", "于", "从", "以", "的",
    "目标", "年度目标", "全年目标", "目标值", "任务", "突破", "铺设", "改建", "新建改建", "入驻", "已入驻",
    "净增", "净减", "同期", "比上年同期", "较上年同期", "比去年同期", "较去年同期",
)
_TAIL_BY_LAST = {}
for _w in sorted(set(_TAIL_WORDS), key=len, reverse=True):
    _TAIL_BY_LAST.setdefault(_w[-1], []).append(_w)
_TAIL_PATTERN_RE = re.compile(
    r"(?:第?[" + _CN_DIGITS + r"\d]{1,3}[批期届轮]|\d{1,2}[-~至到]\d{1,4}月份?|\d{1,2}月(?:底|末|份)?|\d{4}年(?:度)?"
    r"|上半年|下半年|前三季度|[一二三四]季度|年底前|年底|年初)$"
)
# Verbs that split a subject from its object inside a segment (北片造田造地工程已完成 | 开挖).
_SPLIT_RE = re.compile(
    r"实现|完成|累计|共计|合计|总计|达到|新增|引进|招引|获得|实施|启动|形成|争取到|争取|力争|确保|预计|围绕|推进"
    r"|对接了?|衔接了?|选送|开工建设|新建|改建|铺设|突破|拥有|办理|培育|签约|组织|举办|其中有?|包括|目前|同时|今年以来"
    r"|今年|全年|\d{1,2}[-~至到]\d{1,4}月份?|\d{4}年度?"
)
_LEAD_JUNK_RE = re.compile(r"[的对在于将把从向及和与了已,、 \t]+")
_GROWTH_QUALIFIER_RE = re.compile(
    r"同比|比上年同期|比去年同期|较上年同期|较去年同期|比上年|比去年|较上年|较去年|比同期|较同期|较|比|同期|分别"
    r"|均|了|负|年均|平均|累计|全年|今年|上半年|前三季度|\d{1,2}[-~至到]\d{1,4}月份?|的|[ \t]"
)
_VERB_PREFIX_RE = re.compile(r"(?:完成|实现|获得|累计|新增)")
_DEMONSTRATIVE_ENDS = ("这", "此", "该", "上述", "这些", "前述", "以上")

_AFTER_RUN_RE = re.compile(r"(?:左右)?(?:长|宽|深)?的?(?P<run>[" + _HAN + r"A-Za-z]{1,16})")
# Where a label written after its count ends (13家入区企业|在9月底前…, 7条市政道路|完成临时路面).
_AFTER_STOP_RE = re.compile(
    r"的|已|正在|即将|正|在(?!建)|于|将|和|及|与|等|处在|处于|完成|实现|开工|投产|落户|进行|全部|全面|均|都|并"
    r"|也|达到|同比|比上年|比去年|较|增长|下降|增幅|增速|占|用于|获得|被|通过|其中|居|位居|排名|共|累计|以上"
    r"|以下|左右|建设|为|是|成为|顺利|基本|陆续|相继|分别|投入使用|总投资|计划|今年|目前|先后|已经|推进"
)
_AFTER_STOP_AT_START_RE = re.compile(
    r"已|正在|即将|正|在(?!建)|于|将|和|及|与|等|完成|实现|均|都|并|也|同比|比上年|比去年|较|增长|下降|占|分别"
    r"|为|是|共|累计|以上|以下|左右|全部|陆续|相继|顺利|基本|其中|用于|达到|先后|目前|今年|已经"
)
_THRESHOLD_AFTER_RE = re.compile(r"(?:及)?(?:以上|以下|以内)的?(?=[" + _HAN + r"A-Za-z])|级")
_AT_LEAST_AFTER_RE = re.compile(r"(?:及)?以上")
_OVER_BEFORE_RE = re.compile(r"(?:超过|超|逾|达到|达)$")
_OVER_AFTER_RE = re.compile(r"的?(?:企业|项目|单位|产业|集群|园区)")
_RANK_BEFORE_RE = re.compile(r"(?<![目之此提当年月日以事])前$|排名$|排$")
_APPROX_BEFORE_RE = re.compile(r"(?:约|近|大约|将近|接近)$")
_RANGE_BEFORE_RE = re.compile(r"\d(?:\.\d+)?[ \t]?(?:%|[" + _HAN + r"]{1,3})?[ \t]?[-~至到][ \t]?$")
_RANGE_AFTER_RE = re.compile(r"[ \t]?(?:[-~至到])[ \t]?\d")
_QUARTERS = "东南西北中"
_PAIRED = "东南西北"  # 南北片, 东西片: two quarters together
_ZONE_SUFFIXES = ("工业园区", "县区", "园区", "工业园", "产业园", "片区")
_ZONE_MENTION_RE = re.compile(r"县区|工业园区|工业园|产业园|园区|片区|(?<![东南西北])[东南西北中]片(?!区)")
_ZONE_NAME_RE = re.compile(r"[" + _HAN + r"A-Za-z]")
_ZONE_STOPS_RE = re.compile(
    r"在|于|对|向|和|与|及|的|获得|实现|完成|其中|包括|全|本|该|各|年|月|日|为|是|了|推进|建设|开工|启动|至|到|从"
)
_ZONE_START_RE = re.compile(
    r"(?:[东南西北中]片区?(?![" + _HAN + r"]?区))|[" + _HAN + r"A-Za-z]{1,8}?(?:县区|工业园区|工业园|产业园|片区|园区)"
)
_RESPECTIVELY_RE = re.compile(r"分别(?:为|是|达到|达|完成|实现)?")
_LIST_ITEM_RE = re.compile(r"[^、和与及]+")
_PLAN_ACTUAL_RE = re.compile(r"已完成|已实现|累计完成|累计实现|今年以来")
_INCREMENT_BEFORE_RE = re.compile(r"(?:比|较|同比)[^,;。]{0,8}?(?:增加|增长|减少|下降|新增|净增|净减)$")


# --------------------------------------------------------------------------------------------------------------
# year
# --------------------------------------------------------------------------------------------------------------


def propose_year(text: str) -> int | None:
    """The year the summary reports on, for the upload form: from the title, else the most frequent 20XX年.

    The title area is the first lines after any site boilerplate. Years pasted over other numbers
    (2023月26日, 1-2023月) are ignored; Chinese-numeral years (二〇二三年) are read too.
    """
    if not text:
        return None
    return _propose_year(_normalise(text))


def _propose_year(norm, start=None):
    start = _content_start(norm) if start is None else start
    head = norm[start:start + 300]
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


def _content_start(norm):
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


# --------------------------------------------------------------------------------------------------------------
# extraction
# --------------------------------------------------------------------------------------------------------------


def extract(text: str, catalogue=CATALOGUE, year: int | None = None) -> list[Candidate]:
    """Every figure in ``text`` as a :class:`Candidate`, in document order.

    ``catalogue`` is any iterable of objects with ``code``, ``name_zh``, ``aliases`` (a sequence, or a
    string separated by 、,; or newlines) and ``unit``. ``year`` is the report year (proposed from the text
    when None); it is used to spot values that are the year in disguise.
    """
    if not text:
        return []
    return _Reader(text, _catalogue_for(catalogue), year).candidates()


@dataclass
class _Figure:
    """A number with a unit, while it is being read."""

    s: int  # number start
    e: int  # end of the unit
    value: Decimal | None
    unit: str | None
    flags: list
    depth: int = 0
    label_span: tuple | None = None
    entry: object = None
    zone: str | None = None
    yoy: Decimal | None = None
    share: Decimal | None = None
    reach: int = 0  # end of the growth / share phrase that belongs to this figure
    percent: bool = False
    value_less: bool = False  # a growth- or share-only candidate
    kind: str | None = None  # set by a table column (目标 / 完成); otherwise read from the context
    period: str | None = None  # set by a table header (1-10月完成)
    quote: tuple | None = None  # a table row


def _boundaries(norm, pattern, start):
    return [m.start() for m in pattern.finditer(norm, start)]


class _Reader:
    """Reads one text; holds the normalised copy and the precomputed boundaries."""

    def __init__(self, text, catalogue, year):
        self.text = text
        self.norm = _normalise(text)
        self.cat = catalogue
        self.start = _content_start(self.norm)
        if year is None:
            year = _propose_year(self.norm, self.start)
        self.years = {str(y) for y in (year - 1, year, year + 1)} if year else None
        n = self.norm
        self.clauses = _boundaries(n, _CLAUSE_END_RE, self.start)
        self.sentences = _boundaries(n, _SENTENCE_END_RE, self.start)
        self.groups = _boundaries(n, _GROUP_END_RE, self.start)
        self.lines = _boundaries(n, _LINE_END_RE, self.start)
        self.segments = _boundaries(n, _SEGMENT_END_RE, self.start)
        self.skips = self._boilerplate_lines()
        self._read_headings()
        self._read_periods()

    # --- structure ----------------------------------------------------------------------------------------

    def _boilerplate_lines(self):
        """Sorted, disjoint (start, end) spans of site notice lines inside the text."""
        spans = []
        for m in _BOILER_ANY_RE.finditer(self.norm, self.start):
            a, b = self._before(self.lines, m.start(), self.start), self._after(self.lines, m.start())
            if not spans or a >= spans[-1][1]:
                spans.append((a, b))
        self.skip_starts = [a for a, _ in spans]
        return spans

    def _skipped(self, pos):
        if pos < self.start:
            return True
        i = bisect_right(self.skip_starts, pos) - 1
        return i >= 0 and pos < self.skips[i][1]

    def _read_headings(self):
        n = self.norm
        found = {}
        for regex in (_HEAD_LINE_RE, _HEAD_INLINE_RE):
            for m in regex.finditer(n, self.start):
                level = 1 if m.group("l1") else 2 if m.group("l2") else 3
                at = m.start(m.lastgroup)
                title_end = _HEAD_TITLE_RE.match(n, m.end()).end()
                found.setdefault(at, (level, title_end))
        for m in _HEAD_PLAIN_RE.finditer(n, self.start):
            title = m.group("plain")
            if _PLAIN_HEAD_END_RE.search(title) and not _PLAIN_HEAD_VERB_RE.search(title):
                found.setdefault(m.start("plain"), (1, m.end("plain")))
        title_zone = n[self.start:min(found) if found else self.start + 200]
        plan_doc = bool(_PLAN_TITLE_RE.search(title_zone)) and "总结" not in title_zone
        self.heads, self.head_pos = [], []
        stack = {0: plan_doc}
        for at, (level, title_end) in sorted(found.items()):
            title = n[at:title_end]
            parent = stack[max(k for k in stack if k < level)]
            if level == 1:
                # "主要目标任务完成情况" reports results: words of results win over words of plans.
                plan = not _ACTUAL_HEAD_RE.search(title) and bool(_PLAN_HEAD_RE.search(title))
            elif title_end - at > 24:
                plan = parent  # a long "1.…" item is a sentence of the part, not a heading that names it
            elif _PLAN_SUBHEAD_RE.search(title):
                plan = True
            elif _ACTUAL_SUBHEAD_RE.search(title):
                plan = False
            else:
                plan = parent
            stack = {k: v for k, v in stack.items() if k < level}
            stack[level] = plan
            self.heads.append((self.text[at:title_end].strip(), plan))
            self.head_pos.append(at)
        self.plan_doc = plan_doc

    def _heading(self, pos):
        i = bisect_right(self.head_pos, pos) - 1
        return self.heads[i] if i >= 0 else ("", self.plan_doc)

    def _read_periods(self):
        self.periods, self.period_pos = [], []
        for m in _PERIOD_RE.finditer(self.norm, self.start):
            if m.group("range"):
                a, b = int(m.group("a")), int(m.group("b"))
                value = "{}-{}月".format(a, b) if 1 <= a <= b <= 12 else _SUSPECT
            elif m.group("upto"):
                b = int(m.group("m") or m.group("first"))
                value = "1-{}月".format(b) if 1 <= b <= 12 else _SUSPECT
            elif m.group("named"):
                value = _NAMED_PERIODS.get(m.group("named"), m.group("named"))
            else:
                value = None
            self.periods.append(value)
            self.period_pos.append(m.start())

    def _period(self, pos, plan):
        """The period in force at ``pos``: the last one named earlier in the paragraph, else 全年 in a plan."""
        i = bisect_right(self.period_pos, pos) - 1
        line_start = self._before(self.lines, pos, self.start)
        if i >= 0 and self.period_pos[i] >= line_start:
            return self.periods[i]
        return "全年" if plan else None

    @staticmethod
    def _before(bounds, pos, floor):
        """Start of the span (after the last boundary) that contains ``pos``."""
        i = bisect_left(bounds, pos) - 1
        return max(bounds[i] + 1, floor) if i >= 0 else floor

    def _after(self, bounds, pos):
        i = bisect_left(bounds, pos)
        return bounds[i] if i < len(bounds) else len(self.norm)

    def _depth(self, pos):
        """How many brackets are open at ``pos`` within its sentence."""
        a = max(self._before(self.sentences, pos, self.start), pos - 200)
        depth = 0
        for ch in _PAREN_RE.findall(self.norm, a, pos):
            if ch == "(":
                depth += 1
            elif depth:
                depth -= 1
        return depth

    # --- figures ------------------------------------------------------------------------------------------

    def candidates(self):
        """Read the figures, label them, attach growth and shares, and build the candidates in order."""
        n = self.norm
        taken = set()  # number offsets that belong to a growth or share phrase
        growths = self._growths(taken)
        shares = self._shares(taken)
        figures = []
        for m in _FIG_RE.finditer(n, self.start):
            if m.start("num") in taken or self._skipped(m.start()):
                continue
            fig = self._figure(m)
            if fig is not None:
                figures.append(fig)
        self._label_all(figures)
        # A bare percentage needs its own label (出租率达95%); growth and shares were read above.
        figures = [f for f in figures if not (f.percent and f.label_span is None)]
        extra = self._attach(figures, growths, shares)
        self._label_lists(figures)
        extra += self._table_figures({f.s: f for f in figures})
        return [self._candidate(f) for f in sorted(figures + extra, key=lambda f: f.s)]

    def _figure(self, m):
        n = self.norm
        s, e = m.start("num"), m.end()
        raw = m.group("num")
        unit = m.group("unit")
        if unit in _NON_UNITS:
            return None
        if not _NUM_RE.fullmatch(raw):
            cut = raw.rfind(",") + 1  # "2,3家": only the last number is this figure's
            if not cut or not _NUM_RE.fullmatch(raw[cut:]):
                return None
            s, raw = s + cut, raw[cut:]
        if s > 0 and n[s - 1] in _GLUED:
            return None  # part of a code or a longer token: G20, bt3
        before = n[max(self.start, s - 8):s]
        if before.endswith("第") or _RANK_BEFORE_RE.search(before) or _RANGE_BEFORE_RE.search(before) \
                or _RANGE_AFTER_RE.match(n, e):
            return None
        seg = n[self._segment_start(s):s]
        if "每" in seg or seg.rstrip().endswith(_DEMONSTRATIVE_ENDS):
            return None
        flags = []
        if unit is not None:
            if _THRESHOLD_AFTER_RE.match(n, e):
                return None
            if _OVER_BEFORE_RE.search(before) and _OVER_AFTER_RE.match(n, e):
                return None
            if _AT_LEAST_AFTER_RE.match(n, e):
                flags.append("at_least")
            unit = _canonical_symbol(unit)
            per = _PER_UNIT_RE.match(n, e)
            if per is not None:
                unit = "{}/{}".format(unit, per.group()[1:])
                e = per.end()
        value = None
        if "x" in raw.lower():
            flags.append("placeholder")
        else:
            try:
                value = _tidy(Decimal(raw.replace(",", "")))
            except InvalidOperation:
                return None
            digits = raw.replace(",", "").split(".")[0]
            if self._year_like(digits):
                flags.append("suspect_year")
        if m.group("approx") or _APPROX_BEFORE_RE.search(before) or n.startswith("左右", e):
            flags.append("approximate")
        if _INCREMENT_BEFORE_RE.search(seg):
            flags.append("increment")
        return _Figure(s=s, e=e, value=value, unit=unit if unit is not None else "%", flags=flags,
                       depth=self._depth(s), percent=unit is None)

    def _year_like(self, digits):
        if len(digits) < 4:
            return False
        if self.years:
            return any(y in digits for y in self.years)
        return len(digits) == 4 and 1990 <= int(digits) <= 2099

    def _segment_start(self, pos, floor=0):
        return max(self._before(self.segments, pos, self.start), pos - _LOOKBACK, floor)

    # --- labels, indicators, zones ------------------------------------------------------------------------

    def _label_all(self, figures):
        prev_end = 0
        for fig in figures:
            self._label(fig, prev_end)
            prev_end = fig.e
        # A figure without a label of its own: "6宗3319亩用海工程" takes the next one's, else carry.
        for i, fig in enumerate(figures):
            if fig.label_span is not None or fig.percent:
                continue
            nxt = figures[i + 1] if i + 1 < len(figures) else None
            if nxt is not None and nxt.s - fig.e <= 1 and nxt.label_span is not None:
                fig.label_span = nxt.label_span
                fig.entry = nxt.entry if nxt.entry is not None and _compatible(fig.unit, nxt.entry) else None
                continue
            parent = self._parent(figures, i)
            if parent is not None:
                fig.label_span, fig.entry = parent.label_span, parent.entry
                if fig.zone is None and parent.zone is not None and parent.depth < fig.depth:
                    fig.zone = parent.zone
                fig.flags.append("label_carried")

    def _parent(self, figures, i):
        """The figure whose label a label-less one carries: an enclosing one, else an earlier one alike."""
        fig = figures[i]
        line_start = self._before(self.lines, fig.s, self.start)
        dim = _dimension(fig.unit)
        for j in range(i - 1, max(-1, i - 12), -1):
            other = figures[j]
            if other.s < line_start:
                break
            if other.label_span is None or other.percent:
                continue
            if fig.depth > 0 and other.depth < fig.depth:
                return other if _dimension(other.unit) == dim else None
            if _dimension(other.unit) == dim:
                return other
        return None

    def _label(self, fig, prev_end):
        n = self.norm
        a = self._segment_start(fig.s, prev_end)
        b, stripped, zone = self._strip_tail(a, fig.s)
        if b <= a and a > prev_end and n[a - 1] == ")":
            # 地区生产总值(GDP)152亿元: the label is before a short bracket that ends right at the number.
            opening = n.rfind("(", max(self.start, a - 16), a)
            if opening > self.start:
                a = self._segment_start(opening, prev_end)
                b, stripped, zone = self._strip_tail(a, opening)
        fig.zone = zone
        after = None if fig.percent else self._after_label(fig)
        if after is not None and (stripped or b <= a):
            fig.label_span, fig.entry = after
        elif b > a and self._before_label(a, b, fig):
            pass
        elif after is not None:
            fig.label_span, fig.entry = after
        if fig.zone is None:
            end = fig.label_span[0] if fig.label_span and fig.label_span[0] < fig.s else b
            fig.zone = self._zone_in(a, end)
        if fig.zone is None:
            # "北片3路5桥——松航北路南段(桥2座)、25街(桥1座)": a zone heading a dash list covers its items.
            clause = max(self._before(self.clauses, fig.s, self.start), fig.s - _QUOTE_MAX)
            dash = n.rfind("--", clause, fig.s)
            if dash >= 0:
                fig.zone = self._zone_in(max(clause, dash - _LOOKBACK), dash)

    def _zone_in(self, a, b):
        """The last zone named in ``norm[a:b]`` (南片完成投资…, 在城东工业园新建…), if any."""
        for m in reversed(list(_ZONE_MENTION_RE.finditer(self.norm, a, b))):
            found = self._zone_ending_at(a, m.end())
            if found is not None:
                return found[0]
        return None

    def _strip_tail(self, a, b):
        """Strip verbs, adverbs, ordinals, periods and zone names from the end of ``norm[a:b]``."""
        n = self.norm
        stripped, zone = False, None
        while b > a:
            ch = n[b - 1]
            if ch in " \t":
                b -= 1
                continue
            word = next((w for w in _TAIL_BY_LAST.get(ch, ()) if b - len(w) >= a and n.startswith(w, b - len(w))),
                        None)
            if word is not None:
                b -= len(word)
                stripped = True
                continue
            m = _TAIL_PATTERN_RE.search(n, max(a, b - 12), b)
            if m is not None:
                b = m.start()
                stripped = True
                continue
            found = self._zone_ending_at(a, b)
            if found is not None:
                name, b = found
                zone = zone or name
                stripped = True
                continue
            break
        return b, stripped, zone

    def _zone_ending_at(self, a, b):
        """A zone name (东部XX县区, 上马工业园, 南片 …) that ends at ``b``: ``(original name, start)``."""
        n = self.norm
        # 北片 but not 南北片 (both halves: the whole park); 其中北片 is 北片
        if b - a >= 2 and n[b - 1] == "片" and n[b - 2] in _QUARTERS and not (b > a + 2 and n[b - 3] in _PAIRED):
            return self.text[b - 2:b], b - 2
        for suffix in _ZONE_SUFFIXES:
            if n.startswith(suffix, b - len(suffix)) and b - len(suffix) >= a:
                z = b - len(suffix)
                lo = z
                while lo > max(a, z - 8) and _ZONE_NAME_RE.match(n, lo - 1):
                    lo -= 1
                stops = list(_ZONE_STOPS_RE.finditer(n, lo, z))
                if stops:
                    lo = stops[-1].end()
                if lo < z:
                    return self.text[lo:b], lo
                return None
        return None

    def _before_label(self, a, b, fig):
        """Set the label written before the number, within ``norm[a:b]`` (stripped at its end); False if none."""
        n = self.norm
        entry, length = self.cat.ending_at(n, a, b)
        if entry is not None and _compatible(fig.unit, entry):
            s = b - length
            m = _VERB_PREFIX_RE.match(n, s)
            if m and b - m.end() >= 2:
                s = m.end()
            fig.label_span, fig.entry = (s, b), entry
            return True
        split = _last_match(_SPLIT_RE, n, a, b)
        s = split.end() if split is not None and split.end() < b else a
        if split is not None and split.end() >= b:
            # The split word ends the segment: the subject before it is the label (北片造田造地工程已完成).
            s = a
            b = split.start()
            b, _, zone = self._strip_tail(a, b)
            fig.zone = fig.zone or zone
        m = _LEAD_JUNK_RE.match(n, s, b)
        if m:
            s = m.end()
        m = _ZONE_START_RE.match(n, s, b)
        if m and m.end() < b:
            fig.zone = fig.zone or self.text[m.start():m.end()]
            s = m.end()
        s = max(s, b - 20)
        if b - s < 1 or (b - s == 1 and not n[s].isalpha()):
            return False
        zone = self._zone_ending_at(s, b)
        if zone is not None and zone[1] == s:
            return False
        fig.label_span, fig.entry = (s, b), self._entry_in(s, b, fig)
        return True

    def _after_label(self, fig):
        """The label written after a count or a 的 (13个续建工程, 3700余亩的融资权证办理), if any."""
        n = self.norm
        m = _AFTER_RUN_RE.match(n, fig.e)
        if m is None:
            return None
        s, e = m.start("run"), m.end("run")
        if _AFTER_STOP_AT_START_RE.match(n, s):
            return None
        stop = _AFTER_STOP_RE.search(n, s + 1, e)
        if stop is not None:
            e = stop.start()
        e = min(e, s + 12)
        if e - s < 1 or (e - s == 1 and fig.unit not in _COUNT_HEADS):
            return None
        entry, length = self.cat.starting_at(n, s, min(len(n), s + 16))
        if entry is not None and _compatible(fig.unit, entry):
            return (s, s + length), entry  # the catalogue's words: 续建项目(推进), 用海项目的验收(和收储)
        return (s, e), self._entry_in(s, e, fig)

    def _entry_in(self, s, e, fig):
        """The catalogue entry named in the label ``norm[s:e]`` whose unit fits the figure, if any."""
        found = self.cat.inside(self.norm, s, e)
        if not found:
            return None
        # Prefer the head noun (an alias ending the label), then one opening it, then the longest.
        found.sort(key=lambda f: (f[1] + f[2] != e, f[1] != s, -f[2]))
        for entry, _, _ in found:
            if _compatible(fig.unit, entry):
                return entry
        if any(length == e - s for _, _, length in found):
            fig.flags.append("unit_mismatch")
        return None

    def _label_lists(self, figures):
        """Pair "A、B分别为x、y" labels with their figures in order."""
        n = self.norm
        starts = [f.s for f in figures]
        for m in _RESPECTIVELY_RE.finditer(n, self.start):
            run = []
            pos = m.end()
            for j in range(bisect_left(starts, pos), len(figures)):
                fig = figures[j]
                if fig.value_less:
                    continue
                gap = n[pos:fig.s] if fig.s - pos <= 8 else "far"
                if gap.strip(" 、,和与及约近") or len(run) == 20:
                    break
                run.append(fig)
                pos = fig.e
            if len(run) < 2:
                continue
            a = max(self._before(self.clauses, m.start(), self.start), m.start() - 60)
            head = n[a:m.start()]
            lead = _SPLIT_RE.match(head)
            offset = a + (lead.end() if lead else 0)
            names = [(x.start() + offset, x.end() + offset)
                     for x in _LIST_ITEM_RE.finditer(n[offset:m.start()])]
            if len(names) != len(run):
                continue
            for fig, (s, e) in zip(run, names):
                fig.label_span = (s, e)
                fig.entry = self._entry_in(s, e, fig)
                if "label_carried" in fig.flags:
                    fig.flags.remove("label_carried")

    # --- growth and shares --------------------------------------------------------------------------------

    def _growths(self, taken):
        n = self.norm
        out = []
        for m in _GROWTH_RE.finditer(n, self.start):
            suffix = m.group("suffix")
            end = m.end()
            if suffix is None:
                if _UNIT_AT_RE.match(n, m.end("num")):
                    continue  # 比上年增加5家: an increment, read as a figure
                nxt = n[end:end + 1]
                if nxt and (nxt.isalnum() or nxt == "."):
                    continue  # 增长2023年, 增长42个…: not a rate
            elif suffix == "个百分点":
                taken.add(m.start("num"))
                continue
            if _RANGE_AFTER_RE.match(n, end):
                continue
            raw = m.group("num")
            numbers = [(raw, m.start("num") + len(raw) - len(raw.lstrip("+-")))]
            if n.startswith("分别", max(0, m.start() - 2)) or "分别" in n[max(0, m.start() - 8):m.start()]:
                pos = end
                while True:
                    item = _GROWTH_LIST_ITEM_RE.match(n, pos)
                    if item is None:
                        break
                    item_num = item.group("num")
                    numbers.append((item_num, item.start("num") + len(item_num) - len(item_num.lstrip("+-"))))
                    pos = item.end()
                end = pos
            values = []
            for text_num, at in numbers:
                taken.add(at)
                if "x" in text_num.lower():
                    values.append(None)
                    continue
                v = Decimal(text_num)
                if suffix == "倍":
                    v *= 100
                if m.group("verb") in _NEGATIVE_VERBS or n[max(0, m.start() - 1):m.start()] == "负":
                    v = -v
                values.append(_tidy(v))
            out.append((m.start(), end, values, m.group("verb")))
        return out

    def _shares(self, taken):
        out = []
        for m in _SHARE_RE.finditer(self.norm, self.start):
            taken.add(m.start("num"))
            raw = m.group("num")
            value = None if "x" in raw.lower() else _tidy(Decimal(raw))
            out.append((m.start(), m.end(), value))
        return out

    def _attach(self, figures, growths, shares):
        """Give growth rates and shares to the figures before them; the rest become value-less candidates."""
        starts = [f.s for f in figures]
        extra = []
        for start, end, values, _verb in growths:
            if self._skipped(start):
                continue
            owners = self._owners(figures, starts, start, len(values), "yoy")
            if owners:
                for fig, value in zip(owners, values):
                    fig.yoy = value
                    fig.reach = max(fig.reach, end)
                    if value is None:
                        fig.flags.append("placeholder_yoy")
                continue
            for span, value in zip(self._free_labels(start, len(values)), values):
                fig = self._value_less(span, start, end)
                if fig is not None:
                    fig.yoy = value
                    if value is None:
                        fig.flags.append("placeholder_yoy")
                    extra.append(fig)
        for start, end, value in shares:
            if self._skipped(start):
                continue
            owners = self._owners(figures, starts, start, 1, "share")
            if owners:
                owners[0].share = value
                owners[0].reach = max(owners[0].reach, end)
                continue
            for span in self._free_labels(start, 1):
                fig = self._value_less(span, start, end)
                if fig is not None:
                    fig.share = value
                    extra.append(fig)
        return extra

    def _owners(self, figures, starts, pos, count, attr):
        """The ``count`` figures a rate at ``pos`` refers to: the last ones before it in the clause group,
        at the same or an outer bracket depth, unless the rate's own clause names something else."""
        n = self.norm
        clause = max(self._before(self.clauses, pos, self.start), pos - _LOOKBACK)
        i = bisect_left(starts, pos)
        own_clause = [f for f in figures[max(0, i - 3):i] if f.s >= clause and not f.percent]
        if not own_clause:
            head = _GROWTH_QUALIFIER_RE.sub("", n[clause:pos]).strip(" \t()")
            if len(head) >= 2:
                return []  # 工业增加值增长12%: the rate has its own subject
        group = max(self._before(self.groups, pos, self.start), pos - 300)
        depth = self._depth(pos)
        owners = []
        for j in range(i - 1, -1, -1):
            fig = figures[j]
            if fig.s < group:
                break
            if fig.percent or fig.depth > depth:
                continue
            if getattr(fig, attr) is not None:
                break
            owners.append(fig)
            if len(owners) == count:
                break
        return owners[::-1] if len(owners) == count else []

    def _free_labels(self, pos, count):
        """Label spans for rates without a figure: "工业增加值增长12%", "A、B分别增长8.5%、9.5%"."""
        n = self.norm
        a = max(self._before(self.clauses, pos, self.start), pos - _LOOKBACK)
        b = self._strip_growth_words(a, pos)
        split = _last_match(_SPLIT_RE, n, a, b)
        if split is not None and split.end() < b:
            a = split.end()
        m = _LEAD_JUNK_RE.match(n, a, b)
        if m:
            a = m.end()
        if b - a < 2:
            return []
        if count == 1:
            return [(a, b)]
        names = [(x.start() + a, x.end() + a) for x in _LIST_ITEM_RE.finditer(n[a:b])]
        return names if len(names) == count else []

    def _strip_growth_words(self, a, b):
        n = self.norm
        while b > a:
            for m in _GROWTH_QUALIFIER_RE.finditer(n, max(a, b - 8), b):
                if m.end() == b:
                    b = m.start()
                    break
            else:
                break
        return b

    def _value_less(self, span, start, end):
        s, e = span
        fig = _Figure(s=start, e=end, value=None, unit=None, flags=[], depth=self._depth(start), value_less=True)
        fig.label_span = span
        fig.entry = self._entry_in(s, e, fig)
        zone = _ZONE_START_RE.match(self.norm, s, e)
        if zone and zone.end() < e:
            fig.zone = self.text[zone.start():zone.end()]
            fig.label_span = (zone.end(), e)
        fig.reach = end
        return fig

    # --- tables -------------------------------------------------------------------------------------------

    def _table_figures(self, by_start):
        """Figures of tab-separated rows (Word tables) whose unit is in its own column or in the header.

        A header row (no numbers) names the columns: 单位, 完成/实际/1-10月 (actual), 目标/计划 (target),
        增长/同比 (growth), 完成率/占比 (share), 上年/同期 (ignored). Cells that carry their own unit
        (85.6亿元) are read as ordinary figures instead.
        """
        n = self.norm
        out = []
        header, prev_end = None, -2
        for line_start, line_end in self._tab_lines():
            if line_start != prev_end + 1:
                header = None  # a new table
            prev_end = line_end
            cells, a = [], line_start
            for b in [t.start() for t in _TAB_RE.finditer(n, line_start, line_end)] + [line_end]:
                cells.append((a, b))  # empty cells too: they keep the columns aligned with the header
                a = b + 1
            texts = [n[a:b] for a, b in cells]
            if not any(_CELL_NUM_RE.fullmatch(t) for t in texts):
                if not any(_DIGIT_RE.search(t) and "月" not in t for t in texts):
                    header = [(_column_role(t), _unit_in_brackets(t), t) for t in texts]
                continue
            out.extend(self._table_row(header, cells, texts, (line_start, line_end), by_start))
        return out

    def _tab_lines(self):
        """(start, end) of every line that contains a tab, in order."""
        spans = []
        for tab in _TAB_RE.finditer(self.norm, self.start):
            if spans and tab.start() < spans[-1][1]:
                continue
            spans.append((self._before(self.lines, tab.start(), self.start), self._after(self.lines, tab.start())))
        return spans

    def _table_row(self, header, cells, texts, row, by_start):
        n = self.norm
        label = next((i for i, t in enumerate(texts) if _HAN_RE.search(t) and not _unit_cell(t)), None)
        if len(cells) > 40:
            return []  # not a table row: text with stray tabs
        if label is None:
            return []
        roles = [h[0] for h in header] if header else [None] * len(cells)
        roles += [None] * (len(cells) - len(roles))
        row_unit = next((_unit_cell(t) for i, t in enumerate(texts) if roles[i] == "unit" or _unit_cell(t)), None)
        row_unit = row_unit or _unit_in_brackets(texts[label])
        found = []
        growth = share = None
        for i, t in enumerate(texts):
            if roles[i] in ("growth", "share") and _CELL_NUM_RE.fullmatch(t):
                value = None if "x" in t.lower() else _tidy(Decimal(t.rstrip("% ")))
                growth, share = (value, share) if roles[i] == "growth" else (growth, value)
        for i, t in enumerate(texts):
            written = by_start.get(cells[i][0] + len(t) - len(t.lstrip()))
            if written is not None and roles[i] in ("actual", "target", None):
                # A cell with its own unit (20.75亿元) was read as text; the row still gives its kind and rates.
                written.kind = roles[i] or written.kind
                if roles[i] != "target":
                    written.yoy = growth if written.yoy is None else written.yoy
                    written.share = share if written.share is None else written.share
            if i == label or not _CELL_NUM_RE.fullmatch(t) or t.endswith("%"):
                continue
            role = roles[i]
            if role not in ("actual", "target", None) or (header and role is None and found):
                continue
            column_unit = header[i][1] if header and i < len(header) else None
            unit = column_unit or row_unit
            if unit is None:
                continue
            a, b = cells[i]
            fig = _Figure(s=a, e=b, value=None, unit=_canonical_symbol(unit), flags=[], quote=row)
            if "x" in t.lower():
                fig.flags.append("placeholder")
            else:
                fig.value = _tidy(Decimal(t.replace(",", "")))
                if self._year_like(t.split(".")[0]):
                    fig.flags.append("suspect_year")
            fig.kind = role if role in ("actual", "target") else None
            if header and i < len(header):
                period = _PERIOD_RE.search(header[i][2])
                if period and period.group("range"):
                    fig.period = "{}-{}月".format(period.group("a"), period.group("b"))
            la, lb = cells[label]
            lead = _ROW_NUMBER_RE.match(n, la, lb)
            la = lead.end() if lead else la
            bracket = n.find("(", la, lb)
            fig.label_span = (la, bracket if bracket > la else lb)
            fig.entry = self._entry_in(fig.label_span[0], fig.label_span[1], fig)
            if fig.kind != "target":
                fig.yoy, fig.share = growth, share
            found.append(fig)
        return found

    # --- output -------------------------------------------------------------------------------------------

    def _kind(self, pos, plan):
        n = self.norm
        clause = max(self._before(self.clauses, pos, self.start), pos - _QUOTE_MAX)
        own = n[clause:pos + 1]  # one character more: 目标30亿元
        if plan:
            return "actual" if _PLAN_ACTUAL_RE.search(own) else "target"
        if _TARGET_RE.search(own):
            return "target"
        if _ACTUAL_RE.search(own):
            return "actual"
        sentence = max(self._before(self.sentences, pos, self.start), clause - 300)
        last_target = last_actual = -1
        for m in _TARGET_RE.finditer(n, sentence, clause):
            last_target = m.start()
        for m in _ACTUAL_RE.finditer(n, sentence, clause):
            last_actual = m.start()
        return "target" if last_target > last_actual else "actual"

    def _candidate(self, fig):
        n, text = self.norm, self.text
        section, plan = self._heading(fig.s)
        kind = fig.kind or self._kind(fig.s, plan)
        period = fig.period or self._period(fig.s, plan or kind == "target")
        flags = list(dict.fromkeys(fig.flags))
        if period is _SUSPECT:
            period = None
            flags.append("suspect_period")
        if fig.label_span is not None:
            label = text[fig.label_span[0]:fig.label_span[1]].strip()
        else:
            label = ""
        entry = fig.entry
        canonical_unit = getattr(entry, "unit", None) if entry is not None else None
        canonical_value = None
        if entry is not None and fig.value is not None and not fig.percent:
            if fig.unit == canonical_unit and fig.value.as_tuple().exponent >= -4:
                canonical_value = fig.value  # what convert() would return, without its exact arithmetic
            else:
                canonical_value = _converted(fig.value, fig.unit, canonical_unit)
        qs = max(self._before(self.clauses, fig.s, self.start), fig.s - _QUOTE_MAX)
        qe = min(self._after(self.clauses, max(fig.e, fig.reach) - 1), max(fig.e, fig.reach) + _QUOTE_MAX)
        qe = max(qe, fig.e, fig.reach)
        while qs < fig.s and n[qs] in " \t\r":
            qs += 1
        while qe > fig.e and n[qe - 1] in " \t\r":
            qe -= 1
        if fig.quote is not None:
            qs, qe = fig.quote
        return Candidate(
            label=label,
            indicator_code=getattr(entry, "code", None) if entry is not None else None,
            value=fig.value,
            unit=fig.unit,
            canonical_value=canonical_value,
            canonical_unit=canonical_unit,
            yoy_pct=fig.yoy,
            period=period,
            kind=kind,
            zone=fig.zone,
            share_pct=fig.share,
            start=qs,
            end=qe,
            quote=text[qs:qe],
            flags=flags,
            section=section,
        )


_PAREN_RE = re.compile(r"[()]")
_TAB_RE = re.compile(r"\t")
_CELL_NUM_RE = re.compile(r"[ ]*(?:[+-]?\d+(?:,\d{3})*(?:\.\d+)?|[xX]+)[ ]*%?[ ]*")
_DIGIT_RE = re.compile(r"\d")
_HAN_RE = re.compile("[" + _HAN + "]")
_ROW_NUMBER_RE = re.compile(r"[ ]*(?:\d{1,2}[.、]|\(?[一二三四五六七八九十]{1,3}[)、])?[ ]*")
_UNIT_CELL_RE = re.compile(r"[ ]*(" + _UNITS_ALT + r")[ ]*")
_UNIT_BRACKET_RE = re.compile(r"[(/][ ]*(" + _UNITS_ALT + r")[ ]*\)?")
_COLUMN_ROLES = (  # first match wins: 比上年增长 is growth, 完成率 a share, 上年同期 ignored
    ("unit", re.compile(r"单位")),
    ("growth", re.compile(r"增长|同比|增幅|增速|增减|±")),
    ("share", re.compile(r"完成率|占比|比重|进度|占全年|完成目标")),
    ("prior", re.compile(r"上年|去年|同期")),
    ("target", re.compile(r"目标|计划|任务|预期|预计")),
    ("actual", re.compile(r"完成|实际|累计|实绩|\d{1,2}-\d{1,2}月|本年|本期|数值|金额|总量|当年")),
)


def _column_role(text):
    return next((role for role, regex in _COLUMN_ROLES if regex.search(text)), None)


def _unit_cell(text):
    m = _UNIT_CELL_RE.fullmatch(text)
    return m.group(1) if m and m.group(1) not in _NON_UNITS else None


def _unit_in_brackets(text):
    m = _UNIT_BRACKET_RE.search(text)
    return m.group(1) if m and m.group(1) not in _NON_UNITS else None
_GLUED = frozenset("0123456789.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_SUSPECT = object()  # a period that is the year pasted over a month (1-2023月)
# Count units after which a one-character noun is still a label (9座桥, 3个湖).
_COUNT_HEADS = frozenset(s for s, u in _units.UNITS.items() if u.dimension.startswith("count:"))


def _converted(value, unit, target):
    try:
        return _tidy(_units.convert(value, unit, target))
    except (_units.UnitError, InvalidOperation):
        return None


def _last_match(regex, s, a, b):
    found = None
    for found in regex.finditer(s, a, b):  # noqa: B007 - the last one is wanted
        pass
    return found


def _canonical_symbol(symbol):
    try:
        return _units.get_unit(symbol).symbol
    except _units.UnitError:
        return symbol
