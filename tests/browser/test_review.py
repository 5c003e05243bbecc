"""The work-summary review of the seed summary in a browser: select all / none per section with the live count, the
sticky bar with Apply in sight after scrolling, and a phone screen that does not scroll sideways.

Screenshots of the review at 1440 and 390 px go to PARKDASH_SCREENSHOTS (default .cache/screenshots)."""

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SEED = Path(__file__).resolve().parents[1] / "intake" / "samples" / "seed_000.txt"
SHOTS = Path(os.environ.get("PARKDASH_SCREENSHOTS", ".cache/screenshots"))
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}

CHECKED = "() => document.querySelectorAll('.review-apply input[type=checkbox]:checked').length"
SHOWN_COUNT = "() => Number(document.querySelector('[data-checked-total]').textContent)"
# Whether an element is inside the screen (its box intersects the viewport).
IN_VIEW = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight + 1;
}"""


@pytest.fixture
def seed_review(transactional_db, context, page, live_server):
    """The seed summary (tests/intake/samples/seed_000.txt, a 1-10月 report) stored as the upload stores it, and a
    page signed in as an administrator; returns the review's path."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from parkdash.intake import extract, services
    from parkdash.parks.models import Park
    from tests.browser.conftest import PASSWORD, USERNAME
    from tests.support import make_admin

    call_command("loaddata", "seed", verbosity=0)
    text = extract.decode(SEED.read_bytes())
    summary = services.create_summary(park=Park.objects.get(code="dongbu"), year=2023, month=10, text=text)
    client = Client()
    client.force_login(make_admin(USERNAME, PASSWORD))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url, "value": cookie}])
    return f"/admin/intake/worksummary/{summary.pk}/review/"


def test_select_all_and_none_of_a_section_update_the_live_counts(seed_review, page, browsing):
    page.set_viewport_size(DESKTOP)
    page.goto(seed_review)
    assert page.evaluate(SHOWN_COUNT) == page.evaluate(CHECKED) > 0
    section = page.locator("details.review-section[open]").first
    boxes = section.locator(".review-apply input[type=checkbox]")
    section_count = section.locator("[data-checked]")

    section.locator("button[data-check=all]").click()
    assert boxes.count() > 0
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    assert int(section_count.text_content()) == boxes.count()
    assert page.evaluate(SHOWN_COUNT) == page.evaluate(CHECKED)

    section.locator("button[data-check=none]").click()
    assert not any(boxes.nth(i).is_checked() for i in range(boxes.count()))
    assert int(section_count.text_content()) == 0
    assert page.evaluate(SHOWN_COUNT) == page.evaluate(CHECKED)

    boxes.first.check()  # one box by hand
    assert int(section_count.text_content()) == 1
    assert page.evaluate(SHOWN_COUNT) == page.evaluate(CHECKED)
    assert browsing.problems() == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440", "390"])
def test_the_bar_with_the_count_and_apply_stays_in_sight_while_scrolling(seed_review, page, browsing, viewport):
    page.set_viewport_size(viewport)
    page.goto(seed_review)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "review-{}-top.png".format(viewport["width"])), timeout=60_000)
    page.screenshot(path=str(SHOTS / "review-{}.png".format(viewport["width"])), full_page=True, timeout=60_000)
    height = page.evaluate("() => document.scrollingElement.scrollHeight")
    assert height > 2 * viewport["height"]  # a page to scroll through, or the test proves nothing
    for fraction in (0, 0.5, 1):
        page.evaluate("(y) => window.scrollTo(0, y)", int(height * fraction))
        assert page.evaluate(IN_VIEW, "#review-bar"), fraction
        assert page.evaluate(IN_VIEW, "#review-bar input[name=_apply]"), fraction
    page.screenshot(path=str(SHOTS / "review-{}-scrolled.png".format(viewport["width"])), timeout=60_000)
    assert browsing.problems() == []


def test_the_review_does_not_scroll_sideways_on_a_phone_and_shows_each_value(seed_review, page, browsing):
    page.set_viewport_size(PHONE)
    page.goto(seed_review)
    folded = page.locator("details.review-section:not([open])")
    assert folded.count() > 0  # the seed's sections whose figures are all checked start folded …
    while folded.count():
        folded.first.locator("summary").click()  # … and open, one by one: the widest the page gets
    widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] == 390
    row = page.locator(".review-table tbody tr").first
    value = row.locator(".review-value input")
    assert value.is_visible()
    row_box, value_box = row.bounding_box(), value.bounding_box()
    assert value_box["x"] + value_box["width"] <= 390
    assert row_box["height"] < 400  # one candidate reads as one row, not a screenful
    assert browsing.problems() == []
