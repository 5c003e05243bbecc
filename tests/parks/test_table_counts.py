"""A table page's row count comes from the cache under the data versions, and is never stale: after each way the
rows it counts can change, the next page shows the new count. Two users' scopes never share a count."""

from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from parkdash.core.tables import MIN_PER_PAGE as PER_PAGE
from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure
from parkdash.parks.models import Park, Zone
from parkdash.projects.models import Project
from tests.support import World, make_enterprise, make_figure, make_project, make_work

TABLES = ("/indicators/", "/projects/", "/enterprises/", "/works/")


class TableCountTestCase(World, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # More rows than a page of PER_PAGE holds: a page with fewer has every row, and no count is run at all.
        for i in range(PER_PAGE + 1):
            make_figure(cls.fai, cls.park_a, year=1950 + i)
            make_project(cls.park_a, name=f"项目{i}")
            make_enterprise(cls.park_a, name=f"企业{i}")
            make_work(cls.park_a, name=f"道路{i}")

    def setUp(self):
        cache.clear()
        self.client.force_login(self.administrator)

    def get(self, url, client=None, **query):
        response = (client or self.client).get(url, {"per_page": PER_PAGE, **query})
        self.assertEqual(response.status_code, 200)
        return response

    def count(self, url, client=None, **query):
        """The count the page shows (its paginator's), checked against the rows it counts."""
        response = self.get(url, client, **query)
        paginator = response.context["table"].paginator
        self.assertEqual(paginator.count, response.context["table"].data.data.count())
        self.assertIn(f"{paginator.count} row", response.content.decode().replace("行", " row"))
        return paginator.count

    def count_queries(self, url, **query):
        with CaptureQueriesContext(connection) as queries:
            self.get(url, **query)
        return sum("COUNT(" in q["sql"].upper() for q in queries)


class CachedCountTests(TableCountTestCase):
    def test_a_table_page_counts_its_rows_once_then_from_the_cache(self):
        for url in TABLES:
            with self.subTest(url=url):
                self.assertEqual(self.count_queries(url), 1)
                self.assertEqual(self.count_queries(url), 0)

    def test_each_filter_has_its_own_count(self):
        self.assertEqual(
            self.count("/indicators/", park=self.park_a.pk), Figure.objects.filter(park=self.park_a).count()
        )
        self.assertEqual(
            self.count("/indicators/", park=self.park_b.pk), Figure.objects.filter(park=self.park_b).count()
        )
        self.assertEqual(self.count("/indicators/"), Figure.objects.count())

    def test_two_parks_users_never_share_a_count(self):
        make_project(self.park_b, name="乙园区的第二个项目")
        self.client.force_login(self.editor_a)
        count_a = self.count("/projects/")
        self.client.force_login(self.editor_b)
        count_b = self.count("/projects/")
        self.assertEqual(count_a, Project.objects.filter(park=self.park_a).count())
        self.assertEqual(count_b, Project.objects.filter(park=self.park_b).count())
        self.assertNotEqual(count_a, count_b)

    def test_two_parks_editors_never_share_a_count_of_more_rows_than_a_page(self):
        # Both counted (a first page with fewer rows than a page holds needs no count), on the same URL.
        for i in range(PER_PAGE + 3):
            make_project(self.park_b, name=f"乙项目{i}")
        for url, query in (("/projects/", {}), ("/projects/", {"q": "项目"})):
            counts = []
            for user in (self.editor_a, self.editor_b, self.editor_a):
                self.client.force_login(user)
                with self.subTest(user=user.username, query=query):
                    counts.append(self.count(url, **query))
            self.assertEqual(
                counts,
                [Project.objects.filter(park=park).count() for park in (self.park_a, self.park_b, self.park_a)],
            )
            self.assertNotEqual(counts[0], counts[1])

    def test_a_cached_count_writes_no_query_of_its_own(self):
        # The count's cache key was its query's SQL, written for every page (2,400 calls); the key is now the view,
        # the user's scope and the filter's values. The one query of the table's model written is the page's.
        from unittest import mock

        from django.db.models.sql.compiler import SQLCompiler

        written = []
        as_sql = SQLCompiler.as_sql

        def recording(compiler, *args, **kwargs):
            written.append(compiler.query.model)
            return as_sql(compiler, *args, **kwargs)

        for url, model in (("/projects/", Project), ("/indicators/", Figure), ("/enterprises/", Enterprise)):
            with self.subTest(url=url):
                self.get(url, park=self.park_a.pk)
                written.clear()
                with mock.patch.object(SQLCompiler, "as_sql", recording):
                    self.get(url, park=self.park_a.pk)
                self.assertEqual(written.count(model), 1)

    def test_every_filter_value_has_its_own_count(self):
        zone = Zone.objects.filter(park=self.park_a).first()
        Project.objects.filter(name__in=["项目1", "项目2"]).update(phase="completed", zone=zone)
        Enterprise.objects.filter(name="企业3").update(stage="production", is_listed=True, industry="化工")
        queries = {
            "/projects/": [
                {},
                {"phase": "completed"},
                {"phase": "continuing"},
                {"q": "项目1"},
                {"q": "项目"},
                {"zone": zone.pk},
                {"park": self.park_b.pk},
                {"park": self.park_a.pk, "q": "项目2"},
            ],
            "/enterprises/": [
                {},
                {"stage": "production"},
                {"is_listed": "true"},
                {"is_listed": "false"},
                {"industry": "化工"},
                {"industry": "化"},
            ],
            "/indicators/": [
                {},
                {"year": 1950},
                {"year": 1951},
                {"indicator": self.fai.code},
                {"indicator": self.land.code},
                {"kind": "target"},
                {"category": "land"},
            ],
        }
        for url, variants in queries.items():
            for query in variants + variants:  # the second time from the cache
                with self.subTest(url=url, query=query):
                    self.count(url, **query)  # checks the page's count against the rows it counts

    @override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "parkdash_cache"}}
    )
    def test_the_database_cache_keeps_and_invalidates_counts_too(self):
        from django.core.management import call_command

        call_command("createcachetable", verbosity=0)
        before = self.count("/enterprises/")
        self.assertEqual(self.count_queries("/enterprises/"), 0)
        make_enterprise(self.park_a, name="新落户企业")
        self.assertEqual(self.count("/enterprises/"), before + 1)


