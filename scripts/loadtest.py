#!/usr/bin/env python
"""ParkDash load test with writes: gunicorn (4 workers) on PostgreSQL, 50 concurrent clients for 60 seconds.

Usage:  make load
        .venv/bin/python scripts/loadtest.py [--duration 60] [--clients 50] [--workers 4] [--output FILE]

What it does, on this machine and on loopback only:
1. starts a throwaway PostgreSQL cluster (scripts/with-postgres; the script re-runs itself inside it);
2. with production-like settings (DJANGO_DEBUG=0, a random DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS=127.0.0.1,
   persistent database connections; no TLS here, so DJANGO_SSL_REDIRECT=0 and DJANGO_SECURE_COOKIES=0):
   migrate, loaddata seed, generate_demo_data (scale 1), an editor (group "editor", member of every park),
   collectstatic;
3. starts gunicorn with deploy/gunicorn.conf.py and --workers on 127.0.0.1:<a free port>;
4. logs each client in through /admin/login/ (with its CSRF token), then for --duration seconds every client
   loops without pause over a weighted mix: the overview, indicator pages, table pages (filtered, sorted, paged),
   CSV exports, and admin writes: adding a figure (the add form, then its POST, each with a unique indicator,
   year and month) and editing one (the change form, then its POST with a new value). Each client edits only
   its own figures (ones it added, and a share of the demo figures no other client touches), so the last value
   it wrote is the value the database must hold;
5. records every write the server acknowledged (302 to the change page after an add, to the list after an
   edit), stops gunicorn, and checks each one in the database: the record is there with the value written;
6. prints requests per second, p50/p95/p99 latency (overall and per kind of request), status counts, 5xx,
   transport errors and lost writes, writes them to --output (bench/results/load.json), and exits non-zero when
   there was any 5xx, transport error or lost write.

Bounded: --duration seconds (default 60) and at most --max-requests requests; the in-flight requests then
finish (120 s timeout each, gunicorn's own). The throwaway cluster runs with fsync off: "lost" here means lost by the
application (a write acknowledged but not committed, or overwritten), not by the disk.
"""

import argparse
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
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
# Years the demo data and the seed do not use: every add gets its own (indicator, year, month).
WRITE_YEARS = range(1950, 2000)
# As long as gunicorn lets a request run (deploy/gunicorn.conf.py): slower is a failure, counted as an error.
REQUEST_TIMEOUT = 120
MIX = {"overview": 20, "indicator page": 10, "table page": 25, "csv export": 5, "add figure": 20, "edit figure": 20}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default %(default)s)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default %(default)s)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default %(default)s)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop after this many requests")
    parser.add_argument("--scale", type=float, default=1, help="generate_demo_data --scale (default 1)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed for the clients' choices")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "load.json"))
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not (0 < args.duration <= 600 and 0 < args.clients <= 200 and 0 < args.workers <= 16):
        parser.error("bounded: --duration 1..600 s, --clients 1..200, --workers 1..16")
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
    call_command("loaddata", "seed", verbosity=0)
    call_command("generate_demo_data", scale=args.scale, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    editor = get_user_model().objects.create_user(user, password=password, is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    for park in Park.objects.all():
        park.members.add(editor)
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


def start_gunicorn(args, port, tmp):
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_ACCESSLOG": str(tmp / "access.log"),
    }
    logfile = open(tmp / "gunicorn.log", "wb")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=logfile,
        stderr=subprocess.STDOUT,
    )
    import httpx

    for _ in range(240):
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited: {(tmp / 'gunicorn.log').read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=5).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.terminate()
    raise SystemExit("gunicorn did not answer within 2 minutes")


def stop_gunicorn(process):
    if process and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
        self.next_slot = 0

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
            with self.http.stream(method, url, **kwargs) as response:
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
        response, body = self.request(
            "add figure", "POST", FIGURE_ADD, data={**self.form(record, value), "_continue": "1"}
        )
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
        response, body = self.request(
            "edit figure", "POST", FIGURE_CHANGE.format(record["id"]), data={**self.form(record, value), "_save": "1"}
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


def run_load(args, base_url, meta, user, password, server_pid=None):
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
    workers = worker_pids(server_pid) if server_pid else []
    database = postgres_pids()  # its backends: one per gunicorn worker, kept open (DATABASE_CONN_MAX_AGE)
    cpu_before = (machine_cpu(), os.times(), process_cpu_seconds(workers), process_cpu_seconds(database))
    started = time.perf_counter()
    shared.deadline = time.monotonic() + args.duration
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=args.duration + REQUEST_TIMEOUT + 30)
    elapsed = time.perf_counter() - started
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
    }
    return clients, elapsed


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


