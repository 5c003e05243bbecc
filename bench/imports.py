#!/usr/bin/env python
"""The figure import at scale: a workbook of --rows figures through the admin's preview and confirm, and again.

Usage:  make bench                                   (runs bench/run.py, then this)
        .venv/bin/python bench/imports.py --rows 10000 --json bench/results/imports.json
        .venv/bin/python bench/imports.py --rows 2000 --profile [unchanged|confirm]   (cProfile of a preview,
                                                                            or of the confirm of new rows)

As bench/bombs.py does it: a fresh Python process on an in-memory SQLite database with the seed loaded (the seed
park 东部产业集聚区 and its zones, 55 indicators), a superuser with Django's test client, the real views. The file
is made before the clock starts: ``rows`` valid figures, every seed indicator over zones, years and months, 11
columns as the admin's export writes them. Steps: the preview of new rows, their confirm (saving them), then the
same file again (every row unchanged: the preview a clerk sees when re-importing an edited export) and its
confirm. For each: seconds, rows per second, peak resident memory (the process's high-water mark during the
step, Django and the seed included: what a gunicorn worker would reach). Budget: 20 s and 300 MB a step.
"""

import argparse
import io
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BUDGET_MB, BUDGET_S = 300, 20


def workbook(rows):
    """An .xlsx of ``rows`` figure rows (column names as the admin export writes them) and its park."""
    from openpyxl import Workbook

    from parkdash.indicators.models import Indicator
    from parkdash.parks.models import Park

    park = Park.objects.order_by("pk").first()
    zones = [None, *park.zones.order_by("pk").values_list("name", flat=True)]
    indicators = list(Indicator.objects.order_by("code").values_list("code", "unit"))
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["indicator", "park", "zone", "year", "month", "kind", "version", "value", "unit", "yoy_pct", "note"])
    written = 0
    year = 1990
    while written < rows:
        for month in range(1, 13):
            for zone in zones:
                for code, unit in indicators:
                    if written == rows:
                        break
                    sheet.append([code, park.name, zone, year, month, "实际", "正式", 10 + written % 97, unit, 4.5, ""])
                    written += 1
        year += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(rows, profile):
    import bombs

    client = bombs.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parkdash.indicators.models import Figure
    from tests.support import XLSX_FORMAT, confirm_import, import_url

    settings.PARKDASH_IMPORT_MAX_ROWS = max(settings.PARKDASH_IMPORT_MAX_ROWS, rows)
    data = workbook(rows)
    url = import_url(Figure)

    def preview():
        upload = SimpleUploadedFile("figures.xlsx", data)
        return client.post(url, {"import_file": upload, "format": XLSX_FORMAT, "resource": 0})

    if profile:
        import cProfile
        import pstats

        if profile == "unchanged":
            confirm_import(client, Figure, preview())
        previewed = preview() if profile == "confirm" else None
        profiler = cProfile.Profile()
        profiler.enable()
        if previewed is None:
            preview()
        else:
            confirm_import(client, Figure, previewed)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
        return []

    steps = []
    for label in ("new rows", "unchanged rows"):
        responses = []

        def step(fn, responses=responses):
            responses.append(fn())
            return responses[-1]

        measured = bombs.measure("preview of {} {}".format(rows, label), lambda: step(preview))
        steps.append(measured)
        if not (responses[-1].context or {}).get("confirm_form"):
            measured["outcome"] += " (no confirm step)"
            continue
        previewed = responses[-1]
        steps.append(
            bombs.measure(
                "confirm of {} {}".format(rows, label),
                lambda previewed=previewed: step(lambda: confirm_import(client, Figure, previewed)),
            )
        )
    for measured in steps:
        measured["rows_per_second"] = round(rows / measured["seconds"]) if measured["seconds"] else None
    steps.append({"step": "figures stored", "count": Figure.objects.count()})
    return steps


def report(steps):
    lines = ["| step | seconds | CPU s | rows/s | peak RSS MB | outcome |", "|---|---:|---:|---:|---:|---|"]
    for s in steps:
        if "seconds" not in s:
            lines.append("| {} | | | | | {} |".format(s["step"], s.get("count")))
            continue
        over = s["seconds"] > BUDGET_S or (s["peak_rss_mb"] or 0) > BUDGET_MB
        lines.append(
            "| {} | {:.1f} | {:.1f} | {} | {} | {}{} |".format(
                s["step"],
                s["seconds"],
                s["cpu_seconds"],
                s["rows_per_second"],
                s["peak_rss_mb"],
                s["outcome"],
                " **OVER**" if over else "",
            )
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--json", default=None)
    parser.add_argument("--profile", nargs="?", const="new", choices=("new", "unchanged", "confirm"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child or args.profile:
        steps = run(args.rows, args.profile)
        print("@@RESULT@@" + json.dumps(steps, ensure_ascii=False))
        return
    command = [sys.executable, __file__, "--child", "--rows", str(args.rows)]
    started = time.perf_counter()
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    steps = next(json.loads(line[10:]) for line in output.splitlines() if line.startswith("@@RESULT@@"))
    print("figure import, {:,} rows ({:.0f} s in all)".format(args.rows, time.perf_counter() - started))
    print(report(steps))
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": args.rows, "steps": steps}, indent=1, ensure_ascii=False))
        print("wrote", args.json)


if __name__ == "__main__":
    main()
