#!/usr/bin/env python
"""ParkDash load test with writes: two gunicorn instances behind nginx on one PostgreSQL (and Redis), 50 clients.

Usage:  make load                       (two instances, 2 workers each, 50 clients for 60 s)
        make load-scaling               (one instance on one core against two on a core each, same load)
        .venv/bin/python scripts/loadtest.py [--duration 60] [--clients 50] [--workers 2] [--instances 2]
                                             [--scaling] [--output FILE]

What it does, on this machine and on loopback only:
1. starts a throwaway PostgreSQL cluster (scripts/with-postgres) and a throwaway Redis (scripts/with-redis; without
   redis-server the database is the cache, and the report says so); the script re-runs itself inside both;
2. with production-like settings (DJANGO_DEBUG=0, a random DJANGO_SECRET_KEY shared by every instance,
   DJANGO_ALLOWED_HOSTS=127.0.0.1, persistent database connections, REDIS_URL, the client address from nginx's
   X-Real-IP; no TLS here, so DJANGO_SSL_REDIRECT=0 and DJANGO_SECURE_COOKIES=0): migrate, createcachetable,
   loaddata seed, generate_demo_data (scale 1), an editor (group "editor", member of every park), collectstatic;
3. starts --instances gunicorn instances (deploy/gunicorn.conf.py, --workers each) on 127.0.0.1:<free ports> and
   nginx in front (an upstream of those instances, round robin, with the proxy settings of deploy/nginx.conf.example)
   on 127.0.0.1:<a free port>;
4. logs each client in through /admin/login/ (with its CSRF token), through nginx: the form and its POST, then
   every request, land on either instance, so the load itself needs sessions and CSRF tokens valid on both. For
   --duration seconds every client loops without pause over a weighted mix: the overview, indicator pages, table
   pages (filtered, sorted, paged), CSV exports, and admin writes: adding a figure (the add form, then its POST,
   each with a unique indicator, year and month) and editing one (the change form, then its POST with a new value).
   Each client edits only its own figures (ones it added, and a share of the demo figures no other client touches),
   so the last value it wrote is the value the database must hold;
5. then, straight to the instances (not through nginx): a login through instance 1 whose session cookie instance 2
   accepts, and a lockout (5 failed logins) made through instance 1 that instance 2 honours (the right password
   refused);
6. records every write the server acknowledged (302 to the change page after an add, to the list after an
   edit), stops the servers, and checks each one in the database: the record is there with the value written;
7. prints requests per second, p50/p95/p99 latency (overall and per kind of request), the requests each instance
   served, CPU seconds (and per request), status counts, 5xx, transport errors, lost writes and the cross-instance
   checks, writes them to --output (bench/results/load.json), and exits non-zero when there was any 5xx, transport
   error, lost write or failed check.

--scaling runs the same load twice on the same database: (a) one instance pinned to core 0 (`taskset -c 0`), then
(b) two instances pinned to cores 0 and 1, each with --workers (the same workers per core), both behind nginx, and
prints the throughput of each and the ratio b/a (goal 1.5 or more), to bench/results/load-scaling.json. Only
gunicorn is pinned: nginx, PostgreSQL, Redis and the load clients run where the system puts them, so on a 2-core
machine they share the cores with (b) more than with (a).

Bounded: --duration seconds (default 60) and at most --max-requests requests; the in-flight requests then
finish (120 s timeout each, gunicorn's own). The throwaway cluster runs with fsync off: "lost" here means lost by the
application (a write acknowledged but not committed, or overwritten), not by the disk.
"""

import argparse
import html
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FIGURE_ADD = "/admin/indicators/figure/add/"
FIGURE_CHANGE = "/admin/indicators/figure/{}/change/"
CHANGE_REDIRECT = re.compile(r"^/admin/indicators/figure/(\d+)/change/")
LIST_REDIRECT = re.compile(r"^/admin/indicators/figure/(\?.*)?$")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The figure form's plausibility warnings (parkdash/indicators/forms.py): what they were shown for, to confirm them.
WARNINGS_SHOWN = re.compile(r'name="warnings_shown" value="([^"]+)"')
# Years the demo data and the seed do not use: every add gets its own (indicator, year, month).
WRITE_YEARS = range(1950, 2000)
# As long as gunicorn lets a request run (deploy/gunicorn.conf.py): slower is a failure, counted as an error.
REQUEST_TIMEOUT = 120
# The cross-instance checks (after the load, straight to the instances): their users and the address they come from.
PROBE_USER, LOCKOUT_USER, PROBE_ADDRESS = "load-probe", "load-lockout", "192.0.2.10"
MIX = {"overview": 20, "indicator page": 10, "table page": 25, "csv export": 5, "add figure": 20, "edit figure": 20}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default %(default)s)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default %(default)s)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance (default %(default)s)")
    parser.add_argument("--instances", type=int, default=2, help="gunicorn instances (default %(default)s)")
    parser.add_argument(
        "--scaling", action="store_true", help="one instance on one core, then two on a core each; the throughput ratio"
    )
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop after this many requests")
    parser.add_argument("--scale", type=float, default=1, help="generate_demo_data --scale (default 1)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed for the clients' choices")
    parser.add_argument("--output", help="default bench/results/load.json (--scaling: load-scaling.json)")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    bounded = 0 < args.duration <= 600 and 0 < args.clients <= 200 and 0 < args.workers <= 16
    if not (bounded and 0 < args.instances <= 4):
        parser.error("bounded: --duration 1..600 s, --clients 1..200, --workers 1..16, --instances 1..4")
    if args.output is None:
        args.output = str(ROOT / "bench" / "results" / ("load-scaling.json" if args.scaling else "load.json"))
    return args


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log(message):
    print(message, flush=True)


