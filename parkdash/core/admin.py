"""Admin bases shared by the domain apps."""

from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX
from simple_history.admin import SimpleHistoryAdmin

from .formats import ExcelCSV


class ImportExportAdmin(ImportExportMixin, SimpleHistoryAdmin):
    """Bulk import/export (CSV with BOM, XLSX) with a preview, plus change history with revert."""

    formats = [ExcelCSV, XLSX]
