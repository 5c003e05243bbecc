import argparse

from django.core.management.base import BaseCommand, CommandError, no_translations

from parkdash.demo import generator as demo


def positive_number(text):
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def positive_int(text):
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


class Command(BaseCommand):
    help = (
        "Replace the demo parks (is_demo, 示例 in the name) with synthetic ones holding five years of figures, "
        "projects, enterprises and infrastructure works. Real parks are never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help="Random seed: the same seed gives the same data (default %(default)s).",
        )
        parser.add_argument(
            "--scale",
            type=positive_number,
            default=1,
            help="1 (default): the showcase park and a second one, for `make run`. "
            "100: 250 parks and over a million figures, for benchmarks. "
            f"Each unit of scale is {demo.PARKS_PER_SCALE} parks.",
        )
        parser.add_argument("--parks", type=positive_int, help="Generate exactly this many parks, whatever the scale.")
        parser.add_argument(
            "--clear", action="store_true", help="Only delete every demo park and its data; generate nothing."
        )

    @no_translations  # English output, like the other commands, whatever LANGUAGE_CODE says
    def handle(self, *args, seed, scale, parks, clear, **options):
        if clear:
            result = demo.clear()
            if options["verbosity"] > 0:
                self.stdout.write(
                    f"Deleted {result.removed_parks} demo park(s) and their data in {result.seconds:.1f} s."
                )
            return
        try:
            result = demo.generate(seed=seed, scale=scale, parks=parks)
        except demo.DemoDataError as error:
            raise CommandError(str(error))
        if options["verbosity"] == 0:
            return
        if result.removed_parks:
            self.stdout.write(f"Replaced {result.removed_parks} existing demo park(s).")
        if result.catalogue_created:
            self.stdout.write(f"The indicator catalogue was empty: created {result.catalogue_created} indicators.")
        self.stdout.write(f"Generated demo data with seed {result.seed} in {result.seconds:.1f} s:")
        for model, count in result.counts.items():
            self.stdout.write(f"  {str(model._meta.verbose_name_plural):<28} {count:>10,}")
        self.stdout.write(
            self.style.WARNING(
                "Note: these rows were bulk-inserted, so they have no change history (simple_history records)."
            )
        )
