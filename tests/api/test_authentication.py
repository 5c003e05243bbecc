"""Who the API lets in: a token of the admin (until revoked or expired), a session (with CSRF on writes), nobody
else (401 JSON), and anonymous readers only when the site allows anonymous read-only pages."""

from datetime import timedelta

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.support import EnglishClient, EnglishTestCase, World

from .helpers import body, make_token, token_client

PROJECTS = reverse("api:project-list")


@override_settings(PARKDASH_ANONYMOUS_READ=False)
class AuthenticationTests(World, EnglishTestCase):
    def test_anonymous_requests_are_refused_with_401_json_naming_the_token_scheme(self):
        for url in (PROJECTS, reverse("api:indicator-list"), reverse("api:figure-detail", args=[1])):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(body(response), {"detail": "Authentication credentials were not provided."})
                self.assertEqual(response["WWW-Authenticate"], "Token")

    def test_the_401_is_in_chinese_by_default(self):
        response = EnglishClient(HTTP_ACCEPT_LANGUAGE="zh-hans").get(PROJECTS)
        self.assertEqual(body(response), {"detail": "身份认证信息未提供。"})

    def test_a_token_reads_as_its_user(self):
        _row, token = make_token(self.editor_a)
        response = token_client(token).get(PROJECTS)
        self.assertEqual(response.status_code, 200)
        self.assertEqual([row["name"] for row in body(response)["results"]], ["甲污水处理厂"])

    def test_a_revoked_token_is_refused_at_once(self):
        row, token = make_token(self.editor_a)
        client = token_client(token)
        self.assertEqual(client.get(PROJECTS).status_code, 200)
        row.delete()
        response = client.get(PROJECTS)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(body(response), {"detail": "Invalid token."})

    def test_an_expired_token_is_refused(self):
        _row, token = make_token(self.editor_a, expiry=timedelta(seconds=-1))
        self.assertEqual(token_client(token).get(PROJECTS).status_code, 401)

    def test_a_token_of_a_deactivated_user_is_refused(self):
        _row, token = make_token(self.editor_a)
        self.editor_a.is_active = False
        self.editor_a.save()
        self.assertEqual(token_client(token).get(PROJECTS).status_code, 401)

    def test_a_made_up_or_malformed_token_is_401_never_500(self):
        for header in ("Token 0123456789abcdef0123", "Token", "Token a b", "Token \xe9\xe9\xe9", "Token " + "f" * 500):
            with self.subTest(header=header):
                response = EnglishClient(HTTP_AUTHORIZATION=header).get(PROJECTS)
                self.assertEqual(response.status_code, 401)
                self.assertIn("detail", body(response))

    def test_a_session_reads_and_its_writes_need_the_csrf_token(self):
        client = EnglishClient(enforce_csrf_checks=True)
        client.force_login(self.editor_a)
        self.assertEqual(client.get(PROJECTS).status_code, 200)
        response = client.post(reverse("api:figure-list"), {}, content_type="application/json")
        self.assertEqual(response.status_code, 403)
        self.assertIn("CSRF", body(response)["detail"])

    @override_settings(PARKDASH_ANONYMOUS_READ=True)
    def test_anonymous_read_when_the_site_allows_it_reads_but_never_writes(self):
        response = self.client.get(PROJECTS)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(body(response)["count"], 2)
        response = self.client.post(reverse("api:figure-list"), {}, content_type="application/json")
        self.assertEqual(response.status_code, 401)

    def test_the_token_holder_gets_exactly_the_users_parks(self):
        _row, token = make_token(self.administrator)
        response = token_client(token).get(reverse("api:park-list"))
        self.assertEqual({row["code"] for row in body(response)["results"]}, {"park-a", "park-b"})
        _row, token = make_token(self.nobody)
        response = token_client(token).get(reverse("api:park-list"))
        self.assertEqual(body(response)["results"], [])

    def test_an_expired_token_is_not_used_after_its_expiry(self):
        row, token = make_token(self.editor_a, expiry=timedelta(hours=1))
        self.assertEqual(token_client(token).get(PROJECTS).status_code, 200)
        row.expiry = timezone.now() - timedelta(seconds=1)
        row.save()
        self.assertEqual(token_client(token).get(PROJECTS).status_code, 401)
