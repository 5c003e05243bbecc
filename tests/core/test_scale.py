"""What keeps a page's cost flat when a city has hundreds of parks: query counts, short lists, indexed sorts.

The timings themselves are measured by ``make bench`` (bench/run.py), not here.
"""

import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from parkdash.indicators.models import Figure
from parkdash.parks.models import Park, Zone
from tests.support import make_admin, park_with_data

# Many parks and long tables: the scale tests.
pytestmark = pytest.mark.slow

TABLES = ["/indicators/", "/projects/", "/enterprises/", "/works/"]


def add_parks(count, zones=3):
    """Parks with zones and no records: they grow every park list, and nothing else."""
    parks = Park.objects.bulk_create(Park(code=f"extra-{i:03d}", name=f"新增园区{i:03d}") for i in range(count))
    Zone.objects.bulk_create(Zone(park=park, name=f"{park.name}{z}片") for park in parks for z in range(zones))
    return parks


class ManyParksQueryCountTests(TestCase):
    """Every page costs the same queries with two parks as with forty (no query per park or per zone)."""

    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.park = park_with_data(code="east", name="东部园区")
        park_with_data(code="west", name="西部园区")
        cls.zone = cls.park.zones.get()

    def setUp(self):
        self.client.force_login(self.user)

    def urls(self):
        park, zone = self.park.pk, self.zone.pk
        return [
            f"/?park={park}",
            f"/indicators/fai/?park={park}",
            *TABLES,
            f"/indicators/?park={park}&year=2023&kind=actual",
            f"/projects/?park={park}&zone={zone}",
            f"/enterprises/?zone={zone}&q=企业",
            f"/works/?park={park}&year=2023&kind=road",
        ]

    def count(self, url):
        cache.clear()  # cold: every query the page may need (what a cached list would hide is what is compared)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return len(queries)

    def cold_and_warm(self):
        """{url: (queries of a first load, with nothing cached; of the next load)}."""
        counts = {}
        for url in self.urls():
            cache.clear()
            counts[url] = (self.count(url), self.count(url))
        return counts

    def test_pages_cost_the_same_queries_with_many_more_parks(self):
        before = self.cold_and_warm()
        add_parks(40)
        after = self.cold_and_warm()
        self.assertEqual(after, before)
        self.assertLessEqual(max(cold for cold, _warm in after.values()), 12)


class ParkAndZoneListTests(TestCase):
    """The park list names every park; the zone list offers one park's zones, however many parks there are."""

    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.east = park_with_data(code="east", name="东部园区", n_projects=2)
        cls.west = park_with_data(code="west", name="西部园区", n_projects=2)
        cls.east_zone, cls.west_zone = cls.east.zones.get(), cls.west.zones.get()
        add_parks(30)

    def setUp(self):
        self.client.force_login(self.user)

    def select(self, response, name):
        html = response.content.decode()
        match = re.search(r'<select[^>]* name="{}"[^>]*>(.*?)</select>'.format(name), html, re.S)
        self.assertIsNotNone(match, name)
        return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', match.group(1))

    def test_the_park_list_names_every_park_and_marks_the_chosen_one(self):
        options = self.select(self.client.get(f"/projects/?park={self.west.pk}"), "park")
        self.assertEqual(len(options), 1 + Park.objects.count())
        self.assertIn((str(self.west.pk), " selected", "西部园区"), options)

    def test_without_a_park_the_zone_list_asks_for_one(self):
        options = self.select(self.client.get("/projects/", HTTP_ACCEPT_LANGUAGE="en"), "zone")
        self.assertEqual(options, [("", " selected", "Choose a park first")])

    def test_with_a_park_the_zone_list_holds_its_zones(self):
        options = self.select(self.client.get(f"/projects/?park={self.east.pk}"), "zone")
        self.assertEqual([value for value, _, _ in options], ["", str(self.east_zone.pk)])

    def test_a_zone_alone_still_filters_and_lists_its_parks_zones(self):
        response = self.client.get(f"/projects/?zone={self.west_zone.pk}")
        self.assertEqual({row.record.park_id for row in response.context["table"].page.object_list}, {self.west.pk})
        self.assertEqual(response.context["table"].paginator.count, 2)
        options = self.select(response, "zone")
        self.assertEqual(options, [("", "", "---------"), (str(self.west_zone.pk), " selected", str(self.west_zone))])

    def test_a_member_of_one_park_gets_its_zones_without_choosing(self):
        member = Park.objects.get(pk=self.east.pk).members.create(username="east-editor")
        self.client.force_login(member)
        options = self.select(self.client.get("/enterprises/"), "zone")
        self.assertEqual([value for value, _, _ in options], ["", str(self.east_zone.pk)])

    def test_the_overview_lists_every_park_with_demo_parks_marked(self):
        Park.objects.filter(code="extra-000").update(is_demo=True)
        demo = Park.objects.get(code="extra-000")
        options = self.select(self.client.get(f"/?park={demo.pk}", HTTP_ACCEPT_LANGUAGE="en"), "park")
        self.assertEqual(len(options), Park.objects.count())
        self.assertIn((str(demo.pk), " selected", "新增园区000 (demo data)"), options)


