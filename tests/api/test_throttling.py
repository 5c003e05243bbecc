"""Requests are counted per token (two tokens of one user apart), per user for a session and per address for
anonymous readers, in Django's default cache; over the rate, a 429 in JSON with Retry-After."""

from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from tests.support import EnglishClient, EnglishTestCase, World

from .helpers import body, make_token, token_client

PROJECTS = reverse("api:project-list")


def rates(api="3/min", anonymous="2/min"):
    return override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"api": api, "api_anonymous": anonymous},
        }
    )


@override_settings(PARKDASH_ANONYMOUS_READ=False)
class ThrottlingTests(World, EnglishTestCase):
    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)

    @rates()
    def test_a_token_over_its_rate_gets_429_json_with_retry_after(self):
        _row, token = make_token(self.editor_a)
        client = token_client(token)
        self.assertEqual([client.get(PROJECTS).status_code for _ in range(3)], [200, 200, 200])
        response = client.get(PROJECTS)
        self.assertEqual(response.status_code, 429)
        self.assertGreater(int(response["Retry-After"]), 0)
        self.assertRegex(body(response)["detail"], r"^Too many requests: try again in \d+ s\.$")

    @rates()
    def test_the_429_is_in_chinese_for_a_chinese_client(self):
        _row, token = make_token(self.editor_a)
        client = token_client(token, language="zh-hans")
        for _ in range(3):
            client.get(PROJECTS)
        self.assertEqual(client.get(PROJECTS).status_code, 429)

    @rates()
    def test_two_tokens_of_one_user_are_counted_apart(self):
        first = token_client(make_token(self.editor_a)[1])
        second = token_client(make_token(self.editor_a)[1])
        for _ in range(3):
            first.get(PROJECTS)
        self.assertEqual(first.get(PROJECTS).status_code, 429)
        self.assertEqual(second.get(PROJECTS).status_code, 200)

    @rates()
    def test_a_session_is_counted_per_user(self):
        one, two = EnglishClient(), EnglishClient()
        one.force_login(self.editor_a)
        two.force_login(self.editor_a)
        statuses = [client.get(PROJECTS).status_code for client in (one, two, one, two)]
        self.assertEqual(statuses, [200, 200, 200, 429])
        other = EnglishClient()
        other.force_login(self.editor_b)
        self.assertEqual(other.get(PROJECTS).status_code, 200)

    @rates()
    def test_anonymous_requests_are_counted_per_address(self):
        here, there = EnglishClient(REMOTE_ADDR="10.0.0.1"), EnglishClient(REMOTE_ADDR="10.0.0.2")
        self.assertEqual([here.get(PROJECTS).status_code for _ in range(3)], [401, 401, 429])
        self.assertEqual(there.get(PROJECTS).status_code, 401)

    @rates(api="1000/min")
    def test_within_the_rate_nothing_is_refused(self):
        client = token_client(make_token(self.editor_a)[1])
        self.assertEqual({client.get(PROJECTS).status_code for _ in range(20)}, {200})
