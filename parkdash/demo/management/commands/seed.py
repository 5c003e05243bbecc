import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import connection

from parkdash.demo import seeding

RESET_WARNING = (
    "This deletes EVERY record of the database {name} (parks, figures, summaries, users, history), then loads the "
    "seed and the demo parks again."
)


class Command(BaseCommand):
    help = (
        "Load the seed fixture and the demo parks, and create a demo administrator, into an empty database (no park "
        "yet). A database that holds data is left untouched: nothing is overwritten or deleted. --reset deletes "
        "every record first (it asks, unless --noinput)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete every record of the database (flush), then load the seed and the demo parks again.",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="With --reset: do not ask for confirmation.",
        )
        parser.add_argument(
            "--no-demo", action="store_true", help="Load the seed only: no demo parks, no demo administrator."
        )

    @no_translations  # English output, like the other commands, whatever LANGUAGE_CODE says
    def handle(self, *args, reset, interactive, no_demo, **options):
        verbose = options["verbosity"] > 0
        if reset:
            self._confirm_reset(interactive)
            result = seeding.reset(with_demo=not no_demo)
        else:
            result = seeding.load(with_demo=not no_demo)
        if not result.loaded:
            if verbose:
                self.stdout.write(
                    f"The database holds data already ({result.parks} park(s)): nothing loaded, nothing changed. "
                    "To start over with the seed and the demo parks: make reset (deletes every record)."
                )
        elif verbose:
            added = sum(result.added.values())
            self.stdout.write(f"Loaded the seed: {added} record(s) added, {result.kept} already there and kept.")
            if result.demo is not None:
                self.stdout.write(
                    f"Generated {result.demo.parks} demo park(s) with seed {result.demo.seed} "
                    f"in {result.demo.seconds:.1f} s."
                )
        if not no_demo:  # a deployment (--no-demo) creates its own administrator, never one with a known password
            call_command("ensure_demo_admin", verbosity=options["verbosity"], stdout=self.stdout)

    def _confirm_reset(self, interactive):
        warning = RESET_WARNING.format(name=connection.settings_dict["NAME"])
        if not interactive:
            return
        if not sys.stdin.isatty():
            raise CommandError(f"{warning} Nobody is there to confirm: run `make reset CONFIRM=1` (--noinput).")
        answer = input(f"{warning}\nType 'yes' to continue, anything else to cancel: ")
        if answer.strip().lower() != "yes":
            raise CommandError("Reset cancelled: nothing was deleted.")
