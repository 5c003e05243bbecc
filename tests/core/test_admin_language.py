"""The admin's language switch: the site's (set_language, POST with CSRF, back to the same page), in the header."""

import re

from django.test import Client, TestCase

from tests.support import make_admin

FIGURES = "/admin/indicators/figure/"


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class AdminLanguageSwitchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()

    def setUp(self):
        # CSRF checked, as in a browser; Chinese, the product's language.
        self.client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.client.force_login(self.admin)

    def test_switching_to_english_on_an_admin_page_shows_english_headings_there(self):
        page = self.client.get(FIGURES).content.decode()
        self.assertIn("选择", page)  # Django's own Chinese: 选择 指标数据 来修改
        form = re.search(r'<form class="admin-langswitch" action="([^"]+)" method="post">(.*?)</form>', page, re.S)
        self.assertIsNotNone(form, "no language switch in the admin header")
        action, body = form.groups()
        self.assertIn('name="next" type="hidden" value="/admin/indicators/figure/"', body)
        self.assertIn('<button type="submit">', body)
        data = {"language": "en", "next": FIGURES, "csrfmiddlewaretoken": csrf_token(page)}
        response = self.client.post(action, data)
        self.assertRedirects(response, FIGURES, fetch_redirect_response=False)
        english = self.client.get(FIGURES).content.decode()
        self.assertIn("<h1>Select indicator figure to change</h1>", english)
        self.assertNotIn("选择", english.split("<h1>")[1].split("</h1>")[0])

    def test_the_switch_refuses_a_post_without_the_csrf_token(self):
        response = self.client.post("/i18n/setlang/", {"language": "en", "next": FIGURES})
        self.assertEqual(response.status_code, 403)

    def test_the_login_page_has_the_switch_too(self):
        self.client.logout()
        page = self.client.get("/admin/login/?next=/admin/").content.decode()
        self.assertIn('class="admin-langswitch"', page)
        self.assertIn('value="/admin/login/?next=/admin/"', page)
