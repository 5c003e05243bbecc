"""Every chart draws in real Chromium with Chart.js loaded under its Subresource-Integrity hash."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser

# For each canvas[data-chart]: is there a Chart.js instance, and did it paint anything?
CHART_REPORT = """() => Array.from(document.querySelectorAll("canvas[data-chart]")).map((canvas) => {
  const chart = window.Chart ? window.Chart.getChart(canvas) : undefined;
  const blank = document.createElement("canvas");
  blank.width = canvas.width;
  blank.height = canvas.height;
  let painted = 0;
  if (canvas.width && canvas.height) {
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) { painted += 1; } }
  }
  return {
    id: canvas.id, hasChart: !!chart, width: canvas.width, height: canvas.height,
    differsFromBlank: canvas.toDataURL() !== blank.toDataURL(), paintedPixels: painted,
    points: chart ? chart.data.datasets.reduce((n, ds) => n + ds.data.filter((v) => v !== null).length, 0) : 0,
  };
})"""

OVERVIEW_CHARTS = {"completion-canvas", "project_phases-canvas", "enterprise_stages-canvas", "works-canvas"}
INDICATOR_CHARTS = {"monthly-canvas", "years-canvas", "zones-canvas"}


def assert_every_chart_renders(page, expected):
    charts = page.evaluate(CHART_REPORT)
    assert expected <= {c["id"] for c in charts}, charts
    for chart in charts:
        assert chart["hasChart"], f"no Chart.js instance on #{chart['id']}"
        assert chart["width"] > 0 and chart["height"] > 0, chart
        assert chart["differsFromBlank"] and chart["paintedPixels"] > 500, f"#{chart['id']} is blank: {chart}"
        assert chart["points"] > 0, f"#{chart['id']} has no data points: {chart}"


def assert_chartjs_loaded_with_sri(page):
    script = page.locator(f"script[src='{settings.CHARTJS_URL}']")
    assert script.count() == 1
    assert script.get_attribute("integrity") == settings.CHARTJS_SRI
    assert script.get_attribute("integrity").startswith("sha384-")
    assert script.get_attribute("crossorigin") == "anonymous"
    # The browser checked the hash against the npm copy and ran it.
    assert page.evaluate("() => window.Chart && window.Chart.version") == "4.6.1"


def test_every_chart_on_the_overview_renders(logged_in_page, dashboard, browsing):
    page = logged_in_page
    page.goto(f"/?park={dashboard.park.pk}&year={dashboard.year}")
    assert_chartjs_loaded_with_sri(page)
    assert_every_chart_renders(page, OVERVIEW_CHARTS)
    assert page.locator("[data-empty-chart]").count() == 0
    # each chart has its numbers in a table too
    panels = page.locator("section.chart-panel:has(canvas)")
    assert panels.count() == len(OVERVIEW_CHARTS)
    for i in range(panels.count()):
        assert panels.nth(i).locator("details.chart-data table tbody tr").count() > 0
    assert browsing.problems() == []


def test_every_chart_on_an_indicator_page_renders(logged_in_page, dashboard, browsing):
    page = logged_in_page
    page.goto(f"/indicators/fixed_asset_investment/?park={dashboard.park.pk}&year={dashboard.year}")
    assert page.inner_text("h1").startswith("固定资产投资")
    assert_chartjs_loaded_with_sri(page)
    assert_every_chart_renders(page, INDICATOR_CHARTS)
    assert page.locator("[data-empty-chart]").count() == 0
    assert browsing.problems() == []


def test_a_park_without_data_shows_an_empty_state_instead_of_a_canvas(logged_in_page, dashboard, browsing):
    page = logged_in_page
    page.goto(f"/?park={dashboard.empty_park.pk}")
    assert page.inner_text("h1") == dashboard.empty_park.name
    assert page.locator("#content .chart-empty").is_visible()
    assert page.locator("canvas").count() == 0

    page.goto(f"/indicators/fixed_asset_investment/?park={dashboard.empty_park.pk}")
    assert page.locator("[data-empty-chart='years']").is_visible()
    assert page.locator("canvas").count() == 0
    assert browsing.problems() == []


def test_a_chart_without_data_shows_an_empty_state_while_the_others_render(logged_in_page, dashboard, browsing):
    # The partial park has figures, but no enterprises and no infrastructure works.
    page = logged_in_page
    page.goto(f"/?park={dashboard.partial_park.pk}&year={dashboard.year}")
    for chart_id in ("enterprise_stages", "works"):
        assert page.locator(f"[data-empty-chart='{chart_id}']").is_visible()
        assert page.locator(f"#{chart_id}-canvas").count() == 0
    assert_every_chart_renders(page, {"completion-canvas"})
    assert browsing.problems() == []


def test_a_chartjs_file_that_does_not_match_its_integrity_hash_is_refused(context, logged_in_page, dashboard, browsing):
    from scripts.cdn_assets import local_file

    tampered = local_file(settings.CHARTJS_URL).read_bytes() + b"\n/* changed on the way */\n"
    context.route(
        settings.CHARTJS_URL,
        lambda route: route.fulfill(
            status=200,
            body=tampered,
            content_type="application/javascript",
            headers={"Access-Control-Allow-Origin": "*"},
        ),
    )
    page = logged_in_page
    page.goto(f"/?park={dashboard.park.pk}&year={dashboard.year}")
    assert page.evaluate("() => typeof window.Chart") == "undefined"
    assert any("integrity" in error for error in browsing.console_errors), browsing.console_errors
    # charts.js says so in place of each chart, and the numbers stay readable in the tables
    assert page.locator("canvas[data-chart]").count() == 0
    assert page.locator(".chart-box.chart-empty").count() == len(OVERVIEW_CHARTS)
    assert page.locator("details.chart-data table").count() == len(OVERVIEW_CHARTS)
