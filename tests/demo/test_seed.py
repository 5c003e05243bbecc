"""`make run` never overwrites data: the seed and the demo parks load into an empty database only (`manage.py seed`);
`make reset` starts over on purpose."""

import json
import os
import subprocess
import tempfile
from decimal import Decimal
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase, TestCase, TransactionTestCase

from parkdash.demo import seeding
from parkdash.indicators.models import Figure, Indicator
from parkdash.intake.models import WorkSummary
from parkdash.parks.models import Park
from tests.support import make_indicator, make_park

ROOT = Path(__file__).resolve().parents[2]
SUMMARY = "今年1-10月，完成固定资产投资21亿元。"


def seed_figure():
    """The fixed-asset investment of the seed park, 20.75 亿元 through October 2023 in the fixture."""
    return Figure.objects.get(
        indicator__code="fixed_asset_investment", park__code="dongbu", zone=None, year=2023, kind="actual"
    )


class SeedTests(TestCase):
    def test_it_loads_the_seed_into_an_empty_database(self):
        result = seeding.load(with_demo=False)
        self.assertTrue(result.loaded)
        self.assertEqual(seed_figure().value, Decimal("20.75"))
        self.assertEqual(result.added["parks.Park"], 1)

    def test_loading_again_keeps_an_edited_figure_and_a_summary_attached_to_the_park(self):
        seeding.load(with_demo=False)
        figure = seed_figure()
        figure.value = Decimal("21")
        figure.save()
        park = Park.objects.get(code="dongbu")
        summary = WorkSummary.objects.create(park=park, year=2023, month=10, text=SUMMARY)

        result = seeding.load(with_demo=False)

        self.assertFalse(result.loaded)
        self.assertEqual(seed_figure().value, Decimal("21"))
        self.assertTrue(WorkSummary.objects.filter(pk=summary.pk, park=park).exists())
        self.assertEqual(Park.objects.get(code="dongbu").pk, park.pk)

    def test_a_database_with_a_park_of_its_own_gets_nothing(self):
        make_park(code="xibu", name="西部园区")
        result = seeding.load(with_demo=False)
        self.assertFalse(result.loaded)
        self.assertEqual(result.parks, 1)
        self.assertFalse(Park.objects.filter(code="dongbu").exists())
        self.assertFalse(Figure.objects.exists())

    def test_an_indicator_already_in_the_database_is_kept_as_it_is(self):
        make_indicator("fixed_asset_investment", name="固投（改）", aliases="")
        result = seeding.load(with_demo=False)
        self.assertTrue(result.loaded)
        self.assertEqual(result.kept, 1)
        self.assertEqual(Indicator.objects.get(code="fixed_asset_investment").name, "固投（改）")
        self.assertEqual(seed_figure().indicator.name, "固投（改）")

    def test_the_command_says_that_a_database_with_data_is_left_alone(self):
        make_park(code="xibu", name="西部园区")
        out = StringIO()
        call_command("seed", stdout=out)
        self.assertIn("nothing loaded, nothing changed", out.getvalue())
        self.assertIn("make reset", out.getvalue())

    def test_a_deployment_seed_creates_no_demo_administrator(self):
        from django.contrib.auth import get_user_model

        call_command("seed", "--no-demo", stdout=StringIO())
        self.assertTrue(Park.objects.filter(code="dongbu").exists())
        self.assertFalse(get_user_model().objects.exists())
        call_command("seed", stdout=StringIO())
        self.assertTrue(get_user_model().objects.filter(username="admin").exists())

    def test_reset_asks_and_an_answer_other_than_yes_deletes_nothing(self):
        make_park(code="xibu", name="西部园区")
        with (
            mock.patch("sys.stdin.isatty", return_value=True),
            mock.patch("builtins.input", return_value="y") as asked,
            self.assertRaisesMessage(CommandError, "Reset cancelled: nothing was deleted."),
        ):
            call_command("seed", "--reset", stdout=StringIO())
        self.assertIn("deletes EVERY record", asked.call_args.args[0])
        self.assertTrue(Park.objects.filter(code="xibu").exists())

    def test_reset_without_a_terminal_refuses_and_deletes_nothing(self):
        make_park(code="xibu", name="西部园区")
        with self.assertRaisesMessage(CommandError, "make reset CONFIRM=1"):
            call_command("seed", "--reset", stdout=StringIO())
        self.assertTrue(Park.objects.filter(code="xibu").exists())


