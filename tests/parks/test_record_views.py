"""The generic park-record views: a member's list and detail queries are scoped to their parks once."""

import re

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from tests.support import make_enterprise, make_park, make_project, make_work

# The membership join's (or subquery's) condition on the user, or the ids of the member's parks in an IN list.
MEMBERSHIP = re.compile(r'"parks_park_members"\."user_id" = |U\d+\."user_id" = |"park_id" IN \(\d')


class ScopedOnceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.member = get_user_model().objects.create_user("member", password="x")
        cls.park = make_park()
        cls.park.members.add(cls.member)
        cls.project = make_project(cls.park)
        make_enterprise(cls.park)
        make_work(cls.park)

    def record_queries(self, url, table):
        self.client.force_login(self.member)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return [q["sql"] for q in queries if f'FROM "{table}"' in q["sql"]]

    def test_a_members_list_query_names_their_parks_once(self):
        for url, table in (
            ("/projects/", "projects_project"),
            ("/enterprises/", "enterprises_enterprise"),
            ("/works/", "infrastructure_infrastructurework"),
        ):
            with self.subTest(url=url):
                queries = self.record_queries(url, table)
                self.assertTrue(queries)
                for sql in queries:
                    self.assertEqual(len(MEMBERSHIP.findall(sql)), 1, sql)

    def test_a_members_detail_query_names_their_parks_once(self):
        queries = self.record_queries(self.project.get_absolute_url(), "projects_project")
        self.assertEqual([len(MEMBERSHIP.findall(sql)) for sql in queries[:1]], [1])
