"""The Content-Security-Policy in real Chromium: every main page, the admin's included, runs without a violation.

Each page is loaded with a listener for ``securitypolicyviolation`` installed before any of its scripts, and the
console is watched too (Chromium logs a refused script or style there): both must stay silent, while the charts
still draw from Chart.js, loaded from the CDN under its integrity hash.
"""

from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings

from .test_charts import INDICATOR_CHARTS, OVERVIEW_CHARTS, assert_chartjs_loaded_with_sri, assert_every_chart_renders

pytestmark = pytest.mark.browser

# Runs in every document before its own scripts (Playwright injects it outside the page's policy).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber} ${event.sample || ""}`);
});
"""


@pytest.fixture
def watched(context, logged_in_page):
    context.add_init_script(RECORD_VIOLATIONS)
    return logged_in_page


def visit(page, path):
    """Open ``path``; its response must carry the policy. Returns the response."""
    response = page.goto(path)
    assert response.status < 500, (path, response.status)
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self' " + settings.CHARTJS_URL in policy, (path, policy)
    page.wait_for_load_state("load")
    return response


def violations(page):
    return page.evaluate("() => window.__cspViolations")


def assert_no_violation(page, browsing, path):
    assert violations(page) == [], path
    assert [e for e in browsing.console_errors if "Content Security Policy" in e] == [], path
    assert browsing.problems() == [], path


def a_summary(dashboard):
    from parkdash.intake import services
    from tests.support import SUMMARY_TEXT

    return services.create_summary(
        park=dashboard.park,
        year=dashboard.last_year,
        month=6,
        text=SUMMARY_TEXT.format(park=dashboard.park.name),
        title="上半年总结",
    )


def test_the_dashboard_pages_run_under_the_policy_and_their_charts_draw(watched, dashboard, browsing):
    page = watched
    visit(page, f"/?park={dashboard.park.pk}&year={dashboard.year}")
    assert_chartjs_loaded_with_sri(page)
    assert_every_chart_renders(page, OVERVIEW_CHARTS)
    # The completion bars (SVG, no style attribute) are drawn with their widths.
    done = page.locator("[data-indicator=fixed_asset_investment] svg.bar rect.done")
    track = page.locator("[data-indicator=fixed_asset_investment] svg.bar rect.track")
    assert 0 < done.bounding_box()["width"] < track.bounding_box()["width"]
    assert_no_violation(page, browsing, "overview")

    visit(page, f"/indicators/fixed_asset_investment/?park={dashboard.park.pk}&year={dashboard.year}")
    assert_every_chart_renders(page, INDICATOR_CHARTS)
    assert_no_violation(page, browsing, "indicator page")

    for path in ("/projects/", "/indicators/", "/enterprises/", "/works/", f"/projects/?park={dashboard.park.pk}"):
        visit(page, path)
        assert_no_violation(page, browsing, path)

    # The error pages are in the site's look, under the same policy.
    assert visit(page, "/no-such-page/").status == 404
    browsing.console_errors.remove(next(e for e in browsing.console_errors if "status of 404" in e))
    assert_no_violation(page, browsing, "404")


def test_the_selectors_submit_with_their_button_and_no_inline_handlers(watched, dashboard, browsing):
    page = watched
    html = visit(page, f"/?park={dashboard.park.pk}").text()
    # As served (Chart.js adds style attributes through the CSSOM later, which the policy allows).
    for attribute in (" onchange=", " onclick=", " onsubmit=", " style="):
        assert attribute not in html, attribute
    # The forms' buttons are there with JavaScript too (no select submits on change) …
    page.select_option("#sel-year", str(dashboard.last_year))
    with page.expect_navigation():
        page.click(".selectors button[type=submit]")
    assert parse_qs(urlparse(page.url).query)["year"] == [str(dashboard.last_year)]
    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.click(".langswitch button[type=submit]")
    assert page.get_attribute("html", "lang") == "en"
    assert_no_violation(page, browsing, "selectors")


def test_without_javascript_the_selectors_have_a_button(browser, live_server, dashboard):
    from django.test import Client

    client = Client()
    client.force_login(dashboard.user)
    ctx = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="zh-CN")
    try:
        ctx.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "url": live_server.url,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                }
            ]
        )
        ctx.route(
            "**/*",
            lambda route: route.abort() if not route.request.url.startswith(live_server.url) else route.continue_(),
        )
        page = ctx.new_page()
        page.goto(f"/?park={dashboard.park.pk}")
        page.select_option("#sel-year", str(dashboard.last_year))
        assert page.url.endswith(f"/?park={dashboard.park.pk}"), "nothing submits on change without JavaScript"
        button = page.locator(".selectors button[type=submit]")
        assert button.is_visible()
        with page.expect_navigation():
            button.click()
        assert parse_qs(urlparse(page.url).query)["year"] == [str(dashboard.last_year)]

        page.select_option("#language-select", "en")
        with page.expect_navigation():
            page.locator(".langswitch button[type=submit]").click()
        assert page.get_attribute("html", "lang") == "en"
    finally:
        ctx.close()


def test_the_login_page_runs_under_the_policy(context, page, dashboard, browsing):
    context.add_init_script(RECORD_VIOLATIONS)
    for path in ("/accounts/login/", "/admin/login/"):
        visit(page, path)
        assert page.locator("#id_username").is_visible()
        assert_no_violation(page, browsing, path)


def test_the_admin_pages_run_under_the_policy(watched, dashboard, browsing):
    from parkdash.projects.models import Project

    page = watched
    project = Project.objects.filter(park=dashboard.park).first()
    summary = a_summary(dashboard)
    pages = [
        "/admin/",
        "/admin/projects/project/",
        "/admin/projects/project/?q=工程",
        f"/admin/projects/project/{project.pk}/change/",
        "/admin/projects/project/add/",
        f"/admin/projects/project/{project.pk}/history/",
        "/admin/projects/project/deleted/",
        "/admin/projects/project/import/",
        "/admin/projects/project/export/",
        "/admin/indicators/figure/",
        "/admin/intake/worksummary/add/",
        f"/admin/intake/worksummary/{summary.pk}/change/",
        f"/admin/intake/worksummary/{summary.pk}/review/",
        "/admin/auth/user/",
    ]
    for path in pages:
        visit(page, path)
        assert page.locator("#content").count() == 1, path
        assert_no_violation(page, browsing, path)

    # The summary review page lists the figures found, in the look of admin.css (a file, not a <style> block).
    visit(page, f"/admin/intake/worksummary/{summary.pk}/review/")
    assert page.locator(".review-table tbody tr").count() > 0
    assert page.eval_on_selector(".review-table td", "td => getComputedStyle(td).verticalAlign") == "top"

    # The admin's own scripts work: the calendar of a date field opens …
    visit(page, "/admin/projects/project/add/")
    page.locator("#id_planned_start").wait_for()
    page.click(".datetimeshortcuts a:has(.date-icon)")
    assert page.locator(".calendarbox").first.is_visible()
    assert_no_violation(page, browsing, "calendar")
    # … an autocomplete field searches and offers the park …
    visit(page, f"/admin/projects/project/{project.pk}/change/")
    page.click("#id_park + .select2 .select2-selection")
    page.fill(".select2-search__field", dashboard.park.name[:2])
    option = page.locator(".select2-results__option", has_text=dashboard.park.name)
    option.wait_for()
    option.click()
    assert_no_violation(page, browsing, "autocomplete")
    # … and the two-box member picker of a park moves a user across.
    visit(page, f"/admin/parks/park/{dashboard.park.pk}/change/")
    page.select_option("#id_members_from", index=0)
    page.click("#id_members_add")
    assert page.locator("#id_members_to option").count() == 1
    assert_no_violation(page, browsing, "member picker")


def test_the_export_pages_select_all_works_without_its_inline_handler(watched, dashboard, browsing):
    page = watched
    visit(page, "/admin/projects/project/export/")
    toggle = page.locator("input.select-toggle")
    assert toggle.get_attribute("onchange") is None
    fields = page.locator(".selectable-field-export-row input[type=checkbox]:visible")
    assert fields.count() > 1
    toggle.uncheck()
    assert all(not fields.nth(i).is_checked() for i in range(fields.count()))
    toggle.check()
    assert all(fields.nth(i).is_checked() for i in range(fields.count()))
    assert_no_violation(page, browsing, "export")


def test_an_inline_script_or_style_is_refused_and_reported(watched, dashboard, browsing):
    # What the listener above would see if a page broke the policy: the check itself can fail.
    page = watched
    visit(page, f"/?park={dashboard.park.pk}")
    page.evaluate("""() => {
      const script = document.createElement("script");
      script.textContent = "window.injected = true;";
      document.body.appendChild(script);
      const div = document.createElement("div");
      div.innerHTML = '<p id="styled" style="color: red">x</p><img src="https://elsewhere.example/x.png">';
      document.body.appendChild(div);
    }""")
    page.wait_for_timeout(200)  # violation events are queued as tasks
    assert page.evaluate("() => window.injected") is None
    seen = " | ".join(violations(page))
    assert "script-src-elem refused inline" in seen, seen
    assert "style-src-attr refused inline" in seen, seen
    assert "img-src refused https://elsewhere.example/x.png" in seen, seen