# --- setup --------------------------------------------------------------------------------------------------


def production_env(tmp):
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_LOG_LEVEL": "WARNING",
        # nginx writes the client's address there (deploy/nginx.conf.example), as in production.
        "PARKDASH_CLIENT_IP_HEADER": "X-Real-IP",
    }


def prepare_database(args, user, password):
    """Migrate, seed, demo data, the editor; returns what the clients need to know about the data."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connections

    from parkdash.indicators.models import Figure, Indicator
    from parkdash.parks.models import Park, Zone

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the cache when there is no Redis; with Redis, nothing
    call_command("loaddata", "seed", verbosity=0)
    call_command("generate_demo_data", scale=args.scale, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    editor = get_user_model().objects.create_user(user, password=password, is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    for park in Park.objects.all():
        park.members.add(editor)
    # The cross-instance checks' own users: one logs in through one instance, one is locked out through it.
    for name in (PROBE_USER, LOCKOUT_USER):
        get_user_model().objects.create_user(name, password=password, is_staff=True)
    years = sorted(set(Figure.objects.values_list("year", flat=True)))
    # Demo figures the clients may edit: whole-park actuals, dealt out so no two clients share one.
    editable = list(
        Figure.objects.filter(park__is_demo=True, zone__isnull=True, kind="actual")
        .order_by("?")
        .values("id", "indicator_id", "park_id", "year", "month", "kind", "version", "yoy_pct", "note")[
            : args.clients * 20
        ]
    )
    meta = {
        "parks": list(Park.objects.values_list("id", flat=True)),
        "demo_parks": list(Park.objects.filter(is_demo=True).values_list("id", flat=True)),
        "zones": list(Zone.objects.values_list("id", flat=True)),
        "indicators": list(Indicator.objects.values("id", "code")),
        "years": [year for year in years if year >= 2000],
        "editable": [{**row, "yoy_pct": "" if row["yoy_pct"] is None else str(row["yoy_pct"])} for row in editable],
        "figures": Figure.objects.count(),
    }
    connections.close_all()
    log(
        f"  database ready in {time.perf_counter() - started:.0f} s: {meta['figures']:,} figures, "
        f"{len(meta['parks'])} parks, {len(meta['indicators'])} indicators"
    )
    return meta


def start_gunicorn(args, port, tmp, name, cpu=None):
    """One gunicorn instance (deploy/gunicorn.conf.py, --workers) on 127.0.0.1:port, pinned to ``cpu`` (taskset) when
    given: the master and its workers, which inherit the affinity."""
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_ACCESSLOG": str(tmp / f"{name}-access.log"),
        "PARKDASH_REQUEST_CPU_LOG": str(tmp / "request-cpu"),
    }
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", "deploy/gunicorn.conf.py"]
    if cpu is not None:
        command = ["taskset", "-c", str(cpu), *command]
    logfile = open(tmp / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT)
    wait_for(process, f"http://127.0.0.1:{port}/accounts/login/", tmp / f"{name}.log", "gunicorn")
    return process


def wait_for(process, url, logfile, what):
    import httpx

    for _ in range(240):
        if process.poll() is not None:
            raise SystemExit(f"{what} exited: {Path(logfile).read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"{what} did not answer within 2 minutes")


def stop_process(process, sig, timeout):
    """Ask ``process`` to stop with ``sig``; kill it if it has not within ``timeout`` seconds."""
    if process and process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def stop_gunicorn(process):
    stop_process(process, signal.SIGTERM, 40)


def nginx_location():
    """The `location / { … }` block of deploy/nginx.conf.example: the proxy settings production uses."""
    text = (ROOT / "deploy" / "nginx.conf.example").read_text()
    match = re.search(r"^    location / \{\n.*?^    \}$", text, re.S | re.M)
    if not match:
        raise SystemExit("deploy/nginx.conf.example changed: no `location / { … }` block to proxy with")
    return match.group(0)


def start_nginx(tmp, ports, name):
    """nginx on 127.0.0.1:<a free port>, plain HTTP (the load runs on loopback), in front of an upstream of the
    instances on ``ports``, round robin; the location block is deploy/nginx.conf.example's."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is not installed (Debian: apt-get install nginx)")
    folder = tmp / name
    temp_dirs = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    for sub in temp_dirs:
        (folder / sub).mkdir(parents=True, exist_ok=True)
    user = ""
    if os.getuid() == 0:  # workers run unprivileged and need their temporary folders
        user = "user www-data;"
        for sub in temp_dirs:
            shutil.chown(folder / sub, "www-data")
    port = free_port()
    # max_fails=0: a slow answer under load never takes an instance out of the rotation during the measurement.
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in ports)
    temp_paths = "\n".join(f"    {sub}_temp_path {folder / sub};" for sub in temp_dirs)
    (folder / "nginx.conf").write_text(
        f"""{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
{temp_paths}
    upstream parkdash_app {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        server_tokens off;
        client_max_body_size 25m;
{nginx_location()}
    }}
}}
"""
    )
    args = [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")]
    check = subprocess.run([*args, "-t", "-q"], capture_output=True, text=True)
    if check.returncode:
        raise SystemExit(f"nginx -t: {check.stderr}")
    process = subprocess.Popen([*args, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    wait_for(process, f"http://127.0.0.1:{port}/accounts/login/", folder / "error.log", "nginx")
    return process, port


def stop_nginx(process):
    stop_process(process, signal.SIGQUIT, 20)  # nginx's graceful shutdown


# --- the clients --------------------------------------------------------------------------------------------


class BudgetSpent(Exception):
    """The --max-requests budget is used up: the client stops."""


class Shared:
    """What the clients share: the deadline, the request budget, the add slots."""

    def __init__(self, args, meta):
        self.meta = meta
        self.clients = args.clients
        self.deadline = None
        self.budget = args.max_requests
        self.lock = threading.Lock()
        # Slots go on from the previous run on this database (--scaling runs twice): adds never collide.
        self.next_slot = meta.get("next_slot", 0)

    def take_request(self):
        with self.lock:
            if self.budget <= 0:
                return False
            self.budget -= 1
            return True

    def new_slot(self):
        """A unique (indicator, year, month) for an add: no two adds ever collide."""
        with self.lock:
            slot = self.next_slot
            self.next_slot += 1
        indicators = self.meta["indicators"]
        indicator = indicators[slot % len(indicators)]
        period = slot // len(indicators)
        year = WRITE_YEARS[period // 12 % len(WRITE_YEARS)]
        return indicator["id"], year, period % 12 + 1


class LoadClient(threading.Thread):
    def __init__(self, index, base_url, shared, user, password, seed):
        super().__init__(name=f"client-{index}", daemon=True)
        import httpx

        self.index = index
        self.http = httpx.Client(
            base_url=base_url, timeout=REQUEST_TIMEOUT, follow_redirects=False, headers={"Accept-Language": "zh-hans"}
        )
        self.shared = shared
        self.user, self.password = user, password
        self.random = random.Random(seed * 1000 + index)
        self.samples = []  # (kind, status or "error", milliseconds)
        self.acknowledged = {}  # figure id -> the record as last acknowledged
        self.acks = Counter()  # acknowledged writes: "add", "edit"
        self.uncertain = set()  # figure ids whose last write got no clear answer
        self.rejected = []  # writes answered with a form again (details)
        self.errors = []
        # This client's share of the demo figures (no other client edits them); the figures it adds join it.
        self.mine = [dict(row) for row in shared.meta["editable"][index :: shared.clients]]

    # -- HTTP
    def request(self, kind, method, url, **kwargs):
        if not self.shared.take_request():
            raise BudgetSpent
        started = time.perf_counter()
        try:
            # The kind goes along so that the workers' CPU can be told per kind (deploy/gunicorn.conf.py).
            with self.http.stream(method, url, headers={"X-Load-Kind": kind}, **kwargs) as response:
                body = b"".join(response.iter_bytes())
            status = response.status_code
        except Exception as error:  # noqa: BLE001 - every transport failure is counted, none stops the run
            self.samples.append((kind, "error", (time.perf_counter() - started) * 1000))
            self.errors.append(f"{kind} {method} {url}: {type(error).__name__}: {error}")
            return None, None
        self.samples.append((kind, status, (time.perf_counter() - started) * 1000))
        return response, body

    def csrf(self):
        return self.http.cookies.get("csrftoken", "")

    def login(self):
        response, body = self.request("login form", "GET", "/admin/login/?next=/admin/")
        token = CSRF_INPUT.search(body.decode()).group(1)
        response, _body = self.request(
            "login",
            "POST",
            "/admin/login/?next=/admin/",
            data={"csrfmiddlewaretoken": token, "username": self.user, "password": self.password, "next": "/admin/"},
        )
        if response is None or response.status_code != 302:
            raise RuntimeError(f"{self.name}: login failed: {response and response.status_code}")

    # -- what a person does
    def overview(self):
        meta = self.shared.meta
        query = self.random.choice(
            [
                "",
                f"?park={self.random.choice(meta['parks'])}",
                f"?park={self.random.choice(meta['parks'])}&year={self.random.choice(meta['years'])}",
            ]
        )
        self.request("overview", "GET", "/" + query)

    def indicator_page(self):
        meta = self.shared.meta
        code = self.random.choice(meta["indicators"])["code"]
        self.request("indicator page", "GET", f"/indicators/{code}/?park={self.random.choice(meta['parks'])}")

    def table_page(self):
        meta = self.shared.meta
        park, year = self.random.choice(meta["parks"]), self.random.choice(meta["years"])
        url = self.random.choice(
            [
                f"/indicators/?page={self.random.randint(1, 20)}",
                f"/indicators/?park={park}&year={year}&kind=actual&sort=-value",
                f"/projects/?park={park}&page={self.random.randint(1, 3)}",
                "/projects/?phase=continuing&sort=name",
                f"/enterprises/?park={park}&stage=production",
                f"/enterprises/?page={self.random.randint(1, 5)}",
                f"/works/?park={park}&year={year}",
            ]
        )
        self.request("table page", "GET", url)

    def csv_export(self):
        meta = self.shared.meta
        park, year = self.random.choice(meta["parks"]), self.random.choice(meta["years"])
        url = self.random.choice(
            [
                f"/indicators/?park={park}&year={year}&_export=csv",
                f"/projects/?park={park}&_export=csv",
                "/enterprises/?_export=csv",
                f"/works/?park={park}&_export=csv",
            ]
        )
        self.request("csv export", "GET", url)

    def add_figure(self):
        meta = self.shared.meta
        indicator, year, month = self.shared.new_slot()
        park = self.random.choice(meta["demo_parks"] or meta["parks"])
        self.request("admin form", "GET", FIGURE_ADD)
        record = {
            "indicator_id": indicator,
            "park_id": park,
            "year": year,
            "month": month,
            "kind": "actual",
            "version": "final",
            "yoy_pct": "",
            "note": f"load {self.index}",
        }
        value = self.new_value()
        response, body = self.post_write("add figure", FIGURE_ADD, {**self.form(record, value), "_continue": "1"})
        if response is None or response.status_code >= 500:
            return  # no record id to be unsure about: an add with no answer is not counted as acknowledged
        match = CHANGE_REDIRECT.match(response.headers.get("location", "")) if response.status_code == 302 else None
        if match:
            record = {**record, "id": int(match.group(1))}
            self.acknowledged[record["id"]] = {**record, "value": value, "how": "add"}
            self.acks["add"] += 1
            self.mine.append(record)
        else:
            self.rejected.append(("add", response.status_code, self.form_errors(body)))

    def edit_figure(self):
        if not self.mine:
            return self.add_figure()
        record = self.random.choice(self.mine)
        self.request("admin form", "GET", FIGURE_CHANGE.format(record["id"]))
        value = self.new_value()
        response, body = self.post_write(
            "edit figure", FIGURE_CHANGE.format(record["id"]), {**self.form(record, value), "_save": "1"}
        )
        if (
            response is not None
            and response.status_code == 302
            and LIST_REDIRECT.match(response.headers.get("location", ""))
        ):
            self.acknowledged[record["id"]] = {**record, "value": value, "how": "edit"}
            self.acks["edit"] += 1
            self.uncertain.discard(record["id"])
        elif response is None or response.status_code >= 500:
            self.uncertain.add(record["id"])
        else:
            self.rejected.append(("edit", response.status_code, self.form_errors(body)))

    def post_write(self, kind, url, data):
        """POST a figure form; when it comes back with plausibility warnings (random values are implausible), tick
        "I checked these figures" and save again, as a person does: the second answer is the one that counts."""
        response, body = self.request(kind, "POST", url, data=data)
        shown = WARNINGS_SHOWN.search((body or b"").decode(errors="replace")) if response is not None else None
        if response is None or response.status_code != 200 or not shown:
            return response, body
        self.acks["confirmed warnings"] += 1
        data = {**data, "confirm_warnings": "on", "warnings_shown": html.unescape(shown.group(1))}
        return self.request(kind, "POST", url, data=data)

    def new_value(self):
        return str(Decimal(self.random.randint(1, 10_000_000)) / 100)

    def form(self, record, value):
        return {
            "csrfmiddlewaretoken": self.csrf(),
            "indicator": record["indicator_id"],
            "park": record["park_id"],
            "zone": "",
            "year": record["year"],
            "month": record["month"],
            "kind": record["kind"],
            "version": record["version"],
            "entered_value": value,
            "entered_unit": "",
            "yoy_pct": record["yoy_pct"],
            "note": record["note"],
        }

    @staticmethod
    def form_errors(body):
        text = (body or b"").decode(errors="replace")
        errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', text, re.S)
        return re.sub(r"<[^>]+>", " ", " | ".join(errors))[:300] or text[:200]

    def run(self):
        actions = list(MIX)
        weights = [MIX[action] for action in actions]
        handlers = {
            "overview": self.overview,
            "indicator page": self.indicator_page,
            "table page": self.table_page,
            "csv export": self.csv_export,
            "add figure": self.add_figure,
            "edit figure": self.edit_figure,
        }
        try:
            while time.monotonic() < self.shared.deadline:
                handlers[self.random.choices(actions, weights)[0]]()
        except BudgetSpent:
            pass
        except Exception as error:  # noqa: BLE001 - a client's own bug must not hide the others' figures
            self.errors.append(f"{self.name} stopped: {type(error).__name__}: {error}")
        finally:
            self.http.close()


def percentile(ordered, pct):
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))], 1)


