"""Uploads bounded by the work they cause, not only by their bytes.

Five megabytes say little about the work a file makes: a 3.6 MB .docx can inflate to a gigabyte of XML, a
3.6 MB .xlsx to ten million rows, a 47 KB CSV to 2,000 rows of which each costs dozens of queries to preview.
This module holds every bound on an upload and checks each one *before* a parser sees the file:

- :func:`check_size` — the file's bytes, before anything reads it.
- :func:`check_zip` — a .docx or .xlsx (both ZIP packages): the number of entries, the inflated size of each
  entry and of all together (read from the ZIP's central directory, nothing inflated; Python's ``zipfile`` never
  inflates an entry past the size declared there), then the XML parts streamed through expat, keeping no tree:
  no DTD, and at most so many elements, Word paragraphs and cells in a spreadsheet row — what python-docx and
  openpyxl would build in memory.
- :func:`count_csv_rows` and :func:`read_xlsx` — rows (and columns) per import, counted while reading, so a
  reader stops at the first row over the bound.
- :func:`check_summary_text` and :func:`check_candidates` — the characters of a work summary and the figures
  found in it, so that its review page stays a page a person can review.

The bounds are settings (``PARKDASH_UPLOAD_*``, ``PARKDASH_IMPORT_*``, ``PARKDASH_SUMMARY_*``); the README's
"Uploads" section says why each has its value and what ``make bombs`` measured.
"""

import csv
import io
import itertools
import zipfile
import zlib
from xml.parsers import expat

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

WORD_DOCUMENT = gettext_lazy("Word document")
EXCEL_WORKBOOK = gettext_lazy("Excel workbook")

XML_HEAD_BYTES = 4096
XML_CHUNK_BYTES = 256 * 1024
# openpyxl builds a dict for every cell of a row before it yields the row; a spreadsheet row of an import has a
# dozen cells, and Excel writes empty ones only where they are formatted.
XLSX_MAX_ROW_CELLS = 1000


class UploadRejected(ValueError):
    """An upload is over one of the bounds; the message says which and what to do, in the user's language."""


def _mb(size):
    return number_format(round(size / 1024 / 1024, 1), decimal_pos=1)


def _count(number):
    return number_format(number, force_grouping=True)


class _Refused(Exception):
    """Stops expat mid-part: what was over its bound."""


class _MarkupScan:
    """What a parser would build from the XML parts, counted while expat streams them (no tree is kept).

    python-docx builds an lxml tree of every part and a proxy per paragraph (about 32 µs and 0.3 KB each);
    openpyxl builds a dict per cell of a row before it yields the row. Counting elements, Word paragraphs and the
    cells of one spreadsheet row bounds that work whatever the bytes look like.
    """

    def __init__(self):
        self.elements = self.paragraphs = self.rows = self.row_cells = 0
        self.max_elements = settings.PARKDASH_UPLOAD_XML_MAX_ELEMENTS
        self.max_paragraphs = settings.PARKDASH_UPLOAD_DOCX_MAX_PARAGRAPHS

    def start(self, name, attributes):
        self.elements += 1
        if self.elements > self.max_elements:
            raise _Refused("elements")
        namespace, _space, local = name.rpartition(" ")
        if local == "p" and "wordprocessingml" in namespace:
            self.paragraphs += 1
            if self.paragraphs > self.max_paragraphs:
                raise _Refused("paragraphs")
        elif local == "row" and "spreadsheetml" in namespace:
            self.rows += 1
            self.row_cells = 0
        elif local == "c" and "spreadsheetml" in namespace:
            self.row_cells += 1
            if self.row_cells > XLSX_MAX_ROW_CELLS:
                raise _Refused("cells")

    def doctype(self, *args):
        raise _Refused("doctype")


def _looks_like_xml(head):
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
        return True
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def _same_again():
    return _("Open it in Office or WPS, save it again under a new name and upload that file.")


