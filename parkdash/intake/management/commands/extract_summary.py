import json
import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from parkdash.indicators.catalogue import CATALOGUE
from parkdash.intake import extract

ZONE_SEPARATORS = re.compile(r"[,，、;；]+")


class Command(BaseCommand):
    help = (
        "Print the figures found in a work summary as a JSON array of candidates. "
        "Reads PATH (or standard input for '-'); writes nothing to the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a .txt file (UTF-8, UTF-8 with BOM, GB18030/GBK), or - for stdin")
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--year", type=int, default=None, help="the report year, if the text names none")
        parser.add_argument(
            "--zones",
            default="",
            help="the park's zone names, separated by commas or 、 "
            "(北区,南区): a figure after one of them is that zone's",
        )

    def handle(self, *args, path, year, zones, **options):
        try:
            data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as exc:
            raise CommandError("cannot read {}: {}".format(path, exc.strerror)) from None
        try:
            text = extract.decode(data)
        except extract.DecodeError as exc:
            raise CommandError(str(exc)) from None
        zone_names = [z.strip() for z in ZONE_SEPARATORS.split(zones or "") if z.strip()]
        candidates = extract.extract(text, catalogue=self.catalogue(), year=year, zones=zone_names)
        self.stdout.write(json.dumps([c.to_dict() for c in candidates], ensure_ascii=False, indent=1))

    def catalogue(self):
        """The catalogue with the aliases users added in the admin; the built-in one without a database."""
        try:
            from parkdash.intake.services import catalogue

            rows = catalogue()
        except DatabaseError:
            rows = []
        return rows or CATALOGUE
