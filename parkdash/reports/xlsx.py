"""Reports as XLSX, laid out like the official forms the parks file (主要经济指标完成情况表, 通报).

The pieces are plain functions that take a worksheet, so that every report's sheet is made of the same parts: a
title row merged across the table (:func:`title_row`), a unit and date row (:func:`info_row`), a merged two-row
header (:func:`two_row_header`), bordered cells with number formats (:func:`text_cell`, :func:`number_cell`), status
fills (:func:`status_fill`), notes under the table (:func:`note_rows`), column widths (:func:`column_widths`) and
the print setup: A4 landscape, fitted to one page wide, the header repeated on every page (:func:`print_setup`).
:func:`completion_workbook` puts them together for the completion table, :func:`bulletin_workbook` for the city
bulletin.

Percentages are numbers (86.5 in a column headed %), never text; a missing value is "-", as on the paper forms.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from parkdash.core import units
from parkdash.core.export import content_disposition, display_width, neutralise, plain_decimal, sheet_title_safe
from parkdash.core.numbers import unit_label
from parkdash.core.periods import period_label
from parkdash.core.progress import Status

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Number formats: amounts with two decimals and grouped thousands, counts whole, percentages as numbers with one
# decimal (the % is in the column's heading), growth with two (42.45, as the summaries write it).
AMOUNT = "#,##0.00"
SMALL_AMOUNT = "#,##0.00##"  # a rate (0.4251 吨标准煤/万元) keeps its significant digits
COUNT = "#,##0"
PERCENT = "0.0"
GROWTH = "0.00"
MISSING = "-"

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EC")
# Excel's own "good", "neutral" and "bad" cell styles: what readers of these forms know.
STATUS_COLOURS = {
    Status.AHEAD: ("C6EFCE", "006100"),
    Status.SLIGHTLY_BEHIND: ("FFEB9C", "9C5700"),
    Status.BEHIND: ("FFC7CE", "9C0006"),
}
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")


def title_row(sheet, row: int, text: str, columns: int, size: int = 16) -> None:
    """``text`` in bold, centred over the table's ``columns`` (one merged cell)."""
    cell = sheet.cell(row=row, column=1, value=neutralise(text))
    cell.font = Font(bold=True, size=size)
    cell.alignment = CENTRE
    if columns > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    sheet.row_dimensions[row].height = size * 2


def info_row(sheet, row: int, left: str, right: str, columns: int) -> None:
    """The line between the title and the table: ``left`` (单位：亿元) on the left half, ``right`` (填报日期：…) on the
    right half, each a merged cell."""
    middle = max(1, columns // 2)
    sheet.cell(row=row, column=1, value=neutralise(left)).alignment = Alignment(horizontal="left", vertical="center")
    right_cell = sheet.cell(row=row, column=middle + 1, value=neutralise(right))
    right_cell.alignment = Alignment(horizontal="right", vertical="center")
    if middle > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=middle)
    if columns > middle + 1:
        sheet.merge_cells(start_row=row, start_column=middle + 1, end_row=row, end_column=columns)


@dataclass
class Heading:
    """A column of the header, or a group of columns (``children``) under one heading spanning them."""

    label: str
    children: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.children) or 1


def two_row_header(sheet, row: int, headings: list[Heading]) -> int:
    """The header on rows ``row`` and ``row + 1``: a heading without children spans both rows, a group spans its
    children's columns on the first row with the children under it. Returns the number of columns."""
    column = 1
    for heading in headings:
        if heading.children:
            header_cell(sheet, row, column, heading.label)
            for offset in range(1, heading.width):
                header_cell(sheet, row, column + offset, None)
            sheet.merge_cells(start_row=row, start_column=column, end_row=row, end_column=column + heading.width - 1)
            for offset, child in enumerate(heading.children):
                header_cell(sheet, row + 1, column + offset, child)
        else:
            header_cell(sheet, row, column, heading.label)
            header_cell(sheet, row + 1, column, None)
            sheet.merge_cells(start_row=row, start_column=column, end_row=row + 1, end_column=column)
        column += heading.width
    sheet.row_dimensions[row].height = 22
    sheet.row_dimensions[row + 1].height = 34
    return column - 1


def header_cell(sheet, row: int, column: int, value: str | None):
    # The cells a merge covers get the border too: Excel draws a merged cell's border from each cell it covers.
    cell = sheet.cell(row=row, column=column, value=neutralise(value) if value else None)
    cell.font = Font(bold=True)
    cell.alignment = CENTRE
    cell.fill = HEADER_FILL
    cell.border = BORDER
    return cell


