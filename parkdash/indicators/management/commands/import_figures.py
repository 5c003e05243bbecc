"""Import a figure file of any length on the server: what the admin's import does, without its row bound.

    python manage.py import_figures FILE [--park CODE] [--user NAME] [--dry-run]

The admin's import stops at PARKDASH_IMPORT_MAX_ROWS rows so that its preview answers within a request. This command
reads the same CSV (UTF-8) or XLSX files, with the same columns (headings in Chinese or English, as the table export
or the admin export write them), and checks every row as the admin does. It runs in one transaction: when any row is
wrong, it prints each bad line with its number and reasons and saves nothing. Progress goes to standard error
every ``--progress`` rows; run it with nohup (or in tmux) to leave it in the background.
"""

import sys
import time
from pathlib import Path

import tablib
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from parkdash.core import uploads
from parkdash.core.resources import import_report
from parkdash.indicators.resources import FigureResource
from parkdash.parks.models import Park

MAX_ROWS = 1_000_000


class CommandFigureResource(FigureResource):
    """The admin's figure import, reporting progress; no HTML diff is kept of a row (nobody sees it)."""

    progress_every = 1000
    progress = None

    class Meta(FigureResource.Meta):
        skip_html_diff = True

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        result.original = result.instance = None  # kept by django-import-export for the page; 100,000 of them add up
        number = kwargs.get("row_number", 0)
        if self.progress is not None and number % self.progress_every == 0:
            self.progress(number)
        return result


def read_dataset(path):
    data = Path(path).read_bytes()
    if data[:4] == b"PK\x03\x04":
        return uploads.read_xlsx(data, max_rows=MAX_ROWS)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(
            "{} is neither an .xlsx workbook nor UTF-8 text: save it as “CSV UTF-8” or .xlsx.".format(path)
        ) from None
    return tablib.Dataset().load(text, format="csv")


class Command(BaseCommand):
    help = (
        "Import indicator figures from a CSV (UTF-8) or XLSX file of any length, with the admin import's checks, in "
        "one transaction: any bad row is printed with its line number and nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv (UTF-8) or .xlsx file, the first row naming the columns")
        parser.add_argument("--park", help="the park code: rows must be of this park; an empty park cell means it")
        parser.add_argument("--user", help="import as this user: only the user's parks (default: every park)")
        parser.add_argument("--dry-run", action="store_true", help="check every row, save nothing")
        parser.add_argument("--progress", type=int, default=1000, help="print progress every N rows (default 1000)")

    def handle(self, *args, file, park=None, user=None, dry_run=False, progress=1000, **options):
        try:
            dataset = read_dataset(file)
        except OSError as error:
            raise CommandError("cannot read {}: {}".format(file, error.strerror)) from None
        except uploads.UploadRejected as error:
            raise CommandError(str(error)) from None
        importer = self.user(user)
        resource = CommandFigureResource(user=importer)
        if park:
            dataset = self.fill_park(dataset, resource, park)
        total = len(dataset)
        started = time.monotonic()
        err = self.stderr

        def report_progress(number):
            elapsed = time.monotonic() - started
            err.write("{:,} of {:,} rows checked ({:.0f} rows/s)".format(number, total, number / max(elapsed, 1e-6)))

        resource.progress, resource.progress_every = report_progress, max(progress, 1)
        err.write("importing {:,} rows from {} …".format(total, file))
        with transaction.atomic():
            result = resource.import_data(
                dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
            )
            failed = result.has_errors() or result.has_validation_errors()
            if failed or dry_run:
                transaction.set_rollback(True)
        report = import_report(result, resource, limit=sys.maxsize)
        if failed:
            for error in result.base_errors:
                self.stdout.write("file: {}".format(error.error))
            for row in report["rows"]:
                reasons = "; ".join(
                    "{}{}{}".format(
                        "{}: ".format(p["heading"]) if p["heading"] else "",
                        p["message"],
                        ' (value given: "{}")'.format(p["value"]) if p["value"] else "",
                    )
                    for p in row["problems"]
                )
                self.stdout.write("line {}: {}".format(row["line"], reasons))
            raise CommandError(report["summary"])
        totals = result.totals
        self.stdout.write(
            "{} {:,} rows in {:.0f} s: {:,} new, {:,} changed, {:,} unchanged.".format(
                "Checked (dry run, nothing saved)" if dry_run else "Imported",
                total,
                time.monotonic() - started,
                totals.get("new", 0),
                totals.get("update", 0),
                totals.get("skip", 0),
            )
        )

    def user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError("no user “{}”".format(username)) from None

    def fill_park(self, dataset, resource, code):
        """Every row of the park ``code``: an empty park cell is filled in, a row of another park is refused."""
        try:
            park = Park.objects.get(code=code)
        except Park.DoesNotExist:
            raise CommandError("no park with the code “{}”".format(code)) from None
        headers = resource.map_headers(dataset.headers or [])
        column = resource.fields["park"].column_name
        if column not in headers:
            dataset.append_col([park.code] * len(dataset), header=column)
            return dataset
        index = headers.index(column)
        wrong = []
        rows = []
        for number, row in enumerate(dataset, start=2):
            row = list(row)
            cell = str(row[index] or "").strip()
            if not cell:
                row[index] = park.code
            elif cell not in (park.code, park.name):
                wrong.append(number)
            rows.append(row)
        if wrong:
            raise CommandError(
                "rows of another park than {} ({}) at lines {}; nothing was saved".format(
                    park.name, park.code, ", ".join(map(str, wrong[:20])) + (" …" if len(wrong) > 20 else "")
                )
            )
        return tablib.Dataset(*rows, headers=dataset.headers)
