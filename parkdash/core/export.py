"""Streaming CSV and XLSX export of a table's filtered, sorted rows.

django-tables2's stock export renders every cell of every row through the table and builds the whole file
in memory. Here each table declares its export columns as database paths; rows are read with
``values_list().iterator()`` and written as they come, so memory stays flat however many rows there are.
"""

import csv
import decimal
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000


def neutralise(value):
    """Make a text cell safe for spreadsheets: a leading =, +, -, @ (or tab/CR) is prefixed with a quote.

    Numbers are left alone, so that negative growth stays a number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def content_disposition(filename, fallback=None):
    """An RFC 6266 attachment header: an ASCII fallback plus the UTF-8 name in ``filename*``."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", fallback or filename).strip("_.-") or "export"
    return "attachment; filename=\"{}\"; filename*=UTF-8''{}".format(fallback, quote(filename, safe=""))


@dataclass
class ExportColumn:
    """One exported column: a header and the database path(s) its value comes from.

    ``render`` turns the fetched value(s) into the cell; ``numeric`` cells stay numbers in XLSX.
    """

    header: str
    paths: tuple
    render: object = None
    numeric: bool = False
    choices: dict = field(default_factory=dict)

    def cell(self, values):
        value = values[0] if len(values) == 1 else values
        if self.render is not None:
            value = self.render(*values)
        elif self.choices:
            value = self.choices.get(value, value)
        if isinstance(value, Decimal):
            value = plain_decimal(value)
        return value


def plain_decimal(value):
    """Drop the storage scale's trailing zeros (20.7500 -> 20.75, 100.0000 -> 100), keeping a Decimal."""
    if not value.is_finite():
        return value
    value = value.normalize()
    if value != value.to_integral_value():
        return value
    # As many digits as the integer has: in the default 28, a value stored out of range (1E+30) would raise.
    return value.quantize(Decimal(1), context=decimal.Context(prec=max(28, value.adjusted() + 1)))


def column(header, *paths, render=None, numeric=False, choices=None):
    """An export column; lazy labels are resolved now, in the language of the request."""
    labels = {value: str(label) for value, label in (choices or [])}
    return ExportColumn(str(header), tuple(paths), render, numeric, labels)


def iter_rows(queryset, columns):
    """Yield one list of cells per row of ``queryset``, already ordered and filtered."""
    paths = []
    slices = []
    for col in columns:
        slices.append(slice(len(paths), len(paths) + len(col.paths)))
        paths.extend(col.paths)
    for record in queryset.values_list(*paths).iterator(chunk_size=CHUNK_SIZE):
        yield [col.cell(record[sl]) for col, sl in zip(columns, slices)]


class _Echo:
    def write(self, value):
        return value


def csv_response(queryset, columns, filename, fallback="export"):
    """A streaming CSV (UTF-8 with BOM) of ``queryset``; text cells neutralised against formula injection."""
    writer = csv.writer(_Echo())

    def lines():
        yield BOM + writer.writerow([c.header for c in columns])
        for row in iter_rows(queryset, columns):
            yield writer.writerow([neutralise(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename + ".csv", fallback + ".csv")
    return response


def xlsx_response(queryset, columns, filename, fallback="export", sheet_title="ParkDash"):
    """An XLSX file written row by row (openpyxl write-only mode) to a temporary file, then streamed."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append([c.header for c in columns])
    for row in iter_rows(queryset, columns):
        sheet.append([_xlsx_cell(cell) for cell in row])
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    response = FileResponse(
        handle, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition(filename + ".xlsx", fallback + ".xlsx")
    return response


def _xlsx_cell(value):
    if isinstance(value, str):
        # XLSX cannot hold control characters (a vertical tab pasted from Word): a space each.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub(" ", value))
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value
