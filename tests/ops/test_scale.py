"""Stateless application servers: the cache, the sessions and the login lockouts are shared by every process and
host, through Redis when REDIS_URL is set and through the database otherwise.

The settings are read here from parkdash/settings.py itself; the rest runs the real settings in processes of their
own (marker ``subprocess``): manage.py processes sharing one cache, and two gunicorn instances (deploy/gunicorn.conf.py)
on one database, the way several application servers run behind nginx. The Redis cases need REDIS_URL
(``scripts/with-redis``; ``make test-postgres`` runs the suite under it): without it they skip, unless
PARKDASH_REQUIRE_REDIS=1 (set by .ci/run for the PostgreSQL run), then they fail.
"""

import os
import re
import runpy
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
REQUIRE_REDIS = os.environ.get("PARKDASH_REQUIRE_REDIS", "") == "1"
SECRET_KEY = secrets.token_urlsafe(50)  # one key for every instance, as the deployment guide asks
PASSWORD = "correct horse battery staple"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def redis_url():
    """REDIS_URL, or skip (fail with PARKDASH_REQUIRE_REDIS=1) when the run has no Redis."""
    if REDIS_URL:
        return REDIS_URL
    if REQUIRE_REDIS:
        pytest.fail("PARKDASH_REQUIRE_REDIS=1 but REDIS_URL is not set: run under scripts/with-redis", pytrace=False)
    pytest.skip(
        "REDIS_URL is not set: run under scripts/with-redis (make test-postgres does); "
        "PARKDASH_REQUIRE_REDIS=1 fails instead"
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the settings ---------------------------------------------------------------------------------------------


def read_settings(monkeypatch, **env):
    """parkdash/settings.py evaluated afresh with production values and ``env``."""
    for name in ("REDIS_URL", "PARKDASH_CACHE_KEY_PREFIX", "PARKDASH_CACHE_TIMEOUT", "PARKDASH_REDIS_MAX_CONNECTIONS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DJANGO_DEBUG", "0")
    monkeypatch.setenv("DJANGO_SECRET_KEY", SECRET_KEY)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "parkdash" / "settings.py"))


