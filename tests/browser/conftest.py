"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

One browser for the whole run, a new context (cookies, downloads, routes) for each test. Nothing leaves the
machine: the Chart.js CDN URL is answered with the identical file from the npm registry (scripts/cdn_assets.py),
so that the browser's Subresource-Integrity check stays on, and every other external request is aborted.

Without Chromium the tests are skipped, unless ``PARKDASH_REQUIRE_BROWSER=1`` (set by .ci/run): then they fail.
"""

import os
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

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
MONTHS_THIS_YEAR = 6  # the current year's actuals run from January through June


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

    # Fetch the npm copies now (npm pack, cached in .cache/npm), not inside a route handler mid-test.
    for spec in cdn_assets.PACKAGES.values():
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
        page.click("form button[type=submit]")


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


@dataclass
class Dashboard:
    """The records the browser tests look at."""

    park: object  # everything: figures for two years, zones, projects, enterprises, works
    partial_park: object  # figures only: no projects, enterprises or works
    empty_park: object  # no data at all
    year: int
    last_year: int
    user: object
    indicators: dict


# code: (Chinese name, English name, unit, category, higher is better,
#        target this year, target last year, share of the pace reached this year)
INDICATORS = {
    "fixed_asset_investment": (
        "固定资产投资",
        "Fixed-asset investment",
        "亿元",
        "investment",
        True,
        "120",
        "100",
        "1.1",
    ),
    "land_supplied": ("供地", "Land supplied", "亩", "land", True, "1500", "1200", "0.95"),
    "enterprises_admitted": ("新入区企业", "Enterprises newly admitted", "家", "enterprises", True, "30", "24", "0.6"),
    "energy_per_output": (
        "单位工业增加值能耗",
        "Energy use per unit of industrial value added",
        "吨",
        "ecology",
        False,
        "0.5",
        "0.55",
        "0.8",
    ),
    "industrial_output": ("工业总产值", "Gross industrial output", "亿元", "output", True, None, None, "1"),
    "projects_new_start": ("新开工工程", "Newly started projects", "个", "construction", True, "4", "3", "0.5"),
}


def make_indicators():
    from parkdash.indicators.models import Indicator

    return {
        code: Indicator.objects.create(
            code=code,
            name=name,
            name_en=name_en,
            unit=unit,
            category=category,
            higher_is_better=higher,
            sort_order=order,
        )
        for order, (code, (name, name_en, unit, category, higher, *_rest)) in enumerate(INDICATORS.items())
    }


def make_figures(park, indicators, year, zones=()):
    """Annual targets, monthly cumulative actuals (last year: 12 months; this year: January–June), zone splits."""
    from parkdash.indicators.models import Figure

    figures = []
    for code, (*_names, target_now, target_last, share) in INDICATORS.items():
        indicator = indicators[code]
        for y, target, months in ((year - 1, target_last, 12), (year, target_now, MONTHS_THIS_YEAR)):
            base = Decimal(target or "80")
            if target is not None:
                figures.append(
                    Figure(
                        indicator=indicator,
                        park=park,
                        year=y,
                        month=12,
                        kind="target",
                        value=base,
                        version="final",
                        source="manual",
                    )
                )
            pace_share = Decimal(share) if y == year else Decimal("1.02")
            for m in range(1, months + 1):
                value = (base * m / 12 * pace_share).quantize(Decimal("0.01"))
                figures.append(
                    Figure(
                        indicator=indicator,
                        park=park,
                        year=y,
                        month=m,
                        kind="actual",
                        value=value,
                        yoy_pct=Decimal("6.5") if y == year else None,
                        version="final",
                        source="manual",
                    )
                )
            for i, zone in enumerate(zones):
                value = (base * months / 12 * Decimal(share) * (i + 1) / 3).quantize(Decimal("0.01"))
                figures.append(
                    Figure(
                        indicator=indicator,
                        park=park,
                        zone=zone,
                        year=y,
                        month=months,
                        kind="actual",
                        value=value,
                        version="final",
                        source="manual",
                    )
                )
    Figure.objects.bulk_create(figures)


def make_projects(park, zones):
    from parkdash.projects.models import Project

    for i, (phase, progress) in enumerate(
        (("preparation", 0), ("new_start", 15), ("new_start", 30), ("continuing", 60), ("completed", 100))
    ):
        Project.objects.create(
            park=park,
            zone=zones[i % 2],
            name=f"工程{i + 1}号",
            phase=phase,
            progress_pct=Decimal(progress),
            total_investment=Decimal(5000 + 1000 * i),
            category="road",
        )


def make_enterprises(park, zones, year):
    from parkdash.enterprises.models import Enterprise

    stages = ["intent", "evaluation", "settled", "construction", "production"]
    rows = [
        ("河南意向科技", "电子信息", "intent"),
        ("郑州评估材料", "新材料", "evaluation"),
        ("洛阳落户机械", "装备制造", "settled"),
        ("开封开工食品", "食品加工", "construction"),
        ("浙江爱仕达电器", "家用电器", "production"),
        ("许昌投产纺织", "纺织服装", "production"),
    ]
    for i, (name, industry, stage) in enumerate(rows):
        # a date for every stage reached, in pipeline order
        reached = stages[: stages.index(stage) + 1]
        stage_dates = {f"{s}_date": date(year - 1, 1 + 2 * n, 10) for n, s in enumerate(reached)}
        Enterprise.objects.create(
            park=park,
            zone=zones[i % 2],
            name=name,
            industry=industry,
            stage=stage,
            land_area_mu=Decimal(120 + 10 * i),
            planned_investment=Decimal(30000 + i),
            **stage_dates,
        )


def make_works(park, zones, year):
    from parkdash.infrastructure.models import InfrastructureWork

    for i, (kind, name, unit, planned, done) in enumerate(
        (
            ("road_base", "道路路基", "公里", "60", "56.5"),
            ("greening", "景观绿化", "万平方米", "120", "45"),
            ("bridge", "跨河桥梁", "座", "4", "1"),
        )
    ):
        for y in (year - 1, year):
            InfrastructureWork.objects.create(
                park=park,
                zone=zones[i % 2],
                year=y,
                kind=kind,
                name=name,
                unit=unit,
                planned_quantity=Decimal(planned),
                completed_quantity=Decimal(done) if y == year else Decimal(planned),
            )


@pytest.fixture
def dashboard(transactional_db, django_user_model):
    """A park with everything, a park with figures only, an empty park and a superuser (committed, for the
    live server's thread)."""
    from django.utils import timezone

    from parkdash.parks.models import Park, Zone

    year = timezone.localdate().year
    user = django_user_model.objects.create_superuser(USERNAME, "leader@example.com", PASSWORD)
    park = Park.objects.create(code="a-dongbu", name="东部产业集聚区", name_en="Eastern Industrial Cluster")
    zones = [Zone.objects.create(park=park, name="北片区"), Zone.objects.create(park=park, name="南片区")]
    partial = Park.objects.create(code="b-xibu", name="西部产业园", name_en="Western Park")
    empty = Park.objects.create(code="c-xinqu", name="新区", name_en="New District")
    indicators = make_indicators()
    make_figures(park, indicators, year, zones)
    make_figures(partial, indicators, year)
    make_projects(park, zones)
    make_enterprises(park, zones, year)
    make_works(park, zones, year)
    return Dashboard(
        park=park,
        partial_park=partial,
        empty_park=empty,
        year=year,
        last_year=year - 1,
        user=user,
        indicators=indicators,
    )
