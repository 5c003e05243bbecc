"""The language selector switches the whole page between Chinese and English."""

from urllib.parse import urlparse

import pytest
from django.utils import translation

pytestmark = pytest.mark.browser

NAVIGATION = ["Overview", "Indicators", "Projects", "Enterprises", "Works"]


def switch_language(page, code):
    page.select_option("#language-select", code)
    with page.expect_navigation():
        page.click(".langswitch button[type=submit]")  # the form posts to /i18n/setlang/


def test_the_language_selector_switches_between_chinese_and_english(logged_in_page, dashboard, browsing):
    page = logged_in_page
    path = f"/?park={dashboard.park.pk}&year={dashboard.year}"
    page.goto(path)
    assert page.get_attribute("html", "lang") == "zh-hans"
    card_title = "[data-indicator=fixed_asset_investment] h3"
    assert page.inner_text(card_title) == "固定资产投资"

    switch_language(page, "en")
    assert page.get_attribute("html", "lang") == "en"
    assert page.url.endswith(path), "setlang returns to the page it was called from"
    nav = page.inner_text("nav.mainnav")
    for word in NAVIGATION:
        assert word in nav
    assert page.inner_text(card_title) == "Fixed-asset investment"
    assert page.input_value("#language-select") == "en"

    switch_language(page, "zh-hans")
    assert page.get_attribute("html", "lang") == "zh-hans"
    assert urlparse(page.url).path == "/"
    assert page.inner_text(card_title) == "固定资产投资"
    nav = page.inner_text("nav.mainnav")
    with translation.override("zh-hans"):
        chinese = {word: translation.gettext(word) for word in NAVIGATION}
    for word, text in chinese.items():
        assert text in nav  # the catalogue's translation, or the English text while there is none
        if text != word:
            assert word not in nav
    assert browsing.problems() == []
