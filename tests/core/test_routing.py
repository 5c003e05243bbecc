"""Which database each read goes to (parkdash/core/routing.py), decided without touching the replica: the replica alias
of tests.settings is a test mirror of the primary, turned on here with PARKDASH_READ_REPLICA; whether the replica is
usable (reachable, the user's writes replayed) is faked except where a test is about it. The same pages against a
real streaming standby: tests/ops/test_replica.py."""

import logging
import os
import runpy
import threading
from types import SimpleNamespace
from unittest import mock

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError, connections
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory, SimpleTestCase, override_settings

from parkdash.core import routing
from parkdash.core.routing import ReplicaRouter, ReplicaRoutingMiddleware
from parkdash.indicators.models import Figure
from parkdash.parks.models import Park

ROUTER = ReplicaRouter()


def model_of(app_label):
    """A stand-in model of an app that may not be installed here (knox tokens come with the API)."""
    return SimpleNamespace(_meta=SimpleNamespace(app_label=app_label))


def stored(alias):
    """An object as read from ``alias``."""
    return SimpleNamespace(_state=SimpleNamespace(db=alias))


class RoutingTestCase(SimpleTestCase):
    def setUp(self):
        self.factory = RequestFactory()
        usable = mock.patch.object(routing, "replica_usable", return_value=True)
        self.replica_usable = usable.start()
        self.addCleanup(usable.stop)

    def request(self, method, path, user=None):
        request = getattr(self.factory, method.lower())(path)
        request.user = user or AnonymousUser()
        return request

    def read_alias(self, method, path, model=Figure, before=None):
        """The alias the router gives a read of ``model`` inside a request (after ``before(request)``, if given)."""
        seen = {}

        def view(request):
            if before:
                before(request)
            seen["alias"] = ROUTER.db_for_read(model)
            return HttpResponse()

        ReplicaRoutingMiddleware(view)(self.request(method, path))
        return seen["alias"]


@override_settings(PARKDASH_READ_REPLICA="replica")
class ReadsTests(RoutingTestCase):
    def test_get_requests_of_pages_tables_exports_reports_and_the_api_read_from_the_replica(self):
        for path in (
            "/",
            "/quality/",
            "/indicators/",
            "/indicators/?_export=csv",
            "/indicators/fixed_asset_investment/",
            "/projects/",
            "/projects/3/",
            "/enterprises/",
            "/works/",
            "/reports/completion/",
            "/reports/bulletin/",
            "/api/v1/figures/",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.read_alias("GET", path), "replica")
        self.assertEqual(self.read_alias("HEAD", "/indicators/"), "replica")

    def test_requests_that_write_read_from_the_primary(self):
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            for path in ("/indicators/", "/api/v1/figures/", "/reports/completion/"):
                with self.subTest(method=method, path=path):
                    self.assertEqual(self.read_alias(method, path), "default")

    def test_the_admin_login_logout_and_language_switch_read_from_the_primary(self):
        for path in ("/admin/", "/admin/indicators/figure/", "/accounts/login/", "/accounts/logout/", "/i18n/setlang/"):
            with self.subTest(path=path):
                self.assertEqual(self.read_alias("GET", path), "default")

    def test_an_unknown_url_reads_from_the_primary(self):
        self.assertEqual(self.read_alias("GET", "/no-such-page/"), "default")

    def test_sessions_users_lockouts_content_types_the_admin_log_tokens_and_the_cache_are_read_from_the_primary(self):
        for label in ("sessions", "auth", "axes", "contenttypes", "admin", "knox", "django_cache"):
            with self.subTest(app_label=label):
                self.assertEqual(self.read_alias("GET", "/indicators/", model=model_of(label)), "default")
        self.assertEqual(self.read_alias("GET", "/indicators/", model=Park), "replica")

    def test_once_a_get_request_has_written_its_reads_go_to_the_primary(self):
        def write(request):
            self.assertEqual(ROUTER.db_for_write(Figure), "default")

        self.assertEqual(self.read_alias("GET", "/indicators/", before=write), "default")

    def test_a_session_written_during_a_get_request_leaves_its_reads_on_the_replica(self):
        def save_session(request):
            ROUTER.db_for_write(model_of("sessions"))

        self.assertEqual(self.read_alias("GET", "/indicators/", before=save_session), "replica")

    def test_an_unusable_replica_sends_the_reads_to_the_primary(self):
        self.replica_usable.return_value = False
        self.assertEqual(self.read_alias("GET", "/indicators/"), "default")

    def test_the_replica_is_checked_once_a_request_and_only_when_a_read_could_use_it(self):
        def read_twice(request):
            ROUTER.db_for_read(Figure)

        self.read_alias("GET", "/indicators/", before=read_twice)
        self.assertEqual(self.replica_usable.call_count, 1)
        self.read_alias("GET", "/admin/")
        self.read_alias("POST", "/indicators/")
        self.assertEqual(self.replica_usable.call_count, 1)

    def test_reads_outside_a_request_go_to_the_primary(self):
        """Management commands, migrations, the shell, background work."""
        self.assertEqual(ROUTER.db_for_read(Figure), "default")
        self.assertEqual(ROUTER.db_for_read(Figure, instance=stored("replica")), "default")

    def test_a_streamed_export_is_read_with_its_request_routing(self):
        """A CSV export streams its rows after the view (and the middleware) returned."""

        def view(request):
            return StreamingHttpResponse(ROUTER.db_for_read(Figure) for _ in range(2))

        response = ReplicaRoutingMiddleware(view)(self.request("GET", "/indicators/?_export=csv"))
        self.assertEqual(b"".join(response.streaming_content), b"replicareplica")
        self.assertEqual(ROUTER.db_for_read(Figure), "default")

    def test_each_thread_reads_with_its_own_requests_routing(self):
        """The decision lives in a context variable: a request served by another thread does not leak into this one."""
        inside, outside = threading.Event(), threading.Event()
        seen = {}

        def view(request):
            inside.set()
            outside.wait(5)
            seen["thread"] = ROUTER.db_for_read(Figure)
            return HttpResponse()

        thread = threading.Thread(target=ReplicaRoutingMiddleware(view), args=(self.request("GET", "/indicators/"),))
        thread.start()
        inside.wait(5)
        seen["here"] = ROUTER.db_for_read(Figure)
        outside.set()
        thread.join(5)
        self.assertEqual(seen, {"thread": "replica", "here": "default"})