def latency(values):
    ordered = sorted(values)
    return {
        "count": len(ordered),
        "p50_ms": percentile(ordered, 50),
        "p95_ms": percentile(ordered, 95),
        "p99_ms": percentile(ordered, 99),
        "max_ms": round(ordered[-1], 1) if ordered else None,
    }


def machine_cpu():
    """(busy, total) clock ticks of every CPU since boot, from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def process_cpu_seconds(pids):
    """User + system CPU seconds of ``pids`` (gone processes count 0)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def worker_pids(master):
    try:
        return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


def postgres_pids():
    """The throwaway cluster's postmaster (started with -p PORT by scripts/with-postgres) and its backends."""
    port = os.environ.get("DATABASE_URL", "").rsplit(":", 1)[-1].split("/", 1)[0]
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].endswith(b"postgres") and b"-p" in argv and port.encode() in argv:
            return [int(proc.name), *worker_pids(int(proc.name))]
    return []


def request_cpu_by_kind(tmp):
    """The workers' CPU per request kind, from their request CPU logs (deploy/gunicorn.conf.py): {kind: {"count",
    "cpu_ms_mean", "cpu_ms_median", "cpu_s"}}."""
    seconds = defaultdict(list)
    for path in tmp.glob("request-cpu.*"):
        for line in path.read_text(encoding="utf-8").splitlines():
            kind, _tab, value = line.rpartition("\t")
            seconds[kind or "other"].append(float(value))
    return {
        kind: {
            "count": len(values),
            "cpu_ms_mean": round(1000 * statistics.mean(values), 1),
            "cpu_ms_median": round(1000 * statistics.median(values), 1),
            "cpu_s": round(sum(values), 1),
        }
        for kind, values in sorted(seconds.items())
    }


