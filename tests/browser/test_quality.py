"""The data-quality page in Chromium: an open warning shown with its links, confirmed with its button."""

from decimal import Decimal

import pytest

from parkdash.indicators.models import Figure, FigureWarning

pytestmark = pytest.mark.browser


def test_an_editor_confirms_an_open_warning_on_the_data_quality_page(logged_in_page, dashboard, browsing):
    page = logged_in_page
    fai = dashboard.indicators["fixed_asset_investment"]
    june = Figure.objects.get(indicator=fai, park=dashboard.park, zone=None, year=dashboard.year, month=6)
    # July's running total typed in 亿元 a hundredth of June's: the 万/亿 slip.
    slip = Figure.objects.create(
        indicator=fai,
        park=dashboard.park,
        year=dashboard.year,
        month=7,
        value=(june.value / 100).quantize(Decimal("0.01")),
    )
    page.goto(f"/quality/?park={dashboard.park.pk}&year={dashboard.year}")
    row = page.locator("tr", has=page.locator(f'a[href="/admin/indicators/figure/{slip.pk}/change/"]'))
    assert row.count() == 1
    assert "1/" in row.locator("ul.quality-warnings").inner_text()
    with page.expect_navigation():
        row.locator("button[type=submit]").first.click()
    assert FigureWarning.objects.filter(figure=slip, code="jump").exists()
    assert page.locator(f'a[href="/admin/indicators/figure/{slip.pk}/change/"]').count() == 0
    assert page.locator(".messages li.success").count() == 1
    assert browsing.problems() == []
