"""Every error under /api/ is JSON: a bad query parameter is a 400 naming it (never a 500), an unknown URL a 404,
a method a 405, a server error a 500, each in the request's language."""

from unittest import mock

from django.test import override_settings
from django.urls import reverse

from parkdash.api.figures import FigureViewSet
from tests.support import EnglishClient, EnglishTestCase, World

from .helpers import body, make_token, token_client

FIGURES = reverse("api:figure-list")


@override_settings(PARKDASH_ANONYMOUS_READ=False)
class ErrorTests(World, EnglishTestCase):
    def setUp(self):
        self.token = make_token(self.editor_a)[1]
        self.api = token_client(self.token)

    def test_a_bad_filter_value_is_a_400_naming_the_parameter(self):
        cases = {
            "year": ["abc", "2023.5", "99999999999999999999", "1800"],
            "month": ["13", "0", "x"],
            "kind": ["other"],
            "version": ["draft"],
            "page": ["abc", "0", "-1", "1.5"],
            "page_size": ["x", "0", "100000"],
        }
        for name, values in cases.items():
            for value in values:
                with self.subTest(name=name, value=value):
                    response = self.api.get(FIGURES, {name: value})
                    self.assertEqual(response.status_code, 400)
                    errors = body(response)
                    self.assertEqual(list(errors), [name])
                    self.assertIsInstance(errors[name][0], str)

    def test_filters_of_the_other_endpoints_name_their_parameter_too(self):
        for url, name, value in (
            (reverse("api:work-list"), "year", "abc"),
            (reverse("api:project-list"), "phase", "nonsense"),
            (reverse("api:enterprise-list"), "stage", "nonsense"),
            (reverse("api:indicator-list"), "category", "nonsense"),
        ):
            with self.subTest(url=url):
                response = self.api.get(url, {name: value})
                self.assertEqual(response.status_code, 400)
                self.assertEqual(list(body(response)), [name])

    def test_a_nul_character_or_junk_in_a_text_filter_is_not_a_500(self):
        for value in ("\x00", "%", "'; drop table", "甲" * 1000):
            with self.subTest(value=value):
                response = self.api.get(FIGURES, {"park": value})
                self.assertIn(response.status_code, (200, 400))
                body(response)

    def test_the_filters_select_by_natural_key(self):
        response = self.api.get(
            FIGURES, {"indicator": "fixed_asset_investment", "year": 2023, "month": 6, "kind": "actual"}
        )
        self.assertEqual([row["id"] for row in body(response)["results"]], [self.a["figure"].pk])
        response = self.api.get(FIGURES, {"zone": "甲北片"})
        self.assertEqual([row["indicator"] for row in body(response)["results"]], ["land_supplied"])

    def test_a_page_beyond_the_last_is_a_404_and_pages_are_bounded(self):
        self.assertEqual(self.api.get(FIGURES, {"page": 99}).status_code, 404)
        response = self.api.get(FIGURES, {"page_size": 1})
        data = body(response)
        self.assertEqual(len(data["results"]), 1)
        self.assertIn("page=2", data["next"])

    def test_a_bad_filter_message_is_in_chinese_for_a_chinese_client(self):
        response = token_client(self.token, language="zh-hans").get(FIGURES, {"year": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(body(response), {"year": ["输入整数。"]})

    def test_an_unknown_url_under_api_is_a_json_404_and_elsewhere_the_html_page(self):
        response = self.api.get("/api/v1/nothing-here/")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(body(response), {"detail": "Not found."})
        response = EnglishClient(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/api/v2/")
        self.assertEqual(body(response), {"detail": "未找到。"})
        response = self.client.get("/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertTrue(response["Content-Type"].startswith("text/html"))

    def test_a_method_not_allowed_is_a_json_405(self):
        response = self.api.delete(reverse("api:project-list"))
        self.assertEqual(response.status_code, 405)
        self.assertEqual(body(response), {"detail": 'Method "DELETE" not allowed.'})

    def test_a_server_error_under_api_is_json(self):
        client = token_client(self.token)
        client.raise_request_exception = False
        with mock.patch.object(FigureViewSet, "get_queryset", side_effect=RuntimeError("boom")):
            response = client.get(FIGURES)
        self.assertEqual(response.status_code, 500)
        self.assertEqual(body(response), {"detail": "A server error occurred."})
        self.assertNotIn("boom", response.content.decode())

    def test_a_server_error_elsewhere_keeps_the_sites_page(self):
        from django.test import RequestFactory

        from parkdash.api.errors import server_error

        response = server_error(RequestFactory().get("/projects/"))
        self.assertEqual(response.status_code, 500)
        self.assertTrue(response["Content-Type"].startswith("text/html"))

    def test_a_body_that_is_not_json_is_a_400(self):
        self.client.force_login(self.editor_a)
        response = self.api.post(FIGURES, "{not json", content_type="application/json")
        self.assertIn(response.status_code, (400, 405))
        body(response)
