"""The indicator catalogue, indexed for lookups of its names and aliases at a position of the text."""

import re

from parkdash.indicators.catalogue import CATALOGUE

from .normalise import normalise_words

_ALIAS_SPLIT_RE = re.compile(r"[\n,，、;；]+")


class CatalogueIndex:
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
        self.by_first = {}  # first character → aliases starting with it, longest first
        for key in sorted(self.by_alias, key=len, reverse=True):
            self.by_first.setdefault(key[0], []).append(key)

    def _add(self, label, entry):
        key = normalise_words((label or "").strip())
        if len(key) >= 2:  # one character says too little (绿, 税)
            self.by_alias.setdefault(key, entry)

    def ending_at(self, s, a, b):
        """Longest alias that is ``s[x:b]`` with ``x >= a``: ``(entry, length)`` or ``(None, 0)``."""
        for n in self.lengths:
            if b - n >= a and s[b - n : b] in self.by_alias:
                return self.by_alias[s[b - n : b]], n
        return None, 0

    def starting_at(self, s, a, b):
        """Longest alias that is ``s[a:y]`` with ``y <= b``."""
        for n in self.lengths:
            if a + n <= b and s[a : a + n] in self.by_alias:
                return self.by_alias[s[a : a + n]], n
        return None, 0

    def inside(self, s, a, b):
        """Every alias inside ``s[a:b]`` as ``(entry, start, length)``, longest first."""
        found = []
        for x in range(a, b - 1):
            for key in self.by_first.get(s[x], ()):
                if x + len(key) <= b and s.startswith(key, x):
                    found.append((self.by_alias[key], x, len(key)))
        found.sort(key=lambda f: -f[2])
        return found

    def named_in(self, words, fits):
        """The entry of the longest alias inside ``words`` (already normalised) for which ``fits(entry)``."""
        for entry, _, _ in self.inside(words, 0, len(words)):
            if fits(entry):
                return entry
        return None


_CACHE = {}
_DEFAULT = []  # the built-in catalogue, indexed once


def index_for(catalogue):
    """The :class:`CatalogueIndex` of ``catalogue``, cached by content (the database catalogue changes rarely)."""
    if catalogue is CATALOGUE and _DEFAULT:
        return _DEFAULT[0]
    entries = list(catalogue)
    key = tuple(
        (
            getattr(e, "code", None),
            getattr(e, "name_zh", None),
            str(getattr(e, "aliases", "")),
            getattr(e, "unit", None),
        )
        for e in entries
    )
    cached = _CACHE.get(key)
    if cached is None:
        if len(_CACHE) > 16:
            _CACHE.clear()
        cached = _CACHE[key] = CatalogueIndex(entries)
    if catalogue is CATALOGUE:
        _DEFAULT.append(cached)
    return cached