def run_load(args, base_url, meta, user, password, server_pids=(), tmp=None):
    shared = Shared(args, meta)
    clients = [LoadClient(index, base_url, shared, user, password, args.seed) for index in range(args.clients)]
    # Log everyone in first (password hashing is deliberately slow): not part of the measured minute.
    started = time.perf_counter()
    failures = []

    def login(client):
        try:
            client.login()
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(f"{client.name}: {type(error).__name__}: {error}")

    login_threads = [threading.Thread(target=login, args=(client,)) for client in clients]
    for thread in login_threads:
        thread.start()
    for thread in login_threads:
        thread.join()
    if failures:
        raise SystemExit("login failed: " + "; ".join(failures[:5]))
    for client in clients:
        client.samples.clear()
    log(f"  {args.clients} clients logged in through /admin/login/ in {time.perf_counter() - started:.1f} s")
    for path in tmp.glob("request-cpu.*") if tmp else ():
        path.unlink()  # the logins are not part of the measured minute
    workers = [pid for master in server_pids for pid in worker_pids(master)]
    database = postgres_pids()  # its backends: one per gunicorn worker, kept open (DATABASE_CONN_MAX_AGE)
    cpu_before = (machine_cpu(), os.times(), process_cpu_seconds(workers), process_cpu_seconds(database))
    started = time.perf_counter()
    shared.deadline = time.monotonic() + args.duration
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=args.duration + REQUEST_TIMEOUT + 30)
    elapsed = time.perf_counter() - started
    meta["next_slot"] = shared.next_slot
    (busy0, total0), times0, workers0, database0 = cpu_before
    database_after = process_cpu_seconds(database) + process_cpu_seconds(
        [pid for pid in postgres_pids() if pid not in database]
    )
    busy1, total1 = machine_cpu()
    times1 = os.times()
    # Where the CPU went during the run: the machine (every process, other people's too), the server, the
    # database, the clients; the rest went to whatever else the machine ran.
    meta["cpu"] = {
        "machine_busy_pct": round(100 * (busy1 - busy0) / max(1, total1 - total0), 1),
        "gunicorn_workers_s": round(process_cpu_seconds(workers) - workers0, 1),
        "postgresql_s": round(database_after - database0, 1),
        "load_clients_s": round((times1.user + times1.system) - (times0.user + times0.system), 1),
        "available_s": round(elapsed * (os.cpu_count() or 1), 1),
        "by_kind": request_cpu_by_kind(tmp) if tmp else {},
    }
    return clients, elapsed


