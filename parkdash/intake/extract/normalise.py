"""The matching copy of a text, and the way back from it to the original's offsets.

Every pass matches on the copy (``norm``); quotes and labels are cut from the original, so
``text[start:end] == quote`` always holds. The copy differs from the original in two ways:

* character for character (same length): full-width forms folded to ASCII (，→ ,), traditional characters
  converted to simplified by OpenCC (億元 → 亿元, 規模以上 → 规模以上), and the word swaps of document-site
  rewriting tools undone (开展 → 发展, 工程 → 项目);
* characters left out: pinyin glosses pasted after characters (``業(yè)``), blanks next to Chinese characters
  (``53.93 亿元``, ``1-8 月``, ``火 炬 统 计``) and, in text pasted from a PDF, the hard line breaks that wrap
  lines of one width (``工\\n业总产值``).
"""

import re
import statistics
from bisect import bisect_right
from functools import lru_cache

from .common import HAN

_FOLD = {chr(i): chr(i - 0xFEE0) for i in range(0xFF01, 0xFF5F)}  # full-width ASCII → ASCII
_FOLD.update(
    {
        "\u3000": " ",
        "\xa0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        "〞": "”",
        "〝": "“",
        "—": "-",
        "–": "-",
        "―": "-",
        "〜": "~",
        "﹪": "%",
        "×": "X",
        "╳": "X",
        "〔": "(",
        "〕": ")",
        "﹙": "(",
        "﹚": ")",
    }
)
# A regex touches only the few characters to fold; str.translate would look up every character.
_FOLD_RE = re.compile("[" + "".join(map(re.escape, _FOLD)) + "]")
# Word swaps made by document-site rewriting tools; undone for matching only (same length each).
_REWRITES = {
    "开展": "发展",
    "根底": "基础",
    "工程": "项目",
    "效劳": "服务",
    "屡次": "多次",
    "平安": "安全",
    "根本": "基本",
    "效劳业": "服务业",
}
assert all(len(k) == len(v) for k, v in _REWRITES.items())
_REWRITE_RE = re.compile("|".join(sorted(map(re.escape, _REWRITES), key=len, reverse=True)))

_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# Left out of the copy: a pinyin gloss after a character (業(yè), 增長(zhǎng); a tone mark tells it from an
# abbreviation in brackets), and blanks next to a Chinese character (never between two digits: "1 2" stays two
# numbers). Each pattern starts with a plain character so the scan skips fast; the neighbours are checked after.
_LEFT_OUT_RE = re.compile(r"\([a-zü]*[" + _TONE_MARKS + r"][a-zü" + _TONE_MARKS + r"]*\)| +")
_HAN_RE = re.compile("[" + HAN + "]")
_NEXT_TO_HAN_RE = re.compile(r"[" + HAN + r"\dA-Za-z%()]")
# Characters that take two columns in a fixed-width layout (CJK, full-width forms).
_WIDE_RE = re.compile("[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")
_NEWLINE_RE = re.compile("\n")
_MAX_WRAPPED = 80  # characters in a line of a PDF page
_ENDS_PARAGRAPH = tuple('。!?:;”"」)》') + (".", "…")
_STARTS_ITEM_RE = re.compile(r"[ \t]*(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[.、])")


@lru_cache(maxsize=1)
def _converter():
    import opencc  # imported on first use: the decoder and the tests that never extract do not pay for it

    return opencc.OpenCC("t2s")


def _simplified(text):
    """``text`` in simplified characters, character for character (OpenCC t2s; where a phrase conversion would
    change the length, that stretch is converted one character at a time)."""
    convert = _converter().convert
    converted = convert(text)
    if len(converted) == len(text):
        return converted
    pieces = []
    for i in range(0, len(text), 64):
        chunk = text[i : i + 64]
        out = convert(chunk)
        if len(out) != len(chunk):
            out = "".join(_one_for_one(convert, ch) for ch in chunk)
        pieces.append(out)
    return "".join(pieces)


def _one_for_one(convert, ch):
    out = convert(ch)
    return out if len(out) == 1 else ch


def simplify(text):
    """``text`` character for character in ASCII for full-width forms and in simplified characters."""
    return _simplified(_FOLD_RE.sub(lambda m: _FOLD[m.group()], text))


