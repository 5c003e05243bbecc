"""The overview's cards and charts written in Python (parkdash/dashboard/html.py): byte for byte the HTML the
templates wrote (each card included from templates/dashboard/card.html, kept as tests/dashboard/reference/card.html,
each chart from templates/generic/chart.html), in both languages, on a realistic dashboard with every kind of card;
and the overview's first load after a write costs no more queries than before."""

import re
from decimal import Decimal
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template import engines
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from parkdash.dashboard.html import CardWriter
from parkdash.dashboard.views import OverviewView
from parkdash.indicators.models import Figure
from tests.support import make_admin, make_enterprise, make_figure, make_indicator, make_park
from tests.support.dashboard import build_dashboard

LANGUAGES = ("en", "zh-hans")
YEAR = 2024
OVERVIEW = Path(settings.BASE_DIR) / "templates" / "dashboard" / "overview.html"
CARD = Path(__file__).resolve().parent / "reference" / "card.html"

# templates/dashboard/overview.html's cards and charts as they were before {% overview_cards %} and
# {% overview_charts %}: a template loop including card.html for each card, and generic/chart.html for each chart.
CARDS_TAG = "{% overview_cards groups cards selection no_targets %}"
CARDS_LOOP = """{% for group in groups %}
<section class="category-group" data-category="{{ group.category }}" aria-labelledby="category-{{ group.category }}">
  <h2 class="category-title" id="category-{{ group.category }}">{{ group.label }} <span class="muted">\
{{ group.cards|length }}</span></h2>
  <div class="cards">{% for card in group.cards %}CARD{% endfor %}</div>
</section>
{% empty %}
<p class="chart-empty">{% translate "No indicator has this status." %}</p>
{% endfor %}"""
BEHIND_TAG = "{% behind_rows behind selection %}"
BEHIND_LOOP = """{% for card, need in behind %}
      <tr class="status-{{ card.progress.status }}" data-behind="{{ card.indicator.code }}">
        <th scope="row"><i class="dot status-{{ card.progress.status }}" aria-hidden="true"></i> <a href="\
{% url 'indicators:indicator_detail' card.indicator.code %}?{{ selection.querystring }}">\
{{ card.indicator.display_name }}</a> <span class="muted">{{ card.period_label }}</span></th>
        <td class="num">{{ card.progress.completion|percent }}</td>
        <td class="num">{{ card.progress.gap|signed }} <span class="muted">{% if card.progress.paced %}\
{% translate "against the time-elapsed pace" %}{% else %}{% translate "against the target" %}{% endif %}</span></td>
        <td class="num key">{{ need|default:"—" }}</td>
      </tr>{% endfor %}"""
CHARTS_TAG = "{% overview_charts charts no_targets %}"
CHARTS_INCLUDES = """<div class="charts">
  {% if not no_targets %}{% with c=charts.0 %}{% translate "Completion of annual targets against the time-elapsed \
pace" as t %}{% include "generic/chart.html" with chart=c title=t wide=True %}{% endwith %}{% endif %}
  {% with c=charts.1 %}{% translate "Projects by phase: planned against the register" as t %}\
{% include "generic/chart.html" with chart=c title=t %}{% endwith %}
  {% with c=charts.2 %}{% translate "Enterprises by stage" as t %}\
{% include "generic/chart.html" with chart=c title=t %}{% endwith %}
  {% with c=charts.3 %}{% translate "Infrastructure works: completed against planned" as t %}\
{% include "generic/chart.html" with chart=c title=t wide=True %}{% endwith %}
</div>"""


def reference_template():
    """The overview template as it was: the current one with its two tags replaced by the template code they stand
    for (card.html inlined in the loop: it loads nothing the overview does not)."""
    text = OVERVIEW.read_text(encoding="utf-8")
    card = CARD.read_text(encoding="utf-8")
    load = "{% load i18n parkdash %}"
    assert card.startswith(load)
    for tag in (CARDS_TAG, CHARTS_TAG, BEHIND_TAG):
        assert tag in text, f"templates/dashboard/overview.html no longer writes {tag}"
    text = text.replace(CARDS_TAG, CARDS_LOOP.replace("CARD", card[len(load) :])).replace(BEHIND_TAG, BEHIND_LOOP)
    return engines["django"].from_string(text.replace(CHARTS_TAG, CHARTS_INCLUDES))


def without_csrf_token(html):
    """The page with its CSRF token (masked afresh for each response) blanked."""
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*"', r'\1"', html)


class OverviewHtmlTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.dashboard = build_dashboard(YEAR, cls.user)
        park = cls.dashboard.park
        # Cards of every kind the dashboard lacks: a stock and a rate (no pace), a target without an actual, an
        # actual without a target and a falling growth, an unknown category ("Other"), a name to escape, a value in
        # 万元 beside a target in 亿元, a target of 0; a year with actuals only (no targets at all).
        cases = [
            ("enterprises_above_size", "规上企业", "家", "enterprises", {"aggregation": "stock"}, "40", "38", "-3.5"),
            ("pass_rate", "合格率 <b>&'\"", "%", "ecology", {"aggregation": "rate"}, "98", "99.2", None),
            ("waiting", "待报指标", "个", "construction", {}, "12", None, None),
            ("untargeted", "无目标 & 指标", "万元", "output", {}, None, "3214.5", "-12"),
            ("odd_category", "其他类", "亿元", "misc", {"name_en": "Odd <category>"}, "5", "0.45", "0"),
            ("zero_target", "零目标", "亩", "land", {}, "0", "3", "1"),
        ]
        for code, name, unit, category, extra, target, actual, yoy in cases:
            indicator = make_indicator(code, name=name, unit=unit, category=category, **extra)
            if target is not None:
                make_figure(indicator, park, year=YEAR, month=12, kind="target", value=Decimal(target))
            if actual is not None:
                make_figure(
                    indicator,
                    park,
                    year=YEAR,
                    month=5,
                    value=Decimal(actual),
                    yoy_pct=Decimal(yoy) if yoy is not None else None,
                )
            make_figure(indicator, park, year=YEAR - 5, month=3, value=Decimal("7"))
        # The register holds fewer enterprises than reported: the stage chart has notes.
        make_enterprise(park, name="<b>新</b>企业", stage="production")
        # A park whose one indicator has a target: the completion chart is a sentence.
        cls.single = make_park(code="d-single", name="单一园区", name_en="Single & Park")
        indicator = cls.dashboard.indicators["fixed_asset_investment"]
        make_figure(indicator, cls.single, year=YEAR, month=12, kind="target", value=Decimal("100"))
        make_figure(indicator, cls.single, year=YEAR, month=3, value=Decimal("20"), yoy_pct=Decimal("2"))

    def setUp(self):
        self.client.force_login(self.user)

    def queries(self):
        d = self.dashboard
        queries = []
        for park in (d.park, d.partial_park, d.empty_park, self.single):
            for year in (YEAR, d.last_year, YEAR - 5):
                queries.append({"park": park.pk, "year": year})
        for status in ("ahead", "slightly_behind", "behind", "no_target", "no_actual", "nonsense"):
            queries.append({"park": d.park.pk, "year": YEAR, "status": status})
        return queries

    def page(self, query, language, template=None):
        cache.clear()
        if template is None:
            response = self.client.get("/", query, HTTP_ACCEPT_LANGUAGE=language)
        else:
            with mock.patch.object(OverviewView, "get_template_names", lambda view: template):
                response = self.client.get("/", query, HTTP_ACCEPT_LANGUAGE=language)
        self.assertEqual(response.status_code, 200)
        return without_csrf_token(response.content.decode())

    def test_the_overview_is_the_html_the_templates_wrote(self):
        reference = reference_template()
        seen = set()
        for language in LANGUAGES:
            for query in self.queries():
                with self.subTest(language=language, query=query):
                    ours = self.page(query, language)
                    self.assertEqual(ours, self.page(query, language, reference))
                    seen.update(kind for kind, mark in MARKS.items() if mark in ours)
        # The pages compared hold every kind of card and chart the writers handle.
        self.assertEqual(seen, set(MARKS))

    def test_a_cached_overview_is_the_same_page(self):
        query = {"park": self.dashboard.park.pk, "year": YEAR}
        for language in LANGUAGES:
            with self.subTest(language=language):
                first = self.page(query, language)
                second = self.client.get("/", query, HTTP_ACCEPT_LANGUAGE=language).content.decode()
                self.assertEqual(without_csrf_token(second), first)

    def test_the_first_overview_after_a_write_makes_no_more_queries_than_pinned(self):
        query = {"park": self.dashboard.park.pk, "year": YEAR}
        self.client.get("/", query)  # the user's row, permissions and the catalogue cached
        figure = Figure.objects.filter(park=self.dashboard.park, year=YEAR, kind="actual").first()
        figure.value += 1
        figure.save()  # the park's version moves on: the cards and charts are built again
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get("/", query).status_code, 200)
        # the session; the data versions; the park's years (selection); its latest figures of the year; the
        # projects by phase, the enterprises by stage and the works of the year (the charts)
        self.assertEqual(len(captured), MISS_QUERIES, [q["sql"] for q in captured])


MISS_QUERIES = 7

# What the compared pages must show between them, so that the comparison covers every branch of the writers.
MARKS = {
    "paced bar": '<rect class="pace"',
    "unpaced bar": '%" height="6" rx="3"/></svg>',
    "no actual": "data-no-actual",
    "falling growth": '<dd class="down">',
    "growth unknown": '<dd class="">—</dd>',
    "no targets at all": "status-none",
    "escaped name": "&lt;b&gt;&amp;&#x27;&quot;",
    "other category": 'data-category="other"',
    "no card of this status": '<p class="chart-empty">',
    "chart notes": "data-chart-notes",
    "chart as a sentence": "data-empty-chart",
    "chart numbers": '<details class="chart-data">',
    "behind, paced": '<tr class="status-behind"',
    "behind against the target": "against the target",
    "need in words": "a month for",
}


