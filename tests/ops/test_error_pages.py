"""The 400, 403, 404 and 500 pages (and the CSRF failure page): in the site's look, in Chinese and English, with a
way back, never an internal detail; the 500 page without the request, the context processors or the database."""

from unittest import mock

from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory, SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import translation

from parkdash.core import errors
from tests.support import EnglishTestCase, make_park, make_project

HOME = '<a class="button primary" href="/">'


@override_settings(ROOT_URLCONF="tests.ops.error_urls", DEBUG=False)
class ErrorPageTests(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.clerk = get_user_model().objects.create_user("clerk", password="pw", is_staff=True)
        cls.project = make_project(make_park())

    def setUp(self):
        self.client.raise_request_exception = False

    def assert_error_page(self, response, status, template, heading, language="en"):
        self.assertEqual(response.status_code, status)
        self.assertTemplateUsed(response, template)
        html = response.content.decode()
        self.assertIn(f'<html lang="{language}">', html)
        self.assertIn(f"<h1>{heading}</h1>", html)
        self.assertIn(HOME, html)  # the way back
        self.assertIn("css/parkdash", html)  # the site's stylesheet
        self.assertIn("Content-Security-Policy", response)
        self.assertNotIn("internal detail", html)
        self.assertNotIn("Traceback", html)
        return html

    def test_404_page(self):
        html = self.assert_error_page(self.client.get("/no-such-page/"), 404, "404.html", "Page not found")
        self.assertIn("does not exist, or is not available to you", html)
        self.assertIn('class="mainnav"', html)  # the site's frame, navigation and all
        self.assertTemplateUsed(self.client.get("/no-such-page/"), "base.html")

    def test_404_page_for_a_record_does_not_name_the_model(self):
        self.client.force_login(self.clerk)
        response = self.client.get(reverse("projects:project_detail", args=[self.project.pk + 1000]))
        html = self.assert_error_page(response, 404, "404.html", "Page not found")
        self.assertNotIn("No Project matches", html)

    def test_404_page_in_chinese(self):
        response = self.client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        html = self.assert_error_page(response, 404, "404.html", "页面没有找到", language="zh-hans")
        self.assertIn("总览", html)

    def test_403_page(self):
        html = self.assert_error_page(self.client.get("/test-errors/403/"), 403, "403.html", "Forbidden")
        self.assertIn("ask an administrator", html)
        self.assertIn('href="/accounts/login/?next=/test-errors/403/"', html)  # anonymous: a way to log in

    def test_403_page_of_a_staff_user_without_permission(self):
        self.client.force_login(self.clerk)
        response = self.client.get(reverse("admin:projects_project_deleted"))
        html = self.assert_error_page(response, 403, "403.html", "Forbidden")
        self.assertNotIn("/accounts/login/?next", html)  # logged in already

    def test_403_page_in_chinese(self):
        response = self.client.get("/test-errors/403/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assert_error_page(response, 403, "403.html", "禁止访问", language="zh-hans")

    def test_csrf_failure_page(self):
        client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
        # No cookie at all: the page says to allow cookies.
        html = self.assert_error_page(
            client.post(reverse("login"), {"username": "a", "password": "b"}),
            403,
            "403_csrf.html",
            "The form could not be sent",
        )
        self.assertIn("Allow cookies for this site", html)
        # A cookie, but a stale token: the page says to reload.
        client.get(reverse("login"))
        response = client.post(reverse("login"), {"username": "a", "password": "b", "csrfmiddlewaretoken": "x" * 64})
        html = self.assert_error_page(response, 403, "403_csrf.html", "The form could not be sent")
        self.assertIn("reload the page and send the form again", html)

    def test_csrf_failure_page_in_chinese(self):
        client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
        response = client.post(reverse("login"), {"username": "a", "password": "b"})
        self.assertEqual(response.status_code, 403)
        self.assertTemplateUsed(response, "403_csrf.html")
        self.assertContains(response, '<html lang="zh-hans">', status_code=403)
        self.assertContains(response, "总览", status_code=403)

    def test_400_page_for_a_suspicious_request(self):
        html = self.assert_error_page(self.client.get("/test-errors/400/"), 400, "400.html", "Bad request")
        self.assertIn("could not understand this request", html)

    def test_400_page_for_a_host_that_is_not_allowed(self):
        response = self.client.get("/", HTTP_HOST="attacker.example")
        html = self.assert_error_page(response, 400, "400.html", "Bad request")
        self.assertNotIn("attacker.example", html)
        self.assertNotIn("ALLOWED_HOSTS", html)

    def test_400_page_in_chinese(self):
        response = self.client.get("/test-errors/400/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertEqual(response.status_code, 400)
        self.assertTemplateUsed(response, "400.html")
        self.assertContains(response, '<html lang="zh-hans">', status_code=400)
        self.assertContains(response, "总览", status_code=400)

    def test_500_page(self):
        with self.assertLogs("django.request", "ERROR"):
            response = self.client.get("/test-errors/500/")
        html = self.assert_error_page(response, 500, "500.html", "Server error (500)")
        self.assertIn("Something went wrong on our side", html)
        self.assertNotIn('class="mainnav"', html)  # nothing that needs the request or the user

    def test_500_page_in_chinese(self):
        with self.assertLogs("django.request", "ERROR"):
            response = self.client.get("/test-errors/500/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assert_error_page(response, 500, "500.html", "服务器错误(500)", language="zh-hans")


class ServerErrorWithoutAnythingTests(SimpleTestCase):
    """SimpleTestCase: any database query fails the test."""

    def render(self, **override):
        request = RequestFactory().get("/")
        with translation.override("en"), override_settings(**override):
            return errors.server_error(request)

    def test_it_needs_neither_the_database_nor_the_context_processors(self):
        from django.conf import settings

        options = {**settings.TEMPLATES[0]["OPTIONS"], "context_processors": ["tests.ops.test_error_pages.broken"]}
        response = self.render(TEMPLATES=[{**settings.TEMPLATES[0], "OPTIONS": options}])
        self.assertEqual(response.status_code, 500)
        self.assertIn("<h1>Server error (500)</h1>", response.content.decode())
        self.assertIn(HOME, response.content.decode())

    def test_if_even_the_template_fails_a_plain_page_answers(self):
        with (
            mock.patch(
                "django.templatetags.static.StaticNode.handle_simple",
                side_effect=ValueError("Missing staticfiles manifest entry"),
            ),
            self.assertLogs("parkdash.core.errors", "ERROR"),
        ):
            response = self.render()
        self.assertEqual(response.status_code, 500)
        html = response.content.decode()
        self.assertIn("服务器错误 · Server error (500)", html)
        self.assertIn('<a href="/">', html)


def broken(request):
    raise RuntimeError("a context processor that fails")
