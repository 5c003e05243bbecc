"""Accessibility: axe-core (from npm, pinned in scripts/cdn_assets.py) finds no serious or critical violation on
the main pages, and every page starts with a skip link and offers no select that submits on change."""

import pytest

from scripts import cdn_assets

from .test_csp import a_summary

pytestmark = pytest.mark.browser

SEVERE = ("serious", "critical")

# axe.run on the whole document; each violation with the selectors of (the first few of) its nodes.
RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + (n.failureSummary || "").replace(/\\s+/g, " ")),
  }));
}"""


FIRST_FOCUSABLE = """() => {
  const all = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]');
  const first = Array.from(all).find((el) => el.tabIndex >= 0 && !el.disabled);
  return first.tagName.toLowerCase() + "." + first.className;
}"""


@pytest.fixture(autouse=True)
def axe(context):
    """axe-core in every page of the test's context. Injected as an init script: the pages' Content-Security-Policy
    refuses an inline <script> (page.add_script_tag), while Playwright's init scripts run outside it."""
    context.add_init_script(path=cdn_assets.package_dir(cdn_assets.AXE_CORE) / "axe.min.js")


def severe_violations(page):
    """The serious and critical violations axe-core finds on the page as it is now."""
    page.wait_for_load_state("networkidle")
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in SEVERE]


def describe(violations):
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in violations)


def assert_accessible(page, path):
    page.goto(path)
    found = severe_violations(page)
    assert found == [], f"{path}\n{describe(found)}"


def test_the_overview_has_no_serious_accessibility_violation(logged_in_page, dashboard, browsing):
    assert_accessible(logged_in_page, f"/?park={dashboard.park.pk}&year={dashboard.year}")
    assert browsing.problems() == []


def test_an_indicator_page_has_no_serious_accessibility_violation(logged_in_page, dashboard, browsing):
    page = logged_in_page
    assert_accessible(page, f"/indicators/fixed_asset_investment/?park={dashboard.park.pk}&year={dashboard.year}")
    # With its chart data tables open too.
    page.locator("details.chart-data summary").first.click()
    found = severe_violations(page)
    assert found == [], describe(found)
    assert browsing.problems() == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_tables_have_no_serious_accessibility_violation(logged_in_page, dashboard, browsing, live_server, language):
    from django.conf import settings

    # In either language: English headings are longer (a record's panels once scrolled in English only).
    cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}
    logged_in_page.context.add_cookies([cookie])
    park = dashboard.park
    pages = [
        "/indicators/",
        "/projects/",
        "/enterprises/",
        "/works/",
        f"/quality/?park={park.pk}&year={dashboard.year}",
        f"/projects/{park.projects.first().pk}/",
        f"/enterprises/{park.enterprises.first().pk}/",
    ]
    for path in pages:
        assert_accessible(logged_in_page, path)
        assert logged_in_page.get_attribute("html", "lang") == language
    assert browsing.problems() == []


def test_the_pages_have_no_serious_accessibility_violation_on_a_phone(logged_in_page, dashboard, browsing):
    page = logged_in_page
    page.set_viewport_size({"width": 390, "height": 844})
    park, year = dashboard.park, dashboard.year
    pages = [
        f"/?park={park.pk}&year={year}",
        f"/indicators/fixed_asset_investment/?park={park.pk}&year={year}",
        "/indicators/",
        f"/projects/{park.projects.first().pk}/",
    ]
    for path in pages:
        assert_accessible(page, path)
    assert browsing.problems() == []


def test_a_table_wider_than_a_narrow_window_scrolls_in_a_box_the_keyboard_reaches(logged_in_page, dashboard):
    page = logged_in_page
    page.set_viewport_size({"width": 700, "height": 900})
    assert_accessible(page, "/indicators/")
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("(el) => el.scrollWidth > el.clientWidth")  # it does scroll at this width …
    assert wrap.evaluate("(el) => el.tabIndex") == 0  # … and takes the focus, so that the arrow keys scroll it
    assert wrap.get_attribute("aria-label") == page.inner_text("h1")
    assert_accessible(page, f"/indicators/fixed_asset_investment/?park={dashboard.park.pk}&year={dashboard.year}")


