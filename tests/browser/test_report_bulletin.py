"""The bulletin in Chromium: no sideways scroll on a phone, and Ctrl+P prints only the title, the table and its
notes, on A4 landscape."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

URL = reverse("reports:bulletin")


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
