"""A filtered table exports exactly its rows, as a CSV for Excel (BOM, Chinese file name) and as XLSX."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from parkdash.enterprises.tables import EnterpriseTable
from parkdash.indicators.tables import FigureTable
from tests.support import DASHBOARD_INDICATORS as INDICATORS

pytestmark = pytest.mark.browser

BOM = b"\xef\xbb\xbf"


def table_rows(page):
    return page.locator("table.data-table tbody tr:not(:has(td.empty))")


def submit_filters(page):
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")


def column_positions(table_class):
    """{database path: position} of a table's export columns, read from the table itself (headers get translated)."""
    return {
        col.paths[0]: i for i, col in enumerate(table_class(table_class._meta.model.objects.none()).export_columns())
    }


def download(page, selector):
    with page.expect_download() as info:
        page.click(selector)
    result = info.value
    assert result.failure() is None
    return result, Path(result.path()).read_bytes()


def test_a_filtered_table_exports_exactly_its_rows_as_csv_for_excel(logged_in_page, dashboard, browsing):
    page = logged_in_page
    page.goto("/enterprises/")
    assert table_rows(page).count() == 6
    page.fill("form.filters input[name=q]", "爱仕达")
    submit_filters(page)
    assert parse_qs(urlparse(page.url).query)["q"] == ["爱仕达"]
    assert table_rows(page).count() == 1

    result, content = download(page, "a[data-export=csv]")

    assert re.fullmatch(r"企业-\d{4}-\d{2}-\d{2}\.csv", result.suggested_filename), result.suggested_filename
    assert content.startswith(BOM)
    rows = list(csv.reader(io.StringIO(content[len(BOM) :].decode("utf-8"))))
    header, data = rows[0], rows[1:]
    at = column_positions(EnterpriseTable)
    assert len(header) == len(at) and all(header)
    assert len(data) == 1, data
    assert data[0][at["name"]] == "浙江爱仕达电器"
    assert data[0][at["industry"]] == "家用电器"
    assert data[0][at["park__name"]] == dashboard.park.name
    assert browsing.problems() == []


def test_a_filtered_sorted_table_exports_its_rows_as_xlsx_with_numbers_as_numbers(logged_in_page, dashboard, browsing):
    from openpyxl import load_workbook

    page = logged_in_page
    page.goto("/indicators/")
    page.select_option("form.filters select[name=park]", str(dashboard.park.pk))
    page.select_option("form.filters select[name=kind]", "target")
    page.fill("form.filters input[name=year]", str(dashboard.year))
    submit_filters(page)
    targets = {code: Decimal(spec[5]) for code, spec in INDICATORS.items() if spec[5] is not None}
    assert table_rows(page).count() == len(targets)
    with page.expect_navigation():
        page.click("table.data-table thead a[href*='sort=value']")  # sort by value, ascending
    query = parse_qs(urlparse(page.url).query)
    assert query["sort"] == ["value"] and query["kind"] == ["target"] and query["year"] == [str(dashboard.year)]

    result, content = download(page, "a[data-export=xlsx]")

    # Named after the table and the filter: the park and the year.
    expected_name = f"指标数据-{dashboard.park.name}-{dashboard.year}.xlsx"
    assert result.suggested_filename == expected_name, result.suggested_filename
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    header, *data = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(data) == len(targets), data
    at = column_positions(FigureTable)
    code_at, year_at, month_at, value_at = at["indicator__code"], at["year"], at["month"], at["value"]
    assert len(header) == len(at)
    for row in data:
        assert isinstance(row[year_at], int) and row[year_at] == dashboard.year, row
        assert isinstance(row[month_at], int) and row[month_at] == 12, row
        assert isinstance(row[value_at], (int, float)) and not isinstance(row[value_at], bool), row
    assert {row[code_at]: Decimal(str(row[value_at])) for row in data} == targets
    values = [row[value_at] for row in data]
    assert values == sorted(values), "the export keeps the table's sort"
    assert browsing.problems() == []
