"""`manage.py feed_restart`: start the figures' change feed afresh (see parkdash.indicators.changes.restart)."""

from django.core.management.base import BaseCommand

from parkdash.indicators import changes


class Command(BaseCommand):
    help = (
        "Start the figures' change feed afresh: a new epoch (API clients' cursors are refused and they mirror from "
        "the beginning), every figure stamped again, no tombstones. Run it after restoring PostgreSQL from pg_dump "
        "into a new cluster; not needed after `restore`, on a replica or after pg_upgrade."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, database, **options):
        changes.restart(database)
        self.stdout.write("The change feed starts afresh: clients mirror the figures again from the beginning.")