def cross_instance_checks(urls, password):
    """Straight to the instances, as a browser behind nginx would reach them in turn: a login through the first
    whose session the second accepts, and a lockout made through the first that the second honours. Each check:
    {"ok": bool, "detail": what was seen}."""
    import httpx

    first, second = urls[0], urls[-1]
    headers = {"X-Real-IP": PROBE_ADDRESS}  # what nginx writes; its own address, so the load's count is untouched

    def log_in(http, username, secret):
        page = http.get("/admin/login/?next=/admin/")
        token = CSRF_INPUT.search(page.text).group(1)
        return http.post(
            "/admin/login/?next=/admin/",
            data={"csrfmiddlewaretoken": token, "username": username, "password": secret, "next": "/admin/"},
        )

    checks = {}
    try:
        with httpx.Client(base_url=first, headers=headers, timeout=REQUEST_TIMEOUT) as one:
            answer = log_in(one, PROBE_USER, password)
            cookies = dict(one.cookies)
        with httpx.Client(base_url=second, headers=headers, cookies=cookies, timeout=REQUEST_TIMEOUT) as two:
            admin = two.get("/admin/")
        ok = answer.status_code == 302 and admin.status_code == 200 and PROBE_USER in admin.text
        checks["login through instance 1, its cookie on instance 2"] = {
            "ok": ok,
            "detail": f"login {answer.status_code} on {first}, /admin/ with its cookie {admin.status_code} on {second}",
        }
        with httpx.Client(base_url=first, headers=headers, timeout=REQUEST_TIMEOUT) as one:
            failures = [log_in(one, LOCKOUT_USER, f"wrong-{n}").status_code for n in range(5)]
        with httpx.Client(base_url=second, headers=headers, timeout=REQUEST_TIMEOUT) as two:
            right = log_in(two, LOCKOUT_USER, password).status_code
        checks["lockout through instance 1, honoured by instance 2"] = {
            "ok": failures == [200, 200, 200, 200, 429] and right == 429,
            "detail": f"5 wrong passwords on {first}: {failures}; the right one on {second}: {right}",
        }
    except Exception as error:  # noqa: BLE001 - a failed check is reported, not a crash
        checks["cross-instance checks ran"] = {"ok": False, "detail": f"{type(error).__name__}: {error}"}
    return checks


