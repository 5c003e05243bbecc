#!/usr/bin/env python
"""The bulk figure upsert (indicators/entry.py, upsert_figures) at its limit: --items figures in one batch.

Usage:  .venv/bin/python bench/upsert.py --items 1000 --json bench/results/upsert-sqlite.json
        scripts/with-postgres .venv/bin/python bench/upsert.py --json bench/results/upsert-postgresql.json
        (make bench runs it after bench/imports.py, on the database bench/run.py uses)

As bench/imports.py does it: a fresh process, the test database of the configured engine (in-memory SQLite by
default, or DATABASE_URL's PostgreSQL) with the seed loaded, a superuser. The batch is made before the clock
starts: --items plausible actuals of the seed park's indicators (rising running totals, whole park and zones).
Steps: the batch of new figures (all created), the same batch again (all unchanged: no write), the batch with
every value changed (all updated). For each: seconds, CPU seconds, items per second and SQL queries (counted by
an execute wrapper, not recorded). Budget: 10 s a step.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BUDGET_S = 10


def batch(count, bump=0):
    """``count`` items: every seed indicator, month by month, over the park and its zones, from 2001."""
    from parkdash.indicators.models import Indicator
    from parkdash.parks.models import Park

    park = Park.objects.order_by("pk").first()
    zones = [None, *park.zones.order_by("pk").values_list("name", flat=True)]
    codes = list(Indicator.objects.order_by("code").values_list("code", flat=True))
    items = []
    year = 2001
    while len(items) < count:
        for zone in zones:
            for code in codes:
                for month in range(1, 13):
                    if len(items) == count:
                        return items
                    value = 100 + month * 3 + bump  # a rising running total, never a year-like count
                    item = {"indicator": code, "park": park.code, "zone": zone, "year": year, "month": month}
                    items.append(item | {"kind": "actual", "version": "final", "value": value})
        year += 1
    return items


def run(count):
    import bombs

    bombs.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from parkdash.indicators.entry import upsert_figures
    from parkdash.indicators.models import Figure

    user = get_user_model().objects.get(username="bombs")
    queries = [0]

    def counter(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    steps = []
    for label, items in (
        ("new", batch(count)),
        ("unchanged", batch(count)),
        ("changed", batch(count, bump=1)),
    ):
        queries[0] = 0
        started, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(counter):
            result = upsert_figures(user, items)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
        statuses = {}
        for item in result.items:
            statuses[item.status] = statuses.get(item.status, 0) + 1
        steps.append(
            {
                "step": "{} {} items".format(count, label),
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu_seconds, 2),
                "items_per_second": round(count / seconds) if seconds else None,
                "queries": queries[0],
                "queries_per_item": round(queries[0] / count, 1),
                "ok": result.ok,
                "statuses": statuses,
            }
        )
    steps.append({"step": "figures stored", "count": Figure.objects.count(), "engine": connection.vendor})
    return steps


def report(steps):
    lines = [
        "| step | seconds | CPU s | items/s | queries | per item | outcome |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for s in steps:
        if "seconds" not in s:
            lines.append("| {} ({}) | | | | | | {} |".format(s["step"], s["engine"], s["count"]))
            continue
        over = " **OVER**" if s["seconds"] > BUDGET_S else ""
        outcome = "ok " if s["ok"] else "NOT OK "
        outcome += ", ".join("{} {}".format(n, status) for status, n in s["statuses"].items())
        row = "| {step} | {seconds:.2f} | {cpu_seconds:.2f} | {items_per_second} | {queries} | {queries_per_item} | "
        lines.append(row.format(**s) + outcome + over + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--json", default=None)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("@@RESULT@@" + json.dumps(run(args.items), ensure_ascii=False))
        return
    command = [sys.executable, __file__, "--child", "--items", str(args.items)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    steps = next(json.loads(line[10:]) for line in output.splitlines() if line.startswith("@@RESULT@@"))
    print("bulk figure upsert, {:,} items in one batch".format(args.items))
    print(report(steps))
    if args.json:
        Path(args.json).write_text(json.dumps({"items": args.items, "steps": steps}, indent=1, ensure_ascii=False))
        print("wrote", args.json)


if __name__ == "__main__":
    main()
