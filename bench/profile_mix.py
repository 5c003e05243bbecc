#!/usr/bin/env python
"""Where the CPU of each request kind of the load mix goes: pyinstrument over the same requests as `make load`.

Usage:  make profile                       (SQLite under bench/data/, demo scale 1, as `make bench`)
        .venv/bin/python bench/profile_mix.py [--scale 1] [--rounds 10] [--kinds overview,table page]
        DATABASE_URL=postgres://… .venv/bin/python bench/profile_mix.py

For each kind of request of scripts/loadtest.py's mix (the overview, an indicator page, a table page, a CSV export,
the admin's figure add form and its POST, the change form and its POST) it sends the load test's URLs through
Django's test client, logged in as an editor, after a warm-up: first --rounds rounds timed with the process's CPU
clock (CPU ms per request, as `make load` counts it), then the same rounds under pyinstrument. It prints, per
kind, the CPU ms per request, the share of the samples in each area (templates, the ORM, the database driver,
django-tables2, forms, the admin, middleware, ParkDash's own code, …) and the functions with the most time of
their own, and writes the full profile of each kind to bench/results/profile/<kind>.html (open it in a browser)
and .txt, and the figures to bench/results/profile.json.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
OUTPUT = ROOT / "bench" / "results" / "profile"
KINDS = ("overview", "indicator page", "table page", "csv export", "admin form", "add figure", "edit figure")
# Where a frame's own time is counted: the first rule whose path fragment is in the frame's file. Order matters
# (django/db/backends before django/db, contrib/admin before the template engine it calls into is decided per
# frame: a frame is the function that was running).
AREAS = (
    ("database driver", ("sqlite3", "psycopg", "django/db/backends")),
    ("ORM", ("django/db/",)),
    ("templates", ("django/template/", "django/templatetags/", "django/utils/html", "django/utils/safestring")),
    ("django-tables2", ("django_tables2",)),
    ("django-filter", ("django_filters",)),
    ("forms", ("django/forms/",)),
    ("admin", ("django/contrib/admin",)),
    ("history", ("simple_history",)),
    ("translation and formats", ("django/utils/translation", "django/utils/formats", "gettext", "locale")),
    ("urls", ("django/urls/",)),
    ("middleware and auth", ("django/middleware", "django/contrib/sessions", "django/contrib/auth", "axes", "csp")),
    ("ParkDash", (str(ROOT / "parkdash"),)),
    ("test client", ("django/test/",)),
    ("other Django", ("django/",)),
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1, help="demo data scale (default %(default)s)")
    parser.add_argument("--rounds", type=int, default=10, help="requests of each URL per pass (default %(default)s)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated request kinds (default: all)")
    parser.add_argument("--interval", type=float, default=0.0005, help="pyinstrument's sampling interval, s")
    parser.add_argument("--top", type=int, default=12, help="functions listed per kind (default %(default)s)")
    parser.add_argument("--output", default=str(OUTPUT))
    args = parser.parse_args(argv)
    unknown = set(k.strip() for k in args.kinds.split(",")) - set(KINDS)
    if unknown:
        parser.error("unknown kinds: {} (known: {})".format(", ".join(sorted(unknown)), ", ".join(KINDS)))
    if not 1 <= args.rounds <= 1000:
        parser.error("--rounds 1..1000")
    return args


def area_of(path):
    for area, fragments in AREAS:
        if any(fragment in path for fragment in fragments):
            return area
    return "Python and libraries"


def python_frame(node):
    """The frame whose code ran: pyinstrument's "[self]" leaves and calls into C built-ins count for their caller."""
    while node.parent is not None and (node.is_synthetic or not node.file_path or node.file_path == "<built-in>"):
        node = node.parent
    return node


def project_times(frame):
    """Time spent in each ParkDash function, callees included (a function inside itself counted once)."""
    inclusive = Counter()
    stack = [(frame, frozenset())]
    project = str(ROOT / "parkdash")
    while stack:
        node, open_functions = stack.pop()
        if (node.file_path or "").startswith(project):
            name = "{} ({}:{})".format(node.function, node.file_path_short or "?", node.line_no)
            if name not in open_functions:
                inclusive[name] += node.time
                open_functions = open_functions | {name}
        stack.extend((child, open_functions) for child in node.children)
    return inclusive