def access_log_counts(tmp, names):
    """Requests each instance served, from its access log."""
    counts = {}
    for name in names:
        path = tmp / f"{name}-access.log"
        counts[name] = sum(1 for _line in path.open(errors="replace")) if path.exists() else 0
    return counts


def verify(clients):
    """Every acknowledged write, looked up in the database: (checked, lost details)."""
    import django

    django.setup()
    from parkdash.indicators.models import Figure

    expected = {}
    for client in clients:
        for figure_id, record in client.acknowledged.items():
            if figure_id in client.uncertain:
                continue  # its last write got no answer: either value may stand
            expected[figure_id] = record
    stored = Figure.objects.in_bulk(list(expected))
    lost = []
    for figure_id, record in expected.items():
        figure = stored.get(figure_id)
        problem = None
        if figure is None:
            problem = "missing"
        elif figure.value != Decimal(record["value"]):
            problem = f"value {figure.value} instead of {record['value']}"
        elif (figure.indicator_id, figure.park_id, figure.year, figure.month) != (
            record["indicator_id"],
            record["park_id"],
            record["year"],
            record["month"],
        ):
            problem = "indicator, park or period changed"
        if problem:
            lost.append({"figure": figure_id, "write": record["how"], "problem": problem})
    return len(expected), lost


