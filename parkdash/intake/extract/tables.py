"""Word tables pasted as tab-separated rows: a header row names the columns (单位, 1-10月完成, 全年目标,
同比增长, 完成率), so a row gives an actual and a target with their unit, growth and share.

Cells that carry their own unit (85.6亿元) are read as ordinary figures; the row still gives their kind and
rates.
"""

import re
from decimal import Decimal

from . import labels, periods
from .candidate import tidy
from .common import HAN
from .numbers import Figure
from .units import NON_UNITS, UNITS_ALT

_TAB_RE = re.compile(r"\t")
_MAX_CELLS = 40
_CELL_NUM_RE = re.compile(r"[ ]*(?:[+-]?\d+(?:,\d{3})*(?:\.\d+)?|[xX]+)[ ]*%?[ ]*")
_DIGIT_RE = re.compile(r"\d")
_HAN_RE = re.compile("[" + HAN + "]")
_ROW_NUMBER_RE = re.compile(r"[ ]*(?:\d{1,2}[.、]|\(?[一二三四五六七八九十]{1,3}[)、])?[ ]*")
_UNIT_CELL_RE = re.compile(r"[ ]*(" + UNITS_ALT + r")[ ]*")
_UNIT_BRACKET_RE = re.compile(r"[(/][ ]*(" + UNITS_ALT + r")[ ]*\)?")
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
    return m.group(1) if m and m.group(1) not in NON_UNITS else None


def _unit_in_brackets(text):
    m = _UNIT_BRACKET_RE.search(text)
    return m.group(1) if m and m.group(1) not in NON_UNITS else None


def table_figures(doc, by_start):
    """Figures of tab-separated rows whose unit is in its own column or in the header.

    ``by_start`` maps the start of every figure read as text to it, so a row can set its kind and rates.
    """
    out = []
    header, prev_end = None, -2
    for line_start, line_end in _tab_lines(doc):
        if line_start != prev_end + 1:
            header = None  # a new table
        prev_end = line_end
        if doc.norm.count("\t", line_start, line_end) >= _MAX_CELLS:
            header = None
            continue  # not a table row: text with stray tabs
        cells, a = [], line_start
        for b in [t.start() for t in _TAB_RE.finditer(doc.norm, line_start, line_end)] + [line_end]:
            cells.append((a, b))  # empty cells too: they keep the columns aligned with the header
            a = b + 1
        texts = [doc.norm[a:b] for a, b in cells]
        if not any(_CELL_NUM_RE.fullmatch(t) for t in texts):
            if not any(_DIGIT_RE.search(t) and "月" not in t for t in texts):
                header = [(_column_role(t), _unit_in_brackets(t), t) for t in texts]
            continue
        out.extend(_row(doc, header, cells, texts, (line_start, line_end), by_start))
    return out


def _tab_lines(doc):
    """(start, end) of every line that contains a tab, in order."""
    spans = []
    for tab in _TAB_RE.finditer(doc.norm, doc.start):
        if spans and tab.start() < spans[-1][1]:
            continue
        spans.append((doc.before(doc.lines, tab.start()), doc.after(doc.lines, tab.start())))
    return spans


def _row_rates(texts, roles):
    """(growth, share) given by the row's growth and share columns."""
    growth = share = None
    for i, t in enumerate(texts):
        if roles[i] in ("growth", "share") and _CELL_NUM_RE.fullmatch(t):
            value = None if "x" in t.lower() else tidy(Decimal(t.rstrip("% ")))
            growth, share = (value, share) if roles[i] == "growth" else (growth, value)
    return growth, share


def _row(doc, header, cells, texts, row, by_start):
    label = next((i for i, t in enumerate(texts) if _HAN_RE.search(t) and not _unit_cell(t)), None)
    if label is None:
        return []
    roles = [h[0] for h in header] if header else [None] * len(cells)
    roles += [None] * (len(cells) - len(roles))
    row_unit = next((_unit_cell(t) for i, t in enumerate(texts) if roles[i] == "unit" or _unit_cell(t)), None)
    row_unit = row_unit or _unit_in_brackets(texts[label])
    growth, share = _row_rates(texts, roles)
    label_span = _label_span(doc, cells[label])
    found = []
    for i, t in enumerate(texts):
        written = by_start.get(cells[i][0] + len(t) - len(t.lstrip()))
        if written is not None and roles[i] in ("actual", "target", None):
            written.kind = roles[i] or written.kind
            if roles[i] != "target":
                written.yoy = growth if written.yoy is None else written.yoy
                written.share = share if written.share is None else written.share
        if i == label or not _CELL_NUM_RE.fullmatch(t) or t.endswith("%"):
            continue
        if roles[i] not in ("actual", "target", None) or (header and roles[i] is None and found):
            continue
        unit = (header[i][1] if header and i < len(header) else None) or row_unit
        if unit is None:
            continue
        fig = _cell_figure(doc, cells[i], t, unit, roles[i], header[i] if header and i < len(header) else None)
        fig.label_span = label_span
        fig.entry = labels.entry_in(doc, label_span[0], label_span[1], fig)
        fig.quote = row
        if fig.kind != "target":
            fig.yoy, fig.share = growth, share
        found.append(fig)
    return found


def _label_span(doc, cell):
    """The indicator name in a row's label cell, without its row number and bracketed unit."""
    la, lb = cell
    lead = _ROW_NUMBER_RE.match(doc.norm, la, lb)
    la = lead.end() if lead else la
    bracket = doc.norm.find("(", la, lb)
    return la, (bracket if bracket > la else lb)


def _cell_figure(doc, cell, t, unit, role, header_cell):
    a, b = cell
    fig = Figure(s=a, e=b, value=None, unit=unit.strip(), flags=[])
    if "x" in t.lower():
        fig.flags.append("placeholder")
    else:
        fig.value = tidy(Decimal(t.replace(",", "")))
        if doc.year_like(t.split(".")[0]):
            fig.flags.append("suspect_year")
    fig.kind = role if role in ("actual", "target") else None
    if header_cell is not None:
        fig.period = periods.month_range(header_cell[2])
    return fig