def own_times(frame, by_area, by_function):
    """Walk pyinstrument's frame tree, adding each frame's own time to its area and its function."""
    stack = [frame]
    while stack:
        node = stack.pop()
        own = node.total_self_time
        if own:
            code = python_frame(node)
            by_area[area_of(code.file_path or "")] += own
            by_function["{} ({}:{})".format(code.function, code.file_path_short or "?", code.line_no)] += own
        stack.extend(node.children)


class Requests:
    """The load test's requests, kind by kind, against one demo park's data (scripts/loadtest.py's URLs)."""

    def __init__(self, client, seed=2026):
        from parkdash.indicators.models import Figure, Indicator
        from parkdash.parks.models import Park

        self.client = client
        self.random = random.Random(seed)
        self.parks = list(Park.objects.order_by("pk").values_list("pk", flat=True))
        self.demo_parks = list(Park.objects.filter(is_demo=True).order_by("pk").values_list("pk", flat=True))
        self.years = sorted(set(Figure.objects.values_list("year", flat=True).distinct()))[-3:]
        self.indicators = list(Indicator.objects.order_by("pk").values_list("pk", "code"))
        self.slots = ((i, y, m) for y in range(1950, 2000) for m in range(1, 13) for i, _code in self.indicators)
        self.added = []

    def pick(self, values):
        return self.random.choice(values)

    def get(self, url):
        response = self.client.get(url)
        if response.status_code != 200:
            raise SystemExit("GET {} answered {}".format(url, response.status_code))
        if response.streaming:
            for _ in response.streaming_content:
                pass
        return response

    def post(self, url, data, expect=302):
        response = self.client.post(url, data)
        if response.status_code != expect:
            raise SystemExit("POST {} answered {}".format(url, response.status_code))
        return response

    def overview(self):
        park, year = self.pick(self.parks), self.pick(self.years)
        self.get("/" + self.pick(["", f"?park={park}", f"?park={park}&year={year}"]))

    def indicator_page(self):
        self.get(f"/indicators/{self.pick(self.indicators)[1]}/?park={self.pick(self.parks)}")

    def table_page(self):
        park, year = self.pick(self.parks), self.pick(self.years)
        self.get(
            self.pick(
                [
                    f"/indicators/?page={self.random.randint(1, 20)}",
                    f"/indicators/?park={park}&year={year}&kind=actual&sort=-value",
                    f"/projects/?park={park}&page=1",
                    "/projects/?phase=continuing&sort=name",
                    f"/enterprises/?park={park}&stage=production",
                    "/enterprises/?page=1",
                    f"/works/?park={park}&year={year}",
                ]
            )
        )

    def csv_export(self):
        park, year = self.pick(self.parks), self.pick(self.years)
        self.get(
            self.pick(
                [
                    f"/indicators/?park={park}&year={year}&_export=csv",
                    f"/projects/?park={park}&_export=csv",
                    "/enterprises/?_export=csv",
                    f"/works/?park={park}&_export=csv",
                ]
            )
        )

    def admin_form(self):
        if self.added and self.random.random() < 0.5:
            self.get("/admin/indicators/figure/{}/change/".format(self.pick(self.added)["id"]))
        else:
            self.get("/admin/indicators/figure/add/")

    def form(self, record):
        value = str(Decimal(self.random.randint(1, 10_000_000)) / 100)
        return {
            "indicator": record["indicator"],
            "park": record["park"],
            "zone": "",
            "year": record["year"],
            "month": record["month"],
            "kind": "actual",
            "version": "final",
            "entered_value": value,
            "entered_unit": "",
            "yoy_pct": "",
            "note": "profile",
        }

    def add_figure(self):
        indicator, year, month = next(self.slots)
        park = self.pick(self.demo_parks or self.parks)
        record = {"indicator": indicator, "park": park, "year": year, "month": month}
        response = self.post("/admin/indicators/figure/add/", {**self.form(record), "_continue": "1"})
        record["id"] = int(response["Location"].rstrip("/").split("/")[-2])
        self.added.append(record)

    def edit_figure(self):
        if not self.added:
            return self.add_figure()
        record = self.pick(self.added)
        self.post("/admin/indicators/figure/{}/change/".format(record["id"]), {**self.form(record), "_save": "1"})

    def call(self, kind):
        getattr(self, kind.replace(" ", "_"))()

    def clean_up(self):
        from parkdash.indicators.models import Figure

        Figure.objects.filter(pk__in=[record["id"] for record in self.added]).delete()