class ResetTests(TransactionTestCase):
    """The reset flushes the database: outside a test transaction (PostgreSQL refuses TRUNCATE inside one with
    deferred constraints pending)."""

    def test_reset_answered_yes_starts_over_with_the_seed(self):
        make_park(code="xibu", name="西部园区")
        with (
            mock.patch("sys.stdin.isatty", return_value=True),
            mock.patch("builtins.input", return_value="yes"),
            mock.patch.object(seeding.generator, "generate", return_value=seeding.generator.Result(seed=1)) as generate,
        ):
            call_command("seed", "--reset", stdout=StringIO())
        generate.assert_called_once()
        self.assertEqual(list(Park.objects.values_list("code", flat=True)), ["dongbu"])
        self.assertEqual(seed_figure().value, Decimal("20.75"))


@pytest.mark.slow
class SeedWithDemoTests(TestCase):
    def test_loading_again_keeps_the_demo_parks_their_ids_and_what_is_attached_to_them(self):
        seeding.load()
        ids = dict(Park.objects.values_list("code", "pk"))
        demo = Park.objects.get(code="demo-001")
        summary = WorkSummary.objects.create(park=demo, year=2023, month=10, text=SUMMARY)
        figures = Figure.objects.count()

        seeding.load()

        self.assertEqual(dict(Park.objects.values_list("code", "pk")), ids)
        self.assertTrue(WorkSummary.objects.filter(pk=summary.pk, park=demo).exists())
        self.assertEqual(Figure.objects.count(), figures)


# --- the Makefile targets, in processes of their own, on a throwaway SQLite database -----------------------------

EDIT = """
from decimal import Decimal
from parkdash.indicators.models import Figure
from parkdash.intake.models import WorkSummary
from parkdash.parks.models import Park
figure = Figure.objects.get(indicator__code="fixed_asset_investment", park__code="dongbu", zone=None, year=2023,
                            kind="actual")
figure.value = Decimal("21")
figure.save()
WorkSummary.objects.create(park=Park.objects.get(code="demo-001"), year=2023, month=10, text="固定资产投资21亿元。")
"""
STATE = """
import json
from parkdash.indicators.models import Figure
from parkdash.intake.models import WorkSummary
from parkdash.parks.models import Park
figure = Figure.objects.filter(indicator__code="fixed_asset_investment", park__code="dongbu", zone=None, year=2023,
                               kind="actual").first()
print(json.dumps({
    "parks": dict(Park.objects.values_list("code", "pk")),
    "value": str(figure.value) if figure else None,
    "summaries": list(WorkSummary.objects.values_list("park__code", flat=True)),
    "figures": Figure.objects.count(),
}))
"""


@pytest.mark.subprocess
class MakeTargetTests(SimpleTestCase):
    """`make seed` (what `make run` does before serving) and `make reset`, run as a person would: the migrate step
    is taken as done (``make -o migrate``), so make never touches the virtualenv."""

    def setUp(self):
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PARKDASH_"))
            and key not in ("DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL")
        }
        self.env.update(DATABASE_URL=f"sqlite:///{self.folder / 'db.sqlite3'}", DJANGO_DEBUG="1")
        self.run_ok(".venv/bin/python", "manage.py", "migrate", "--noinput", "-v0")

    def run_ok(self, *command, stdin=subprocess.DEVNULL):
        done = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300, stdin=stdin)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        return done

    def make(self, *args):
        return subprocess.run(
            ["make", "--no-print-directory", "-o", "migrate", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )

    def state(self):
        return json.loads(self.run_ok(".venv/bin/python", "manage.py", "shell", "-v0", "-c", STATE).stdout)

    def test_make_seed_twice_keeps_an_edited_figure_a_summary_and_the_park_ids(self):
        first = self.make("seed")
        self.assertEqual(first.returncode, 0, first.stdout + first.stderr)
        loaded = self.state()
        self.assertEqual(loaded["value"], "20.7500")
        self.run_ok(".venv/bin/python", "manage.py", "shell", "-v0", "-c", EDIT)

        again = self.make("seed")

        self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
        self.assertIn("nothing loaded, nothing changed", again.stdout)
        kept = self.state()
        self.assertEqual(kept["value"], "21.0000")
        self.assertEqual(kept["summaries"], ["demo-001"])
        self.assertEqual(kept["parks"], loaded["parks"])
        self.assertEqual(kept["figures"], loaded["figures"])

    def test_make_reset_asks_and_with_confirm_starts_over_with_the_same_park_ids(self):
        self.assertEqual(self.make("seed").returncode, 0)
        loaded = self.state()
        self.run_ok(".venv/bin/python", "manage.py", "shell", "-v0", "-c", EDIT)

        refused = self.make("reset")
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("CONFIRM=1", refused.stderr)
        self.assertEqual(self.state()["value"], "21.0000")

        reset = self.make("reset", "CONFIRM=1")
        self.assertEqual(reset.returncode, 0, reset.stdout + reset.stderr)
        fresh = self.state()
        self.assertEqual(fresh["value"], "20.7500")
        self.assertEqual(fresh["summaries"], [])
        self.assertEqual(fresh["parks"], loaded["parks"])
