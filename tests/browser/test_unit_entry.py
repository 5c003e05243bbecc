"""The figure add form in the browser: the unit beside the value and the unit select follow the chosen indicator
(static/js/unit-entry.js), with no Content-Security-Policy violation."""

from decimal import Decimal

import pytest

from .test_csp import assert_no_violation, visit

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/parkdash-figure-unit-entry.png"
BLANK_SCREENSHOT = "/tmp/parkdash-figure-unit-blank.png"


@pytest.fixture
def watched(context, logged_in_page):
    from .test_csp import RECORD_VIOLATIONS

    context.add_init_script(RECORD_VIOLATIONS)
    return logged_in_page


def choose(page, field, text):
    """Pick ``text`` in the admin's autocomplete (select2) of ``field``."""
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.fill(".select2-search__field", text)
    option = page.locator(".select2-results__option", has_text=text)
    option.first.wait_for()
    option.first.click()


def unit_groups(page):
    return page.eval_on_selector_all("#id_entered_unit optgroup", "groups => groups.map(g => g.dataset.dimension)")


def test_the_unit_follows_the_chosen_indicator_and_a_value_in_wan_yuan_is_stored_in_yi_yuan(
    watched, dashboard, browsing
):
    from parkdash.indicators.models import Figure

    page = watched
    visit(page, "/admin/indicators/figure/add/")
    # Before an indicator is chosen: every unit, grouped; nothing beside the value.
    assert {"money", "area", "count:家"} <= set(unit_groups(page))
    assert page.text_content(".unit-suffix").strip() == ""

    choose(page, "indicator", "固定资产投资")
    assert unit_groups(page) == ["money"]
    assert page.text_content(".unit-suffix").strip() == "亿元"
    assert "亿元" in page.text_content('#id_entered_unit option[value=""]')
    assert page.input_value("input[data-unit-shown]") == "亿元"
    page.locator(".field-entered_value").scroll_into_view_if_needed()
    page.screenshot(path=BLANK_SCREENSHOT)

    choose(page, "indicator", "供地")
    assert unit_groups(page) == ["area"]
    assert page.text_content(".unit-suffix").strip() == "亩"

    choose(page, "indicator", "固定资产投资")
    page.select_option("#id_entered_unit", "万元")
    assert page.text_content(".unit-suffix").strip() == "万元"
    choose(page, "park", dashboard.park.name)
    page.fill("#id_year", "2019")
    page.fill("#id_month", "10")
    page.fill("#id_entered_value", "3214")
    page.locator(".field-entered_value").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOT, full_page=True)
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert_no_violation(page, browsing, "figure add form")

    figure = Figure.objects.get(park=dashboard.park, year=2019, indicator__code="fixed_asset_investment")
    assert (figure.value, figure.entered_value, figure.entered_unit) == (Decimal("0.3214"), Decimal("3214"), "万元")

    # The change form offers the units that fit, and follows the indicator when it is changed there too.
    visit(page, f"/admin/indicators/figure/{figure.pk}/change/")
    assert unit_groups(page) == ["money"]
    assert page.input_value("#id_entered_unit") == "万元"
    choose(page, "indicator", "供地")
    assert unit_groups(page) == ["area"]
    assert page.input_value("#id_entered_unit") == ""  # 万元 does not fit 亩: back to the indicator's unit
    assert "亩" in page.text_content('#id_entered_unit option[value=""]')
    assert page.text_content(".unit-suffix").strip() == "亩"
    assert_no_violation(page, browsing, "figure change form")
