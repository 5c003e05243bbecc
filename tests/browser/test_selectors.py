"""The park and year selectors change what the overview shows."""

from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.browser

CARD = "[data-indicator=fixed_asset_investment]"


def choose(page, selector, value=None, index=None):
    """Choose an option, then press the selectors' button (choosing alone submits nothing: no select submits on
    change)."""
    page.select_option(selector, value, index=index)
    with page.expect_navigation():
        page.click(".selectors button[type=submit]")


def test_the_year_selector_shows_another_year(logged_in_page, dashboard, browsing):
    page = logged_in_page
    page.goto(f"/?park={dashboard.park.pk}")
    assert page.input_value("#sel-year") == str(dashboard.year), "the default is the latest year with actuals"
    assert str(dashboard.year) in page.inner_text(".page-head .subtitle")
    before = page.inner_text(CARD)
    assert page.inner_text(f"{CARD} .actual").startswith("66")  # 120 × 6/12 × 1.1, through June

    choose(page, "#sel-year", str(dashboard.last_year))

    query = parse_qs(urlparse(page.url).query)
    assert query["year"] == [str(dashboard.last_year)]
    assert query["park"] == [str(dashboard.park.pk)]
    assert str(dashboard.last_year) in page.inner_text(".page-head .subtitle")
    assert page.inner_text(f"{CARD} .actual").startswith("102")  # 100 × 12/12 × 1.02, the whole year
    assert page.inner_text(CARD) != before
    assert page.evaluate("() => !!Chart.getChart(document.getElementById('completion-canvas'))")
    assert browsing.problems() == []


def test_the_park_selector_shows_another_park(logged_in_page, dashboard, browsing):
    page = logged_in_page
    page.goto(f"/?park={dashboard.park.pk}")
    assert page.inner_text("h1") == dashboard.park.name
    assert page.locator("[data-empty-chart]").count() == 0

    choose(page, "#sel-park", str(dashboard.partial_park.pk))

    assert parse_qs(urlparse(page.url).query)["park"] == [str(dashboard.partial_park.pk)]
    assert page.inner_text("h1") == dashboard.partial_park.name
    assert page.input_value("#sel-park") == str(dashboard.partial_park.pk)
    assert page.locator("[data-empty-chart='enterprise_stages']").count() == 1
    assert browsing.problems() == []


def test_the_year_selector_works_in_english_too(logged_in_page, dashboard):
    page = logged_in_page
    page.goto(f"/?park={dashboard.park.pk}")
    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.click(".langswitch button[type=submit]")
    assert page.locator("#sel-year option").all_inner_texts() == [str(dashboard.year), str(dashboard.last_year)]
    choose(page, "#sel-year", index=1)

    assert parse_qs(urlparse(page.url).query)["year"] == [str(dashboard.last_year)]
    assert str(dashboard.last_year) in page.inner_text(".page-head .subtitle")
