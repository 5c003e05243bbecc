"""django-import-export formats tuned for Excel and WPS users, bounded in rows (parkdash.core.uploads)."""

from import_export.formats import base_formats

from . import uploads
from .export import BOM


class ExcelCSV(base_formats.CSV):
    """CSV whose export starts with a UTF-8 BOM, so that Excel and WPS show Chinese; imports accept it.

    An import of more rows than ``PARKDASH_IMPORT_MAX_ROWS`` is refused before a row is read into a dataset.
    """

    def export_data(self, dataset, **kwargs):
        return BOM + super().export_data(dataset, **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode("utf-8-sig")
        elif isinstance(in_stream, str) and in_stream.startswith(BOM):
            in_stream = in_stream[1:]
        uploads.count_csv_rows(in_stream)
        return super().create_dataset(in_stream, **kwargs)


class BoundedXLSX(base_formats.XLSX):
    """For imports: the first sheet of a workbook, checked as a ZIP package first and read no further than the row
    bound. (Exports keep the stock class: django-import-export writes native cell types only for it.)"""

    def create_dataset(self, in_stream):
        uploads.check_zip(in_stream, uploads.EXCEL_WORKBOOK)
        return uploads.read_xlsx(in_stream)
