"""The overview printed (A4, no navigation, cards not cut), and every page on a 390 px phone (no sideways scroll)."""

import re

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# A page's sideways overflow, and the elements that stick out past the screen's right edge (for the message).
OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = Array.from(document.querySelectorAll("body *")).filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !el.closest(".table-wrap");
  }).slice(0, 8).map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().replace(/\\s+/g, ".") : ""));
  return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: width, wide: wide};
}"""

# What print shows of an element: its display, and how it breaks across pages.
STYLE = """(selector) => Array.from(document.querySelectorAll(selector)).map((el) => {
  const style = getComputedStyle(el);
  return {shown: el.getClientRects().length > 0, breakInside: style.breakInside};
})"""

RIGHT_EDGES = "(sel) => Array.from(document.querySelectorAll(sel)).map((el) => el.getBoundingClientRect().right)"

# The printable width of A4 with the stylesheet's margins (210 mm - 2 x 10 mm), in CSS pixels.
A4_CONTENT_WIDTH = round((210 - 20) / 25.4 * 96)


def pdf_pages(pdf):
    """The number of pages of a PDF Chromium wrote (its page objects are not compressed into object streams)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.fixture
def seed(transactional_db):
    """The seed (fixtures/seed.json): the real park the committee looks at first."""
    from django.core.management import call_command

    from parkdash.parks.models import Park

    call_command("loaddata", "seed", verbosity=0)
    return Park.objects.get(code="dongbu")


@pytest.fixture
def seed_page(context, page, seed, live_server):
    """A page signed in as an administrator, with the seed loaded (and not the browser tests' dashboard, whose
    first park has the seed park's name)."""
    from django.conf import settings
    from django.test import Client

    from tests.browser.conftest import PASSWORD, USERNAME
    from tests.support import make_admin

    client = Client()
    client.force_login(make_admin(USERNAME, PASSWORD))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url, "value": cookie}])
    return page


def overview_pages(page, path):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    return page.pdf(format="A4", print_background=True)


def test_the_printed_overview_has_no_navigation_filters_or_buttons(seed_page, seed, browsing):
    page = seed_page
    pdf = overview_pages(page, f"/?park={seed.pk}")
    for selector in (".topbar", ".mainnav", ".selectors", ".footer", ".langswitch", "details.chart-data"):
        styles = page.evaluate(STYLE, selector)
        assert styles and not any(s["shown"] for s in styles), (selector, styles)
    for selector in (".card", ".chart-panel"):
        styles = page.evaluate(STYLE, selector)
        assert styles and all(s["breakInside"] == "avoid" for s in styles), (selector, styles)
    # The header line: the park and the period, shown in print.
    head = page.locator(".page-head").inner_text()
    assert seed.name in head, head
    assert re.search(r"20\d\d", head), head
    assert page.locator(".page-head").is_visible()
    # 26 cards and four charts: two A4 pages at full size (the screen layout, shrunk to the paper, took two
    # to four depending on the charts' state, with the navigation bar and charts cut between pages).
    print(f"\nseed park overview printed on A4: {pdf_pages(pdf)} pages")
    assert 0 < pdf_pages(pdf) <= 3
    assert browsing.problems() == []


def test_the_printed_overview_has_its_charts_within_the_page(logged_in_page, dashboard):
    page = logged_in_page
    page.goto(f"/?park={dashboard.park.pk}&year={dashboard.year}")
    page.wait_for_load_state("networkidle")
    # Laid out as on paper: the printable width, print media, and the charts told it is printing.
    page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    boxes = page.evaluate(RIGHT_EDGES, ".chart-panel, canvas")
    assert len(boxes) == 8 and max(boxes) <= A4_CONTENT_WIDTH, boxes
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= A4_CONTENT_WIDTH


@pytest.fixture
def phone(context, logged_in_page):
    logged_in_page.set_viewport_size(PHONE)
    return logged_in_page


def test_no_page_scrolls_sideways_on_a_phone(phone, dashboard, browsing):
    page = phone
    park, year = dashboard.park.pk, dashboard.year
    pages = [
        f"/?park={park}&year={year}",
        f"/indicators/fixed_asset_investment/?park={park}&year={year}",
        "/indicators/",
        "/projects/",
        "/enterprises/",
        "/works/",
        f"/quality/?park={park}&year={year}",
        f"/projects/{dashboard.park.projects.first().pk}/",
        f"/enterprises/{dashboard.park.enterprises.first().pk}/",
    ]
    for path in pages:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        report = page.evaluate(OVERFLOW)
        assert report["innerWidth"] == PHONE["width"]
        assert report["scrollWidth"] <= PHONE["width"], (path, report)
    assert browsing.problems() == []


def test_the_login_page_and_the_admin_do_not_scroll_sideways_on_a_phone(phone, dashboard):
    page = phone
    for path in ("/admin/", "/admin/indicators/figure/"):
        page.goto(path)
        report = page.evaluate(OVERFLOW)
        assert report["scrollWidth"] <= PHONE["width"], (path, report)
        assert page.locator("form.admin-langswitch").is_visible()
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    report = page.evaluate(OVERFLOW)
    assert report["scrollWidth"] <= PHONE["width"], report


def test_charts_fit_a_phone_screen(phone, dashboard):
    page = phone
    page.goto(f"/?park={dashboard.park.pk}&year={dashboard.year}")
    page.wait_for_load_state("networkidle")
    boxes = page.evaluate(RIGHT_EDGES, ".chart-panel, canvas")
    assert boxes and max(boxes) <= PHONE["width"], boxes


# A table on a phone (one block per row, each value beside its heading): tests/browser/test_phone.py.
