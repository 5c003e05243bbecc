#!/usr/bin/env python
"""ParkDash benchmark: every page at demo scale 1 and 100, side by side with two baselines.

Usage:  make bench                 (SQLite files under bench/data/, kept between runs)
        DATABASE_URL=postgres://… .venv/bin/python bench/run.py
Options: --scales 1,100  --repeat 20  --json bench/results/<db>.json  --regenerate

For each scale it (re)generates the demo data (generate_demo_data --scale N) unless the database holds it already,
then measures, after a warm-up, over --repeat runs: median and p95 milliseconds, SQL queries and the peak memory
growth (tracemalloc, in a separate run) of the overview, an indicator page, the first page of every table unfiltered
and filtered (warm, then again each after a write to the park's figures, which makes the pages render afresh what
was cached under the data versions; each worker's copies on, as in production), a CSV export of 100,000 rows, an
XLSX export of 10,000 rows and the extraction of the seed summary. In the same run: a trivial Django view, and
django-tables2's stock ExportMixin CSV export of the same 100,000 rows. It prints a table and the ratios, and writes
the same figures as JSON. Then (unless --no-imports) bench/imports.py: a 10,000-row figure workbook through the
admin import's preview and confirm, and bench/upsert.py: 1,000 figures through the bulk upsert (indicators/entry.py)
in one batch.
"""

import argparse
import contextlib
import gc
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
EXPORT_ROWS, XLSX_ROWS = 100_000, 10_000


def setup_database(scale, regenerate):
    """Point Django at the database for ``scale`` and make sure it holds the demo data of that scale."""
    import django

    if not os.environ.get("DATABASE_URL"):
        data = ROOT / "bench" / "data"
        data.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = "sqlite:///{}".format(data / "scale-{}.sqlite3".format(scale))
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    settings.ROOT_URLCONF = "bench.urls"
    settings.DEBUG = False
    # As production (parkdash/settings.py): each worker keeps copies of what it cached under the data versions (the
    # test settings turn them off). PARKDASH_LOCAL_CACHE_MB=0 measures without them.
    settings.PARKDASH_LOCAL_CACHE_MB = int(os.environ.get("PARKDASH_LOCAL_CACHE_MB", "16"))
    from parkdash.parks import versions

    versions.local_copies().clear()
    call_command("migrate", verbosity=0)
    from parkdash.parks.models import Park

    marker = "scale={}".format(scale)
    demo = Park.objects.filter(is_demo=True).order_by("code").first()
    generated = None
    if regenerate or demo is None or demo.description.find(marker) < 0:
        call_command("loaddata", "seed", verbosity=0)
        started = time.perf_counter()
        call_command("generate_demo_data", scale=scale, verbosity=0)
        generated = round(time.perf_counter() - started, 1)
        print("  generated scale {} in {:.1f} s".format(scale, generated))
        Park.objects.filter(is_demo=True).update(description=marker)
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    return user, generated


