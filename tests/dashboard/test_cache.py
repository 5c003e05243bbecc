"""Caching that is never stale: the overview and the indicator page are loaded once (the cache is filled), the data
is written through one of the ways it can be, and the next load shows the new value. Two parks' users never see each
other's cached cards; the database cache backend works as local memory does; a warm overview costs fewer queries."""

import re
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import TestCase, TransactionTestCase, override_settings
from django.urls import reverse

from parkdash.core.roles import sync_roles
from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.intake import services
from parkdash.parks import versions
from parkdash.parks.models import Park
from parkdash.projects.models import Project
from tests.api.helpers import make_token, token_client
from tests.support import World, make_admin, make_figure, make_indicator, make_park
from tests.support.admin import admin_form_data, admin_url, csv_upload, import_file

FAI = "fixed_asset_investment"


def shown_actual(response, code):
    """The actual figure the page's card of ``code`` shows (its number), or None when it shows none."""
    html = response.content.decode()
    article = re.search(rf'<article[^>]*data-indicator="{code}".*?</article>', html, re.S)
    if article is None:
        return None
    number = re.search(r'<div class="actual">([^<]*)<', article.group(0))
    return number.group(1).strip() if number else None


class CacheTestCase(World, TestCase):
    def setUp(self):
        cache.clear()
        versions.local_copies().clear()
        self.client.force_login(self.administrator)

    def overview(self, park=None, client=None, **query):
        park = park or self.park_a
        response = (client or self.client).get("/", {"park": park.pk, "year": 2023, **query})
        self.assertEqual(response.status_code, 200)
        return response

    def card(self, response, code=FAI):
        return next((c for c in response.context["cards"] if c.indicator.code == code), None)

    def actual(self, park=None, code=FAI):
        """The card's actual, as the page shows it (the cached HTML) and as its context holds it (the two agree)."""
        response = self.overview(park)
        card = self.card(response, code)
        shown = shown_actual(response, code)
        if card is None or card.actual is None:
            self.assertIsNone(shown)
            return None
        self.assertEqual(shown, str(int(card.actual)))
        return card.actual

    def chart(self, response, chart_id):
        return next(c for c in response.context["charts"] if c["id"] == chart_id)

    def figure_a(self):
        return self.a["figure"]  # fixed-asset investment, 2023 January–June, 12 亿元


