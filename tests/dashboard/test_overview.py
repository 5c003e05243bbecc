"""The overview: cards against target and 序时进度, selectors, charts, login, bad query strings."""

import json
from decimal import Decimal

from django.core.cache import cache
from django.test import TestCase, override_settings

from parkdash.core.progress import Status
from parkdash.indicators.models import Figure
from tests.support import make_admin, make_indicator, park_with_data, small_and_large_parks


class OverviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.park = park_with_data(year=2023, month=6)

    def setUp(self):
        self.client.force_login(self.user)

    def card(self, response, code):
        return next(c for c in response.context["cards"] if c.indicator.code == code)

    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        self.client.logout()
        response = self.client.get("/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    @override_settings(PARKDASH_ANONYMOUS_READ=True)
    def test_a_setting_allows_an_anonymous_read_only_dashboard(self):
        self.client.logout()
        self.assertEqual(self.client.get("/").status_code, 200)
        self.assertEqual(self.client.get("/projects/").status_code, 200)
        self.assertEqual(self.client.get("/admin/").status_code, 302)

    def test_a_card_shows_actual_target_completion_and_pace(self):
        card = self.card(self.client.get("/"), "fai")
        self.assertEqual(card.actual, Decimal("12"))
        self.assertEqual(card.target, Decimal("24"))
        self.assertEqual(card.month, 6)
        self.assertEqual(card.progress.completion, Decimal("50.0"))
        self.assertEqual(card.progress.expected, Decimal("50.0"))
        self.assertEqual(card.progress.status, Status.AHEAD)
        self.assertEqual(card.yoy_pct, Decimal("5.5"))

    def test_the_page_shows_the_cards_with_numbers_and_status(self):
        response = self.client.get("/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, 'data-indicator="fai"')
        self.assertContains(response, "status-ahead")
        self.assertContains(response, "+5.5%")

    def test_a_card_without_target_shows_actual_and_growth_only(self):
        extra = make_indicator("output", name="工业总产值")
        Figure.objects.create(
            indicator=extra, park=self.park, year=2023, month=6, kind="actual", value=3, yoy_pct=Decimal("-2")
        )
        card = self.card(self.client.get("/"), "output")
        self.assertIsNone(card.target)
        self.assertEqual(card.progress.status, Status.NO_TARGET)
        self.assertEqual(card.yoy_pct, Decimal("-2"))

    def test_the_final_version_wins_over_a_preliminary_one(self):
        ind = make_indicator("tax", name="税收收入")
        Figure.objects.create(
            indicator=ind, park=self.park, year=2023, month=6, kind="actual", value=1, version="preliminary"
        )
        Figure.objects.create(
            indicator=ind, park=self.park, year=2023, month=6, kind="actual", value=2, version="final"
        )
        self.assertEqual(self.card(self.client.get("/"), "tax").actual, Decimal("2"))

    def test_the_default_year_is_the_latest_with_actuals(self):
        Figure.objects.create(
            indicator_id=self.card(self.client.get("/"), "fai").indicator.pk,
            park=self.park,
            year=2024,
            month=12,
            kind="target",
            value=30,
        )
        response = self.client.get("/")
        self.assertEqual(response.context["selection"].year, 2023)
        self.assertEqual(response.context["selection"].years, [2024, 2023])
        self.assertEqual(self.client.get("/?year=2024").context["selection"].year, 2024)

    def test_every_chart_is_passed_as_json_with_a_table(self):
        response = self.client.get("/")
        ids = [c["id"] for c in response.context["charts"]]
        self.assertEqual(ids, ["completion", "project_phases", "enterprise_stages", "works"])
        content = response.content.decode()
        for chart_id in ("completion", "project_phases", "works"):
            self.assertIn(f'id="{chart_id}-data"', content)
        # Every enterprise is at one stage: a sentence, not a chart of one bar.
        self.assertIn('data-empty-chart="enterprise_stages"', content)
        completion = json.loads(content.split('id="completion-data" type="application/json">')[1].split("</script>")[0])
        self.assertEqual(completion["datasets"][0]["data"], [50.0, 50.0])
        self.assertEqual(len(completion["table"]["rows"]), 2)

    def test_bad_query_strings_fall_back_to_defaults(self):
        for query in ("year=abc", "year=-1", "park=999", "park=abc", "year=99999999999999999999", "park=1%00"):
            with self.subTest(query=query):
                response = self.client.get("/?" + query)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["selection"].park, self.park)

    def test_a_park_without_data_shows_an_empty_state(self):
        empty = park_with_data(code="empty", name="空园区", n_projects=0, n_enterprises=0, n_works=0)
        Figure.objects.filter(park=empty).delete()
        response = self.client.get(f"/?park={empty.pk}", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, "No figures for this park yet.")


class QueryCountTests(TestCase):
    """The overview costs the same number of queries whatever the amount of data."""

    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.small, cls.large = small_and_large_parks()

    def setUp(self):
        self.client.force_login(self.user)

    def test_the_overview_costs_the_same_queries_for_small_and_large_parks(self):
        counts = []
        for park in (self.small, self.large):
            cache.clear()  # a cold cache: every query a page may need (a warm one: tests/dashboard/test_cache.py)
            with self.assertNumQueries(10) as ctx:
                self.client.get(f"/?park={park.pk}")
            counts.append(len(ctx.captured_queries))
        self.assertEqual(counts[0], counts[1])
