"""The API's documentation page (/api/v1/docs/) in Chromium: Swagger UI from our own static files renders every
endpoint under the site's Content-Security-Policy, with no violation, no console error and no external request;
"Try it out" reads the API with the page's session."""

from pathlib import Path

import pytest

from .test_csp import RECORD_VIOLATIONS, violations

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "api-docs.png"


def test_the_api_docs_render_under_the_csp_without_a_console_error(context, logged_in_page, browsing):
    context.add_init_script(RECORD_VIOLATIONS)
    page = logged_in_page
    response = page.goto("/api/v1/docs/")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock-tag", timeout=15_000)
    tags = page.locator(".opblock-tag").all_inner_texts()
    for name in ("figures", "indicators", "parks", "zones", "projects", "enterprises", "works"):
        assert any(tag.strip().startswith(name) for tag in tags), (name, tags)
    assert page.locator(".opblock").count() >= 14
    page.screenshot(path=str(SCREENSHOT), full_page=False)
    # Try one request from the page itself, with the page's session.
    page.locator(".opblock-get .opblock-summary-path", has_text="/api/v1/parks/").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for(timeout=10_000)
    assert status.inner_text().strip().startswith("200")
    assert violations(page) == []
    assert browsing.problems() == []
