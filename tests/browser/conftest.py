"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

One browser for the whole run, a new context (cookies, downloads, routes) for each test. Nothing leaves the
machine: the Chart.js CDN URL is answered with the identical file from the npm registry (scripts/cdn_assets.py),
so that the browser's Subresource-Integrity check stays on, and every other external request is aborted.

Without Chromium the tests are skipped, unless ``PARKDASH_REQUIRE_BROWSER=1`` (set by .ci/run): then they fail.
"""

import os
import re
from dataclasses import dataclass, field

import pytest

CHROMIUM = os.environ.get("PARKDASH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRE_BROWSER = os.environ.get("PARKDASH_REQUIRE_BROWSER", "") == "1"
USERNAME = "leader"
PASSWORD = "browser-tests-only"


def missing_browser():
    """Why the browser tests cannot run here, or None when they can."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-wqy-microhei)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -r requirements-dev.txt)"
    return None


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests when there is no browser, unless the run requires one."""
    reason = missing_browser()
    if reason is None or REQUIRE_BROWSER:
        return  # with PARKDASH_REQUIRE_BROWSER=1 the `browser` fixture fails them instead
    skip = pytest.mark.skip(reason=f"{reason}; set PARKDASH_REQUIRE_BROWSER=1 to fail instead of skipping")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for all the browser tests.

    Package scope, not session: while Playwright runs, its event loop counts as running in this thread, and
    tests that run after the browser tests (pytest-django runs the database-free tests last) must not see it.
    """
    reason = missing_browser()
    if reason is not None:
        if REQUIRE_BROWSER:
            pytest.fail(f"PARKDASH_REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    from scripts import cdn_assets

    # Fetch the npm copies and tools (axe-core) now (npm pack, cached in .cache/npm), not inside a route handler
    # mid-test.
    for spec in cdn_assets.all_packages():
        cdn_assets.package_dir(spec)
    # Playwright's sync API runs an event loop in this thread, and the tests' ORM calls happen in it too.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Browsing:
    """What a test saw besides the page: console errors, uncaught exceptions and blocked external requests."""

    console_errors: list = field(default_factory=list)
    blocked: list = field(default_factory=list)

    def problems(self):
        return self.console_errors + [f"external request blocked: {url}" for url in self.blocked]


@pytest.fixture
def browsing():
    return Browsing()


@pytest.fixture
def context(browser, live_server, browsing):
    """A fresh context in Chinese: local requests pass, the CDN is answered from npm, anything else aborted."""
    from scripts.cdn_assets import route_cdn

    ctx = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        accept_downloads=True,
        viewport={"width": 1280, "height": 900},
        extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
    )
    ctx.set_default_timeout(10_000)

    def block(route):
        browsing.blocked.append(route.request.url)
        route.abort()

    # Every URL outside the live server is aborted (local requests are not intercepted at all) …
    ctx.route(re.compile("^(?!" + re.escape(live_server.url) + "/)"), block)
    # … except the CDN's, answered from the npm copies; registered last, so it is asked first.
    route_cdn(ctx)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, browsing):
    page = context.new_page()
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and browsing.console_errors.append(f"console error: {msg.text} ({msg.location.get('url', '')})")
        ),
    )
    page.on("pageerror", lambda error: browsing.console_errors.append(f"uncaught exception: {error}"))
    return page


def log_in(page, username=USERNAME, password=PASSWORD):
    """Log in through the login form; lands on the overview."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click(".login-card button[type=submit]")


@pytest.fixture
def logged_in_page(context, page, dashboard, live_server):
    """A page whose context holds the session of the dashboard's superuser (the login form has its own test)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(dashboard.user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "url": live_server.url,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            }
        ]
    )
    return page


# --- test data -----------------------------------------------------------------------------------------------


@pytest.fixture
def dashboard(transactional_db):
    """A park with everything, a park with figures only, an empty park and a superuser (committed, for the
    live server's thread): tests/support/dashboard.py."""
    from django.utils import timezone

    from tests.support import build_dashboard, make_admin

    return build_dashboard(timezone.localdate().year, user=make_admin(USERNAME, PASSWORD))