def measure(fn, repeat, warmup=2, before=None):
    """(median ms, p95 ms, queries, peak memory growth MB) of calling ``fn``; ``before()``, when given, is called
    before each call of ``fn``, untimed (a write, so that every call renders afresh what depends on the data).

    The queries are counted in a run of their own, after the timed ones, unless ``repeat`` is 1 (the stock
    export, minutes a run): then in the timed run, whose time the capture barely changes.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        fn()
    times = []
    query_count = None
    for _ in range(repeat):
        if before is not None:
            before()
        gc.collect()
        with CaptureQueriesContext(connection) if repeat == 1 else contextlib.nullcontext() as queries:
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        if queries is not None:
            query_count = len(queries)
    if query_count is None:
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as queries:
            fn()
        # Counted now: the captured list is a live slice of the connection's log, which the next request clears.
        query_count = len(queries)
    gc.collect()
    if before is not None:
        before()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(p95, 2),
        "queries": query_count,
        "peak_mb": round(peak / 1024 / 1024, 2),
    }


def get(client, url):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            for _ in response.streaming_content:
                pass
        else:
            response.content  # noqa: B018

    return call


def pages(client, park, year, zone):
    q = "?park={}".format(park)
    return {
        "overview": "/" + q,
        "indicator page": "/indicators/fixed_asset_investment/{}&year={}".format(q, year),
        "figures table": "/indicators/",
        "figures filtered": "/indicators/{}&year={}&kind=actual&category=investment".format(q, year),
        "projects table": "/projects/",
        "projects filtered": "/projects/{}&phase=continuing&zone={}".format(q, zone),
        "enterprises table": "/enterprises/",
        "enterprises filtered": "/enterprises/{}&stage=production&q=科技".format(q),
        "works table": "/works/",
        "works filtered": "/works/{}&year={}&kind=road".format(q, year),
    }


def export_functions():
    """Our streaming CSV and XLSX exports and the stock django-tables2 export, on the same rows."""
    from django_tables2.export import TableExport

    from parkdash.core.export import csv_response, xlsx_response
    from parkdash.indicators.models import Figure
    from parkdash.indicators.tables import FigureTable

    all_rows = Figure.objects.select_related("indicator", "park", "zone").order_by("pk")

    def first(n):
        # A pk range rather than a slice: the stock table re-sorts its queryset, which a slice forbids.
        pks = all_rows.values_list("pk", flat=True)
        cutoff = pks[n - 1] if all_rows.count() >= n else pks.last()
        return all_rows.filter(pk__lte=cutoff)

    rows, xlsx_rows = first(EXPORT_ROWS), first(XLSX_ROWS)
    columns = FigureTable([]).export_columns()

    def ours_csv():
        for _ in csv_response(rows, columns, "bench").streaming_content:
            pass

    def ours_xlsx():
        for _ in xlsx_response(xlsx_rows, columns, "bench").streaming_content:
            pass

    def stock_csv():
        # A fresh queryset each run: the table iterates it, and a reused one would serve the rows from its cache.
        TableExport("csv", FigureTable(rows.all())).response("bench.csv").content  # noqa: B018

    return rows.count(), xlsx_rows.count(), ours_csv, ours_xlsx, stock_csv


def run_scale(scale, repeat, regenerate):
    user, generated = setup_database(scale, regenerate)
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import Client

    # As in Django's test runner: keep one connection across requests (a server would, with CONN_MAX_AGE),
    # so that query counts are read from it.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    from parkdash.intake.extract import decode, extract
    from parkdash.parks.models import Park

    client = Client()
    client.force_login(user)
    park = Park.objects.filter(is_demo=True).order_by("code").first()
    from parkdash.indicators.selection import select

    class Req:  # the selection the overview makes by default for this park
        GET = {"park": str(park.pk)}

    Req.user = user
    year = select(Req).year
    zone = park.zones.order_by("pk").values_list("pk", flat=True).first()
    results = {"trivial view": measure(get(client, "/bench/trivial/"), repeat)}
    for name, url in pages(client, park.pk, year, zone).items():
        results[name] = measure(get(client, url), repeat)
    # The same pages, each call after a write to the park's figures: what was cached under the park's and the
    # records' data versions (its overview, its charts, the tables' pages and counts) is written afresh.
    from django.db.models import F

    from parkdash.indicators.models import Figure

    touched = Figure.objects.filter(park=park).values_list("pk", flat=True).first()

    def write():
        Figure.objects.filter(pk=touched).update(note=F("note"))  # the same value: the triggers bump the versions

    for name, url in pages(client, park.pk, year, zone).items():
        results[name + ", after a write"] = measure(get(client, url), repeat, before=write)
    available, xlsx_available, ours_csv, ours_xlsx, stock_csv = export_functions()
    export_repeat = 3
    results["csv export ({} rows)".format(available)] = measure(ours_csv, export_repeat, warmup=1)
    results["xlsx export ({} rows)".format(xlsx_available)] = measure(ours_xlsx, export_repeat, warmup=1)
    # The stock export takes seconds per run: once, after no warm-up (its cost is dominated by rendering).
    results["stock tables2 csv ({} rows)".format(available)] = measure(stock_csv, 1, warmup=0)
    seed = (
        decode((ROOT.parent / "shared" / "seeds" / "000_84ad286a35deb247.txt").read_bytes())
        if (ROOT.parent / "shared" / "seeds").exists()
        else decode((ROOT / "tests" / "intake" / "samples" / "seed_000.txt").read_bytes())
    )
    results["extract seed summary"] = measure(lambda: extract(seed), repeat * 4)
    from parkdash.enterprises.models import Enterprise
    from parkdash.indicators.models import Figure
    from parkdash.infrastructure.models import InfrastructureWork
    from parkdash.parks.models import Zone
    from parkdash.projects.models import Project

    counts = {
        name: model.objects.count()
        for name, model in (
            ("parks", Park),
            ("zones", Zone),
            ("figures", Figure),
            ("projects", Project),
            ("enterprises", Enterprise),
            ("works", InfrastructureWork),
        )
    }
    return {"counts": counts, "generated_seconds": generated, "results": results}


def report(by_scale, vendor):
    scales = sorted(by_scale)
    names = list(by_scale[scales[0]]["results"])
    lines = ["database: {}".format(vendor)]
    for scale in scales:
        generated = by_scale[scale].get("generated_seconds")
        lines.append(
            "scale {}: {}{}".format(
                scale,
                by_scale[scale]["counts"],
                "" if generated is None else ", generated in {:.1f} s".format(generated),
            )
        )
    header = "{:<34}".format("measure") + "".join(
        "{:>12}{:>10}{:>6}{:>9}".format("s{} med ms".format(s), "p95", "SQL", "MB") for s in scales
    )
    lines += [header, "-" * len(header)]
    for name in names:
        row = "{:<34}".format(name[:34])
        for scale in scales:
            # Export names carry their row count, which differs by scale: match on the name before it.
            r = by_scale[scale]["results"].get(name) or _similar(by_scale[scale]["results"], name.split(" (")[0])
            row += "{:>12.1f}{:>10.1f}{:>6}{:>9.1f}".format(r["median_ms"], r["p95_ms"], r["queries"], r["peak_mb"])
        lines.append(row)
    if len(scales) >= 2:
        small, large = scales[0], scales[-1]
        lines.append("")
        lines.append("ratios: page at scale {} / scale {}; page / trivial view (scale {})".format(large, small, large))
        trivial = by_scale[large]["results"]["trivial view"]["median_ms"]
        for name in names:
            if "export" in name or "stock" in name or name in ("trivial view", "extract seed summary"):
                continue
            a = _similar(by_scale[small]["results"], name)["median_ms"]
            b = by_scale[large]["results"][name]["median_ms"]
            lines.append("  {:<32} {:>6.2f}x   {:>7.1f}x trivial".format(name, b / a, b / trivial))
    for scale in scales:
        results = by_scale[scale]["results"]
        ours = _similar(results, "csv export")
        stock = _similar(results, "stock tables2 csv")
        lines.append(
            "scale {}: stock django-tables2 CSV export / ours: {:.1f}x time, {:.1f} MB vs {:.1f} MB".format(
                scale, stock["median_ms"] / ours["median_ms"], stock["peak_mb"], ours["peak_mb"]
            )
        )
    return "\n".join(lines)


def _similar(results, prefix):
    return next(v for k, v in results.items() if k.startswith(prefix))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,100")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--json", default=None)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--no-imports", action="store_true", help="skip the import and upsert benchmarks (imports.py, upsert.py)"
    )
    parser.add_argument("--one-scale", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    pg = os.environ.get("DATABASE_URL", "").startswith("postgres")
    if args.one_scale is not None:
        # A child process per scale: each gets its own database connection and a clean interpreter.
        result = run_scale(args.one_scale, args.repeat, args.regenerate or pg)
        from django.db import connection

        result["vendor"] = "{} {}".format(
            connection.vendor,
            connection.pg_version
            if connection.vendor == "postgresql"
            else ".".join(map(str, connection.Database.sqlite_version_info)),
        )
        print("@@RESULT@@" + json.dumps(result))
        return
    by_scale = {}
    for scale in [int(s) for s in args.scales.split(",")]:
        print("scale {} …".format(scale), flush=True)
        command = [sys.executable, __file__, "--one-scale", str(scale), "--repeat", str(args.repeat)]
        if args.regenerate:
            command.append("--regenerate")
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        for line in output.splitlines():
            if line.startswith("@@RESULT@@"):
                by_scale[scale] = json.loads(line[len("@@RESULT@@") :])
            else:
                print(line)
    vendor = by_scale[min(by_scale)]["vendor"]
    # The figures first: a long run must not be lost to a formatting error.
    out = Path(args.json) if args.json else ROOT / "bench" / "results" / "{}.json".format(vendor.split()[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"database": vendor, "scales": by_scale}, indent=1, ensure_ascii=False))
    print(report(by_scale, vendor))
    print("wrote", out)
    if not args.no_imports:
        # The figure import at scale (bench/imports.py): a 10,000-row workbook through preview and confirm.
        print()
        imports = ROOT / "bench" / "results" / "imports.json"
        subprocess.run([sys.executable, str(ROOT / "bench" / "imports.py"), "--json", str(imports)], check=True)
        # The bulk figure upsert of the API (bench/upsert.py): 1,000 figures in one batch, on this run's database.
        print()
        upsert = ROOT / "bench" / "results" / "upsert-{}.json".format(vendor.split()[0])
        subprocess.run([sys.executable, str(ROOT / "bench" / "upsert.py"), "--json", str(upsert)], check=True)


if __name__ == "__main__":
    main()
