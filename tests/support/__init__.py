"""Test support for every suite: records built in code, personas, the admin's import and export, the batteries.

Import from here (``from tests.support import make_park, World, import_file``). Behind it:

- :mod:`.records`: one builder per model (``make_park``, ``make_zone``, ``make_indicator``, ``make_figure``,
  ``make_project``, ``make_enterprise``, ``make_work``), each the smallest valid record with keyword overrides;
  ``park_with_data``, a park with figures and records of every kind for the pages;
- :mod:`.personas`: ``make_admin``, ``persona`` (a user with a role and parks) and ``World``, the setUpTestData of
  parks A and B with a record of every kind each and every persona; ``markers`` of what only one park shows;
- :mod:`.cases`: ``EnglishTestCase`` and ``EnglishClient``, for assertions on English messages;
- :mod:`.admin`: the admin as a test drives it: ``import_file`` (``preview_import`` then ``confirm_import``),
  ``export``, ``reimport_export``, ``import_errors``, ``admin_form_data``, ``admin_url``, uploads built in code;
- :mod:`.dashboard`: ``build_dashboard``, the three parks over two years the browser tests look at;
- :mod:`.bombs`: hostile uploads generated in memory (ZIP bombs, row floods), for the upload tests and
  ``make bombs``;
- :mod:`.batteries` (imported from there): the checks every park record model gets, written once, and their
  helpers: ``AdminPagesChecks``, ``ImportChecks``, ``ExportChecks``, ``HistoryChecks``, ``ParkRecordModelChecks``.
"""

from .admin import (
    BOM,
    CSV_FORMAT,
    SAMPLES,
    XLSX_FORMAT,
    admin_form_data,
    admin_url,
    confirm_import,
    csv_upload,
    error_text,
    export,
    import_errors,
    import_file,
    import_url,
    preview_import,
    reimport_export,
    review_data,
    sample,
    xlsx_upload,
)
from .cases import EnglishClient, EnglishTestCase
from .dashboard import DASHBOARD_INDICATORS, Dashboard, build_dashboard
from .personas import (
    AMOUNTS,
    DOMAIN_MODELS,
    SUMMARY_TEXT,
    Marker,
    World,
    build_park,
    make_admin,
    markers,
    persona,
    row_counts,
)
from .records import (
    INDICATORS,
    make_enterprise,
    make_figure,
    make_indicator,
    make_park,
    make_project,
    make_work,
    make_zone,
    park_with_data,
    small_and_large_parks,
)

__all__ = [
    "AMOUNTS",
    "BOM",
    "CSV_FORMAT",
    "DASHBOARD_INDICATORS",
    "DOMAIN_MODELS",
    "INDICATORS",
    "SAMPLES",
    "SUMMARY_TEXT",
    "XLSX_FORMAT",
    "Dashboard",
    "EnglishClient",
    "EnglishTestCase",
    "Marker",
    "World",
    "admin_form_data",
    "admin_url",
    "build_dashboard",
    "build_park",
    "confirm_import",
    "csv_upload",
    "error_text",
    "export",
    "import_errors",
    "import_file",
    "import_url",
    "make_admin",
    "make_enterprise",
    "make_figure",
    "make_indicator",
    "make_park",
    "make_project",
    "make_work",
    "make_zone",
    "markers",
    "park_with_data",
    "persona",
    "preview_import",
    "reimport_export",
    "review_data",
    "row_counts",
    "sample",
    "small_and_large_parks",
    "xlsx_upload",
]