def text_cell(sheet, row: int, column: int, value: str | None, bold: bool = False, centred: bool = False):
    """A bordered text cell, safe against formulas (core.export.neutralise); "-" for none."""
    cell = sheet.cell(row=row, column=column, value=neutralise(value) if value else MISSING)
    cell.alignment = CENTRE if centred or not value else LEFT
    cell.border = BORDER
    if bold:
        cell.font = Font(bold=True)
    return cell


def mark_cell(sheet, row: int, column: int, mark: str = MISSING):
    """A bordered, centred cell holding one of the reports' own marks ("-" none, "-*" no actual yet): a text no
    spreadsheet runs as a formula, so it is written without the neutralising quote."""
    cell = sheet.cell(row=row, column=column, value=mark)
    cell.alignment = CENTRE
    cell.border = BORDER
    return cell


def number_cell(sheet, row: int, column: int, value: Decimal | int | float | None, number_format: str):
    """A bordered number cell in ``number_format``, right-aligned; "-" (centred) for none. The value stays a number."""
    if value is None:
        return mark_cell(sheet, row, column)
    else:
        if isinstance(value, Decimal):
            value = plain_decimal(value)
        cell = sheet.cell(row=row, column=column, value=value)
        cell.number_format = number_format
        cell.alignment = RIGHT
    cell.border = BORDER
    return cell


def status_fill(cell, status: str) -> None:
    """The status colour of ``status`` (ahead, slightly behind, behind) on ``cell``; none for the others."""
    colours = STATUS_COLOURS.get(status)
    if colours:
        background, ink = colours
        cell.fill = PatternFill("solid", fgColor=background)
        cell.font = Font(color=ink, bold=status == Status.BEHIND)