def report(args, clients, elapsed, checked, lost, meta):
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
            "gunicorn_workers": args.workers,
            "database": "PostgreSQL (throwaway cluster, fsync off)",
            "demo_scale": args.scale,
            "figures_before": meta["figures"],
            "mix_weights": MIX,
        },
        "elapsed_s": round(elapsed, 1),
        "cpu": meta.get("cpu"),
        "requests": len(samples),
        "requests_per_s": round(len(samples) / elapsed, 1),
        "latency": latency([ms for _kind, _status, ms in samples]),
        "by_kind": {kind: latency(values) for kind, values in sorted(by_kind.items())},
        "statuses": dict(sorted(statuses.items())),
        "5xx": five_xx,
        "transport_errors": len(errors),
        "writes": {
            "acknowledged_adds": acknowledged["add"],
            "acknowledged_edits": acknowledged["edit"],
            "figures_checked": checked,
            "lost": len(lost),
            "rejected_with_a_form_error": len(rejected),
            "no_clear_answer": sum(len(client.uncertain) for client in clients),
        },
        "lost_writes": lost[:50],
        "errors": errors[:20],
        "rejected": [list(item) for item in rejected[:10]],
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    log(f"\n== Load test: {args.clients} clients, {args.duration:g} s, gunicorn {args.workers} workers, PostgreSQL")
    log(f"  requests      {result['requests']:,} in {elapsed:.1f} s = {result['requests_per_s']} requests/s")
    lat = result["latency"]
    log(
        f"  latency       p50 {lat['p50_ms']} ms   p95 {lat['p95_ms']} ms   p99 {lat['p99_ms']} ms   "
        f"max {lat['max_ms']} ms"
    )
    log(f"  {'kind':<16}{'count':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    for kind, values in result["by_kind"].items():
        log(f"  {kind:<16}{values['count']:>8}{values['p50_ms']:>10}{values['p95_ms']:>10}{values['p99_ms']:>10}")
    cpu = meta.get("cpu") or {}
    if cpu:
        log(
            f"  CPU           machine {cpu['machine_busy_pct']} % busy; gunicorn workers "
            f"{cpu['gunicorn_workers_s']} s, PostgreSQL {cpu['postgresql_s']} s, "
            f"load clients {cpu['load_clients_s']} s, of {cpu['available_s']} s on {os.cpu_count()} cores"
        )
    log(f"  statuses      {result['statuses']}")
    log(f"  5xx           {five_xx}")
    log(f"  errors        {len(errors)} (connection failures, timeouts)")
    writes = result["writes"]
    log(
        f"  writes        {writes['acknowledged_adds']} adds and {writes['acknowledged_edits']} edits acknowledged; "
        f"the last value of each of the {writes['figures_checked']} figures written checked in the database: "
        f"lost {writes['lost']}; rejected with a form error: {writes['rejected_with_a_form_error']}"
    )
    for item in lost[:10]:
        log(f"    LOST {item}")
    for item in errors[:10]:
        log(f"    ERROR {item}")
    for item in rejected[:5]:
        log(f"    REJECTED {item}")
    log(f"  figures written to {output}")
    return 0 if not five_xx and not lost and not errors else 1


def inside(args):
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The load test runs on PostgreSQL only (SQLite would lock under concurrent writes).")
    tmp = Path(tempfile.mkdtemp(prefix="parkdash-load-"))
    os.environ.update(production_env(tmp))
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "parkdash.settings"
    user, password = "load-editor", secrets.token_urlsafe(16)
    process = None
    try:
        log("== Setup: migrate, seed, demo data, an editor, collectstatic")
        meta = prepare_database(args, user, password)
        port = free_port()
        log(f"== gunicorn: {args.workers} workers on 127.0.0.1:{port}")
        process = start_gunicorn(args, port, tmp)
        log(f"== Load: {args.clients} clients for {args.duration:g} s")
        meta["load_average_before"] = [round(value, 2) for value in os.getloadavg()]
        log(f"  load average of the machine before the run: {meta['load_average_before']}")
        clients, elapsed = run_load(args, f"http://127.0.0.1:{port}", meta, user, password, process.pid)
        stop_gunicorn(process)
        five_xx_log = [
            line
            for line in (tmp / "gunicorn.log").read_text(errors="replace").splitlines()
            if "Traceback" in line or "[ERROR]" in line or "[CRITICAL]" in line
        ]
        if five_xx_log:
            log("  gunicorn logged errors:\n    " + "\n    ".join(five_xx_log[:20]))
        log("== Checking every acknowledged write in the database")
        checked, lost = verify(clients)
        return report(args, clients, elapsed, checked, lost, meta)
    finally:
        stop_gunicorn(process)
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv=None):
    args = parse_args(argv)
    if args.inside:
        return inside(args)
    # Re-run inside a throwaway PostgreSQL cluster, which scripts/with-postgres stops and deletes at exit.
    env = {**os.environ, "PARKDASH_REQUIRE_POSTGRES": "1"}
    command = [
        str(ROOT / "scripts" / "with-postgres"),
        sys.executable,
        str(Path(__file__).resolve()),
        "--inside",
        *(argv if argv is not None else sys.argv[1:]),
    ]
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