def test_the_admin_tells_links_from_text_by_more_than_colour(logged_in_page, dashboard):
    page = logged_in_page
    page.goto("/admin/indicators/figure/")
    found = [v for v in severe_violations(page) if v["id"] == "link-in-text-block"]
    assert found == [], describe(found)


def test_the_admin_figure_form_names_its_autocomplete_fields(logged_in_page, dashboard):
    from parkdash.indicators.models import Figure

    page = logged_in_page
    whole_park = Figure.objects.filter(park=dashboard.park, zone=None).first()  # its zone field is empty
    assert_accessible(page, f"/admin/indicators/figure/{whole_park.pk}/change/")
    assert_accessible(page, "/admin/indicators/figure/add/")
    # A screen reader reads the field's label on the empty zone's combobox.
    combo = page.locator("#id_zone + .select2 [role=combobox]")
    assert combo.get_attribute("aria-labelledby").split() == ["id_zone-label", "select2-id_zone-container"]
    assert page.locator("#id_zone-label").inner_text().strip().rstrip(":：")


def test_the_login_page_has_no_serious_accessibility_violation(page, dashboard, browsing):
    assert_accessible(page, "/accounts/login/")
    page.fill("#id_username", "nobody")
    page.fill("#id_password", "wrong")
    with page.expect_navigation():
        page.click(".login-card button[type=submit]")
    assert page.locator(".login-card .error").is_visible()
    found = severe_violations(page)
    assert found == [], describe(found)


def test_the_summary_review_screen_has_no_serious_accessibility_violation(logged_in_page, dashboard):
    summary = a_summary(dashboard)
    assert_accessible(logged_in_page, f"/admin/intake/worksummary/{summary.pk}/review/")


def test_the_first_focusable_element_of_every_page_skips_to_the_content(logged_in_page, dashboard):
    page = logged_in_page
    park, year = dashboard.park.pk, dashboard.year
    for path in (f"/?park={park}&year={year}", f"/indicators/fixed_asset_investment/?park={park}", "/indicators/"):
        page.goto(path)
        page.keyboard.press("Tab")
        focused = page.evaluate("() => [document.activeElement.className, document.activeElement.getAttribute('href')]")
        assert focused == ["skip-link", "#content"], (path, focused)
        link = page.locator("a.skip-link")
        assert link.is_visible() and link.bounding_box()["y"] >= 0, path  # shown once focused
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "content", path
        # The next Tab goes on from the content, past the navigation.
        page.keyboard.press("Tab")
        assert page.evaluate("() => !document.activeElement.closest('header')"), path
    # The login page focuses the user name field (autofocus); the skip link still comes first in the tab order.
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    assert page.evaluate(FIRST_FOCUSABLE) == "a.skip-link"


def test_no_select_submits_its_form_on_change_and_each_has_a_visible_button(logged_in_page, dashboard):
    page = logged_in_page
    path = f"/?park={dashboard.park.pk}&year={dashboard.year}"
    page.goto(path)
    selects = page.locator("select")
    assert selects.count() >= 3  # park, year, language
    for i in range(selects.count()):
        select = selects.nth(i)
        button = select.locator("xpath=ancestor::form[1]//button[@type='submit']")
        assert button.count() == 1 and button.is_visible(), select.get_attribute("id")
    # Choosing another option with the keyboard leaves the page where it is.
    page.focus("#sel-year")
    page.keyboard.press("ArrowDown")
    page.select_option("#language-select", "en")
    page.wait_for_timeout(500)
    assert page.url.endswith(path)
    assert page.get_attribute("html", "lang") == "zh-hans"
