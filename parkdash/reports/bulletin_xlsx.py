"""The city bulletin as an XLSX laid out like the printed 通报 (openpyxl).

Row 1 the title, merged across; row 2 the unit and the period; rows 3-4 the two-row header (each indicator merged
over its two columns: completion % and rank; the overall score likewise); then a row per park in the page's order;
then the notes. Completion and ranks are numbers (number formats 0.0 / 0 / 0.00), a completion cell filled with its
status colour; "-" (no target) and "-*" (no actual) as text. Printed on A4 landscape, fitted to one page wide, the
header rows repeated on every page.

The layout pieces (title row, unit row, merged header, fills, print setup) are small functions so that the
reports' XLSX writers can share them.
"""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from parkdash.core.export import display_width, neutralise, sheet_title_safe
from parkdash.core.periods import period_label
from parkdash.core.progress import Status

PERCENT_FORMAT = "0.0"
RANK_FORMAT = "0"
SCORE_FORMAT = "0.00"
HEADER_ROWS = (3, 4)
FIRST_DATA_ROW = 5

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_FILL = PatternFill("solid", fgColor="E6EEF7")
# The page's status colours (static/css/parkdash.css: --ok-soft, --warn-soft, --bad-soft).
STATUS_FILLS = {
    Status.AHEAD: PatternFill("solid", fgColor="E3F4E8"),
    Status.SLIGHTLY_BEHIND: PatternFill("solid", fgColor="FFF1D6"),
    Status.BEHIND: PatternFill("solid", fgColor="FDE8E6"),
}


def text(value: str) -> str:
    """A text cell made safe: no control characters XLSX cannot hold, no formula a spreadsheet would run."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub(" ", str(value)))


def title_row(sheet: Worksheet, title: str, width: int, row: int = 1) -> None:
    """The title, bold and centred, merged across ``width`` columns."""
    sheet.cell(row, 1, text(title)).font = Font(bold=True, size=16)
    sheet.cell(row, 1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.row_dimensions[row].height = 30


def unit_row(sheet: Worksheet, left: str, right: str, width: int, row: int = 2) -> None:
    """The unit on the left, the period and date on the right, each merged over half the columns."""
    middle = max(1, width // 2)
    sheet.cell(row, 1, text(left)).alignment = Alignment(horizontal="left", vertical="center")
    if middle > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=middle)
    start = middle + 1 if width > 1 else 1
    sheet.cell(row, start, text(right)).alignment = Alignment(horizontal="right", vertical="center")
    if width > start:
        sheet.merge_cells(start_row=row, start_column=start, end_row=row, end_column=width)


def header(sheet: Worksheet, groups: list[tuple[str, list[str]]], top: int = HEADER_ROWS[0]) -> int:
    """A two-row header from ``groups`` (``[(heading, [subheading, …]), …]``): a group without subheadings spans
    both rows; one with them is merged across its columns above them. Returns the number of columns."""
    column = 1
    for heading, subheadings in groups:
        span = max(1, len(subheadings))
        sheet.cell(top, column, text(heading))
        if subheadings:
            if span > 1:
                sheet.merge_cells(start_row=top, start_column=column, end_row=top, end_column=column + span - 1)
            for offset, subheading in enumerate(subheadings):
                sheet.cell(top + 1, column + offset, text(subheading))
        else:
            sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
        column += span
    width = column - 1
    sheet.row_dimensions[top].height = 32  # room for an indicator's name on two lines
    for row in (top, top + 1):
        for col in range(1, width + 1):
            cell = sheet.cell(row, col)
            cell.font = Font(bold=True)
            cell.alignment = CENTER
            cell.fill = HEADER_FILL
            cell.border = BORDER
    return width


def number(sheet: Worksheet, row: int, column: int, value, fmt: str, fill: PatternFill | None = None) -> None:
    """A number cell with its format (a Decimal is written as a number), or our own mark ("-", "-*") when ``value``
    is a text: a string cell, which no spreadsheet runs as a formula, so it needs no neutralising quote."""
    cell = sheet.cell(row, column, value)
    cell.number_format = fmt
    cell.alignment = Alignment(horizontal="right" if not isinstance(value, str) else "center", vertical="center")
    cell.border = BORDER
    if fill is not None:
        cell.fill = fill


def notes(sheet: Worksheet, lines: list[str], width: int, start: int) -> None:
    """The notes under the table, one merged and wrapped row each, tall enough for their text."""
    total = sum((sheet.column_dimensions[get_column_letter(c)].width or 10) for c in range(1, width + 1))
    for offset, line in enumerate(lines):
        row = start + offset
        sheet.cell(row, 1, text(line)).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        lines_needed = max(1, -(-display_width(line) // max(1, int(total))))
        sheet.row_dimensions[row].height = 15 * lines_needed + 2


def print_setup(sheet: Worksheet, title_rows: str) -> None:
    """A4 landscape, fitted to one page wide (as many pages tall as needed), ``title_rows`` on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5


def workbook_bytes(bulletin, texts: dict) -> bytes:
    """The bulletin (:class:`parkdash.reports.bulletin.Bulletin`) as an XLSX, with the page's texts (``texts``:
    title, rows, notes, from the view) so that the file says what the page says, in the same order."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title_safe(_("City bulletin"))
    groups = [(_("Park"), [])]
    for indicator in bulletin.indicators:
        groups.append((indicator.display_name, [_("Completion %"), _("Rank")]))
    groups.append((_("Overall"), [_("Mean rank"), _("Rank")]))
    width = 1 + 2 * len(bulletin.indicators) + 2
    title_row(sheet, texts["title"], width)
    unit_row(
        sheet,
        _("Unit: percent of the annual target"),
        _("Actuals of %(period)s · made %(date)s")
        % {"period": period_label(bulletin.year, bulletin.month), "date": timezone.localdate().isoformat()},
        width,
    )
    header(sheet, groups)
    row_number = FIRST_DATA_ROW
    for line in texts["rows"]:
        row = line["row"]
        name = sheet.cell(row_number, 1, text(line["name"]))
        name.border = BORDER
        name.alignment = Alignment(vertical="center")
        column = 2
        for shown in line["cells"]:
            cell = shown["cell"]
            if cell.completion is None:
                number(sheet, row_number, column, shown["text"], PERCENT_FORMAT)
                number(sheet, row_number, column + 1, "-", RANK_FORMAT)
            else:
                number(sheet, row_number, column, cell.completion, PERCENT_FORMAT, STATUS_FILLS.get(cell.status))
                number(sheet, row_number, column + 1, cell.rank, RANK_FORMAT)
            column += 2
        number(sheet, row_number, column, row.score if row.score is not None else "-", SCORE_FORMAT)
        number(sheet, row_number, column + 1, row.score_rank if row.score_rank is not None else "-", RANK_FORMAT)
        row_number += 1
    names = [display_width(line["name"]) for line in texts["rows"]] + [display_width(_("Park"))]
    sheet.column_dimensions["A"].width = min(40, max(names) + 2)
    for col in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 11 if col % 2 == 0 else 7
    notes(sheet, texts["notes"], width, row_number + 1)
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 2)
    print_setup(sheet, "{}:{}".format(*HEADER_ROWS))
    stream = BytesIO()
    workbook.save(stream)
    return stream.getvalue()
