"""A 390 × 844 phone is a first-class screen: the pages the other phone tests (test_print_and_phone.py) do not
visit fit the screen too, and a table is shown as one block per row, each value beside its column's heading."""

import pytest

from . import test_print_and_phone
from .test_print_and_phone import OVERFLOW, PHONE

pytestmark = pytest.mark.browser

# The seed park, and a page signed in without the browser tests' dashboard (whose first park has its name).
seed = test_print_and_phone.seed
seed_page = test_print_and_phone.seed_page

# Each body cell of the tables on the page: its data-label, its column's heading, the label the phone layout
# writes before it (::before), whether its value shows, and its box.
CELLS = """(selector) => Array.from(document.querySelectorAll(selector)).flatMap((table) => {
  const headings = Array.from(table.querySelectorAll("thead th")).map((th) => th.innerText.trim());
  return Array.from(table.querySelectorAll("tbody tr")).flatMap((tr) =>
    Array.from(tr.children).filter((td) => !td.classList.contains("empty")).map((td, i) => {
      const box = td.getBoundingClientRect();
      const before = getComputedStyle(td, "::before").content;
      return {label: td.dataset.label, heading: headings[i], before: before,
              text: td.innerText.trim(), left: box.left, right: box.right, width: box.width};
    }));
})"""


def assert_no_sideways_scroll(page, path):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    report = page.evaluate(OVERFLOW)
    assert report["innerWidth"] == PHONE["width"]
    assert report["scrollWidth"] <= PHONE["width"], (path, report)


@pytest.fixture
def demo(transactional_db):
    """The demo generator's showcase park (41 indicators, every kind of record)."""
    from parkdash.demo import generator
    from parkdash.parks.models import Park

    generator.generate(parks=1)
    return Park.objects.get(code=f"{generator.CODE_PREFIX}001")


def test_the_seed_and_demo_overviews_do_not_scroll_sideways_on_a_phone(seed_page, seed, demo, browsing):
    page = seed_page
    page.set_viewport_size(PHONE)
    for park in (seed, demo):
        assert_no_sideways_scroll(page, f"/?park={park.pk}")
        assert page.locator(".card").count() > 20
        boxes = page.evaluate(
            "() => Array.from(document.querySelectorAll('.chart-panel, canvas, .card'))"
            ".map((el) => el.getBoundingClientRect().right)"
        )
        assert boxes and max(boxes) <= PHONE["width"], (park.code, max(boxes))
    assert_no_sideways_scroll(page, f"/indicators/fixed_asset_investment/?park={demo.pk}")
    assert browsing.problems() == []


def test_the_admin_figure_form_does_not_scroll_sideways_on_a_phone(logged_in_page, dashboard):
    from parkdash.indicators.models import Figure

    page = logged_in_page
    page.set_viewport_size(PHONE)
    figure = Figure.objects.filter(park=dashboard.park).first()
    for path in (f"/admin/indicators/figure/{figure.pk}/change/", "/admin/indicators/figure/add/"):
        assert_no_sideways_scroll(page, path)
        assert page.locator("#id_entered_value").is_visible()


def test_a_table_shows_each_row_as_labelled_values_on_a_phone(logged_in_page, dashboard):
    page = logged_in_page
    page.set_viewport_size(PHONE)
    park, year = dashboard.park.pk, dashboard.year
    pages = [
        "/indicators/",
        "/projects/",
        "/enterprises/",
        "/works/",
        f"/indicators/fixed_asset_investment/?park={park}&year={year}",
        f"/projects/{dashboard.park.projects.first().pk}/",
    ]
    for path in pages:
        assert_no_sideways_scroll(page, path)
        cells = page.evaluate(CELLS, "table.data-table")
        assert cells, path
        for cell in cells:
            # Labelled with its column's heading, the label written before the value, inside the screen.
            assert cell["label"] and cell["label"] == cell["heading"], (path, cell)
            assert cell["before"] == f'"{cell["label"]}"', (path, cell)
            assert cell["left"] >= 0 and cell["right"] <= PHONE["width"], (path, cell)
            assert cell["width"] > PHONE["width"] / 2, (path, cell)  # a line of the row, not a narrow column
        # The row's main value (td.key) shows, in full, within the screen.
        key = page.locator("table.data-table tbody tr td.key").first
        if key.count():
            assert key.is_visible() and key.inner_text().strip(), path
            box = key.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (path, box)


def test_a_table_keeps_its_columns_on_a_desktop(logged_in_page, dashboard):
    page = logged_in_page
    page.goto("/indicators/")
    cells = page.evaluate(CELLS, "table.data-table")
    first_row = [c for c in cells if c["left"] == cells[0]["left"]]
    assert len(first_row) < len(cells)  # cells side by side: a grid of columns
    assert all(c["before"] in ("none", "normal") for c in cells)
    assert page.locator("table.data-table thead th").first.is_visible()
