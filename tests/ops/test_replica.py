"""Reads against a real streaming standby (scripts/with-postgres --replica; make test-postgres): who reads what, and
from where, while the standby's replay is paused (pg_wal_replay_pause), so that the primary and the replica differ.

The replica alias of tests.settings is a test mirror of default: the same test database, on the standby, which has
it because the test database created on the primary streams to it. The data is committed (TransactionTestCase), and
each test waits until the standby has replayed it before pausing. Without DATABASE_REPLICA_URL these tests are
skipped, unless PARKDASH_REQUIRE_POSTGRES=1 on PostgreSQL: then they fail.
"""

import os
import socket
import time
from decimal import Decimal
from unittest import SkipTest

from django.core.cache import cache
from django.db import connections
from django.test import TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkdash.core import routing
from parkdash.core.roles import ADMINISTRATOR
from parkdash.indicators.models import Figure
from tests.support import EnglishClient, admin_form_data, make_figure, make_indicator, make_park, persona

FIGURES = reverse("indicators:figure_list")
API_LIKE = "/api/v1/replica-test-figures/"
OLD, NEW = Decimal("20.75"), Decimal("21.37")


def replica_unavailable_reason():
    if not os.environ.get("DATABASE_REPLICA_URL"):
        return "no read replica: DATABASE_REPLICA_URL is not set (scripts/with-postgres --replica starts one)"
    if connections["default"].vendor != "postgresql":
        return "the read replica is a PostgreSQL streaming standby"
    return None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def scalar(alias, sql, params=()):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def wait_for_replay(timeout=15):
    """Until the standby has replayed everything the primary has written so far."""
    target = scalar("default", "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while not scalar("replica", "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]):
        if time.monotonic() > deadline:
            raise AssertionError(f"the standby has not replayed {target} after {timeout}s")
        time.sleep(0.02)


def api_values(client):
    response = client.get(API_LIKE)
    assert response.status_code == 200, response.status_code
    return [Decimal(value) for value in response.json()["values"]]


