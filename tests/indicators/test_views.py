"""The indicator page: its charts, the provenance of its figures, and its cost in queries."""

from django.core.cache import cache
from django.test import TestCase

from parkdash.indicators.models import Figure
from tests.support import make_admin, park_with_data, small_and_large_parks


class IndicatorPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.park = park_with_data(year=2023, month=6)

    def setUp(self):
        self.client.force_login(self.user)

    def test_the_indicator_page_shows_charts_and_provenance(self):
        quoted = Figure.objects.filter(indicator__code="fai", month=6, zone__isnull=True)
        quoted.update(source_quote="固定资产投资12亿元")
        response = self.client.get(f"/indicators/fai/?park={self.park.pk}&year=2023")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "固定资产投资12亿元")
        monthly = response.context["monthly_chart"]
        self.assertEqual(monthly["datasets"][0]["data"][:6], [2.0, 4.0, 6.0, 8.0, 10.0, 12.0])
        self.assertEqual(monthly["datasets"][1]["data"][11], 24.0)
        self.assertEqual(response.context["zones_chart"]["labels"], ["东部园区北片"])


class IndicatorPageQueryCountTests(TestCase):
    """The indicator page costs the same number of queries whatever the amount of data."""

    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.small, cls.large = small_and_large_parks()

    def setUp(self):
        self.client.force_login(self.user)

    def test_the_indicator_page_costs_the_same_queries_for_small_and_large_parks(self):
        for park in (self.small, self.large):
            cache.clear()  # a cold cache: every query the page may need
            with self.assertNumQueries(9):
                self.client.get(f"/indicators/fai/?park={park.pk}")