def check_zip(data, what):
    """Refuse a ZIP package (.docx, .xlsx) that would make its parser do unbounded work, before any parser sees it.

    ``what`` names the kind of file for the messages ("Word document", "Excel workbook"). Checked in this order,
    each step only when the one before passed: the number of entries (from the ZIP's end record, before the
    central directory is read), the inflated size of each entry and of all together (from the central directory;
    nothing is inflated), then every XML part streamed through expat without building a tree: no DTD (Office Open
    XML forbids them; they carry entity bombs), at most ``PARKDASH_UPLOAD_XML_MAX_ELEMENTS`` elements in all, at
    most ``PARKDASH_UPLOAD_DOCX_MAX_PARAGRAPHS`` Word paragraphs, at most ``XLSX_MAX_ROW_CELLS`` cells in a row.
    Data that is not a ZIP file at all passes, for the parser to say what it is.
    """
    stream = io.BytesIO(data)
    # The end record says how many entries there are and how long the central directory is, before zipfile reads
    # that directory into a list of ZipInfo objects (100,000 entries fit in 5 MB).
    end = zipfile._EndRecData(stream)
    if end is None:
        return
    max_entries = settings.PARKDASH_UPLOAD_ZIP_MAX_ENTRIES
    if end[zipfile._ECD_ENTRIES_TOTAL] > max_entries or end[zipfile._ECD_SIZE] > max_entries * 1024:
        raise UploadRejected(
            _(
                "This {what} is made of {count} parts; a genuine one has a few dozen, and at most {max} are read."
            ).format(what=what, count=_count(end[zipfile._ECD_ENTRIES_TOTAL]), max=_count(max_entries))
            + " "
            + _same_again()
        )
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    with archive:
        entries = [entry for entry in archive.infolist() if not entry.is_dir()]
        if len(entries) > max_entries:
            raise UploadRejected(
                _(
                    "This {what} is made of {count} parts; a genuine one has a few dozen, and at most {max} are read."
                ).format(what=what, count=_count(len(entries)), max=_count(max_entries))
                + " "
                + _same_again()
            )
        total = sum(entry.file_size for entry in entries)
        biggest = max((entry.file_size for entry in entries), default=0)
        max_part, max_total = settings.PARKDASH_UPLOAD_ZIP_MAX_PART_BYTES, settings.PARKDASH_UPLOAD_ZIP_MAX_BYTES
        if biggest > max_part or total > max_total:
            raise UploadRejected(
                _(
                    "This {what} unpacks to {size} MB (a compressed file holds far more than it weighs); at most "
                    "{max} MB are read, {part_max} MB in any one part. If it is a genuine document, split it into "
                    "smaller files, or save it again without embedded pictures and objects."
                ).format(what=what, size=_mb(total), max=_mb(max_total), part_max=_mb(max_part))
            )
        _scan_markup(archive, entries, what)


def _scan_markup(archive, entries, what):
    scan = _MarkupScan()
    for entry in entries:
        try:
            with archive.open(entry) as part:
                head = part.read(XML_HEAD_BYTES)
                if not _looks_like_xml(head):
                    continue  # a picture, a font: no XML parser reads it
                parser = expat.ParserCreate(namespace_separator=" ")
                parser.StartElementHandler = scan.start
                parser.StartDoctypeDeclHandler = scan.doctype
                parser.Parse(head, False)
                while chunk := part.read(XML_CHUNK_BYTES):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except _Refused as refused:
            raise UploadRejected(_markup_message(str(refused), scan, what)) from None
        except (
            expat.ExpatError,
            zipfile.BadZipFile,
            NotImplementedError,
            RuntimeError,
            ValueError,
            OSError,
            EOFError,
            zlib.error,
        ):
            raise UploadRejected(
                _("This {what} is damaged: its part “{part}” cannot be read.").format(
                    what=what, part=entry.filename[:80]
                )
                + " "
                + _same_again()
            ) from None


def _markup_message(reason, scan, what):
    if reason == "doctype":
        return (
            _(
                "This {what} contains a document type declaration, which Office and WPS never write (it is how a file "
                "makes a reader expand text without end)."
            ).format(what=what)
            + " "
            + _same_again()
        )
    if reason == "paragraphs":
        return _(
            "This Word document has more than {max} paragraphs (table cells included); at most {max} are read. "
            "Split it into parts, for instance by chapter, and upload each part as a summary of its own."
        ).format(max=_count(scan.max_paragraphs))
    if reason == "cells":
        return _(
            "A row of this workbook has more than {max} cells; an import has at most {columns} columns. Delete "
            "the columns the import does not list (the import page names them) and import the file again."
        ).format(max=_count(XLSX_MAX_ROW_CELLS), columns=_count(settings.PARKDASH_IMPORT_MAX_COLUMNS))
    if scan.rows > settings.PARKDASH_IMPORT_MAX_ROWS:
        return rows_message()
    return (
        _(
            "This {what} is unusually complex inside: more than {max} pieces of markup (paragraphs, cells, "
            "formatting), where a genuine one of this size has far fewer."
        ).format(what=what, max=_count(scan.max_elements))
        + " "
        + _same_again()
        + " "
        + _("If it is very long, split it into smaller files.")
    )