class CountsAfterWritesTests(TableCountTestCase):
    """Each write, by whatever path, shows in the next page's count."""

    def assertCountFollows(self, url, write, change, **query):
        before = self.count(url, **query)
        self.assertEqual(self.count_queries(url, **query), 0)  # cached
        write()
        self.assertEqual(self.count(url, **query), before + change)

    def test_a_figure_created(self):
        self.assertCountFollows("/indicators/", lambda: make_figure(self.fai, self.park_a, year=2019), 1)

    def test_figures_bulk_created(self):
        def write():
            Figure.objects.bulk_create(
                [
                    Figure(indicator=self.fai, park=self.park_a, year=2010 + i, month=12, kind="actual", value=1)
                    for i in range(3)
                ]
            )

        self.assertCountFollows("/indicators/", write, 3)

    def test_a_figure_moved_to_another_park_by_queryset_update(self):
        moved = Figure.objects.filter(park=self.park_a, zone__isnull=True).first()

        def write():
            Figure.objects.filter(pk=moved.pk).update(park=self.park_b, year=1999)

        self.assertCountFollows("/indicators/", write, -1, park=self.park_a.pk)

    def test_figures_deleted_by_raw_sql(self):
        doomed = Figure.objects.filter(park=self.park_a).count()

        def write():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM indicators_figure WHERE park_id = %s", [self.park_a.pk])

        self.assertCountFollows("/indicators/", write, -doomed)

    def test_a_project_deleted(self):
        self.assertCountFollows("/projects/", lambda: Project.objects.filter(park=self.park_a).first().delete(), -1)

    def test_an_enterprise_saved_into_another_stage(self):
        enterprise = Enterprise.objects.filter(park=self.park_a).first()

        def write():
            enterprise.stage = "production" if enterprise.stage != "production" else "intent"
            enterprise.save()

        before_stage = enterprise.stage
        self.assertCountFollows("/enterprises/", write, -1, stage=before_stage)

    def test_a_work_created(self):
        self.assertCountFollows("/works/", lambda: make_work(self.park_b, name="新道路"), 1)

    def test_an_indicator_moved_to_another_category(self):
        # The figures table filters on the indicator's category: a catalogue change changes the count.
        def write():
            self.land.category = "investment"
            self.land.save()

        land_figures = Figure.objects.filter(indicator=self.land).count()
        self.assertGreater(land_figures, 0)
        self.assertCountFollows("/indicators/", write, land_figures, category="investment")

    def test_a_park_membership_removed(self):
        self.client.force_login(self.editor_a)
        self.assertCountFollows(
            "/projects/",
            lambda: self.park_a.members.remove(self.editor_a),
            -Project.objects.filter(park=self.park_a).count(),
        )

    def test_a_park_deleted_with_its_records(self):
        park = Park.objects.create(code="park-c", name="丙园区")
        make_project(park, name="丙园区项目")
        self.assertCountFollows("/projects/", lambda: park.delete(), -1)

    def test_a_write_of_another_kind_keeps_the_count(self):
        # Each kind of record has its own version: figures written leave the projects' count cached.
        before = self.count("/projects/")
        make_figure(self.fai, self.park_a, year=2018)
        self.assertEqual(self.count_queries("/projects/"), 0)
        self.assertEqual(self.count("/projects/"), before)

    def test_a_zone_filter_after_a_project_moved_zone(self):
        project = Project.objects.filter(park=self.park_a).first()
        zone = Zone.objects.create(park=self.park_a, name="新区")

        def write():
            Project.objects.filter(pk=project.pk).update(zone=zone)

        self.assertCountFollows("/projects/", write, 1, zone=zone.pk)
