"""The bulletin in Chromium: no sideways scroll on a phone, and Ctrl+P prints only the title, the table and its
notes, on A4 landscape. Uses the browser tests' fixtures (tests/browser/conftest.py)."""

import os

import pytest
from django.urls import reverse

from tests.browser import conftest as browser_fixtures

# The browser tests' fixtures, here by name so that pytest finds them for this module; but the browser of this
# module only: the package-scoped one would keep Playwright's event loop running in this thread while the other
# tests of tests/reports run (pytest-django runs the database-free ones last).
browsing = browser_fixtures.browsing
context = browser_fixtures.context
page = browser_fixtures.page
dashboard = browser_fixtures.dashboard
logged_in_page = browser_fixtures.logged_in_page

pytestmark = pytest.mark.browser

URL = reverse("reports:bulletin")


@pytest.fixture(scope="module")
def browser():
    reason = browser_fixtures.missing_browser()
    if reason is not None:
        if browser_fixtures.REQUIRE_BROWSER:
            pytest.fail(f"PARKDASH_REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the tests' ORM calls run in Playwright's thread
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=browser_fixtures.CHROMIUM, args=browser_fixtures.CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def visible(tab, selector):
    return tab.eval_on_selector_all(
        selector, "els => els.some(el => el.offsetParent !== null && getComputedStyle(el).display !== 'none')"
    )


def test_on_a_phone_the_page_does_not_scroll_sideways(logged_in_page):
    tab = logged_in_page
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.goto(URL)
    assert tab.locator("table.bulletin-table tbody tr").count() == 3
    overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_printing_shows_only_the_title_the_table_and_its_notes_on_a4_landscape(logged_in_page):
    tab = logged_in_page
    tab.goto(URL)
    tab.emulate_media(media="print")
    for hidden in (".topbar", ".report-tabs", ".bulletin-form", ".export-links", ".footer"):
        assert not visible(tab, hidden), hidden
    for shown in (".bulletin-head h1", "table.bulletin-table", ".bulletin-notes ol"):
        assert visible(tab, shown), shown
    pdf = tab.pdf(prefer_css_page_size=True)
    # The first page's MediaBox: A4 landscape is 842 × 595 points.
    box = pdf.split(b"/MediaBox [", 1)[1].split(b"]", 1)[0].split()
    width, height = float(box[2]), float(box[3])
    assert (round(width), round(height)) == (842, 595)