def rows_message(count=None):
    """What to do with a file over the row bound: split it, with the header row in every part."""
    limit = settings.PARKDASH_IMPORT_MAX_ROWS
    if count is None:
        head = _("The file has more than {max} rows of data.").format(max=_count(limit))
    else:
        head = _("The file has {count} rows of data.").format(count=_count(count))
    return (
        head
        + " "
        + _(
            "At most {max} rows are imported at a time, so that the preview stays quick: split the file into parts "
            "of up to {max} rows, copy the header row to the top of each part, and import the parts one after another."
        ).format(max=_count(limit))
        + " "
        + _(
            "Or ask the administrator to import the whole file on the server in one go, with the same checks and "
            "the same error report: {command}"
        ).format(command="python manage.py import_figures FILE")
    )


def count_csv_rows(text):
    """The data rows of a CSV text (blank lines not counted), or UploadRejected past the import bound."""
    limit = settings.PARKDASH_IMPORT_MAX_ROWS
    rows = csv.reader(io.StringIO(text))
    try:
        next(rows, None)  # the header
        count = sum(1 for row in rows if row)
    except csv.Error:
        return None  # the CSV reader proper reports it
    if count > limit:
        raise UploadRejected(rows_message(count))
    return count


def read_xlsx(data, max_rows=None):
    """The first sheet of an .xlsx as a tablib Dataset, the first row being the header; bounded while it reads.

    As django-import-export reads it (values of formula cells, not the formulas), except that it stops at the
    first row over ``max_rows`` (by default ``PARKDASH_IMPORT_MAX_ROWS``) and refuses a header wider than
    ``PARKDASH_IMPORT_MAX_COLUMNS``; cells right of the header are ignored (they have no column name) and blank
    rows at the end are dropped.
    Call :func:`check_zip` first: openpyxl reads the shared strings whole.
    """
    import openpyxl
    import tablib

    max_rows, max_columns = max_rows or settings.PARKDASH_IMPORT_MAX_ROWS, settings.PARKDASH_IMPORT_MAX_COLUMNS
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.active
        # The <dimension> a file declares may claim a million rows and 16,384 columns: read what is there.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header = list(next(rows, ()))
        while header and header[-1] is None:
            header.pop()
        if len(header) > max_columns:
            raise UploadRejected(
                _(
                    "The first row has {count} columns; an import has at most {max}. Keep the columns the import "
                    "lists above (the first row naming them) and remove the others."
                ).format(count=_count(len(header)), max=_count(max_columns))
            )
        width = len(header)
        dataset = tablib.Dataset(headers=header)
        blank_run = 0
        # Blank rows count towards a scan bound of their own: ten million empty <row/> elements are a bomb too.
        for scanned, row in enumerate(rows, start=1):
            values = list(itertools.islice(row, width))
            if all(value is None for value in values):
                blank_run += 1
                if scanned > max_rows * 10:
                    raise UploadRejected(rows_message())
                continue
            if len(dataset) + blank_run >= max_rows:
                raise UploadRejected(rows_message())
            for _blank in range(blank_run):
                dataset.append([None] * width)
            blank_run = 0
            dataset.append(values + [None] * (width - len(values)))
        return dataset
    finally:
        book.close()


def limit_mb():
    """``PARKDASH_UPLOAD_MAX_BYTES`` in megabytes, as the messages write it: 5."""
    return "{:g}".format(settings.PARKDASH_UPLOAD_MAX_BYTES / 1024 / 1024)


def check_size(upload, message=None):
    """Refuse a file over ``PARKDASH_UPLOAD_MAX_BYTES`` before anything reads it; ``message`` may add advice."""
    if upload.size > settings.PARKDASH_UPLOAD_MAX_BYTES:
        message = message or _("The file is %(size).1f MB; the limit is %(limit)s MB.")
        raise UploadRejected(message % {"size": upload.size / 1024 / 1024, "limit": limit_mb()})


def check_summary_text(text):
    """Refuse a work summary longer than ``PARKDASH_SUMMARY_MAX_CHARS`` characters."""
    limit = settings.PARKDASH_SUMMARY_MAX_CHARS
    if len(text) > limit:
        raise UploadRejected(
            _(
                "The summary has {count} characters; at most {max} are read at a time (about {pages} pages). Split it "
                "into parts, for instance by chapter, and upload each part as a summary of its own."
            ).format(count=_count(len(text)), max=_count(limit), pages=_count(limit // 1500))
        )


def check_candidates(count):
    """Refuse a work summary in which more figures were found than a review page can show."""
    limit = settings.PARKDASH_SUMMARY_MAX_CANDIDATES
    if count > limit:
        raise UploadRejected(
            _(
                "{count} figures were found in this summary; one review page shows at most {max}. Split the summary "
                "into parts, for instance by chapter, and upload each part as a summary of its own."
            ).format(count=_count(count), max=_count(limit))
        )
