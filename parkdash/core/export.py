"""Streaming CSV and XLSX export of a table's filtered, sorted rows.

django-tables2's stock export renders every cell of every row through the table and builds the whole file
in memory. Here each table declares its export columns as database paths; rows are read with
``values_list().iterator()`` and written as they come, so memory stays flat however many rows there are.
"""

import contextlib
import csv
import logging
import pickle
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.functions import Cast
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

logger = logging.getLogger(__name__)

BOM = "\ufeff"
CHUNK_SIZE = 2000
LINES_PER_CHUNK = 200  # CSV lines per piece of a streamed response

Converter = Callable[[Any], Any]  # a database value read as text, made what the column holds

# A text a spreadsheet may run as a formula: one starting with a tab or CR (OWASP), or whose first visible character
# is a formula sign, half- or full-width, after any whitespace or invisible format character: spreadsheets skip
# leading spaces, newlines and ideographic spaces (U+3000) when they look for a formula. The neutralising quote
# goes before such a text, and before quotes followed by one, so that the quote an import strips (see
# restore_neutralised) is always one an export added. match() anchors at the start (or at its pos argument).
NEUTRALISED = re.compile(r"'*(?:[\t\r]|[\s\u180e\u200b-\u200f\u2060-\u2064\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20])")


def neutralise(value: Any) -> Any:
    """Make a text cell safe for spreadsheets: one a spreadsheet could run as a formula gets a leading quote.

    That is any text starting with =, +, -, @ (or their full-width forms), possibly after whitespace of any kind
    (" =4+4", "\\n=5+5", "\\u3000=7+7"), or starting with a tab or CR. A text that is quotes followed by such
    a text gets one more quote, so that :func:`restore_neutralised` gives back exactly what was stored.
    Numbers are left alone, so that negative growth stays a number.
    """
    # A text starting with a letter or a digit (of any script) cannot match: the regex is skipped for nearly every
    # cell. No character NEUTRALISED can start with is alphanumeric (tests/core/test_export.py checks each one).
    if isinstance(value, str) and value and not value[0].isalnum() and NEUTRALISED.match(value):
        return "'" + value
    return value


def restore_neutralised(value: Any) -> Any:
    """The text :func:`neutralise` was given: an import strips exactly the quote an export added.

    ``restore_neutralised(neutralise(text)) == text`` for every text, so an export imported again changes nothing.
    """
    if isinstance(value, str) and value.startswith("'") and NEUTRALISED.match(value, 1):
        return value[1:]
    return value