def test_with_redis_url_the_cache_is_redis_and_sessions_are_cached_in_it_and_kept_in_the_database(monkeypatch):
    settings = read_settings(monkeypatch, REDIS_URL="redis://:secret@10.0.0.5:6379/2")
    cache = settings["CACHES"]["default"]
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["LOCATION"] == "redis://:secret@10.0.0.5:6379/2"
    assert cache["KEY_PREFIX"] == "parkdash"
    assert cache["TIMEOUT"] == 300
    assert cache["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] and cache["OPTIONS"]["SOCKET_TIMEOUT"]
    assert cache["OPTIONS"]["CONNECTION_POOL_KWARGS"]["max_connections"] == 20
    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_the_cache_prefix_and_timeout_come_from_the_environment(monkeypatch):
    settings = read_settings(
        monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0", PARKDASH_CACHE_KEY_PREFIX="city", PARKDASH_CACHE_TIMEOUT="60"
    )
    assert (settings["CACHES"]["default"]["KEY_PREFIX"], settings["CACHES"]["default"]["TIMEOUT"]) == ("city", 60)


def test_without_redis_url_the_database_is_the_cache_and_holds_the_sessions(monkeypatch):
    settings = read_settings(monkeypatch)
    cache = settings["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache["LOCATION"] == "parkdash_cache"
    assert cache["OPTIONS"]["MAX_ENTRIES"] >= 10_000  # not Django's 300, which would evict throttling counters
    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_login_lockouts_are_counted_in_the_database_not_in_a_process(monkeypatch):
    from axes.handlers.database import AxesDatabaseHandler
    from django.utils.module_loading import import_string

    settings = read_settings(monkeypatch)
    assert issubclass(import_string(settings["AXES_HANDLER"]), AxesDatabaseHandler)


# --- processes sharing one database (and Redis) ------------------------------------------------------------------


def base_env(database_url, static_root, redis=None, prefix=None):
    """The real settings in production mode (no TLS on loopback), on ``database_url``, with ``redis`` or not."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PARKDASH_", "GUNICORN_"))
        and key not in ("DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL")
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATIC_ROOT=str(static_root),
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE="0",
        # As behind nginx: the client's address in X-Real-IP (each test its own, so that the per-address lockout
        # of one test never reaches another).
        PARKDASH_CLIENT_IP_HEADER="X-Real-IP",
        # Each test run its own keys in a Redis other runs may share.
        PARKDASH_CACHE_KEY_PREFIX=prefix or f"parkdash-test-{secrets.token_hex(4)}",
    )
    if redis:
        env["REDIS_URL"] = redis
    return env


def manage(env, *args, timeout=180):
    if args[0] == "shell":
        args = ("shell", "--no-imports", *args[1:])
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"manage.py {' '.join(args[:2])}: {result.stdout[-1500:]}{result.stderr[-1500:]}"
    return result.stdout.strip()


@pytest.fixture(scope="module")
def shared_database(tmp_path_factory):
    """A migrated database of its own (in the test run's PostgreSQL cluster when there is one, else a SQLite
    file) with the cache table, the static files and the users the tests log in as."""
    folder = tmp_path_factory.mktemp("scale")
    base = os.environ.get("DATABASE_URL", "")
    dropped = None
    if base.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"parkdash_scale_{secrets.token_hex(4)}"
        with psycopg.connect(base, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        url = base.rsplit("/", 1)[0] + "/" + name
        dropped = (base, name)
    else:
        url = f"sqlite:///{folder / 'shared.sqlite3'}"
    env = base_env(url, folder / "static")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    names = [f"{cache}-{role}" for cache in ("database", "redis") for role in ("user", "victim", "split")]
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        f"for name in {names!r}:\n"
        f"    get_user_model().objects.create_user(name, password={PASSWORD!r}, is_staff=True)\n",
    )
    yield {"url": url, "static": folder / "static"}
    if dropped:
        import psycopg

        with psycopg.connect(dropped[0], autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{dropped[1]}" WITH (FORCE)')


def start_gunicorn(env, port, log):
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1", "GUNICORN_ACCESSLOG": ""},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(240):
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {Path(log.name).read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=5).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    process.terminate()
    raise AssertionError("gunicorn did not answer within a minute")


@pytest.fixture(scope="module", params=["database", "redis"])
def instances(request, shared_database, tmp_path_factory):
    """Two gunicorn instances (one worker each) on one database, sharing the database's cache or Redis."""
    cache = request.param
    env = base_env(shared_database["url"], shared_database["static"], redis=redis_url() if cache == "redis" else None)
    folder = tmp_path_factory.mktemp(f"gunicorn-{cache}")
    processes = []
    try:
        for number in (1, 2):
            port = free_port()
            log = open(folder / f"gunicorn-{number}.log", "wb")  # noqa: SIM115 (closed below)
            processes.append((start_gunicorn(env, port, log), log, f"http://127.0.0.1:{port}"))
        yield cache, [url for _process, _log, url in processes]
    finally:
        for process, log, _url in processes:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()


def client(base_url, address, cookies=None):
    """A browser at ``address`` (the X-Real-IP nginx would write) talking to one instance."""
    return httpx.Client(
        base_url=base_url, timeout=60, follow_redirects=False, cookies=cookies, headers={"X-Real-IP": address}
    )


ADDRESSES = {"database": "10.0.1.{}", "redis": "10.0.2.{}"}


def log_in(http, username, password):
    """The login form, then its POST with the form's CSRF token; the response of the POST."""
    page = http.get("/accounts/login/")
    token = CSRF_INPUT.search(page.text).group(1)
    return http.post(
        "/accounts/login/", data={"csrfmiddlewaretoken": token, "username": username, "password": password}
    )


@pytest.mark.subprocess
def test_a_session_made_through_one_instance_is_valid_on_the_other_and_a_logout_on_it_ends_it_on_both(instances):
    cache, (first, second) = instances
    with client(first, ADDRESSES[cache].format(1)) as one:
        response = log_in(one, f"{cache}-user", PASSWORD)
        assert response.status_code == 302, response.text[:500]
        cookies = dict(one.cookies)
    assert "sessionid" in cookies
    with client(second, ADDRESSES[cache].format(1), cookies) as two:
        page = two.get("/")
        assert page.status_code == 200 and f"{cache}-user" in page.text, page.status_code
        assert two.get("/admin/").status_code == 200
        token = CSRF_INPUT.search(page.text).group(1)
        assert two.post("/accounts/logout/", data={"csrfmiddlewaretoken": token}).status_code == 302
    with client(first, ADDRESSES[cache].format(1), cookies) as one_again:
        page = one_again.get("/")
        assert page.status_code == 302 and page.headers["location"].startswith("/accounts/login/")


def assert_locked_out(response):
    assert response.status_code == 429, (response.status_code, response.text[:300])
    assert "registration" in response.text or 'name="password"' not in response.text


@pytest.mark.subprocess
def test_a_lockout_recorded_through_one_instance_refuses_the_login_on_the_other(instances):
    cache, (first, second) = instances
    with client(first, ADDRESSES[cache].format(2)) as one:
        answers = [log_in(one, f"{cache}-victim", f"wrong-{attempt}").status_code for attempt in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    with client(second, ADDRESSES[cache].format(2)) as two:
        response = log_in(two, f"{cache}-victim", PASSWORD)
        assert response.status_code == 429, response.status_code
        assert "sessionid" not in two.cookies


@pytest.mark.subprocess
def test_failed_logins_through_both_instances_add_up_to_one_count(instances):
    cache, (first, second) = instances
    address = ADDRESSES[cache].format(3)
    with client(first, address) as one, client(second, address) as two:
        answers = [log_in(http, f"{cache}-split", f"wrong-{n}").status_code for n, http in enumerate([one, two] * 2)]
        assert answers == [200, 200, 200, 200]
        assert log_in(one, f"{cache}-split", "wrong-again").status_code == 429
        assert log_in(two, f"{cache}-split", PASSWORD).status_code == 429


@pytest.mark.subprocess
@pytest.mark.parametrize("cache", ["database", "redis"])
def test_a_value_cached_in_one_process_is_read_and_invalidated_in_another(cache, shared_database):
    env = base_env(shared_database["url"], shared_database["static"], redis=redis_url() if cache == "redis" else None)
    shell = "from django.core.cache import cache\n"
    manage(env, "shell", "-c", shell + "cache.set('figures:overview', {'园区': 42}, 60)")
    assert manage(env, "shell", "-c", shell + "print(cache.get('figures:overview'))") == "{'园区': 42}"
    manage(env, "shell", "-c", shell + "cache.delete('figures:overview')")
    assert manage(env, "shell", "-c", shell + "print(cache.get('figures:overview', 'gone'))") == "gone"


def start_redis(port, folder):
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    process = subprocess.Popen(
        [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if b"PONG" in sock.recv(64):
                    return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("redis-server did not start")


@pytest.mark.subprocess
def test_a_session_survives_a_redis_restart(shared_database):
    redis_url()  # a run with Redis only; the server restarted here is the test's own
    folder = Path(tempfile.mkdtemp(prefix="parkdash-redis-restart-"))
    port = free_port()
    env = base_env(shared_database["url"], shared_database["static"], redis=f"redis://127.0.0.1:{port}/0")
    # The session store of the settings (SESSION_ENGINE), as the session middleware uses it.
    shell = (
        "from importlib import import_module\nfrom django.conf import settings\n"
        "SessionStore = import_module(settings.SESSION_ENGINE).SessionStore\n"
    )
    process = start_redis(port, folder)
    try:
        key = manage(
            env, "shell", "-c", shell + "s = SessionStore(); s['park'] = 'P1'; s.create(); print(s.session_key)"
        )
        assert manage(env, "shell", "-c", shell + f"print(SessionStore({key!r}).load())") == "{'park': 'P1'}"
        process.terminate()
        process.wait(timeout=10)
        process = start_redis(port, folder)  # empty: no persistence
        assert (
            manage(
                env, "shell", "-c", "import redis, os; print(redis.Redis.from_url(os.environ['REDIS_URL']).dbsize())"
            )
            == "0"
        )
        assert manage(env, "shell", "-c", shell + f"print(SessionStore({key!r}).load())") == "{'park': 'P1'}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def shown_actual(page, code):
    """The actual the overview's card of indicator ``code`` shows (its number as written), or None."""
    card = re.search(rf'<article[^>]*data-indicator="{code}".*?</article>', page, re.S)
    number = re.search(r'<div class="actual">([^<]*)<', card.group(0)) if card else None
    return number.group(1).strip() if number else None


@pytest.mark.subprocess
def test_a_figure_another_process_writes_shows_at_once_on_an_instance_whose_worker_keeps_copies(
    instances, shared_database
):
    # Each worker keeps copies of the values cached under data versions (PARKDASH_LOCAL_CACHE_MB, on in production):
    # a write by any process moves the versions, and the instance that holds copies of the old values shows the new.
    cache, (first, second) = instances
    env = base_env(shared_database["url"], shared_database["static"], redis=redis_url() if cache == "redis" else None)
    code = "fixed_asset_investment"
    park_id = manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from parkdash.indicators.models import Indicator\n"
        "from tests.support import make_figure, make_indicator, make_park\n"
        f"indicator = Indicator.objects.filter(code={code!r}).first() or make_indicator({code!r})\n"
        f"park = make_park(code='{cache}-copies', name='{cache} 园区')\n"
        "make_figure(indicator, park, year=2023, month=6, value=12)\n"
        f"get_user_model().objects.create_superuser('{cache}-boss', password={PASSWORD!r})\n"
        "print(park.pk)",
    )
    overview = f"/?park={park_id}&year=2023"
    with client(first, ADDRESSES[cache].format(4)) as one:
        assert log_in(one, f"{cache}-boss", PASSWORD).status_code == 302
        cookies = dict(one.cookies)
    with client(second, ADDRESSES[cache].format(4), cookies) as two:
        assert [shown_actual(two.get(overview).text, code) for _ in range(2)] == ["12", "12"]
        manage(
            env,
            "shell",
            "-c",
            f"from parkdash.indicators.models import Figure\nFigure.objects.filter(park_id={park_id}).update(value=21)",
        )
        assert shown_actual(two.get(overview).text, code) == "21"
