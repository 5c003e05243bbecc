"""A table page's filters, row count and table are kept by the worker that wrote them (ParkRecordListView.page_key,
``{% keep_fragment %}``) and shown again for the same user scope, language and query string at the same data
versions: byte for byte what it would write again, never stale after any kind of write, never one scope's page for
another, and never in the shared cache."""

import re
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings

from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure
from parkdash.parks import versions
from parkdash.parks.models import Zone
from parkdash.projects.models import Project
from tests.support import World, make_figure, make_work
from tests.support.admin import admin_form_data, admin_url

TABLES = ("/indicators/", "/projects/", "/enterprises/", "/works/")


def html(response):
    """The page's HTML, the logout form's CSRF token (masked afresh for every response) left out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


@override_settings(PARKDASH_LOCAL_CACHE_MB=4)
class KeptPageTestCase(World, TestCase):
    def setUp(self):
        cache.clear()
        versions.local_copies().clear()
        self.client.force_login(self.administrator)

    def get(self, url, client=None, **query):
        response = (client or self.client).get(url, query)
        self.assertEqual(response.status_code, 200)
        return response

    def page(self, url, client=None, **query):
        """The page's HTML, loaded twice: the second load is the kept copy (no table built) and writes the same."""
        first = self.get(url, client, **query)
        second = self.get(url, client, **query)
        self.assertIn("kept_html", second.context)
        self.assertNotIn("table", second.context)
        self.assertEqual(html(second), html(first))
        return html(second)


class KeptPageTests(KeptPageTestCase):
    QUERIES = (
        {},
        {"park": "PARK_A"},
        {"park": "PARK_A", "sort": "-name", "per_page": "10"},
        {"q": "甲"},
        {"year": "abc"},  # an invalid filter: its error is part of the page
        {"park": "999999"},  # a park that does not exist: rejected, no rows
        {"page": "2", "per_page": "10"},
    )

    def queries(self):
        for query in self.QUERIES:
            yield {name: str(self.park_a.pk) if value == "PARK_A" else value for name, value in query.items()}

    def test_the_kept_page_is_the_page_written_afresh(self):
        for url in TABLES:
            for query in self.queries():
                with self.subTest(url=url, query=query):
                    kept = self.page(url, **query)
                    with override_settings(PARKDASH_LOCAL_CACHE_MB=0):
                        fresh = self.get(url, **query)
                    self.assertIn("table", fresh.context)
                    self.assertEqual(kept, html(fresh))

    def test_a_kept_page_reads_neither_rows_nor_counts(self):
        self.get("/projects/", park=self.park_a.pk)
        with self.assertNumQueries(2) as queries:  # the session and the data versions (with the user's)
            self.get("/projects/", park=self.park_a.pk)
        self.assertFalse(any("projects_project" in q["sql"] for q in queries.captured_queries))

    def test_the_copy_is_kept_by_this_worker_only_not_in_the_shared_cache(self):
        key = self.get("/works/").context["kept_key"]
        self.assertIsNotNone(versions.kept_copy(key))
        self.assertIsNone(cache.get(key))

    @override_settings(PARKDASH_LOCAL_CACHE_MB=0)
    def test_with_the_copies_off_every_page_is_written_afresh(self):
        for _ in range(2):
            self.assertIn("table", self.get("/works/").context)

    def test_an_export_is_never_a_kept_page(self):
        self.page("/works/")
        response = self.client.get("/works/", {"_export": "csv"})
        self.assertEqual(response["Content-Type"].split(";")[0], "text/csv")
        # Read to the end: a stream left open keeps PostgreSQL's server-side cursor, which the test's rollback ends,
        # and closing it later would fail the next test's transaction.
        self.assertIn(self.a["work"].name, b"".join(response.streaming_content).decode("utf-8-sig"))
        self.assertEqual(self.client.get("/works/", {"_export": "pdf"}).status_code, 400)

    def test_the_query_strings_order_is_part_of_the_page(self):
        # The sort links carry the query's parameters in their order: two orders, two pages.
        one = self.page("/indicators/", kind="actual", year="2023")
        other = self.get("/indicators/?year=2023&kind=actual")
        self.assertIn("table", other.context)  # not the first order's copy
        self.assertIn("?kind=actual&amp;year=2023&amp;sort=", one)
        self.assertIn("?year=2023&amp;kind=actual&amp;sort=", other.content.decode())

    def test_each_language_has_its_own_page(self):
        english = self.page("/projects/")
        self.client.cookies.load({"django_language": "zh-hans"})
        chinese = self.get("/projects/")
        self.assertIn("table", chinese.context)  # not the English copy
        self.assertIn('data-label="Park"', english)
        self.assertIn('data-label="园区"', html(chinese))


