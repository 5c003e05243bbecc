"""The indicator page's tables written in Python (parkdash/indicators/html.py): byte for byte the HTML the template's
two row loops wrote (kept as tests/indicators/reference/figure_rows.html and history_rows.html), in both languages,
through every branch of a row; and the page costs no more queries than before, however many rows it shows."""

import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.template import engines
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from parkdash.indicators.models import Figure
from parkdash.indicators.views import IndicatorDetailView
from parkdash.intake.models import SummaryFigure, WorkSummary
from tests.support import make_admin, make_figure, make_indicator, make_park, make_zone

LANGUAGES = ("en", "zh-hans")
YEAR = 2024
PAGE = Path(settings.BASE_DIR) / "templates" / "indicators" / "indicator_detail.html"
REFERENCE = Path(__file__).resolve().parent / "reference"

# The tags that stand for the template's two row loops, and the loops they replaced.
LOOPS = {
    "{% figure_rows figures indicator %}": "figure_rows.html",
    "{% history_rows history %}": "history_rows.html",
}


def reference_template():
    """The indicator page's template as it was: the current one with its two tags replaced by the loops."""
    text = PAGE.read_text(encoding="utf-8")
    for tag, name in LOOPS.items():
        assert tag in text, f"templates/indicators/indicator_detail.html no longer writes {tag}"
        text = text.replace(tag, (REFERENCE / name).read_text(encoding="utf-8"))
    return engines["django"].from_string(text)


def without_csrf_token(html):
    """The page with its CSRF tokens (masked afresh for each response) blanked."""
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*"', r'\1"', html)


# What the compared pages must show between them, so that the comparison covers every branch of the rows.
MARKS = {
    "a zone, escaped": "北片 &lt;东&gt; &amp; 西",
    "the whole park": ">Whole park</td>",
    "entered in another unit": '<span class="muted">(15,000 ',
    "a growth up": ">+5.5%</td>",
    "a growth down": ">−3.25%</td>",
    "a growth of zero": ">+0%</td>",
    "no growth": '<td class="num" data-label="YoY %">—</td>',
    "no value": '<td class="num key" data-label="Value">—</td>',
    "a full-year target": "2024 full year",
    "month 1": "2024, Month 1",
    "a percentage indicator": "98.5%</td>",
    "a display unit": "万元</td>",
    "an origin, escaped": '">一季度 &lt;总结&gt;</a>',
    "an origin without a title": " · <a href=",
    "a quote, escaped": '<blockquote class="quote">固定资产投资&lt;b&gt;1.5亿元&lt;/b&gt; &amp; 更多</blockquote>',
    "no figures": '<tr><td colspan="7" class="empty">',
    "no changes": '<tr><td colspan="5" class="empty">',
    "a change by nobody": re.compile(r'<td data-label="Who">—</td>'),
    "a change by someone, escaped": "li&amp;&lt;wang&gt;",
    "created": ">Created</td>",
    "changed": ">Changed</td>",
    "deleted": ">Deleted</td>",
    "a change's local time": ">2024-03-02 00:05</td>",
}


class IndicatorTablesHtmlTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        someone = get_user_model().objects.create_user("li&<wang>", password="pw")
        park = cls.park = make_park(code="tables", name="东部园区", name_en="East")
        zone = make_zone(park, "北片 <东> & 西")
        fai = cls.fai = make_indicator("fai", name="固定资产投资", name_en="Fixed-asset investment")
        rate = cls.rate = make_indicator("rate", name="合格率", unit="%", category="ecology")
        output = cls.output = make_indicator("output", name="产值", display_unit="万元")
        land = cls.land = make_indicator("land", name="供地", unit="亩", category="land")
        titled = WorkSummary.objects.create(park=park, year=YEAR, month=3, title="一季度 <总结>", text="……")
        untitled = WorkSummary.objects.create(park=park, year=YEAR, month=6, text="……")

        make_figure(fai, park, year=YEAR, month=12, kind="target", value=Decimal("24"))
        make_figure(fai, park, year=YEAR, month=6, kind="target", value=Decimal("10"), version="estimate")
        make_figure(fai, park, year=YEAR, month=1, value=Decimal("2"), yoy_pct=Decimal("5.5"), source="import")
        quoted = make_figure(
            fai,
            park,
            zone=zone,
            year=YEAR,
            month=2,
            value=Decimal("1.5"),
            entered_value=Decimal("15000"),
            entered_unit="万元",
            yoy_pct=Decimal("-3.25"),
            source="summary",
            source_quote="固定资产投资<b>1.5亿元</b> & 更多",
        )
        SummaryFigure.objects.create(summary=titled, figure=quoted)
        make_figure(
            fai,
            park,
            year=YEAR,
            month=3,
            value=Decimal("4"),
            entered_value=Decimal("4"),
            entered_unit="亿元",
            yoy_pct=Decimal("0"),
            version="preliminary",
            source="api",
        )
        make_figure(fai, park, year=YEAR, month=4, value=None, yoy_pct=Decimal("7"))
        SummaryFigure.objects.create(
            summary=untitled, figure=make_figure(fai, park, year=YEAR, month=5, value=Decimal("6"), source="summary")
        )
        make_figure(rate, park, year=YEAR, month=5, value=Decimal("98.5"))
        make_figure(output, park, year=YEAR, month=5, value=Decimal("0.3214"), yoy_pct=Decimal("12"))
        make_figure(
            land, park, year=YEAR, month=5, value=Decimal("30"), entered_value=Decimal("2"), entered_unit="公顷"
        )
        # A change by someone, a deletion by nobody, a change late in the evening (UTC: past midnight in Shanghai).
        changed = Figure.objects.get(indicator=fai, park=park, year=YEAR, month=1)
        changed.value, changed._history_user = Decimal("2.5"), someone
        changed.save()
        make_figure(fai, park, year=YEAR - 1, month=8).delete()
        Figure.history.filter(id=changed.pk, history_type="+").update(
            history_date=datetime(2024, 3, 1, 16, 5, 9, tzinfo=UTC)
        )
        # Land has figures of another year only for this park: no figures for the year, changes all the same.
        make_figure(land, park, year=YEAR - 3, month=5, value=Decimal("1"))
        cls.land_park = make_park(code="landonly", name="西部园区")
        make_figure(land, cls.land_park, year=YEAR - 3, month=5, value=Decimal("1"))
        make_figure(fai, cls.land_park, year=YEAR, month=5, value=Decimal("1"))
        # A park without any figure: neither figures nor changes.
        cls.empty_park = make_park(code="nothing", name="空园区")

    def setUp(self):
        self.client.force_login(self.user)

    def pages(self):
        for indicator in (self.fai, self.rate, self.output, self.land):
            for year in (YEAR, YEAR - 1):
                yield indicator.code, {"park": self.park.pk, "year": year}
        yield self.land.code, {"park": self.land_park.pk, "year": YEAR}
        yield self.fai.code, {"park": self.empty_park.pk}

    def page(self, code, query, language, template=None):
        cache.clear()
        url = f"/indicators/{code}/"
        if template is None:
            response = self.client.get(url, query, HTTP_ACCEPT_LANGUAGE=language)
        else:
            with mock.patch.object(IndicatorDetailView, "get_template_names", lambda view: template):
                response = self.client.get(url, query, HTTP_ACCEPT_LANGUAGE=language)
        self.assertEqual(response.status_code, 200)
        return without_csrf_token(response.content.decode())

    def test_the_indicator_page_is_the_html_the_template_loops_wrote(self):
        reference = reference_template()
        seen = set()
        for language in LANGUAGES:
            for code, query in self.pages():
                with self.subTest(language=language, code=code, query=query):
                    ours = self.page(code, query, language)
                    self.assertEqual(ours, self.page(code, query, language, reference))
                    seen.update(
                        name
                        for name, mark in MARKS.items()
                        if (mark.search(ours) if isinstance(mark, re.Pattern) else mark in ours)
                    )
        # The pages compared hold every kind of row the writers handle.
        self.assertEqual(set(MARKS) - seen, set())

    def test_the_chinese_page_writes_chinese_rows(self):
        page = self.page(self.fai.code, {"park": self.park.pk, "year": YEAR}, "zh-hans")
        self.assertIn('<td class="num" data-label="同比（%）">+5.5%</td>', page)
        self.assertIn(">全园区</td>", page)
        self.assertNotIn("Whole park", page)


class IndicatorTablesQueryTests(TestCase):
    """The page's rows read nothing more than their two queries, however many rows, zones, origins and users."""

    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.fai = make_indicator("fai", name="固定资产投资")
        cls.small, cls.large = make_park(code="small", name="小园区"), make_park(code="large", name="大园区")
        make_figure(cls.fai, cls.small, year=YEAR, month=1)
        summary = WorkSummary.objects.create(park=cls.large, year=YEAR, month=12, title="年度总结", text="……")
        for month in range(1, 13):
            zone = make_zone(cls.large, f"片区{month}")
            figure = make_figure(cls.fai, cls.large, zone=zone, year=YEAR, month=month, source_quote="……")
            SummaryFigure.objects.create(summary=summary, figure=figure)
            figure._history_user = get_user_model().objects.create_user(f"editor{month}", password="pw")
            figure.save()

    def setUp(self):
        self.client.force_login(self.user)

    def queries(self, park):
        url = f"/indicators/{self.fai.code}/?park={park.pk}&year={YEAR}"
        self.client.get(url)  # the user, the catalogue, the charts cached
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return [query["sql"] for query in captured]

    def test_a_page_of_many_rows_makes_no_more_queries_than_pinned(self):
        small, large = self.queries(self.small), self.queries(self.large)
        # the session; the data versions; the year's figures (with their zones and origins); the changes (with
        # their users)
        self.assertEqual(len(small), WARM_QUERIES, small)
        self.assertEqual(len(large), WARM_QUERIES, large)


WARM_QUERIES = 4
