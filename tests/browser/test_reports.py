"""The three reports in a real browser: they fit a phone, pass axe-core in both languages, and print only the
report (A4 landscape for the tables), for the seed park and a demo park."""

import pytest

from . import test_accessibility, test_phone, test_print_and_phone
from .test_accessibility import assert_accessible
from .test_phone import assert_no_sideways_scroll
from .test_print_and_phone import PHONE

pytestmark = pytest.mark.browser

seed = test_print_and_phone.seed
seed_page = test_print_and_phone.seed_page
demo = test_phone.demo
axe = test_accessibility.axe  # axe-core in every page (autouse)


def report_paths(*parks):
    paths = ["/reports/bulletin/"]
    for park in parks:
        paths += [f"/reports/completion/?park={park.pk}", f"/reports/summary/?park={park.pk}"]
    return paths


def test_the_reports_do_not_scroll_sideways_on_a_phone(seed_page, seed, demo, browsing):
    seed_page.set_viewport_size(PHONE)
    for path in report_paths(seed, demo):
        assert_no_sideways_scroll(seed_page, path)
    assert browsing.problems() == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_reports_have_no_serious_accessibility_violation(seed_page, seed, demo, browsing, live_server, language):
    from django.conf import settings

    seed_page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    for path in report_paths(seed, demo):
        assert_accessible(seed_page, path)
        assert seed_page.get_attribute("html", "lang") == language
    assert browsing.problems() == []


def test_printing_a_report_leaves_out_the_navigation_and_the_selectors(seed_page, demo, browsing):
    page = seed_page
    for path in report_paths(demo):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        page.emulate_media(media="print")
        hidden = page.evaluate(
            """() => Array.from(document.querySelectorAll('.topbar, .report-tabs, form.selectors'))
                .filter((el) => el.getBoundingClientRect().height > 0).map((el) => el.className)"""
        )
        assert hidden == [], (path, hidden)
        assert page.locator("h1").first.is_visible(), path
        page.emulate_media(media="screen")
    assert browsing.problems() == []