@override_settings(PARKDASH_READ_REPLICA="replica", ROOT_URLCONF="tests.ops.replica_urls")
class ReplicaTests(TransactionTestCase):
    databases = {"default", "replica"}
    client_class = EnglishClient

    @classmethod
    def setUpClass(cls):
        reason = replica_unavailable_reason()
        if reason:
            if os.environ.get("PARKDASH_REQUIRE_POSTGRES") == "1" and connections["default"].vendor == "postgresql":
                raise AssertionError(f"PARKDASH_REQUIRE_POSTGRES=1 but the replica tests cannot run: {reason}")
            raise SkipTest(reason)
        super().setUpClass()

    def setUp(self):
        self.assertIs(scalar("replica", "SELECT pg_is_in_recovery()"), True, "the replica alias is not a standby")
        cache.clear()
        routing._replica_down_until = 0.0
        self.addCleanup(setattr, routing, "_replica_down_until", 0.0)
        park = make_park()
        self.figure = make_figure(make_indicator(), park, value=OLD)
        self.alice = persona("alice", ADMINISTRATOR, staff=True)
        self.bob = persona("bob", ADMINISTRATOR, staff=True)
        self.alice_client, self.bob_client = self.client_class(), self.client_class()
        self.alice_client.force_login(self.alice)
        self.bob_client.force_login(self.bob)
        self.addCleanup(connections["replica"].close)
        wait_for_replay()
        self.pause_replay()
        # Cleanups run last registered first: a test's own (a changed replica port) before this one.
        self.addCleanup(self.resume_replay)

    def pause_replay(self):
        scalar("replica", "SELECT pg_wal_replay_pause()::text")
        deadline = time.monotonic() + 15
        while scalar("replica", "SELECT pg_get_wal_replay_pause_state()") != "paused":
            assert time.monotonic() < deadline, "the standby did not pause its replay"
            time.sleep(0.02)

    def resume_replay(self):
        scalar("replica", "SELECT pg_wal_replay_resume()::text")

    def alice_saves_the_figure_in_the_admin(self):
        url = reverse("admin:indicators_figure_change", args=[self.figure.pk])
        page = self.alice_client.get(url)
        response = self.alice_client.post(url, admin_form_data(page, entered_value=str(NEW), entered_unit=""))
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        self.assertEqual(Figure.objects.get().value, NEW)

    def assert_shows(self, response, value, other):
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, str(value))
        self.assertNotContains(response, str(other))

    def test_after_saving_a_figure_its_author_sees_the_new_value_and_others_the_replicas_until_replayed(self):
        self.alice_saves_the_figure_in_the_admin()
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            self.assert_shows(self.alice_client.get(FIGURES), NEW, OLD)  # her own write: the primary
        # One query on the replica: has it replayed her write yet?
        self.assertEqual(len(on_replica), 1)
        self.assertIn("pg_last_wal_replay_lsn()", on_replica[0]["sql"])
        self.assert_shows(self.bob_client.get(FIGURES), OLD, NEW)  # the replica, not yet replayed

        self.resume_replay()
        wait_for_replay()
        self.assert_shows(self.bob_client.get(FIGURES), NEW, OLD)
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            self.assert_shows(self.alice_client.get(FIGURES), NEW, OLD)
        self.assertGreater(len(on_replica), 1, "caught up: her reads go to the replica again")
        self.assertIsNone(cache.get(routing.pin_key(self.alice.pk)), "the pin is dropped once replayed")

    @override_settings(PARKDASH_REPLICA_PIN_SECONDS=1)
    def test_the_pin_on_the_primary_lasts_the_configured_time_at_most(self):
        self.alice_saves_the_figure_in_the_admin()
        self.assert_shows(self.alice_client.get(FIGURES), NEW, OLD)
        time.sleep(1.2)
        self.assert_shows(self.alice_client.get(FIGURES), OLD, NEW)  # replay still paused: the replica's value

    def test_exports_and_api_reads_come_from_the_replica(self):
        self.alice_saves_the_figure_in_the_admin()
        export = self.bob_client.get(FIGURES, {"_export": "csv"})
        self.assertEqual(export.status_code, 200)
        exported = b"".join(export.streaming_content).decode("utf-8-sig")
        self.assertIn(str(OLD), exported)
        self.assertNotIn(str(NEW), exported)
        self.assertEqual(api_values(self.bob_client), [OLD])
        self.assertEqual(api_values(self.alice_client), [NEW])

    def test_the_admin_never_reads_from_the_replica(self):
        self.alice_saves_the_figure_in_the_admin()
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            changelist = self.bob_client.get(reverse("admin:indicators_figure_changelist"))
            change = self.bob_client.get(reverse("admin:indicators_figure_change", args=[self.figure.pk]))
        self.assert_shows(changelist, NEW, OLD)
        self.assertContains(change, f'value="{NEW}"')
        self.assertEqual(len(on_replica), 0)

    def test_a_form_checks_uniqueness_on_the_primary_while_the_replica_lags(self):
        """Bob adds the figure Alice has just added: the replica does not have it yet, the primary refuses it."""
        url = reverse("admin:indicators_figure_add")
        page = self.alice_client.get(url)
        fields = {
            "indicator": self.figure.indicator_id,
            "park": self.figure.park_id,
            "year": 2024,
            "month": 3,
            "kind": "actual",
            "entered_value": "5",
        }
        self.assertEqual(self.alice_client.post(url, admin_form_data(page, **fields)).status_code, 302)
        response = self.bob_client.post(url, admin_form_data(self.bob_client.get(url), **fields))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["adminform"].form.errors)
        self.assertEqual(Figure.objects.filter(year=2024).count(), 1)

    def test_with_the_replica_down_pages_answer_from_the_primary(self):
        self.alice_saves_the_figure_in_the_admin()
        replica = connections["replica"]
        port = replica.settings_dict["PORT"]
        self.addCleanup(replica.settings_dict.__setitem__, "PORT", port)
        replica.close()
        replica.settings_dict["PORT"] = str(free_port())  # nothing listens there
        with self.assertLogs("parkdash.core.routing", "WARNING") as logs:
            for path in (FIGURES, "/", reverse("projects:project_list"), API_LIKE):
                response = self.bob_client.get(path)
                self.assertEqual(response.status_code, 200, path)
        self.assert_shows(self.bob_client.get(FIGURES), NEW, OLD)
        self.assertIn("unreachable", logs.output[0])
        self.assertEqual(len(logs.output), 1, "not tried again at once")