def _undo_rewrites(text):
    return _REWRITE_RE.sub(lambda m: _REWRITES[m.group()], text)


def normalise_words(words):
    """A catalogue name or alias normalised like the text, so that it matches."""
    return Normalised(words).norm


def _width(line):
    return len(line) + len(_WIDE_RE.findall(line))


def _wrapped_line_breaks(folded):
    """Offsets of line breaks that only wrap a line (text pasted from a PDF): most lines have one width,
    and a line of that width that does not end a sentence goes on in the next line."""
    ends = [m.end() for m in _NEWLINE_RE.finditer(folded, 0, min(len(folded), 200_000))]
    lines = list(zip([0] + ends, ends))  # (start, end) of each line that ends with a line break
    # A wrapped line is short: longer lines are paragraphs, whatever their width.
    widths = [_width(folded[a : b - 1].rstrip()) if b - a <= _MAX_WRAPPED else 0 for a, b in lines]
    long_widths = [w for w in widths if w >= 40]
    if len(long_widths) < 5:
        return []
    full = statistics.median(long_widths)
    near = [w for w in long_widths if abs(w - full) <= 0.1 * full]
    if len(near) < 5 or len(near) < 0.6 * len(long_widths):
        return []
    breaks = []
    for (a, b), width in zip(lines, widths):
        text = folded[a : b - 1].rstrip()
        if width >= 0.85 * full and not text.endswith(_ENDS_PARAGRAPH) and not _STARTS_ITEM_RE.match(folded, b):
            breaks.append(b - 1)
    return breaks


def _left_out_here(folded, a, b):
    """True for a gloss after a character, and for blanks between a character and a character, digit or
    letter (either way round)."""
    before = folded[a - 1 : a] if a else ""
    if folded[a] == "(":
        return bool(_HAN_RE.match(before))
    after = folded[b : b + 1]
    if _HAN_RE.match(before):
        return bool(_NEXT_TO_HAN_RE.match(after))
    return bool(_HAN_RE.match(after)) and bool(_NEXT_TO_HAN_RE.match(before))


def _left_out(folded):
    """Sorted, disjoint (start, end) spans of ``folded`` that the matching copy leaves out."""
    spans = [m.span() for m in _LEFT_OUT_RE.finditer(folded) if _left_out_here(folded, m.start(), m.end())]
    breaks = _wrapped_line_breaks(folded)
    if breaks:  # a line break never lies inside a gloss or a run of blanks
        spans = sorted(spans + [(i, i + 1) for i in breaks])
    return spans


class Normalised:
    """The normalised copy of a text (``norm``) and the way back to offsets in the original (``text``)."""

    def __init__(self, text):
        self.text = text
        self.simplified = simplify(text)  # what labels are cut from: the words as written, in simplified characters
        folded = _undo_rewrites(self.simplified)
        pieces, self._cuts, self._shifts = [], [0], [0]
        kept = 0
        for a, b in _left_out(folded):
            pieces.append(folded[kept:a])
            self._cuts.append(self._cuts[-1] + a - kept)  # where the copy jumps over folded[a:b]
            self._shifts.append(self._shifts[-1] + b - a)
            kept = b
        pieces.append(folded[kept:])
        self.norm = "".join(pieces)

    def start_of(self, pos):
        """Offset in the original of the character at ``pos`` of the copy."""
        return pos + self._shifts[bisect_right(self._cuts, pos) - 1]

    def end_of(self, pos):
        """Offset in the original just after the character at ``pos - 1`` of the copy."""
        return self.start_of(pos - 1) + 1 if pos > 0 else 0

    def cleaned(self, a, b):
        """The words of ``norm[a:b]`` as written, in simplified characters, without what the copy leaves out
        (glosses, blanks, wraps)."""
        start, end = self.start_of(a), self.end_of(b)
        if end - start == b - a:
            return self.simplified[start:end]  # nothing left out in between
        return "".join(self.simplified[self.start_of(p)] for p in range(a, b))

    def original(self, a, b):
        """The original text of the copy's ``norm[a:b]``."""
        return self.text[self.start_of(a) : self.end_of(b)] if b > a else ""
