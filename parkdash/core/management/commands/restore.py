"""`make restore FILE=…`: load a dump written by `backup` into an empty, migrated database."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from .backup import backup_models

# Present in every freshly migrated database: the role groups come from a data migration.
ALWAYS_PRESENT = {"auth.group"}


def existing_records():
    """{model label: count} of the backed-up models that hold rows, the migration-made groups aside."""
    counts = {}
    for model in backup_models():
        if model._meta.label_lower in ALWAYS_PRESENT:
            continue
        count = model._base_manager.count()
        if count:
            counts[model._meta.label] = count
    return counts


class Command(BaseCommand):
    help = (
        "Load a dump written by `backup` into an empty, migrated database (python manage.py migrate first). "
        "Refuses a database that already holds records, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A backups/parkdash-….json.gz file.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though the database holds records: records with the same natural "
            "key are overwritten, and records without one (work summaries, candidates, "
            "project updates) with the same id.",
        )

    def handle(self, *args, file, force, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        existing = existing_records()
        if existing and not force:
            listed = ", ".join(f"{label} ({count})" for label, count in existing.items())
            raise CommandError(
                f"The database is not empty: {listed}. Restore into a freshly migrated database, "
                "or pass --force to overwrite."
            )
        with transaction.atomic():
            call_command("loaddata", str(path), verbosity=options["verbosity"])
        total = sum(model._base_manager.count() for model in backup_models())
        self.stdout.write(f"Restored {path}: the database now holds {total:,} records of the backed-up models.")