def content_disposition(filename: str, fallback: str | None = None) -> str:
    """An RFC 6266 attachment header: an ASCII fallback plus the UTF-8 name in ``filename*``."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", fallback or filename).strip("_.-") or "export"
    return "attachment; filename=\"{}\"; filename*=UTF-8''{}".format(fallback, quote(filename, safe=""))


@dataclass
class ExportColumn:
    """One exported column: a header and the database path(s) its value comes from.

    ``render`` turns the fetched value(s) into the cell; ``numeric`` cells stay numbers in XLSX.
    """

    header: str
    paths: tuple[str, ...]
    render: Callable[..., Any] | None = None
    numeric: bool = False
    choices: dict[Any, str] = field(default_factory=dict)

    def cell(self, values: tuple[Any, ...]) -> Any:
        value = values[0] if len(values) == 1 else values
        if self.render is not None:
            value = self.render(*values)
        elif self.choices:
            value = self.choices.get(value, value)
        if isinstance(value, Decimal):
            value = plain_decimal(value)
        return value


_COLUMN_CELL = ExportColumn.cell  # what _single_cell() writes in one function


def plain_decimal(value: Decimal) -> Decimal:
    """Drop the storage scale's trailing zeros (20.7500 -> 20.75, 100.0000 -> 100), keeping a Decimal.

    Never raises: an infinity stays as it is, and a whole number of any size keeps all its digits.
    """
    if not value.is_finite():
        return value
    value = value.normalize()
    if value != value.to_integral_value():
        return value
    return value.quantize(Decimal(1), context=Context(prec=max(28, value.adjusted() + 1)))


def column(
    header: Any,
    *paths: str,
    render: Callable[..., Any] | None = None,
    numeric: bool = False,
    choices: Iterable[tuple[Any, Any]] | None = None,
) -> ExportColumn:
    """An export column; lazy labels are resolved now, in the language of the request."""
    labels = {value: str(label) for value, label in (choices or [])}
    return ExportColumn(str(header), tuple(paths), render, numeric, labels)


class ExportFailed(Exception):
    """An export stopped by a row that could not be read or written; the message is for the user."""


def _model_field(model: Any, path: str) -> Any:
    try:
        *relations, name = path.split("__")
        for relation in relations:
            model = model._meta.get_field(relation).related_model
        return model._meta.get_field(name)
    except (FieldDoesNotExist, AttributeError):
        return None  # an annotation, read as it is


def _to_decimal(text: str | None) -> Decimal | str | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


def _readable_paths(queryset: Any, paths: Sequence[str]) -> tuple[list[Any], list[Converter | None]]:
    """``(expressions, converters)`` to fetch ``paths`` with: what the database holds, never an exception.

    SQLite keeps decimals as floats or integers, and Django quantizes them to the field's max_digits as it reads
    them: a total investment of 9999999999999999, stored before amounts were bounded, raised InvalidOperation in
    the middle of an export. Such columns are read as text and made Decimals here, exactly as stored.
    """
    from django.db import connections

    if connections[queryset.db].vendor != "sqlite":
        return list(paths), [None] * len(paths)
    expressions: list[Any] = []
    converters: list[Converter | None] = []
    for path in paths:
        if isinstance(_model_field(queryset.model, path), models.DecimalField):
            expressions.append(Cast(path, output_field=models.TextField()))
            converters.append(_to_decimal)
        else:
            expressions.append(path)
            converters.append(None)
    return expressions, converters


def iter_rows(queryset: Any, columns: Sequence[ExportColumn], neutralised: bool = False) -> Iterator[list[Any]]:
    """Yield one list of cells per row of ``queryset``, already ordered and filtered; with ``neutralised``, each
    cell as :func:`neutralise` makes it (the CSV's cells).

    ``queryset`` may also be a list of dicts computed in Python (the overview's table, made from its cards): each
    column then reads its paths as keys of the dict.
    """
    finish = neutralise if neutralised else _as_it_is
    if isinstance(queryset, list):
        for record in queryset:
            yield [finish(col.cell(tuple(record.get(path) for path in col.paths))) for col in columns]
        return
    paths: list[str] = []
    # Per column: where its values are in the fetched row (an index for a column of one path, else a slice), and
    # the function that makes its cell of them.
    cells: list[tuple[Any, Callable[[Any], Any]]] = []
    for col in columns:
        if len(col.paths) == 1:
            cells.append((len(paths), _single_cell(col, neutralised)))
        else:
            at = slice(len(paths), len(paths) + len(col.paths))
            cells.append((at, _several_cell(col, finish)))
        paths.extend(col.paths)
    expressions, converters = _readable_paths(queryset, paths)
    convert = [(i, f) for i, f in enumerate(converters) if f is not None]
    for record in queryset.values_list(*expressions).iterator(chunk_size=CHUNK_SIZE):
        if convert:
            record = list(record)
            for i, function in convert:
                record[i] = function(record[i])
        yield [cell(record[at]) for at, cell in cells]


def _as_it_is(value: Any) -> Any:
    return value


def _several_cell(col: ExportColumn, finish: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The cell of a column of several paths from its values in the fetched row: its own ``cell()``, then ``finish``."""
    cell = col.cell
    return lambda values: finish(cell(tuple(values)))


def _single_cell(col: ExportColumn, neutralised: bool) -> Callable[[Any], Any]:
    """``col.cell((value,))``, then :func:`neutralise` when ``neutralised``, as one function of the value.

    An export writes rows × columns cells (18,000 for a park's year of figures): ExportColumn.cell and neutralise()
    cost eight calls a cell, most of them type checks. Here a text, None and an int (most cells) cost one call
    and the check of a text's first character; any other value takes the general way."""
    if col.render is not None or type(col).cell is not _COLUMN_CELL:  # a cell of its own (or one replaced): its way
        finish = neutralise if neutralised else _as_it_is
        return lambda value: finish(col.cell((value,)))
    choices = col.choices

    def cell(value: Any) -> Any:
        if choices:
            value = choices.get(value, value)
        kind = type(value)
        if kind is str:
            # neutralise(): a text starting with a letter or a digit is never one a spreadsheet runs.
            if neutralised and value and not value[0].isalnum() and NEUTRALISED.match(value):
                return "'" + value
            return value
        if value is None or kind is int:
            return value
        if kind is Decimal:
            return plain_decimal(value)  # a Decimal, which neutralise() leaves as it is
        if isinstance(value, Decimal):
            value = plain_decimal(value)
        return neutralise(value) if neutralised else value

    return cell


def _started(rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    """``rows`` with its first row already read, so that a failure at the very start comes before any response."""
    try:
        first = next(rows)
    except StopIteration:
        return iter(())
    except Exception as error:
        logger.exception("Export failed before its first row")
        raise ExportFailed(failure_message()) from error

    def chain() -> Iterator[list[Any]]:
        yield first
        yield from rows

    return chain()


def failure_message() -> str:
    return _(
        "The export failed: a row could not be read. Nothing was downloaded. Try again; if it fails again, "
        "tell the administrator (the server log has the details)."
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    queryset: Any, columns: Sequence[ExportColumn], filename: str, fallback: str = "export"
) -> StreamingHttpResponse:
    """A streaming CSV (UTF-8 with BOM) of ``queryset``; text cells neutralised against formula injection.

    Rows are streamed as they are read, so the status line has gone out before the last row is read. Should a
    row then fail, the file ends with a line that says so, and the stream is broken off with the error: the
    browser marks the download as failed rather than saving a file that merely looks shorter.
    Raises :class:`ExportFailed` when the first row cannot be read, before anything is sent.
    """
    writer = csv.writer(_Echo())
    header = BOM + writer.writerow([c.header for c in columns])
    # Translated now: the stream is read after the view has returned, perhaps with another language active.
    failed = _(
        "EXPORT FAILED: this file is incomplete (rows written: {rows}). Export again; if it fails again, "
        "tell the administrator."
    )
    rows = _started(iter_rows(queryset, columns, neutralised=True))

    def lines() -> Iterator[str]:
        # Rows go out LINES_PER_CHUNK at a time: the response encodes each piece it is given (looking up its charset
        # each time), which cost as much as writing the line.
        yield header
        written = 0
        batch: list[str] = []
        try:
            for row in rows:
                batch.append(writer.writerow(row))  # neutralised by iter_rows
                written += 1
                if len(batch) == LINES_PER_CHUNK:
                    yield "".join(batch)
                    batch = []
        except Exception:
            logger.exception("CSV export %s failed after %d rows", filename, written)
            batch.append(writer.writerow([neutralise(failed.format(rows=written))]))
            yield "".join(batch)
            raise
        if batch:
            yield "".join(batch)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename + ".csv", fallback + ".csv")
    return response


# Column widths of an XLSX export, in characters (a CJK character counts two): fitted to the longest cell.
MIN_WIDTH, MAX_WIDTH = 6, 60


# East Asian wide and full-width characters (CJK, kana, hangul, full-width forms): each takes two columns.
WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)


def display_width(text: str) -> int:
    """The width of ``text`` in a spreadsheet column, in characters: East Asian wide characters count two."""
    if text.isascii():
        return len(text)
    return len(text) + len(WIDE.findall(text))


def number_format(value: Any) -> str | None:
    """The XLSX number format of a number cell: grouped thousands, exactly the decimals the value has.

    Whole numbers stored as integers (years, months) get none: 2023 must not read 2,023.
    """
    if isinstance(value, Decimal) and value.is_finite():
        places = max(0, -int(value.as_tuple().exponent))
        return "#,##0" + ("." + "0" * places if places else "")
    if isinstance(value, float):
        return "#,##0.##########"
    return None


def _shown_text(value: Any) -> str:
    """About what a cell shows, for its column's width."""
    if value is None:
        return ""
    if isinstance(value, Decimal) and value.is_finite():
        places = max(0, -int(value.as_tuple().exponent))
        return f"{value:,.{places}f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()[:16]
    return str(value)


class _Spool:
    """Rows pickled to a temporary file as they are read, so that widths are known before the sheet is written
    (a write-only sheet writes its columns' widths before its first row) while memory stays flat."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.count = 0

    def add(self, row: list[Any]) -> None:
        pickle.dump(row, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self) -> Iterator[list[Any]]:
        self.file.seek(0)
        for _index in range(self.count):
            yield pickle.load(self.file)  # noqa: S301 (rows this process pickled a moment ago)

    def close(self) -> None:
        self.file.close()


def xlsx_response(
    queryset: Any,
    columns: Sequence[ExportColumn],
    filename: str,
    fallback: str = "export",
    sheet_title: str = "ParkDash",
) -> FileResponse:
    """An XLSX file written row by row (openpyxl write-only mode) to a temporary file, then streamed.

    The sheet is named ``sheet_title``; its header row is bold, frozen and has an autofilter, it repeats on every
    printed page; the columns are as wide as their content (capped); numbers stay numbers, with grouped thousands.
    The file is complete before anything is sent; a row that fails raises :class:`ExportFailed`.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title_safe(sheet_title))
    headers = [c.header for c in columns]
    widths = [display_width(header) for header in headers]
    spool = _Spool()
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (the FileResponse closes it once it is sent)
    try:
        for row in iter_rows(queryset, columns):
            cells = [_xlsx_cell(cell) for cell in row]
            for index, cell in enumerate(cells):
                if widths[index] < MAX_WIDTH:  # once at the cap, the column's other cells need no measuring
                    widths[index] = max(widths[index], display_width(_shown_text(cell)[:MAX_WIDTH]))
            spool.add(cells)
        for index, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
        sheet.freeze_panes = "A2"
        sheet.print_title_rows = "1:1"
        bold = Font(bold=True)
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=_xlsx_cell(header))
            cell.font = bold
            cell.alignment = Alignment(vertical="top")
            header_cells.append(cell)
        sheet.append(header_cells)
        numeric = [index for index, col in enumerate(columns) if col.numeric]  # only these hold numbers
        for cells in spool:
            for index in numeric:
                cells[index] = _styled(sheet, cells[index])
            sheet.append(cells)
        sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(columns)))}{spool.count + 1}"
        workbook.save(handle)
    except Exception as error:
        logger.exception("XLSX export %s failed", filename)
        handle.close()
        with contextlib.suppress(Exception):
            sheet.close()  # ends openpyxl's row writer cleanly, instead of lxml errors when it is collected
        raise ExportFailed(failure_message()) from error
    finally:
        spool.close()
    handle.seek(0)
    response = FileResponse(handle, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition(filename + ".xlsx", fallback + ".xlsx")
    return response


def sheet_title_safe(title: str) -> str:
    """A valid sheet name: without the characters Excel forbids in one, at most 31 characters, never empty."""
    return re.sub(r"[\\/?*\[\]:]", " ", str(title)).strip("' ")[:31] or "ParkDash"


def _styled(sheet: Any, value: Any) -> Any:
    """A number gets a cell with its number format; anything else is written as it is."""
    fmt = number_format(value) if not isinstance(value, bool) else None
    if fmt is None:
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = fmt
    return cell


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        # XLSX cannot hold control characters (a vertical tab pasted from Word): a space each.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub(" ", value))
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value
