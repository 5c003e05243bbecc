"""The matching copy of a text: full-width forms folded and the document sites' word swaps undone.

Every pass matches on this copy; quotes and labels are cut from the original through :class:`Normalised`.
"""

import re

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


def fold(text):
    """``text`` with full-width forms folded and rewritten words undone, same length."""
    folded = _FOLD_RE.sub(lambda m: _FOLD[m.group()], text)
    return _REWRITE_RE.sub(lambda m: _REWRITES[m.group()], folded)


class Normalised:
    """The normalised copy of a text (``norm``) and the way back to offsets in the original (``text``)."""

    def __init__(self, text):
        self.text = text
        self.norm = fold(text)

    def start_of(self, pos):
        """Offset in the original of the character at ``pos`` of the copy."""
        return pos

    def end_of(self, pos):
        """Offset in the original just after the character at ``pos - 1`` of the copy."""
        return pos

    def original(self, a, b):
        """The original text of the copy's ``norm[a:b]``."""
        return self.text[self.start_of(a):self.end_of(b)] if b > a else ""
