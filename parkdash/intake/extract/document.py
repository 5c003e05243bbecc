"""The document being read: the original text, its normalised copy, and the boundaries every pass uses.

Boundaries: a clause ends at , ; : 。 ! ? or a line; a sentence at 。 ! ? or a line; a "group" (what a growth
rate can refer back to) at ; 。 ! ? or a line. A label segment also stops at 、 brackets and quotes.
"""

import re
from bisect import bisect_left, bisect_right

from . import sections
from .common import LOOKBACK
from .normalise import Normalised, normalise_words

_CLAUSE_END_RE = re.compile("[" + re.escape(",;:。!?\n") + "]")
_SENTENCE_END_RE = re.compile("[" + re.escape("。!?\n") + "]")
_GROUP_END_RE = re.compile("[" + re.escape(";。!?\n") + "]")
_LINE_END_RE = re.compile("\n")
_SEGMENT_END_RE = re.compile("[" + re.escape(',;。!?\n、()“”"‘’:[]【】《》<>') + "]")
_PAREN_RE = re.compile(r"[()]")


class Document:
    """One text being read. ``norm`` is what the passes match on; ``original(a, b)`` is what they quote."""

    def __init__(self, text, catalogue, year=None, zones=()):
        normalised = Normalised(text)
        self.text, self.norm, self._map = text, normalised.norm, normalised
        self.cat = catalogue
        self.start = sections.content_start(self.norm)
        if year is None:
            year = sections.year_of(self.norm, self.start)
        self.year = year
        self.years = {str(y) for y in (year - 1, year, year + 1)} if year else None
        self.share_spans, self.share_starts = [], []  # set by shares.read_shares
        self._read_zone_names(zones)
        self.clauses = self._bounds(_CLAUSE_END_RE)
        self.sentences = self._bounds(_SENTENCE_END_RE)
        self.groups = self._bounds(_GROUP_END_RE)
        self.lines = self._bounds(_LINE_END_RE)
        self.segments = self._bounds(_SEGMENT_END_RE)
        self.parens = self._bounds(_PAREN_RE)
        self.skips = sections.boilerplate_spans(self)
        self.skip_starts = [a for a, _ in self.skips]

    def _read_zone_names(self, zones):
        """The park's zone names, normalised like the text, each mapped to the park's spelling."""
        self.zone_names = {normalise_words(z.strip()): z.strip() for z in zones or () if z and z.strip()}
        self.zone_names.pop("", None)
        self.zone_lengths = sorted(self.zone_names, key=len, reverse=True)
        self.zone_re = re.compile("|".join(map(re.escape, self.zone_lengths))) if self.zone_lengths else None

    def _bounds(self, pattern):
        return [m.start() for m in pattern.finditer(self.norm, self.start)]

    # --- back to the original -------------------------------------------------------------------------------

    def original(self, a, b):
        """The original text of ``norm[a:b]``."""
        return self._map.original(a, b)

    def cleaned(self, a, b):
        """The words of ``norm[a:b]`` as written, in simplified characters, without pinyin glosses, blanks and line
        wraps (for labels)."""
        return self._map.cleaned(a, b)

    def span(self, a, b):
        """(start, end) in the original text of ``norm[a:b]``."""
        return self._map.start_of(a), self._map.end_of(b)

    # --- positions ----------------------------------------------------------------------------------------

    def before(self, bounds, pos, floor=None):
        """Start of the span (after the last boundary) that contains ``pos``."""
        floor = self.start if floor is None else floor
        i = bisect_left(bounds, pos) - 1
        return max(bounds[i] + 1, floor) if i >= 0 else floor

    def after(self, bounds, pos):
        """End of the span (the next boundary) that contains ``pos``."""
        i = bisect_left(bounds, pos)
        return bounds[i] if i < len(bounds) else len(self.norm)

    def segment_start(self, pos, floor=0):
        """Where the label segment before ``pos`` starts (at most LOOKBACK characters back)."""
        return max(self.before(self.segments, pos), pos - LOOKBACK, floor)

    def skipped(self, pos):
        """True before the text proper and inside a site notice line."""
        if pos < self.start:
            return True
        i = bisect_right(self.skip_starts, pos) - 1
        return i >= 0 and pos < self.skips[i][1]

    def depth(self, pos):
        """How many brackets are open at ``pos`` within its sentence."""
        a = max(self.before(self.sentences, pos), pos - 200)
        depth = 0
        for i in range(bisect_left(self.parens, a), bisect_left(self.parens, pos)):
            if self.norm[self.parens[i]] == "(":
                depth += 1
            elif depth:
                depth -= 1
        return depth

    def year_like(self, digits):
        """True when a run of digits holds the report year (新投产企业2023家, 202300亩)."""
        if len(digits) < 4:
            return False
        if self.years:
            return any(y in digits for y in self.years)
        return len(digits) == 4 and 1990 <= int(digits) <= 2099