def report(args, clients, elapsed, checked, lost, meta, phase):
    """The figures of one run (``phase``: its name, instances, cores), printed; (exit status, result)."""
    samples = [sample for client in clients for sample in client.samples]
    statuses = Counter(str(status) for _kind, status, _ms in samples)
    by_kind = defaultdict(list)
    for kind, _status, ms in samples:
        by_kind[kind].append(ms)
    five_xx = sum(count for status, count in statuses.items() if status.startswith("5"))
    errors = [error for client in clients for error in client.errors]
    rejected = [item for client in clients for item in client.rejected]
    acknowledged = sum((client.acks for client in clients), Counter())
    result = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_before": meta.get("load_average_before"),
        },
        "setup": {
            "clients": args.clients,
            "duration_s": args.duration,
            "gunicorn_instances": phase["instances"],
            "gunicorn_workers_per_instance": args.workers,
            "pinned_to_cores": phase.get("cores"),
            "behind": "nginx (upstream of the instances, round robin)",
            "database": "PostgreSQL (throwaway cluster, fsync off)",
            "cache_and_sessions": meta["cache"],
            "demo_scale": args.scale,
            "figures_before": meta["figures"],
            "mix_weights": MIX,
        },
        "elapsed_s": round(elapsed, 1),
        "cpu": meta.get("cpu"),
        "requests": len(samples),
        "requests_per_s": round(len(samples) / elapsed, 1),
        "requests_per_instance": phase.get("served"),
        "latency": latency([ms for _kind, _status, ms in samples]),
        "by_kind": {kind: latency(values) for kind, values in sorted(by_kind.items())},
        "statuses": dict(sorted(statuses.items())),
        "5xx": five_xx,
        "transport_errors": len(errors),
        "writes": {
            "acknowledged_adds": acknowledged["add"],
            "acknowledged_edits": acknowledged["edit"],
            "plausibility_warnings_confirmed": acknowledged["confirmed warnings"],
            "figures_checked": checked,
            "lost": len(lost),
            "rejected_with_a_form_error": len(rejected),
            "no_clear_answer": sum(len(client.uncertain) for client in clients),
        },
        "cross_instance_checks": phase.get("checks", {}),
        "lost_writes": lost[:50],
        "errors": errors[:20],
        "rejected": [list(item) for item in rejected[:10]],
    }
    cpu = meta.get("cpu") or {}
    if cpu and samples:
        cpu["gunicorn_cpu_ms_per_request"] = round(1000 * cpu["gunicorn_workers_s"] / len(samples), 1)
        cpu["gunicorn_and_postgresql_cpu_ms_per_request"] = round(
            1000 * (cpu["gunicorn_workers_s"] + cpu["postgresql_s"]) / len(samples), 1
        )
    failed_checks = [name for name, check in result["cross_instance_checks"].items() if not check["ok"]]

    log(
        f"\n== Load test ({phase['name']}): {args.clients} clients, {args.duration:g} s, {phase['instances']} gunicorn "
        f"instance(s) × {args.workers} workers behind nginx, PostgreSQL, cache and sessions: {meta['cache']}"
    )
    log(f"  requests      {result['requests']:,} in {elapsed:.1f} s = {result['requests_per_s']} requests/s")
    lat = result["latency"]
    log(
        f"  latency       p50 {lat['p50_ms']} ms   p95 {lat['p95_ms']} ms   p99 {lat['p99_ms']} ms   "
        f"max {lat['max_ms']} ms"
    )
    log(f"  {'kind':<16}{'count':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    for kind, values in result["by_kind"].items():
        log(f"  {kind:<16}{values['count']:>8}{values['p50_ms']:>10}{values['p95_ms']:>10}{values['p99_ms']:>10}")
    log_cpu(cpu)
    if result["requests_per_instance"]:
        log(f"  per instance  {result['requests_per_instance']} (their access logs: the logins and checks included)")
    log(f"  statuses      {result['statuses']}")
    log(f"  5xx           {five_xx}")
    log(f"  errors        {len(errors)} (connection failures, timeouts)")
    writes = result["writes"]
    log(
        f"  writes        {writes['acknowledged_adds']} adds and {writes['acknowledged_edits']} edits acknowledged; "
        f"the last value of each of the {writes['figures_checked']} figures written checked in the database: "
        f"lost {writes['lost']}; rejected with a form error: {writes['rejected_with_a_form_error']}; "
        f"plausibility warnings confirmed and saved again: {writes['plausibility_warnings_confirmed']}"
    )
    for item in lost[:10]:
        log(f"    LOST {item}")
    for item in errors[:10]:
        log(f"    ERROR {item}")
    for item in rejected[:5]:
        log(f"    REJECTED {item}")
    for name, check in result["cross_instance_checks"].items():
        log(f"  {'ok  ' if check['ok'] else 'FAIL'}          {name}: {check['detail']}")
    return (0 if not five_xx and not lost and not errors and not failed_checks else 1), result


def log_cpu(cpu):
    """Print where the CPU of the run went: the machine, the workers (in all, per request, per request kind)."""
    if not cpu:
        return
    log(
        f"  CPU           machine {cpu['machine_busy_pct']} % busy; gunicorn workers "
        f"{cpu['gunicorn_workers_s']} s, PostgreSQL {cpu['postgresql_s']} s, "
        f"load clients {cpu['load_clients_s']} s, of {cpu['available_s']} s on {os.cpu_count()} cores"
    )
    if cpu.get("gunicorn_cpu_ms_per_request") is not None:
        log(
            f"  CPU/request   gunicorn {cpu['gunicorn_cpu_ms_per_request']} ms, gunicorn + PostgreSQL "
            f"{cpu['gunicorn_and_postgresql_cpu_ms_per_request']} ms"
        )
    if cpu.get("by_kind"):
        log(f"  {'CPU by kind':<16}{'count':>8}{'mean ms':>10}{'median ms':>11}{'CPU s':>8}   (inside the workers)")
        for kind, values in cpu["by_kind"].items():
            log(
                f"  {kind:<16}{values['count']:>8}{values['cpu_ms_mean']:>10}{values['cpu_ms_median']:>11}"
                f"{values['cpu_s']:>8}"
            )


def write_results(args, result):
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"  figures written to {output}")