def note_rows(sheet, row: int, notes: list[str], columns: int) -> int:
    """``notes`` under the table, one merged row each, wrapped; returns the next free row."""
    for note in notes:
        cell = sheet.cell(row=row, column=1, value=neutralise(note))
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        if columns > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        # A merged cell does not grow with its text: about one line per 120 characters of the table's width.
        sheet.row_dimensions[row].height = 16 * (1 + display_width(note) // 120)
        row += 1
    return row


def column_widths(sheet, widths: list[float]) -> None:
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def print_setup(sheet, header_rows: tuple[int, int], freeze: str) -> None:
    """A4 landscape, fitted to one page wide (as many pages down as it takes), centred, the header rows repeated on
    every printed page; the panes frozen at ``freeze`` (the first cell below the header)."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    sheet.print_title_rows = "{}:{}".format(*header_rows)
    sheet.freeze_panes = freeze


def workbook_response(workbook: Workbook, filename: str, fallback: str) -> HttpResponse:
    """The workbook as a download named ``filename``.xlsx (``fallback``.xlsx for clients without UTF-8 names)."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename + ".xlsx", fallback + ".xlsx")
    return response


# --- the completion table -----------------------------------------------------------------------------------


def amount_format(line) -> str:
    """The number format of a line's target and actual: whole counts, amounts with two decimals, a rate with its
    significant digits."""
    try:
        dimension = units.get_unit(line.unit).dimension
    except units.UnitError:
        dimension = ""
    if dimension.startswith("count:"):
        values = [v for v in (line.actual, line.target) if v is not None]
        if all(Decimal(v) == Decimal(v).to_integral_value() for v in values):
            return COUNT
    if not line.paced:
        return SMALL_AMOUNT
    return AMOUNT


def gap_format() -> str:
    """The gap column's format: the number stays signed, the cell reads 超 3.2 / 低于 1.5 (ahead 3.2 / behind 1.5),
    so that the words, not the colour alone, say which side of the pace a line is."""
    ahead = _("ahead by").replace('"', "")
    behind = _("behind by").replace('"', "")
    return '"{} "0.0;"{} "0.0;0.0'.format(ahead, behind)


def completion_headings(table) -> list[Heading]:
    labels = table.labels
    return [
        Heading(labels["name"]),
        Heading(labels["unit"]),
        Heading(labels["target"]),
        Heading(labels["period"], [labels["actual"], labels["yoy"]]),
        Heading(labels["progress"], [labels["completion"], labels["expected"], labels["gap"]]),
    ]


def completion_workbook(table, filled: date) -> Workbook:
    """The completion table (views.completion.Table) as the official form: title, unit and date, the merged
    two-row header, one row per line, the notes; A4 landscape, one page wide."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title_safe(_("Completion of main indicators"))
    headings = completion_headings(table)
    columns = sum(heading.width for heading in headings)
    # Synthetic figures must not pass for a park's own once the file has left the site.
    title = table.title + (" ({})".format(_("demo data")) if table.park.is_demo else "")
    title_row(sheet, 1, title, columns)
    shown = table.units
    if len(shown) == 1:
        unit_text = _("Unit: %(unit)s") % {"unit": unit_label(shown[0]) or shown[0]}
    else:
        unit_text = _("Unit: see the Unit column")
    info_row(sheet, 2, unit_text, _("Filled in: %(date)s") % {"date": formats.date_format(filled)}, columns)
    two_row_header(sheet, 3, headings)
    row = 5
    gap = gap_format()
    for line in table.lines:
        text_cell(sheet, row, 1, line.name)
        unit = text_cell(sheet, row, 2, line.unit_label, centred=True)
        if not line.unit_label:
            unit.value = None  # a count in English (家 is a measure word): no unit, and nothing missing either
        fmt = amount_format(line)
        number_cell(sheet, row, 3, line.target, fmt)
        number_cell(sheet, row, 4, line.actual, fmt)
        number_cell(sheet, row, 5, line.yoy, GROWTH)
        completion = number_cell(sheet, row, 6, line.completion, PERCENT)
        number_cell(sheet, row, 7, line.expected, PERCENT)
        gap_cell = number_cell(sheet, row, 8, line.gap, gap)
        if line.gap is not None:
            status_fill(gap_cell, line.status)
        elif not line.paced:
            status_fill(completion, line.status)  # compared with the target itself: the completion says it
        row += 1
    # The screen marks a stock's pace with *; the file leaves it "-", so its note needs no mark.
    note_rows(sheet, row + 1, [text.removeprefix("* ") for _kind, text in table.notes], columns)
    name_width = max([display_width(table.labels["name"])] + [display_width(line.name) for line in table.lines])
    column_widths(sheet, [min(40, max(16, name_width + 2)), 12, 13, 14, 11, 13, 11, 16])
    print_setup(sheet, (3, 4), "B5")
    return workbook


def completion_response(table, filename: str, fallback: str, filled: date) -> HttpResponse:
    return workbook_response(completion_workbook(table, filled), filename, fallback)


# --- the city bulletin --------------------------------------------------------------------------------------

RANK = "0"
SCORE = "0.00"


def bulletin_workbook(bulletin, texts: dict, filled: date) -> Workbook:
    """The city bulletin (:class:`parkdash.reports.bulletin.Bulletin`) as the printed 通报: each indicator merged
    over its two columns (completion %, rank), the overall score likewise, a row per park in the page's order, then
    the notes. ``texts`` (title, rows, notes) come from the view, so that the file says what the page says."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title_safe(_("City bulletin"))
    headings = [Heading(_("Park"))]
    headings += [Heading(i.display_name, [_("Completion %"), _("Rank")]) for i in bulletin.indicators]
    headings.append(Heading(_("Overall"), [_("Mean rank"), _("Rank")]))
    columns = sum(heading.width for heading in headings)
    title_row(sheet, 1, texts["title"], columns)
    info_row(
        sheet,
        2,
        _("Unit: percent of the annual target"),
        _("Actuals of %(period)s · made %(date)s")
        % {"period": period_label(bulletin.year, bulletin.month), "date": formats.date_format(filled)},
        columns,
    )
    two_row_header(sheet, 3, headings)
    row = 5
    for line in texts["rows"]:
        text_cell(sheet, row, 1, line["name"])
        column = 2
        for shown in line["cells"]:
            cell = shown["cell"]
            if cell.completion is None:
                mark_cell(sheet, row, column, shown["text"])
                mark_cell(sheet, row, column + 1)
            else:
                status_fill(number_cell(sheet, row, column, cell.completion, PERCENT), cell.status)
                number_cell(sheet, row, column + 1, cell.rank, RANK)
            column += 2
        number_cell(sheet, row, column, line["row"].score, SCORE)
        number_cell(sheet, row, column + 1, line["row"].score_rank, RANK)
        row += 1
    note_rows(sheet, row + 1, texts["notes"], columns)
    names = [display_width(line["name"]) for line in texts["rows"]] + [display_width(_("Park"))]
    column_widths(sheet, [min(40, max(names) + 2)] + [11 if c % 2 == 0 else 7 for c in range(2, columns + 1)])
    print_setup(sheet, (3, 4), "B5")
    return workbook
