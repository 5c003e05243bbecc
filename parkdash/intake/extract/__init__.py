"""Figures out of a work summary (工作总结): bytes → text → candidate figures.

Pure Python: no Django, no ORM, no request. ``services.py`` and the views turn candidates into figures.

Public API
----------
``decode(data) -> str``
    UTF-8 (with or without BOM), UTF-16/32 with BOM, GB18030/GBK; raises :class:`DecodeError` otherwise.
``propose_year(text) -> int | None``
    The report year named in the title (or most often in the text), for the upload form.
``extract(text, catalogue=CATALOGUE, year=None, zones=()) -> list[Candidate]``
    Every figure (a number, or a placeholder such as ``xx``, with a unit) in document order.
``readable_length(text) -> int``
    How much of a very long text ``extract`` reads (all of any real summary), for a warning.

The passes, one module each, in the order :func:`extract` runs them
--------------------------------------------------------------------
``decoding``   bytes → text.
``normalise``  the matching copy of the text, with the way back to the original's offsets (quotes stay exact).
``sections``   site boilerplate, headings, which parts are plans, the report year.
``periods``    1-10月, 截至9月底, 上半年 … and which period is in force at a figure.
``changes``    average growth, points against progress, target revisions: not year-on-year growth.
``growth``     growth rates; ``shares`` shares and the targets named in them. Rates and changes are read
               before figures so that their numbers are not taken for figures.
``numbers``    numbers with their units, and what is not a figure (dates, ranks, thresholds …); ``flags``;
               ``numerals`` counts in Chinese numerals (三个项目).
``labels``     the words naming each figure and the ``catalogue`` indicator they name; ``compose`` labels made
               of an activity and a head noun (新开工A、B等项目4个 → 新开工项目); ``zones``.
``tables``     tab-separated Word tables.
``kinds``      actual or target, and the estimate version; ``assemble`` builds the candidates.

``document`` holds the text, its matching copy and the boundaries every pass uses; ``units`` the units as
written and their dimensions; ``candidate`` the :class:`Candidate`.

JSON: :meth:`Candidate.to_dict` writes Decimals as strings ("20.75"), so no precision is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from parkdash.indicators.catalogue import CATALOGUE

from . import changes, growth, labels, numbers, numerals, periods, sections, shares, tables
from .assemble import to_candidate
from .candidate import Candidate
from .catalogue import index_for
from .decoding import DecodeError, decode
from .document import Document
from .sections import propose_year

__all__ = ["Candidate", "DecodeError", "decode", "extract", "propose_year", "readable_length"]

# A work summary holds tens or a few hundred numbers in a few thousand characters. Reading time grows with the
# text and the figures found, so a text is read up to the line of its MAX_NUMBERS-th number and at most
# MAX_CHARS characters (about a hundred pages): whatever a megabyte holds, it is read in about a second.
MAX_NUMBERS = 4000
MAX_CHARS = 300_000
_NUMBER_RE = re.compile(r"[\d*]+|(?<![A-Za-z])[xX]+(?![A-Za-z])")  # placeholders (xx, **) count too


def extract(
    text: str, catalogue: Iterable[Any] = CATALOGUE, year: int | None = None, zones: Iterable[str] = ()
) -> list[Candidate]:
    """Every figure in ``text`` as a :class:`Candidate`, in document order.

    ``catalogue`` is any iterable of objects with ``code``, ``name_zh``, ``aliases`` (a sequence, or a
    string separated by 、,; or newlines) and ``unit``. ``year`` is the report year (proposed from the text
    when None); it is used to spot values that are the year in disguise. ``zones`` are the park's zone names:
    a figure after one of them is that zone's.
    """
    if not text:
        return []
    doc = Document(_readable_part(text), index_for(catalogue), year, zones)
    sections.read_headings(doc)
    periods.read_periods(doc)
    taken: set[int] = set()  # offsets of numbers that belong to a growth or share phrase
    change_phrases = changes.read_changes(doc, taken)
    growths = growth.read_growths(doc, taken)
    share_phrases = shares.read_shares(doc, taken)
    figures = sorted(numbers.read_figures(doc, taken) + numerals.read_counts(doc, taken), key=lambda f: f.s)
    shares.mark_targets(figures, share_phrases)
    labels.label_all(doc, figures)
    # A bare percentage needs its own label (出租率达95%); growth and shares were read above.
    figures = [f for f in figures if not (f.percent and f.label_span is None)]
    extra = growth.attach(doc, figures, growths, share_phrases)
    labels.label_lists(doc, figures)
    extra += tables.table_figures(doc, {f.s: f for f in figures})
    extra += changes.change_figures(doc, change_phrases, sorted(figures + extra, key=lambda f: f.s))
    labels.carry_from_rates(doc, sorted(figures + extra, key=lambda f: f.s))
    return [to_candidate(doc, f) for f in sorted(figures + extra, key=lambda f: f.s)]


def readable_length(text: str) -> int:
    """How much of ``text`` :func:`extract` reads: all of a summary; up to the line of the MAX_NUMBERS-th
    number (and at most MAX_CHARS characters) of a longer text."""
    if len(_NUMBER_RE.findall(text, 0, MAX_CHARS)) < MAX_NUMBERS:
        return min(len(text), MAX_CHARS)
    for count, m in enumerate(_NUMBER_RE.finditer(text, 0, MAX_CHARS), 1):
        if count == MAX_NUMBERS:
            line_end = text.find("\n", m.end(), m.end() + 200)
            return line_end if line_end >= 0 else min(len(text), m.end() + 200)
    return min(len(text), MAX_CHARS)


def _readable_part(text: str) -> str:
    return text[: readable_length(text)]