def load_test_editor():
    """An editor of every park with staff status, as scripts/loadtest.py logs in with (not a superuser: the
    pages then scope by membership, as they do for most users)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from parkdash.core.roles import EDITOR, sync_roles
    from parkdash.parks.models import Park

    sync_roles()
    user, _created = get_user_model().objects.get_or_create(username="profile-editor", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=EDITOR))
    for park in Park.objects.all():
        park.members.add(user)
    return user


def profile_kind(requests, kind, rounds, interval):
    from pyinstrument import Profiler

    for _ in range(3):
        requests.call(kind)  # warm-up: templates compiled, caches filled, connections open
    cpu = []
    for _ in range(rounds):
        started = time.process_time()
        requests.call(kind)
        cpu.append((time.process_time() - started) * 1000)
    profiler = Profiler(interval=interval, async_mode="disabled")
    profiler.start()
    for _ in range(rounds):
        requests.call(kind)
    profiler.stop()
    return cpu, profiler


def main(argv=None):
    args = parse_args(argv)
    from run import setup_database

    setup_database(args.scale, regenerate=False)
    user = load_test_editor()
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client()
    client.force_login(user)
    requests = Requests(client)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    summary = {"database": connection.vendor, "scale": args.scale, "rounds": args.rounds, "kinds": {}}
    try:
        for kind in kinds:
            cpu, profiler = profile_kind(requests, kind, args.rounds, args.interval)
            session = profiler.last_session
            by_area, by_function = defaultdict(float), Counter()
            own_times(session.root_frame(), by_area, by_function)
            total = sum(by_area.values()) or 1
            ours = project_times(session.root_frame())
            median = statistics.median(cpu)
            slug = kind.replace(" ", "-")
            (out / f"{slug}.html").write_text(profiler.output_html(), encoding="utf-8")
            (out / f"{slug}.txt").write_text(profiler.output_text(unicode=True, color=False), encoding="utf-8")
            summary["kinds"][kind] = {
                "cpu_ms_median": round(statistics.median(cpu), 1),
                "cpu_ms_mean": round(statistics.mean(cpu), 1),
                "areas_pct": {
                    area: round(100 * seconds / total, 1)
                    for area, seconds in sorted(by_area.items(), key=lambda item: -item[1])
                },
                # The profiler samples the wall clock, which a busy machine stretches: each function's share of the
                # samples is turned into CPU milliseconds with the request's measured CPU time.
                "top_functions": [
                    {
                        "function": name,
                        "share_pct": round(100 * seconds / total, 1),
                        "cpu_ms_per_request": round(median * seconds / total, 2),
                    }
                    for name, seconds in by_function.most_common(args.top)
                ],
                "parkdash_functions_inclusive": [
                    {
                        "function": name,
                        "share_pct": round(100 * seconds / total, 1),
                        "cpu_ms_per_request": round(median * seconds / total, 2),
                    }
                    for name, seconds in ours.most_common(args.top)
                ],
            }
            print_kind(kind, summary["kinds"][kind])
    finally:
        requests.clean_up()
    (out.parent / "profile.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    print("\nfull profiles: {}/<kind>.html; figures: {}".format(out, out.parent / "profile.json"))


def print_kind(kind, figures):
    head = "{}: {} ms CPU per request (median; mean {})"
    print("\n== " + head.format(kind, figures["cpu_ms_median"], figures["cpu_ms_mean"]))
    print("   " + ", ".join("{} {}%".format(area, pct) for area, pct in figures["areas_pct"].items() if pct >= 1))
    print("   own time:")
    for row in figures["top_functions"]:
        print("   {:>7.2f} ms {:>5.1f}%  {}".format(row["cpu_ms_per_request"], row["share_pct"], row["function"][:100]))

    print("   ParkDash functions, callees included:")
    for row in figures["parkdash_functions_inclusive"]:
        print("   {:>7.2f} ms {:>5.1f}%  {}".format(row["cpu_ms_per_request"], row["share_pct"], row["function"][:100]))


if __name__ == "__main__":
    main()