class ScopeTests(KeptPageTestCase):
    def test_two_parks_editors_never_see_each_others_kept_page(self):
        project_a, project_b = self.a["project"].name, self.b["project"].name
        for url in ("/projects/", f"/projects/?park={self.park_a.pk}"):
            with self.subTest(url=url):
                self.client.force_login(self.editor_a)
                page_a = self.page(url)
                self.client.force_login(self.editor_b)
                page_b = html(self.get(url))
                self.assertIn(project_a, page_a)
                self.assertNotIn(project_b, page_a)
                self.assertNotIn(project_a, page_b)
                self.client.force_login(self.editor_a)
                self.assertEqual(html(self.get(url)), page_a)

    def test_a_user_of_no_park_and_a_viewer_get_their_own_rows(self):
        self.page("/enterprises/")
        self.client.force_login(self.nobody)
        self.assertNotIn(self.a["enterprise"].name, self.get("/enterprises/").content.decode())
        self.client.force_login(self.viewer_a)
        page = self.page("/enterprises/")
        self.assertIn(self.a["enterprise"].name, page)
        self.assertNotIn(self.b["enterprise"].name, page)

    def test_a_membership_removed_takes_the_parks_rows_off_the_next_page(self):
        self.client.force_login(self.editor_a)
        self.assertIn(self.a["work"].name, self.page("/works/"))
        self.park_a.members.remove(self.editor_a)
        self.assertNotIn(self.a["work"].name, self.get("/works/").content.decode())


class WritesTests(KeptPageTestCase):
    """After each way the rows can change, the next page shows the change."""

    def assertFollows(self, url, write, before, after, **query):
        page = self.page(url, **query)
        self.assertIn(before, page)
        self.assertNotIn(after, page)
        write()
        page = self.get(url, **query).content.decode()
        self.assertIn(after, page)

    def test_an_admin_change_of_a_figure(self):
        figure = self.a["figure"]
        url = admin_url(Figure, "change", figure.pk)

        def write():
            data = admin_form_data(self.client.get(url), entered_value="13.57", value="13.57")
            self.assertEqual(self.client.post(url, data).status_code, 302)

        self.assertFollows("/indicators/", write, "甲园区", "13.57", park=self.park_a.pk)

    def test_a_queryset_update_of_a_figure(self):
        figure = self.a["figure"]
        write = lambda: Figure.objects.filter(pk=figure.pk).update(value=Decimal("66.66"))  # noqa: E731
        self.assertFollows("/indicators/", write, "甲园区", "66.66")

    def test_figures_bulk_created(self):
        def write():
            Figure.objects.bulk_create(
                [Figure(indicator=self.fai, park=self.park_a, year=1961, month=12, kind="actual", value=1)]
            )

        self.assertFollows("/indicators/", write, "甲园区", "1961", park=self.park_a.pk)

    def test_figures_deleted_by_raw_sql(self):
        make_figure(self.fai, self.park_b, year=1962)

        def write():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM indicators_figure WHERE park_id = %s", [self.park_b.pk])

        page = self.page("/indicators/", park=self.park_b.pk)
        self.assertIn("1962", page)
        write()
        self.assertNotIn("1962", self.get("/indicators/", park=self.park_b.pk).content.decode())

    def test_a_project_deleted(self):
        name = self.a["project"].name
        page = self.page("/projects/")
        self.assertIn(name, page)
        Project.objects.filter(name=name).delete()
        self.assertNotIn(name, self.get("/projects/").content.decode())

    def test_an_enterprise_saved_under_another_name(self):
        enterprise = Enterprise.objects.get(pk=self.a["enterprise"].pk)

        def write():
            enterprise.name = "改名后的企业"
            enterprise.save()

        self.assertFollows("/enterprises/", write, self.a["enterprise"].name, "改名后的企业", park=self.park_a.pk)

    def test_a_work_created(self):
        write = lambda: make_work(self.park_b, name="新建的道路")  # noqa: E731
        self.assertFollows("/works/", write, self.b["work"].name, "新建的道路")

    def test_an_indicator_renamed(self):
        # The catalogue: the figures table shows the indicator's name.
        def write():
            self.fai.name_en = "Renamed investment"
            self.fai.save()

        self.assertFollows("/indicators/", write, "甲园区", "Renamed investment", park=self.park_a.pk)

    def test_a_park_renamed(self):
        def write():
            self.park_b.name = "改名后的园区"
            self.park_b.save()

        self.assertFollows("/works/", write, "乙园区", "改名后的园区")

    def test_a_zone_renamed(self):
        zone = Zone.objects.get(pk=self.a["zone"].pk)

        def write():
            zone.name = "改名后的片区"
            zone.save()

        self.assertFollows("/projects/", write, zone.name, "改名后的片区", park=self.park_a.pk)

    def test_a_write_of_another_kind_of_record_keeps_the_page(self):
        # A page is kept under its own kind of record's version: a month end's figures leave the works as they are.
        for query in ({}, {"park": self.park_a.pk}):
            with self.subTest(query=query):
                self.page("/works/", **query)
                make_figure(self.fai, self.park_a, year=1963 + len(query))
                self.assertIn("kept_html", self.get("/works/", **query).context)
                make_work(self.park_b, name=f"乙园区的新道路{len(query)}")
                response = self.get("/works/", **query)
                self.assertIn("table", response.context)
                self.assertEqual(f"乙园区的新道路{len(query)}" in response.content.decode(), not query)

    def test_a_project_update_shows_on_the_projects_page(self):
        # The projects' version follows their updates too (a project update written alone, as the admin's inline).
        from parkdash.projects.models import ProjectUpdate

        project = self.a["project"]
        self.page("/projects/", park=self.park_a.pk)
        ProjectUpdate.objects.create(project=project, phase="completed", progress_pct=100)
        self.assertIn("table", self.get("/projects/", park=self.park_a.pk).context)
