"""django-import-export formats tuned for Excel and WPS users."""

from import_export.formats.base_formats import CSV

BOM = "\ufeff"


class ExcelCSV(CSV):
    """CSV whose export starts with a UTF-8 BOM, so that Excel and WPS show Chinese; imports accept it."""

    def export_data(self, dataset, **kwargs):
        return BOM + super().export_data(dataset, **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode("utf-8-sig")
        elif isinstance(in_stream, str) and in_stream.startswith(BOM):
            in_stream = in_stream[1:]
        return super().create_dataset(in_stream, **kwargs)
