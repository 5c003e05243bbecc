"""Deployment settings: `check --deploy` passes with production settings, security headers, CSRF on every form."""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.test import Client, SimpleTestCase, TestCase
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    """Run manage.py in a fresh process with the real settings (not the test settings) and ``env``."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PARKDASH_"))
        and key not in ("DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL")
    }
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k7Q2v9XnR4bT8mW1zL6pS3dF0hJ5gY9uA2eC7iO4tN8rV1xB6yM3qK0wE5sD8fG",
    "DJANGO_ALLOWED_HOSTS": "parkdash.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://parkdash.example.org",
}


@pytest.mark.subprocess
class CheckDeployTests(SimpleTestCase):
    def test_check_deploy_passes_with_production_settings(self):
        result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)

    def test_check_deploy_fails_on_a_weak_secret_key(self):
        result = manage("check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "DJANGO_SECRET_KEY": "short"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("security.W009", result.stderr + result.stdout)

    def test_production_settings_refuse_to_start_without_a_secret_key(self):
        result = manage("check", **{key: value for key, value in PRODUCTION.items() if key != "DJANGO_SECRET_KEY"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DJANGO_SECRET_KEY", result.stderr)

    def test_debug_settings_for_make_run_still_work(self):
        result = manage("check", DJANGO_DEBUG="1")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_a_migrate_alone_makes_the_database_caches_table(self):
        # Every page reads the cache: a database migrated without createcachetable answered 500 everywhere.
        import sqlite3
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            database = Path(folder) / "fresh.sqlite3"
            result = manage("migrate", "--noinput", **PRODUCTION, DATABASE_URL=f"sqlite:///{database}")
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            with sqlite3.connect(database) as connection:
                tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            self.assertIn("parkdash_cache", tables)


class SecurityHeaderTests(TestCase):
    def test_security_headers_on_a_page(self):
        response = self.client.get(reverse("login"), secure=True)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertEqual(response["Cross-Origin-Opener-Policy"], "same-origin")
        self.assertEqual(response["Strict-Transport-Security"], "max-age=31536000; includeSubDomains; preload")

    @pytest.mark.subprocess
    def test_production_defaults(self):
        # tests/settings.py turns the redirect and secure cookies off for the test client; production keeps them.
        result = manage(
            "shell",
            "-c",
            "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.DEBUG)",
            **PRODUCTION,
        )
        self.assertEqual(
            result.stdout.splitlines()[-1].split(),
            ["True", "True", "True", "True", "False"],
            result.stdout + result.stderr,
        )

    def test_a_post_without_the_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        for url in (reverse("login"), reverse("admin:login"), reverse("logout"), reverse("set_language")):
            with self.subTest(url=url):
                response = client.post(url, {"username": "x", "password": "y", "language": "en"})
                self.assertEqual(response.status_code, 403)


class CsrfEverywhereTests(SimpleTestCase):
    def test_every_post_form_in_the_templates_has_a_csrf_token(self):
        form = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
        checked = 0
        for path in sorted((ROOT / "templates").rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            for match in form.finditer(text):
                if not re.search(r"method\s*=\s*[\"']?post", match.group(0), re.IGNORECASE):
                    continue
                checked += 1
                body = text[match.end() : text.find("</form>", match.end())]
                self.assertIn("{% csrf_token %}", body, f"{path.relative_to(ROOT)}: {match.group(0)}")
        self.assertGreater(checked, 0)

    def test_no_view_is_exempt_from_csrf(self):
        offenders = [
            str(path.relative_to(ROOT))
            for path in (ROOT / "parkdash").rglob("*.py")
            if "csrf_exempt" in path.read_text(encoding="utf-8")
        ]
        self.assertEqual(offenders, [])


class GunicornGarbageCollectorTests(SimpleTestCase):
    """deploy/gunicorn.conf.py freezes the objects a worker made while warming up, a few times only."""

    def setUp(self):
        import gc
        import runpy

        self.gc = gc
        self.config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
        self.addCleanup(gc.unfreeze)
        gc.unfreeze()

    def after_request(self, nr):
        worker = type("Worker", (), {"nr": nr})()
        self.config["post_request"](worker, None, {}, None)
        return self.gc.get_freeze_count()

    def test_a_worker_freezes_what_exists_after_its_first_request(self):
        self.assertGreater(self.after_request(1), 0)

    def test_a_worker_does_not_freeze_after_every_request(self):
        for nr in (2, 3, 19, 21, 199, 201, 2000):
            with self.subTest(nr=nr):
                self.assertEqual(self.after_request(nr), 0)

    def test_a_worker_freezes_again_after_its_20th_and_200th_requests(self):
        for nr in (20, 200):
            with self.subTest(nr=nr):
                self.gc.unfreeze()
                self.assertGreater(self.after_request(nr), 0)


class GunicornRequestCpuLogTests(SimpleTestCase):
    """With PARKDASH_REQUEST_CPU_LOG (make load sets it), each worker writes the CPU of every request and its
    X-Load-Kind; without it, nothing."""

    def config(self, path):
        import runpy
        from unittest import mock

        with mock.patch.dict(os.environ, {"PARKDASH_REQUEST_CPU_LOG": str(path)} if path else {}, clear=False):
            if not path:
                os.environ.pop("PARKDASH_REQUEST_CPU_LOG", None)
            return runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))

    def serve(self, config, kind, work):
        worker = type("Worker", (), {"nr": 5})()
        config["pre_request"](worker, None)
        sum(range(work))  # the request's CPU
        config["post_request"](worker, None, {"HTTP_X_LOAD_KIND": kind} if kind else {}, None)

    def test_each_request_s_kind_and_cpu_seconds_are_written_to_the_worker_s_file(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "request-cpu"
            config = self.config(path)
            self.serve(config, "admin form", 200_000)
            self.serve(config, "overview", 10)
            self.serve(config, None, 10)
            lines = (Path(f"{path}.{os.getpid()}")).read_text(encoding="utf-8").splitlines()
        kinds = [line.split("\t")[0] for line in lines]
        seconds = [float(line.split("\t")[1]) for line in lines]
        self.assertEqual(kinds, ["admin form", "overview", ""])
        self.assertGreater(seconds[0], 0)
        self.assertGreater(seconds[0], seconds[1])

    def test_without_the_setting_nothing_is_written(self):
        with tempfile.TemporaryDirectory() as folder:
            config = self.config(None)
            self.assertIsNone(config["REQUEST_CPU_LOG"])
            self.serve(config, "overview", 10)
            self.assertEqual(list(Path(folder).iterdir()), [])
