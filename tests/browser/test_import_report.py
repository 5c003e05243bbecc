"""The admin import page in a browser: every row error readable in the table without hovering, in Chinese and in
English, no traceback anywhere in the page (core.resources.import_report, templates/admin/import_export)."""

import os
from pathlib import Path

import pytest

from tests.browser.test_language import switch_language

pytestmark = pytest.mark.browser

HEADER = "indicator,park,zone,year,month,kind,version,value,unit,yoy_pct,note\n"
ROWS = (
    "fixed_asset_investment,a-dongbu,,2019,3,实际,正式,12.5,亿元,,\n"
    "fixed_asset_investment,a-dongbu,,2019,七,实际,正式,abc,亿元,,\n"
    "fixed_asset_investment,a-dongbu,,2019,5,实际,正式,13,斤,,\n"
)
SHOTS = Path(os.environ.get("PARKDASH_SCREENSHOTS", ".cache/screenshots"))


def upload(page, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8-sig")
    page.goto("/admin/indicators/figure/import/")
    page.set_input_files("input[type=file]", str(path))
    page.select_option("select[name=format]", index=1)  # CSV
    with page.expect_navigation(timeout=30_000):
        page.click("form[enctype='multipart/form-data'] input[type=submit]")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_row_errors_are_readable_in_the_table_without_hovering(logged_in_page, dashboard, tmp_path, language):
    page = logged_in_page
    if language == "en":
        page.goto("/")
        switch_language(page, "en")
    upload(page, tmp_path)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"import-errors-{language}.png"), full_page=True)
    problems = page.locator("table.import-errors ul.import-row-problems")
    assert problems.count() == 2
    first = problems.nth(0)
    assert first.is_visible()
    month = "截至月份" if language == "zh-hans" else "Through month"
    assert month in first.inner_text()
    assert "七" in first.inner_text()
    html = page.content()
    for unwanted in ("Traceback", "entered_value", "ENTERED_VALUE", ">None<", "某些行验数据证失败"):
        assert unwanted not in html
    assert "1 rows fine, 2 rows with errors" in page.inner_text("p.import-summary") or language == "zh-hans"


@pytest.mark.parametrize("kind", ["errors", "preview"])
def test_a_wide_file_scrolls_inside_its_table_not_the_admin_page(logged_in_page, dashboard, tmp_path, kind):
    page = logged_in_page
    page.set_viewport_size({"width": 1300, "height": 900})
    note = "https://example.com/report/" + "a" * 200  # a long link pasted into a note: it cannot wrap
    value = "abc" if kind == "errors" else "12.5"
    path = tmp_path / "wide.csv"
    path.write_text(
        HEADER + f"fixed_asset_investment,a-dongbu,,2019,3,实际,正式,{value},亿元,,{note}\n", encoding="utf-8-sig"
    )
    page.goto("/admin/indicators/figure/import/")
    page.set_input_files("input[type=file]", str(path))
    page.select_option("select[name=format]", index=1)  # CSV
    with page.expect_navigation(timeout=30_000):
        page.click("form[enctype='multipart/form-data'] input[type=submit]")
    assert page.locator("table.import-preview").count() == 1
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    box = page.locator(".import-preview-scroll")
    assert box.evaluate("element => element.scrollWidth > element.clientWidth")  # the table scrolls in its box
