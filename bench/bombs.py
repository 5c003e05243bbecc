#!/usr/bin/env python
"""The bomb corpus through the real upload and import views: peak memory and time of each, one process a case.

Usage:  make bombs                             (every case; a Markdown table on stdout)
        .venv/bin/python bench/bombs.py --case docx-bomb-1gib --case csv-100k-rows
        .venv/bin/python bench/bombs.py --json bench/results/bombs.json

Nothing of the corpus is kept in the repository: tests/support/bombs.py generates each file in memory (a gigabyte
of XML streams through the compressor in chunks). Each case runs in a fresh Python process on an in-memory SQLite
database with the seed loaded, as a superuser with Django's test client, against the views a person uses: the
work-summary upload (admin → 工作总结 → add), the figure import preview (admin → 指标数据 → import), and for
the largest summary allowed its review page, "Save choices" and "Apply". The file is generated before the clock
starts; then the peak resident memory is reset (Linux /proc/self/clear_refs), so that "peak RSS" is the
process's high-water mark during the request, Django and the seed included: what a gunicorn worker would reach.
The budget: under 300 MB and 30 s for every case.
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BUDGET_MB, BUDGET_S = 300, 30
MiB = 1024 * 1024

# name: (what it is, where it goes)
CASES = {
    "docx-bomb-1gib": ("3.7 MB .docx, word/document.xml inflates to 1 GiB of paragraphs", "summary upload"),
    "docx-text-node-1gib": ("1.1 MB .docx, one text node of 1 GiB", "summary upload"),
    "docx-dense-at-limit": (
        "a .docx just under the size bounds, all empty paragraphs (most XML nodes per byte)",
        "summary upload",
    ),
    "docx-worst-allowed": ("a .docx just within the markup bounds: 19,990 paragraphs of 4 bold runs", "summary upload"),
    "docx-billion-laughs": (".docx whose document declares nested entities", "summary upload"),
    "docx-many-entries": ("4.9 MB .docx of ~55,000 empty entries", "summary upload"),
    "xlsx-bomb-10m-rows": (".xlsx of 10 million rows", "figure import (XLSX)"),
    "xlsx-rows-at-limit": (".xlsx of one-cell rows just under the part bound (~400,000 rows)", "figure import (XLSX)"),
    "xlsx-wide-row-at-limit": (
        ".xlsx whose second row is one row of cells just under the part bound",
        "figure import (XLSX)",
    ),
    "xlsx-worst-allowed": (
        ".xlsx just within the bounds: a row short of the row bound, 190,000 shared strings",
        "figure import (XLSX)",
    ),
    "xlsx-shared-strings-1gib": (".xlsx whose shared strings inflate to 1 GiB", "figure import (XLSX)"),
    "xlsx-many-entries": ("4.9 MB .xlsx of ~55,000 empty entries", "figure import (XLSX)"),
    "csv-100k-rows": ("100,000-row figure CSV (4.2 MB)", "figure import (CSV)"),
    "csv-at-row-cap": ("figure CSV of exactly the row bound, every row valid", "figure import (CSV)"),
    "paste-4.7mb": ("4.7 MB pasted summary (the probe's size)", "summary upload (pasted)"),
    "summary-longest": (
        "a pasted summary of exactly the character bound, prose without figures",
        "summary upload (pasted)",
    ),
    "summary-largest": (
        "the largest summary allowed: as many figures as the bound, under the character bound",
        "summary upload (pasted), review page, Save choices, Apply",
    ),
}


def rss_mb(field):
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"^{}:\s+(\d+) kB".format(field), status, re.M).group(1)) / 1024


def reset_peak():
    """Reset the high-water mark of resident memory to the current size (Linux 4.0+); False where not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def setup():
    """Django on an in-memory SQLite database with the seed, and a logged-in superuser's test client."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    call_command("loaddata", "seed", verbosity=0)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("bombs", "", "pw")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def outcome(response):
    """What the person sees: the status and the first error or message, in one line."""
    context = response.context or {}
    form = context.get("adminform").form if context.get("adminform") else context.get("form")
    if form is not None and form.errors:
        text = " ".join(str(m) for messages in form.errors.values() for m in messages)
    elif context.get("result") is not None:
        result = context["result"]
        text = "preview of {} rows{}".format(
            len(result.rows), ", with row errors" if result.has_validation_errors() or result.has_errors() else ""
        )
    elif response.status_code in (301, 302):
        text = "redirect to {}".format(response["Location"])
    else:
        messages = [str(m) for m in context.get("messages", [])] if context else []
        text = " ".join(messages) or "page of {:,} bytes".format(len(response.content))
    text = re.sub(r"\s+", " ", text).strip()
    return "{} {}".format(response.status_code, text[:160] + ("…" if len(text) > 160 else ""))


def measure(step, fn):
    import gc

    gc.collect()
    before = rss_mb("VmRSS")
    exact = reset_peak()
    started, cpu = time.perf_counter(), time.process_time()
    response = fn()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    peak = rss_mb("VmHWM") if exact else None
    return {
        "step": step,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(peak, 1) if peak else None,
        "outcome": outcome(response),
    }


def run_case(name):
    """Generate the case's file, feed it through its view(s); a list of measured steps."""
    from urllib.parse import urlencode

    client = setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parkdash.parks.models import Park
    from tests.support import CSV_FORMAT, XLSX_FORMAT, bombs

    park = Park.objects.get(code="dongbu")
    part = settings.PARKDASH_UPLOAD_ZIP_MAX_PART_BYTES

    def summary(data=None, name="summary.docx", pasted=""):
        upload = SimpleUploadedFile(name, data) if data is not None else ""
        return lambda: client.post(
            "/admin/intake/worksummary/add/",
            {
                "park": park.pk,
                "year": 2023,
                "month": 6,
                "plan_year": "",
                "title": "",
                "pasted": pasted,
                "upload": upload,
            },
        )

    def figures(data, fmt, name):
        return lambda: client.post(
            "/admin/indicators/figure/import/",
            {"import_file": SimpleUploadedFile(name, data), "format": fmt, "resource": 0},
        )

    def rows_at_limit():
        return bombs.xlsx_rows((part - 64 * 1024) // len(b"<row><c><v>1</v></c></row>"))

    # name: the step(s) of the case, each (label, request); the file is generated when the case is chosen.
    upload_step, preview_step = "upload", "import preview"
    cases = {
        "docx-bomb-1gib": lambda: [(upload_step, summary(bombs.docx_bomb(1024 * MiB)))],
        "docx-text-node-1gib": lambda: [(upload_step, summary(bombs.docx_huge_text_node(1024 * MiB)))],
        "docx-dense-at-limit": lambda: [(upload_step, summary(bombs.docx_dense(part - 64 * 1024)))],
        "docx-worst-allowed": lambda: [(upload_step, summary(bombs.docx_runs(19_990, 4)))],
        "docx-billion-laughs": lambda: [(upload_step, summary(bombs.docx_billion_laughs()))],
        "docx-many-entries": lambda: [(upload_step, summary(bombs.many_entries("docx")))],
        "xlsx-bomb-10m-rows": lambda: [
            (preview_step, figures(bombs.xlsx_rows(10_000_000), XLSX_FORMAT, "figures.xlsx"))
        ],
        "xlsx-rows-at-limit": lambda: [(preview_step, figures(rows_at_limit(), XLSX_FORMAT, "figures.xlsx"))],
        "xlsx-wide-row-at-limit": lambda: [
            (preview_step, figures(bombs.xlsx_wide_row(part - 64 * 1024), XLSX_FORMAT, "figures.xlsx"))
        ],
        "xlsx-worst-allowed": lambda: [
            (
                preview_step,
                figures(bombs.xlsx_worst(settings.PARKDASH_IMPORT_MAX_ROWS - 1, 190_000), XLSX_FORMAT, "figures.xlsx"),
            )
        ],
        "xlsx-shared-strings-1gib": lambda: [
            (preview_step, figures(bombs.xlsx_shared_strings(1024 * MiB), XLSX_FORMAT, "figures.xlsx"))
        ],
        "xlsx-many-entries": lambda: [(preview_step, figures(bombs.many_entries("xlsx"), XLSX_FORMAT, "figures.xlsx"))],
        "csv-100k-rows": lambda: [
            (preview_step, figures(bombs.figures_csv(100_000, park="dongbu", short=True), CSV_FORMAT, "figures.csv"))
        ],
        "csv-at-row-cap": lambda: [
            (
                preview_step,
                figures(bombs.figures_csv(settings.PARKDASH_IMPORT_MAX_ROWS, park="dongbu"), CSV_FORMAT, "figures.csv"),
            )
        ],
        "paste-4.7mb": lambda: [
            (upload_step, summary(pasted=bombs.summary_text(int(4.7 * 1024 * 1024) // 3, park="东部")))
        ],
        "summary-longest": lambda: [(upload_step, summary(pasted=bombs.prose(settings.PARKDASH_SUMMARY_MAX_CHARS)))],
    }
    if name == "summary-largest":
        return run_largest_summary(client, park, summary, urlencode)
    if name not in cases:
        raise SystemExit("unknown case {}".format(name))
    return [measure(step, fn) for step, fn in cases[name]()]


def run_largest_summary(client, park, summary, urlencode):
    """Upload the largest summary the bounds allow, then its review page, "Save choices" and "Apply"."""
    from django.conf import settings

    from parkdash.intake import services
    from parkdash.intake.models import WorkSummary
    from tests.support import bombs
    from tests.trust.test_uploads import review_post

    # The most text whose figures stay within the bound (the sample holds about one figure per 35 characters).
    low, high, bound = 1000, settings.PARKDASH_SUMMARY_MAX_CHARS, settings.PARKDASH_SUMMARY_MAX_CANDIDATES
    while high - low > 200:
        middle = (low + high) // 2
        if len(services.find(bombs.summary_text(middle, park="东部"), 2023)) <= bound:
            low = middle
        else:
            high = middle
    text = bombs.summary_text(low, park="东部")
    steps = [measure("upload ({:,} characters)".format(len(text)), summary(pasted=text))]
    uploaded = WorkSummary.objects.order_by("-pk").first()
    count = uploaded.candidates.count()
    url = "/admin/intake/worksummary/{}/review/".format(uploaded.pk)
    form = "application/x-www-form-urlencoded"  # as a browser posts the review form
    steps.append(measure("review page ({} figures)".format(count), lambda: client.get(url)))
    steps.append(
        measure(
            "Save choices (every box ticked)",
            lambda: client.post(url, urlencode({**review_post(uploaded), "_save": "1"}), content_type=form),
        )
    )
    steps.append(
        measure(
            "Apply", lambda: client.post(url, urlencode({**review_post(uploaded), "_apply": "1"}), content_type=form)
        )
    )
    return steps


def load():
    try:
        return "{:.1f}".format(os.getloadavg()[0])
    except OSError:
        return "?"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="run only these cases")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--run", help=argparse.SUPPRESS)  # the child process of one case
    args = parser.parse_args()
    if args.run:
        print("RESULT " + json.dumps(run_case(args.run), ensure_ascii=False))
        return 0
    names = args.case or list(CASES)
    print(
        "Bomb corpus through the upload and import views: {} cases, one process each ({}, Python {}, {} CPUs, "
        "load {} at the start).\n".format(
            len(names), platform.platform(terse=True), platform.python_version(), os.cpu_count(), load()
        ),
        flush=True,
    )
    results, failures = [], []
    for name in names:
        child = subprocess.run(
            [sys.executable, __file__, "--run", name],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        )
        line = next((line for line in child.stdout.splitlines() if line.startswith("RESULT ")), None)
        if child.returncode or line is None:
            failures.append(name)
            print("{}: the case failed (exit {})\n{}".format(name, child.returncode, child.stderr[-3000:]))
            continue
        for step in json.loads(line[len("RESULT ") :]):
            step.update({"case": name, "file": CASES[name][0], "path": CASES[name][1], "load": load()})
            results.append(step)
            print(
                "  {:<26} {:<34} {:>7.2f} s {:>7} MB  {}".format(
                    name, step["step"], step["seconds"], step["peak_rss_mb"] or "?", step["outcome"]
                ),
                flush=True,
            )
    print("\n| case | file | path, step | time (s) | CPU (s) | peak RSS (MB) | what the person sees |")
    print("|---|---|---|---:|---:|---:|---|")
    over = []
    for r in results:
        print(
            "| {case} | {file} | {path}: {step} | {seconds:.1f} | {cpu_seconds:.1f} | {peak} | {outcome} |".format(
                **r, peak=r["peak_rss_mb"] if r["peak_rss_mb"] is not None else "?"
            )
        )
        if r["seconds"] > BUDGET_S or (r["peak_rss_mb"] or 0) > BUDGET_MB:
            over.append("{} ({})".format(r["case"], r["step"]))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    print(
        "\nBudget: {} MB and {} s per case. {}{}".format(
            BUDGET_MB,
            BUDGET_S,
            "Over it: " + ", ".join(over) if over else "Every case measured is within it.",
            " Failed to run: " + ", ".join(failures) if failures else "",
        )
    )
    return 1 if over or failures else 0


if __name__ == "__main__":
    sys.exit(main())