def run_phase(args, tmp, meta, user, password, phase):
    """Start the instances of ``phase`` (pinned to its cores, if any) and nginx, run the load through nginx, the
    cross-instance checks when asked, stop everything and check the writes; (exit status, result)."""
    processes, nginx = [], None
    names = [f"{phase['key']}-instance-{number}" for number in range(1, phase["instances"] + 1)]
    cores = phase.get("cores") or [None] * phase["instances"]
    try:
        ports = []
        for name, core in zip(names, cores, strict=True):
            port = free_port()
            pinned = f", pinned to core {core}" if core is not None else ""
            log(f"== gunicorn {name}: {args.workers} workers on 127.0.0.1:{port}{pinned}")
            processes.append(start_gunicorn(args, port, tmp, name, core))
            ports.append(port)
        nginx, nginx_port = start_nginx(tmp, ports, f"{phase['key']}-nginx")
        log(f"== nginx on 127.0.0.1:{nginx_port}, upstream {', '.join(f'127.0.0.1:{port}' for port in ports)}")
        log(f"== Load ({phase['name']}): {args.clients} clients for {args.duration:g} s")
        meta["load_average_before"] = [round(value, 2) for value in os.getloadavg()]
        log(f"  load average of the machine before the run: {meta['load_average_before']}")
        clients, elapsed = run_load(
            args, f"http://127.0.0.1:{nginx_port}", meta, user, password, [process.pid for process in processes], tmp
        )
        if phase.get("checks"):
            log("== Cross-instance checks: a login and a lockout through instance 1, seen by instance 2")
            phase["checks"] = cross_instance_checks([f"http://127.0.0.1:{port}" for port in ports], password)
    finally:
        stop_nginx(nginx)
        for process in processes:
            stop_gunicorn(process)
    phase["served"] = access_log_counts(tmp, names)
    for name in names:
        errors = [
            line
            for line in (tmp / f"{name}.log").read_text(errors="replace").splitlines()
            if "Traceback" in line or "[ERROR]" in line or "[CRITICAL]" in line
        ]
        if errors:
            log(f"  {name} logged errors:\n    " + "\n    ".join(errors[:20]))
    log("== Checking every acknowledged write in the database")
    checked, lost = verify(clients)
    return report(args, clients, elapsed, checked, lost, meta, phase)


def inside(args):
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The load test runs on PostgreSQL only (SQLite would lock under concurrent writes).")
    tmp = Path(tempfile.mkdtemp(prefix="parkdash-load-"))
    os.chmod(tmp, 0o755)  # nginx's workers (www-data when run as root) read below it
    os.environ.update(production_env(tmp))
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "parkdash.settings"
    user, password = "load-editor", secrets.token_urlsafe(16)
    try:
        log("== Setup: migrate, createcachetable, seed, demo data, an editor, collectstatic")
        meta = prepare_database(args, user, password)
        meta["cache"] = "Redis (django-redis), sessions cached_db" if os.environ.get("REDIS_URL") else "the database"
        log(f"  cache and sessions: {meta['cache']}")
        if not args.scaling:
            status, result = run_phase(
                args,
                tmp,
                meta,
                user,
                password,
                {"key": "load", "name": "load", "instances": args.instances, "checks": True},
            )
            write_results(args, result)
            return status
        if (os.cpu_count() or 1) < 2:
            raise SystemExit("--scaling needs two cores")
        phases = [
            {"key": "one", "name": "(a) one instance on core 0", "instances": 1, "cores": [0]},
            {"key": "two", "name": "(b) two instances on cores 0 and 1", "instances": 2, "cores": [0, 1]},
        ]
        statuses, results = [], []
        for phase in phases:
            status, result = run_phase(args, tmp, meta, user, password, phase)
            statuses.append(status)
            results.append({"phase": phase["name"], **result})
        one, two = (result["requests_per_s"] for result in results)
        ratio = round(two / one, 2) if one else None
        summary = {
            "when": results[0]["when"],
            "throughput_requests_per_s": {"one_instance_one_core": one, "two_instances_two_cores": two},
            "ratio": ratio,
            "goal": 1.5,
            "gunicorn_cpu_ms_per_request": [result["cpu"].get("gunicorn_cpu_ms_per_request") for result in results],
            "phases": results,
        }
        log("\n== Scaling (gunicorn pinned with taskset; nginx, PostgreSQL, Redis and the clients unpinned)")
        log(f"  (a) one instance on one core        {one} requests/s")
        log(f"  (b) two instances on a core each    {two} requests/s")
        log(f"  ratio b/a                           {ratio} (goal 1.5 or more)")
        for result in results:
            cpu = result["cpu"] or {}
            log(
                f"  {result['phase']}: gunicorn {cpu.get('gunicorn_cpu_ms_per_request')} ms of CPU a request, "
                f"machine {cpu.get('machine_busy_pct')} % busy, "
                f"load average before {result['machine']['load_average_before']}"
            )
        write_results(args, summary)
        return max(statuses)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv=None):
    args = parse_args(argv)
    if args.inside:
        return inside(args)
    # Re-run inside a throwaway PostgreSQL cluster and Redis, which the scripts stop and delete at exit.
    env = {**os.environ, "PARKDASH_REQUIRE_POSTGRES": "1"}
    command = [
        str(ROOT / "scripts" / "with-postgres"),
        str(ROOT / "scripts" / "with-redis"),
        "--optional",
        sys.executable,
        str(Path(__file__).resolve()),
        "--inside",
        *(argv if argv is not None else sys.argv[1:]),
    ]
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