class CardReuseTests(TestCase):
    """After a write the overview's cached HTML is gone, but the cards that did not change are not written again:
    the page is still the one a cold cache writes, whatever the write."""

    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.dashboard = build_dashboard(YEAR, cls.user)
        cls.park = cls.dashboard.park
        cls.fai = cls.dashboard.indicators["fixed_asset_investment"]
        cls.query = {"park": cls.park.pk, "year": YEAR}

    def setUp(self):
        cache.clear()
        self.client.force_login(self.user)

    def get(self, language="zh-hans", **query):
        response = self.client.get("/", {**self.query, **query}, HTTP_ACCEPT_LANGUAGE=language)
        self.assertEqual(response.status_code, 200)
        return without_csrf_token(response.content.decode())

    def assert_as_a_cold_cache_writes_it(self, write, language="zh-hans", **query):
        """The overview loaded (its cards kept), ``write()``, then loaded again: the page a cleared cache writes."""
        self.get(language, **query)
        write()
        reused = self.get(language, **query)
        cache.clear()
        self.assertEqual(reused, self.get(language, **query))
        return reused

    def latest_actual(self, indicator=None):
        return (
            Figure.objects.filter(indicator=indicator or self.fai, park=self.park, year=YEAR, kind="actual")
            .order_by("-month")
            .first()
        )

    def test_only_the_card_a_write_changed_is_written_again(self):
        self.get()
        figure = self.latest_actual()
        figure.value += 7
        figure.save()
        with mock.patch.object(CardWriter, "card", autospec=True, side_effect=CardWriter.card) as written:
            self.get()
        self.assertEqual([call.args[1].indicator.code for call in written.call_args_list], [self.fai.code])

    def test_a_changed_actual_shows_at_once(self):
        figure = self.latest_actual()

        def write():
            figure.value = Decimal("987.65")
            figure.yoy_pct = Decimal("-4.5")
            figure.save()

        page = self.assert_as_a_cold_cache_writes_it(write)
        self.assertIn("987.65", page)

    def test_a_changed_growth_alone_shows_at_once(self):
        figure = self.latest_actual()
        page = self.assert_as_a_cold_cache_writes_it(
            lambda: Figure.objects.filter(pk=figure.pk).update(yoy_pct=Decimal("-31.25"))
        )
        self.assertIn("−31.25%", page)

    def test_a_new_month_a_new_target_and_a_deleted_target_show_at_once(self):
        land = self.dashboard.indicators["land_supplied"]
        self.assert_as_a_cold_cache_writes_it(lambda: make_figure(self.fai, self.park, year=YEAR, month=11))
        self.assert_as_a_cold_cache_writes_it(
            lambda: make_figure(
                self.dashboard.indicators["industrial_output"], self.park, year=YEAR, month=12, kind="target"
            )
        )
        self.assert_as_a_cold_cache_writes_it(
            lambda: Figure.objects.filter(indicator=land, park=self.park, year=YEAR, kind="target").delete()
        )

    def test_every_field_of_an_indicator_a_card_shows_changes_it_at_once(self):
        changes = {
            "name": "固定资产投资（新）",
            "name_en": "Investment <new>",
            "display_unit": "万元",
            "aggregation": "stock",
            "higher_is_better": False,
        }
        for field, value in changes.items():
            for language in LANGUAGES:
                with self.subTest(field=field, language=language):

                    def write(field=field, value=value):
                        setattr(self.fai, field, value)
                        self.fai.save()

                    self.assert_as_a_cold_cache_writes_it(write, language)

    def test_the_statuses_shown_one_by_one_and_then_all_are_the_pages_a_cold_cache_writes(self):
        for status in ("behind", "ahead", "slightly_behind"):
            self.get(status=status)
        figure = self.latest_actual(self.dashboard.indicators["land_supplied"])
        self.assert_as_a_cold_cache_writes_it(lambda: Figure.objects.filter(pk=figure.pk).update(value=1))
        self.assert_as_a_cold_cache_writes_it(lambda: None, status="behind")

    def test_a_new_threshold_judges_the_reused_cards_again(self):
        self.get()
        with override_settings(PARKDASH_BEHIND_THRESHOLD=1):
            reused = self.get()
            cache.clear()
            self.assertEqual(reused, self.get())

    def test_the_parks_and_the_languages_keep_their_own_cards(self):
        english = self.get("en")
        chinese = self.get("zh-hans")
        partial = self.get(park=self.dashboard.partial_park.pk)
        self.assertIn("Fixed-asset investment", english)
        self.assertIn("固定资产投资", chinese)
        self.assertNotEqual(partial, chinese)
        cache.clear()
        self.assertEqual(partial, self.get(park=self.dashboard.partial_park.pk))