class SelectionTests(TestCase):
    def test_the_chosen_park_is_read_with_the_park_list_and_is_the_park(self):
        user = make_admin()
        park_with_data(code="east", name="东部园区")
        west = park_with_data(code="west", name="西部园区")
        Park.objects.filter(pk=west.pk).update(name_en="West Park", description="西部")
        self.client.force_login(user)
        selection = self.client.get(f"/?park={west.pk}").context["selection"]
        park = selection.park
        self.assertEqual(
            (park.pk, park.code, park.name, park.name_en, park.is_demo),
            (west.pk, "west", "西部园区", "West Park", False),
        )
        self.assertEqual(park.description, "西部")  # not read with the list, but still there when asked for
        self.assertEqual([p.name for p in selection.parks], ["东部园区", "西部园区"])


class StableOrderTests(TestCase):
    """Rows that tie on the sorted column keep their page: every row appears exactly once across the pages."""

    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        park_with_data(code="east", name="东部园区", n_projects=23, n_enterprises=23, n_works=23)

    def test_paging_through_a_column_full_of_ties_shows_every_row_once(self):
        self.client.force_login(self.user)
        for url, sort in (
            ("/projects/", "phase"),
            ("/enterprises/", "stage"),
            ("/works/", "-kind"),
            ("/indicators/", "kind"),
        ):
            with self.subTest(url=url):
                seen, page, pages = [], 1, 1
                while page <= pages:
                    response = self.client.get(url, {"sort": sort, "per_page": 10, "page": page})
                    seen += [row.record.pk for row in response.context["table"].page.object_list]
                    page, pages = page + 1, response.context["table"].paginator.num_pages
                self.assertGreater(pages, 1)
                # SQLite happens to keep ties in a stable order; PostgreSQL does not. The id decides either way.
                self.assertIn(response.context["table"].data.data.query.order_by[-1], ("pk", "-pk"))
                self.assertEqual(len(seen), len(set(seen)))
                self.assertEqual(len(seen), response.context["table"].paginator.count)


class IndexedFirstPageTests(TestCase):
    """The first page of a table reads its rows from an index in order: it never sorts the whole table.

    SQLite's EXPLAIN QUERY PLAN says "USE TEMP B-TREE FOR ORDER BY" when it must sort. (PostgreSQL's planner
    rightly sorts tables this small, so the plan is checked on SQLite; bench/run.py measures both.)
    """

    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.park = park_with_data(code="east", name="东部园区")

    def first_page_plans(self, url, table):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        pages = [q["sql"] for q in queries if re.search(r'FROM "{}" .*ORDER BY .* LIMIT \d+$'.format(table), q["sql"])]
        self.assertEqual(len(pages), 1, url)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + pages[0])
            return " / ".join(row[-1] for row in cursor.fetchall())

    def test_no_table_sorts_all_its_rows_for_the_first_page(self):
        if connection.vendor != "sqlite":
            self.skipTest("query plans are read from SQLite")
        self.client.force_login(self.user)
        park = self.park.pk
        for url, table in (
            ("/indicators/", "indicators_figure"),
            ("/projects/", "projects_project"),
            ("/enterprises/", "enterprises_enterprise"),
            ("/works/", "infrastructure_infrastructurework"),
            (f"/indicators/?park={park}&year=2023&kind=actual", "indicators_figure"),
            (f"/works/?park={park}&year=2023", "infrastructure_infrastructurework"),
        ):
            with self.subTest(url=url):
                plan = self.first_page_plans(url, table)
                self.assertNotIn("FOR ORDER BY", plan)


class EstimatedCountTests(TestCase):
    """On PostgreSQL a large unfiltered table shows the planner's estimate of its rows, in the same one query."""

    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.park = park_with_data(code="east", name="东部园区")
        park_with_data(code="west", name="西部园区")

    def setUp(self):
        self.client.force_login(self.user)

    def table(self, url):
        cache.clear()  # each page cold: the same queries but the count's
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        return response, response.context["table"].paginator, len(queries)

    def test_sqlite_always_counts(self):
        if connection.vendor != "sqlite":
            self.skipTest("SQLite only")
        with mock.patch("parkdash.core.views.ESTIMATE_ABOVE", 5):
            response, paginator, _ = self.table("/indicators/")
        self.assertEqual((paginator.count, paginator.estimated), (Figure.objects.count(), False))
        self.assertContains(response, f"{Figure.objects.count()} rows")

    def test_postgresql_estimates_a_large_unfiltered_table_only(self):
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL only")
        exact = Figure.objects.count()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE indicators_figure")
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'indicators_figure'::regclass")
            estimate = cursor.fetchone()[0]
        self.assertGreater(estimate, 5)
        with mock.patch("parkdash.core.views.ESTIMATE_ABOVE", 5):
            response, paginator, estimated_queries = self.table("/indicators/")
            self.assertEqual((paginator.count, paginator.estimated), (estimate, True))
            self.assertContains(response, f"about {estimate} rows")
            _, filtered, _ = self.table(f"/indicators/?park={self.park.pk}")
            self.assertEqual(
                (filtered.count, filtered.estimated), (Figure.objects.filter(park=self.park).count(), False)
            )
        cache.clear()  # the count is kept under the data's versions, not under the threshold patched here
        with mock.patch("parkdash.core.views.ESTIMATE_ABOVE", exact + 1000):
            response, paginator, counted_queries = self.table("/indicators/")
        self.assertEqual((paginator.count, paginator.estimated), (exact, False))
        self.assertContains(response, f"{exact} rows")
        self.assertEqual(estimated_queries, counted_queries)