@override_settings(PARKDASH_READ_REPLICA="replica")
class WritesAndMigrationsTests(RoutingTestCase):
    def test_every_write_goes_to_the_primary_even_of_an_object_read_from_the_replica(self):
        def write(request):
            self.assertEqual(ROUTER.db_for_write(Figure, instance=stored("replica")), "default")

        self.read_alias("GET", "/indicators/", before=write)
        self.assertEqual(ROUTER.db_for_write(Figure), "default")

    def test_migrations_run_on_the_primary_only(self):
        self.assertIs(ROUTER.allow_migrate("default", "indicators"), True)
        self.assertIs(ROUTER.allow_migrate("replica", "indicators"), False)

    def test_objects_of_the_primary_and_the_replica_may_be_related(self):
        self.assertIs(ROUTER.allow_relation(stored("replica"), stored("default")), True)
        self.assertIsNone(ROUTER.allow_relation(stored("replica"), stored("elsewhere")))


@override_settings(PARKDASH_READ_REPLICA=None)
class WithoutAReplicaTests(RoutingTestCase):
    def test_the_router_decides_nothing(self):
        self.assertIsNone(self.read_alias("GET", "/indicators/"))
        self.assertIsNone(ROUTER.db_for_write(Figure))
        self.assertIsNone(ROUTER.allow_migrate("default", "indicators"))
        self.assertIsNone(ROUTER.allow_relation(stored("default"), stored("default")))
        self.replica_usable.assert_not_called()

    @override_settings(PARKDASH_READ_REPLICA="no-such-alias")
    def test_an_alias_missing_from_databases_is_no_replica(self):
        self.assertIsNone(self.read_alias("GET", "/indicators/"))


@override_settings(PARKDASH_READ_REPLICA="replica")
class UnreachableReplicaTests(SimpleTestCase):
    def setUp(self):
        routing._replica_down_until = 0.0
        self.addCleanup(setattr, routing, "_replica_down_until", 0.0)

    def test_an_unreachable_replica_is_reported_and_not_tried_again_at_once(self):
        refuse = mock.patch.object(
            connections["replica"], "ensure_connection", side_effect=OperationalError("connection refused")
        )
        with refuse as ensure_connection, self.assertLogs("parkdash.core.routing", logging.WARNING) as logs:
            self.assertIs(routing.replica_usable("replica", user_id=None), False)
            self.assertIs(routing.replica_usable("replica", user_id=None), False)
        self.assertEqual(ensure_connection.call_count, 1)
        self.assertIn("unreachable", logs.output[0])
        self.assertIn("connection refused", logs.output[0])

    def test_a_reachable_replica_without_a_pending_write_is_used(self):
        with mock.patch.object(connections["replica"], "ensure_connection") as ensure_connection:
            self.assertIs(routing.replica_usable("replica", user_id=None), True)
        ensure_connection.assert_called_once_with()


def settings_with(**environ):
    """The module-level names of parkdash/settings.py read with these environment variables."""
    values = {"DJANGO_SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://parkdash@primary:5432/parkdash", **environ}
    with mock.patch.dict(os.environ, values):
        for name in ("DATABASE_REPLICA_URL", "DATABASE_CONN_MAX_AGE"):
            if name not in environ:
                os.environ.pop(name, None)
        return runpy.run_path(str(settings.BASE_DIR / "parkdash" / "settings.py"))


class SettingsTests(SimpleTestCase):
    def test_a_replica_url_adds_the_replica_database_with_the_primarys_options(self):
        configured = settings_with(
            DATABASE_REPLICA_URL="postgres://reader:secret@standby:5433/parkdash", DATABASE_CONN_MAX_AGE="60"
        )
        default, replica = configured["DATABASES"]["default"], configured["DATABASES"]["replica"]
        self.assertEqual((replica["HOST"], replica["PORT"], replica["USER"]), ("standby", 5433, "reader"))
        self.assertEqual((replica["ENGINE"], replica["NAME"]), (default["ENGINE"], default["NAME"]))
        self.assertEqual((replica["CONN_MAX_AGE"], default["CONN_MAX_AGE"]), (60, 60))
        self.assertEqual(configured["PARKDASH_READ_REPLICA"], "replica")
        self.assertEqual(configured["PARKDASH_REPLICA_PIN_SECONDS"], 60)

    def test_without_a_replica_url_there_is_no_replica(self):
        configured = settings_with(PARKDASH_REPLICA_PIN_SECONDS="15")
        self.assertEqual(list(configured["DATABASES"]), ["default"])
        self.assertIsNone(configured["PARKDASH_READ_REPLICA"])
        self.assertEqual(configured["PARKDASH_REPLICA_PIN_SECONDS"], 15)
