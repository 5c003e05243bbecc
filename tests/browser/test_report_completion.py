"""The completion table printed (the title and the table alone, A4 landscape, the header on every page) and on a
390 px phone (no sideways scroll)."""

import re
from decimal import Decimal

import pytest

from tests.browser.test_accessibility import axe, describe, severe_violations  # noqa: F401
from tests.browser.test_print_and_phone import OVERFLOW, PHONE, STYLE, pdf_pages, seed, seed_page  # noqa: F401

pytestmark = pytest.mark.browser

URL = "/reports/completion/?park=dongbu&year=2023&month=10"
LANDSCAPE_A4 = re.compile(rb"/MediaBox\s*\[0 0 841\.\d+ 59[45]\.\d+\]")


def more_lines(park, count=40):
    """``count`` more indicators with a figure each, so that the table runs over several pages."""
    from tests.support import make_figure, make_indicator

    for number in range(count):
        indicator = make_indicator(f"extra_{number}", name=f"附加指标{number}", sort_order=900 + number)
        make_figure(indicator, park, year=2023, month=10, value=Decimal(number + 1))


def test_the_printed_table_is_the_title_and_the_table_on_a4_landscape(seed_page, seed, browsing):  # noqa: F811
    more_lines(seed)
    page = seed_page
    page.goto(URL)
    page.emulate_media(media="print")
    for selector in (".topbar", ".report-tabs", ".report-selectors", ".report-actions", ".footer", "button"):
        styles = page.evaluate(STYLE, selector)
        assert styles and not any(s["shown"] for s in styles), (selector, styles)
    assert seed.name in page.locator("h1").inner_text()
    assert page.locator("table.completion-table").is_visible()
    # The header repeats on every printed page, and a line is never cut across two.
    assert page.evaluate("() => getComputedStyle(document.querySelector('.completion-table thead')).display") == (
        "table-header-group"
    )
    styles = page.evaluate(STYLE, ".completion-table tbody tr")
    assert styles and all(s["breakInside"] == "avoid" for s in styles)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    pages = pdf_pages(pdf)
    print(f"\nseed park completion table (62 lines) printed: {pages} pages")
    assert len(LANDSCAPE_A4.findall(pdf)) == pages >= 2
    assert browsing.problems() == []


def test_the_table_does_not_scroll_sideways_on_a_phone(seed_page, seed, browsing):  # noqa: F811
    page = seed_page
    page.set_viewport_size(PHONE)
    for language in ("zh-hans", "en"):
        page.goto(URL)
        overflow = page.evaluate(OVERFLOW)
        assert overflow["scrollWidth"] <= overflow["innerWidth"], (language, overflow)
        # Each cell says what it is: the headings are the cells' labels on a phone.
        label = page.locator("tbody tr").first.locator("td[data-cell=actual]").get_attribute("data-label")
        assert label
        page.context.set_extra_http_headers({"Accept-Language": "en"})
    assert browsing.problems() == []


def test_the_table_has_no_serious_accessibility_violation(seed_page, seed, browsing):  # noqa: F811
    more_lines(seed, count=3)
    for path in (URL, URL.replace("month=10", "month=13")):
        seed_page.goto(path)
        found = severe_violations(seed_page)
        assert found == [], f"{path}\n{describe(found)}"
    # The 400 page of month 13 is logged by the browser as a failed load: the only problem allowed.
    assert [p for p in browsing.problems() if "status of 400" not in p] == []
