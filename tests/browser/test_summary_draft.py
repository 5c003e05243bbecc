"""The summary draft page in a browser: the Copy-text button (the site's script, no inline script under the CSP)
puts the draft's plain text on the clipboard; every number is a link; no sideways scroll on a phone."""

import pytest

pytestmark = pytest.mark.browser


def test_copy_text_puts_the_drafts_plain_text_on_the_clipboard(
    context, logged_in_page, dashboard, browsing, live_server
):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = logged_in_page
    page.goto(f"/reports/summary/?park={dashboard.park.pk}")
    button = page.locator("button[data-copy-from]")
    assert button.is_visible(), "the script shows the button"
    assert page.locator(".summary-draft p a").count() > 0, "the numbers are links"
    label = button.inner_text()
    button.click()
    page.wait_for_function(
        "label => document.querySelector('button[data-copy-from]').textContent.trim() !== label", arg=label
    )
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.input_value("#draft-text")
    assert "主要经济指标完成情况" in copied and "<a" not in copied
    assert browsing.problems() == []


def test_the_draft_does_not_scroll_sideways_on_a_phone(logged_in_page, dashboard, browsing):
    page = logged_in_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/reports/summary/?park={dashboard.park.pk}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert browsing.problems() == []
