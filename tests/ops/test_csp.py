"""Content-Security-Policy (django-csp): on every response, allowing ParkDash itself and the Chart.js file only.

That real Chromium runs every page under it without a violation is tests/browser/test_csp.py; that nginx passes
it on is scripts/deploy-check.
"""

import re

import pytest
from django.conf import settings
from django.test import SimpleTestCase
from django.urls import reverse

from parkdash.settings import chartjs_script_sources, style_attribute_hashes
from tests.support import EnglishTestCase, make_admin, make_indicator, make_park, make_project

from .test_deploy import PRODUCTION, ROOT, manage

DEFAULT_CHARTJS = "https://cdn.jsdelivr.net/npm/chart.js@4.6.1/dist/chart.umd.min.js"


def directives(response):
    """The response's policy as {directive: [sources]}."""
    policy = response["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in policy.split(";") if part.strip())}


class PolicyOnEveryResponseTests(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.park = make_park()
        cls.project = make_project(cls.park)
        make_indicator()

    def assert_policy(self, response):
        self.assertIn("Content-Security-Policy", response, response.status_code)
        policy = directives(response)
        self.assertEqual(policy["default-src"], ["'self'"])
        self.assertEqual(policy["script-src"], ["'self'", settings.CHARTJS_URL, "'" + settings.CHARTJS_SRI + "'"])
        self.assertEqual(policy["style-src"], ["'self'"])
        self.assertEqual(policy["object-src"], ["'none'"])
        self.assertEqual(policy["base-uri"], ["'none'"])
        self.assertEqual(policy["frame-ancestors"], ["'none'"])
        self.assertEqual(policy["form-action"], ["'self'"])
        sources = {source for values in policy.values() for source in values}
        self.assertFalse(sources & {"'unsafe-inline'", "'unsafe-eval'", "data:", "blob:", "*", "https:", "http:"})
        return policy

    def test_pages_redirects_and_errors_carry_the_policy(self):
        anonymous = [
            (reverse("login"), 200),
            ("/", 302),
            ("/no-such-page/", 404),
            (reverse("admin:login"), 200),
        ]
        for url, status in anonymous:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, status)
                self.assert_policy(response)
        with self.subTest("a refused POST"):
            self.assert_policy(self.client_class(enforce_csrf_checks=True).post(reverse("login"), {}))

        self.client.force_login(self.admin)
        logged_in = [
            ("/", 200),
            (reverse("projects:project_list"), 200),
            (reverse("projects:project_list") + "?_export=csv", 200),
            (reverse("indicators:indicator_detail", args=["fixed_asset_investment"]), 200),
            (reverse("admin:projects_project_changelist"), 200),
            (reverse("admin:projects_project_change", args=[self.project.pk]), 200),
            (reverse("admin:projects_project_import"), 200),
            (reverse("admin:projects_project_export"), 200),
            (reverse("admin:projects_project_history", args=[self.project.pk]), 200),
            (reverse("admin:autocomplete") + "?app_label=projects&model_name=project&field_name=zone", 200),
        ]
        for url, status in logged_in:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, status)
                self.assert_policy(response)
        with self.subTest("the language switch"):
            self.assert_policy(self.client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"}))

    def test_only_django_simple_historys_fixed_style_attribute_is_allowed(self):
        policy = self.assert_policy(self.client.get(reverse("login")))
        self.assertEqual(policy["style-src-attr"], ["'unsafe-hashes'", *style_attribute_hashes("border-top: 0")])
        self.assertEqual(
            style_attribute_hashes("border-top: 0"), ["'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"]
        )


class ChartjsSourceTests(SimpleTestCase):
    SRI = "sha384-Emf5ZVIUiarAdhkgtqK+5/Z5qIvM6QoVrS+qAVtfyZVuD5lIHrac0me485+Antp0"

    def test_the_cdn_file_itself_is_allowed_not_the_whole_cdn(self):
        self.assertEqual(chartjs_script_sources(DEFAULT_CHARTJS, self.SRI), [DEFAULT_CHARTJS, f"'{self.SRI}'"])

    def test_an_intranet_copy_is_allowed_where_it_is(self):
        self.assertEqual(
            chartjs_script_sources("http://intranet.local:8080/js/chart.umd.min.js", ""),
            ["http://intranet.local:8080/js/chart.umd.min.js"],
        )
        self.assertEqual(chartjs_script_sources("//static.example.org/chart.js", ""), ["static.example.org/chart.js"])

    def test_a_copy_served_by_parkdash_needs_no_source_of_its_own(self):
        self.assertEqual(chartjs_script_sources("/static/vendor/chart.umd.min.js", self.SRI), [f"'{self.SRI}'"])

    def test_characters_that_would_end_a_source_are_escaped(self):
        self.assertEqual(
            chartjs_script_sources("https://cdn.example/a;b,c d.js", ""), ["https://cdn.example/a%3Bb%2Cc%20d.js"]
        )

    def test_every_integrity_hash_is_listed_and_nothing_else(self):
        self.assertEqual(
            chartjs_script_sources(DEFAULT_CHARTJS, "sha256-AAA= sha512-BBB= 'unsafe-inline'")[1:],
            ["'sha256-AAA='", "'sha512-BBB='"],
        )

    @pytest.mark.subprocess
    def test_the_policy_follows_the_chartjs_settings(self):
        result = manage(
            "shell",
            "-c",
            "from csp.utils import build_policy; print(build_policy())",
            **PRODUCTION,
            PARKDASH_CHARTJS_URL="https://intranet.example/js/chart.umd.min.js",
            PARKDASH_CHARTJS_SRI="sha384-intranetcopy",
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        policy = result.stdout.strip().splitlines()[-1]
        self.assertIn(
            "script-src 'self' https://intranet.example/js/chart.umd.min.js 'sha384-intranetcopy';", policy + ";"
        )
        self.assertNotIn("jsdelivr", policy)


class NoInlineBehaviourTests(SimpleTestCase):
    """The templates themselves: what the policy would refuse must not be written in the first place."""

    def templates(self):
        return sorted((ROOT / "templates").rglob("*.html"))

    def test_no_template_has_an_inline_script_an_event_handler_or_a_style(self):
        inline_script = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
        handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
        style = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
        offenders = []
        for path in self.templates():
            text = path.read_text(encoding="utf-8")
            for pattern in (inline_script, handler, style, re.compile("javascript:", re.IGNORECASE)):
                offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
        self.assertEqual(offenders, [])
        self.assertGreater(len(self.templates()), 10)

    def test_every_page_loads_the_behaviour_file(self):
        base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
        self.assertIn("{% static 'js/parkdash.js' %}", base)
        self.assertTrue((ROOT / "static" / "js" / "parkdash.js").is_file())


class CspAppTests(SimpleTestCase):
    def test_the_middleware_is_outside_whitenoise_so_static_files_get_the_policy_too(self):
        middleware = settings.MIDDLEWARE
        self.assertLess(
            middleware.index("csp.middleware.CSPMiddleware"),
            middleware.index("whitenoise.middleware.WhiteNoiseMiddleware"),
        )