class FigureWritesTests(CacheTestCase):
    def test_the_second_load_comes_from_the_cache_and_shows_the_same(self):
        self.assertEqual(self.actual(), Decimal("12"))
        self.assertEqual(self.actual(), Decimal("12"))

    def test_an_admin_change_of_a_figure_shows_at_once(self):
        self.assertEqual(self.actual(), Decimal("12"))
        url = admin_url(Figure, "change", self.figure_a().pk)
        data = admin_form_data(self.client.get(url), entered_value="13", value="13")
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.context and response.context["adminform"].form.errors)
        self.assertEqual(self.actual(), Decimal("13"))

    def test_an_admin_add_of_a_figure_shows_at_once(self):
        self.assertEqual(self.actual(), Decimal("12"))
        url = admin_url(Figure, "add")
        data = admin_form_data(
            self.client.get(url),
            indicator=self.fai.pk,
            park=self.park_a.pk,
            year=2023,
            month=7,
            kind="actual",
            version="final",
            entered_value="14",
            entered_unit="亿元",
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.context and response.context["adminform"].form.errors)
        self.assertEqual(self.actual(), Decimal("14"))

    def test_an_admin_delete_of_a_figure_shows_at_once(self):
        self.assertEqual(self.actual(), Decimal("12"))
        response = self.client.post(admin_url(Figure, "delete", self.figure_a().pk), {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertIsNone(self.actual())

    def test_a_queryset_update_shows_at_once(self):
        self.assertEqual(self.actual(), Decimal("12"))
        Figure.objects.filter(pk=self.figure_a().pk).update(value=Decimal("15"))
        self.assertEqual(self.actual(), Decimal("15"))

    def test_an_import_shows_at_once(self):
        self.assertEqual(self.actual(), Decimal("12"))
        upload = csv_upload(
            "indicator,park,zone,year,month,kind,version,value,unit,yoy_pct,note\n"
            f"{self.fai.name},{self.park_a.name},,2023,8,实际,正式,16,亿元,,\n"
        )
        response = import_file(self.client, Figure, upload)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.actual(), Decimal("16"))

    def test_a_work_summary_applied_shows_at_once(self):
        self.assertEqual(self.actual(), Decimal("12"))
        text = "甲园区2023年1-9月工作总结\n1-9月,园区完成固定资产投资17亿元,同比增长8.5%。"
        summary = services.create_summary(park=self.park_a, year=2023, month=9, text=text)
        result = services.apply(summary)
        self.assertGreaterEqual(result.created, 1)
        self.assertEqual(self.actual(), Decimal("17"))

    def test_an_api_post_and_a_bulk_post_show_at_once(self):
        self.assertEqual(self.actual(), Decimal("12"))
        api = token_client(make_token(self.editor_a)[1])
        figure = {"indicator": FAI, "park": self.park_a.code, "year": 2023, "kind": "actual", "version": "final"}
        response = api.post(
            reverse("api:figure-list"), {**figure, "month": 10, "value": "18"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(self.actual(), Decimal("18"))
        response = api.post(
            reverse("api:figure-bulk"),
            {"figures": [{**figure, "month": 11, "value": "19"}]},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(self.actual(), Decimal("19"))

    def test_a_renamed_indicator_shows_at_once_on_the_chart(self):
        response = self.overview(HTTP_ACCEPT_LANGUAGE="en")
        self.assertTrue(self.card(response))
        self.fai.name = "固定资产投资（新）"
        self.fai.name_en = "Fixed assets (renamed)"
        self.fai.save()
        self.assertEqual(self.card(self.overview()).indicator.name, "固定资产投资（新）")


class IndicatorPageTests(CacheTestCase):
    def monthly(self):
        response = self.client.get(f"/indicators/{FAI}/", {"park": self.park_a.pk, "year": 2023})
        self.assertEqual(response.status_code, 200)
        return response.context["monthly_chart"]["datasets"][0]["data"]

    def test_the_indicator_page_shows_a_changed_figure_at_once(self):
        self.assertEqual(self.monthly()[5], 12.0)
        Figure.objects.filter(pk=self.figure_a().pk).update(value=Decimal("20"))
        self.assertEqual(self.monthly()[5], 20.0)

    def test_an_unknown_indicator_is_a_404(self):
        response = self.client.get("/indicators/no-such-indicator/", {"park": self.park_a.pk})
        self.assertEqual(response.status_code, 404)


class OtherRecordsTests(CacheTestCase):
    """Projects, enterprises and works drawn on the overview's charts: admin change, add, delete."""

    def test_an_admin_change_of_a_project_shows_on_the_phase_chart(self):
        before = self.chart(self.overview(), "project_phases")
        project = self.a["project"]
        url = admin_url(Project, "change", project.pk)
        data = admin_form_data(self.client.get(url), phase="completed", progress_pct="100")
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.context and response.context["adminform"].form.errors)
        self.assertNotEqual(self.chart(self.overview(), "project_phases"), before)

    def test_an_admin_delete_of_an_enterprise_shows_on_the_stage_chart(self):
        before = self.chart(self.overview(), "enterprise_stages")
        response = self.client.post(admin_url(Enterprise, "delete", self.a["enterprise"].pk), {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertNotEqual(self.chart(self.overview(), "enterprise_stages"), before)

    def test_an_admin_change_of_a_work_shows_on_the_works_chart(self):
        before = self.chart(self.overview(), "works")
        work = self.a["work"]
        url = admin_url(InfrastructureWork, "change", work.pk)
        data = admin_form_data(self.client.get(url), completed_quantity="9")
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.context and response.context["adminform"].form.errors)
        self.assertNotEqual(self.chart(self.overview(), "works"), before)


class ScopeTests(CacheTestCase):
    def test_two_parks_users_never_see_each_others_cached_cards_or_parks(self):
        self.client.force_login(self.viewer_a)
        seen_a = self.overview(self.park_a)
        self.client.force_login(self.editor_b)
        # B's editor asks for park A: the page falls back to B's own park, never A's cached cards.
        seen_b = self.overview(self.park_a)
        self.assertEqual(seen_b.context["selection"].park, self.park_b)
        self.assertEqual([p.pk for p in seen_b.context["selection"].parks], [self.park_b.pk])
        self.assertEqual([p.pk for p in seen_a.context["selection"].parks], [self.park_a.pk])
        Figure.objects.filter(pk=self.b["figure"].pk).update(value=Decimal("7"))
        self.assertEqual(self.card(self.overview(self.park_b)).actual, Decimal("7"))
        self.client.force_login(self.viewer_a)
        self.assertEqual(self.card(self.overview(self.park_a)).actual, Decimal("12"))

    def test_a_new_member_sees_the_park_at_once(self):
        self.client.force_login(self.nobody)
        self.assertEqual(self.client.get("/").context["selection"].parks, [])
        self.park_b.members.add(self.nobody)
        self.assertEqual([p.pk for p in self.client.get("/").context["selection"].parks], [self.park_b.pk])


class QueryCountTests(CacheTestCase):
    def test_a_warm_overview_costs_two_queries(self):
        self.overview()
        # the session, the data versions (the user's row, permissions and parks' too: parkdash.parks.auth):
        # nothing else is read again (a cold cache: 10, tests/dashboard/test_overview.py).
        with self.assertNumQueries(2):
            self.overview()

    def test_a_warm_overview_reads_no_chart_data_its_cached_html_holds_already(self):
        from parkdash.dashboard.views import OverviewView

        self.overview()
        with mock.patch.object(OverviewView, "charts", autospec=True, side_effect=OverviewView.charts) as charts:
            response = self.overview()
            self.assertEqual(charts.call_count, 0)
            self.assertContains(response, 'aria-labelledby="works-title"')  # the charts, from the cached HTML
            Figure.objects.filter(pk=self.figure_a().pk).update(value=Decimal("13"))
            self.overview()  # a new version: the fragment is rendered again, from the charts
            self.assertEqual(charts.call_count, 1)

    def test_a_warm_indicator_page_reads_only_its_figure_list_and_history(self):
        url = f"/indicators/{FAI}/?park={self.park_a.pk}&year=2023"
        self.client.get(url)
        # the session, the data versions (the user's row and permissions' too), the year's figures, the history
        # (a cold cache: 9, tests/indicators/test_views.py).
        with self.assertNumQueries(4):
            self.client.get(url)


@pytest.mark.slow
class RestoreTests(TransactionTestCase):
    """A restore (flush, then the ``restore`` command) after the cache was filled with later values."""

    def setUp(self):
        sync_roles()
        cache.clear()
        self.folder = Path(tempfile.mkdtemp(prefix="parkdash-cache-test-"))
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)

    def actual(self, park):
        response = self.client.get("/", {"park": park.pk, "year": 2023})
        card = next(c for c in response.context["cards"] if c.indicator.code == FAI)
        return card.actual

    def test_a_restore_shows_the_restored_values_not_the_cached_ones(self):
        admin = make_admin()
        fai = make_indicator(FAI)
        park = make_park(code="east", name="东部园区")
        figure = make_figure(fai, park, year=2023, month=6, kind="actual", value=Decimal("12"))
        call_command("backup", dir=str(self.folder), verbosity=0)
        (path,) = self.folder.glob("parkdash-*.json.gz")
        Figure.objects.filter(pk=figure.pk).update(value=Decimal("30"))
        self.client.force_login(admin)
        self.assertEqual(self.actual(park), Decimal("30"))  # cached

        call_command("flush", interactive=False, verbosity=0)
        sync_roles()
        call_command("restore", str(path), verbosity=0)
        self.client.force_login(get_user_model().objects.get(username=admin.username))
        self.assertEqual(self.actual(Park.objects.get(code="east")), Decimal("12"))


DATABASE_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "parkdash_test_cache"}
}


@override_settings(CACHES=DATABASE_CACHE)
class DatabaseCacheTests(CacheTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("createcachetable", verbosity=0)

    def test_the_database_cache_serves_the_overview_and_is_never_stale(self):
        from django.core.cache import caches

        self.assertEqual(type(caches["default"]).__name__, "DatabaseCache")
        self.assertEqual(self.actual(), Decimal("12"))
        self.assertEqual(self.actual(), Decimal("12"))
        Figure.objects.filter(pk=self.figure_a().pk).update(value=Decimal("21"))
        self.assertEqual(self.actual(), Decimal("21"))
        response = self.client.get(f"/indicators/{FAI}/", {"park": self.park_a.pk, "year": 2023})
        self.assertEqual(response.status_code, 200)


# Production's setup: a shared cache (here the database's) and each process's copies in front of it
# (parkdash/parks/versions.py LocalCopies). Every write path above, the scoping and the indicator page again.
@override_settings(CACHES=DATABASE_CACHE, PARKDASH_LOCAL_CACHE_MB=4)
class LocalCopiesTestCase(CacheTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("createcachetable", verbosity=0)

    def test_the_copies_are_on(self):
        self.assertIsInstance(versions.local_copies(), versions.LocalCopies)


class FigureWritesWithLocalCopiesTests(LocalCopiesTestCase, FigureWritesTests):
    pass


class IndicatorPageWithLocalCopiesTests(LocalCopiesTestCase, IndicatorPageTests):
    pass


class OtherRecordsWithLocalCopiesTests(LocalCopiesTestCase, OtherRecordsTests):
    pass


class ScopeWithLocalCopiesTests(LocalCopiesTestCase, ScopeTests):
    pass


class QueryCountWithLocalCopiesTests(LocalCopiesTestCase):
    def test_over_the_database_cache_a_warm_overview_reads_the_session_and_the_versions_only(self):
        self.overview()
        # Each value cached under the versions comes from this worker's copy: no query of the database cache for the
        # user's row and permissions, the parks, the catalogue, the latest figures or the two HTML fragments.
        with self.assertNumQueries(2):
            self.overview()

    def test_without_the_copies_the_database_cache_is_read_for_each_value(self):
        self.overview()
        with override_settings(PARKDASH_LOCAL_CACHE_MB=0), self.assertNumQueries(10):
            self.overview()
