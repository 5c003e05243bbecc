"""The seed fixture holds the figures the 2023 work summary of 东部产业集聚区 states."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import TestCase

from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure, Indicator
from parkdash.parks.models import Park

ROOT = Path(__file__).resolve().parents[2]


class SeedFixtureTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", "seed", verbosity=0)

    def figure(self, code, zone=None, kind="actual", year=2023):
        qs = Figure.objects.filter(indicator__code=code, park__code="dongbu", kind=kind, year=year)
        qs = qs.filter(zone__name=zone) if zone else qs.filter(zone__isnull=True)
        return qs.get()

    def test_it_loads_the_park_and_its_zones(self):
        park = Park.objects.get(name="东部产业集聚区")
        self.assertEqual(
            set(park.zones.values_list("name", flat=True)), {"东部XX县区", "上马工业园", "北片", "南片", "中片"}
        )

    def test_it_holds_the_years_actuals_with_growth(self):
        fai = self.figure("fixed_asset_investment")
        self.assertEqual((fai.value, fai.yoy_pct), (Decimal("20.75"), Decimal("42.45")))
        self.assertEqual(self.figure("government_investment").value, Decimal("7.2"))
        self.assertEqual(self.figure("land_supplied").value, Decimal("1696"))

    def test_zone_breakdowns_are_stored_in_the_canonical_unit(self):
        self.assertEqual(self.figure("government_investment", zone="东部XX县区").value, Decimal("6.93"))
        output = self.figure("industrial_output", zone="东部XX县区")
        self.assertEqual(
            (output.value, output.entered_value, output.entered_unit), (Decimal("0.3214"), Decimal("3214"), "万元")
        )

    def test_it_holds_next_years_targets(self):
        self.assertEqual(self.figure("industrial_investment", kind="target", year=2024).value, Decimal("12"))
        self.assertEqual(self.figure("land_supplied", kind="target", year=2024).value, Decimal("600"))
        self.assertEqual(self.figure("government_investment", kind="target", year=2024).value, Decimal("7.6"))
        self.assertEqual(self.figure("projects_new_start", kind="target", year=2024).value, Decimal("24"))

    def test_corrupted_figures_are_left_out(self):
        # 新投产企业2023家 and 新开工企业2023家 in the plan are the year pasted over a number.
        targets = Figure.objects.filter(kind="target", year=2024)
        self.assertFalse(targets.filter(indicator__code="enterprises_in_production").exists())
        self.assertFalse(targets.filter(indicator__code="enterprises_started").exists())
        self.assertFalse(Figure.objects.filter(value=Decimal("2023")).exists())

    def test_it_holds_the_named_enterprises(self):
        aishida = Enterprise.objects.get(name="浙江爱仕达电器")
        self.assertEqual(aishida.land_area_mu, Decimal("643"))
        self.assertTrue(aishida.is_listed)
        self.assertEqual(aishida.zone.name, "南片")

    def test_loading_twice_updates_instead_of_duplicating(self):
        before = Figure.objects.count()
        call_command("loaddata", "seed", verbosity=0)
        self.assertEqual(Figure.objects.count(), before)
        self.assertEqual(Indicator.objects.filter(code="fixed_asset_investment").count(), 1)


@pytest.mark.subprocess
def test_seed_json_is_built_from_the_catalogue_and_build_script():
    built = subprocess.run(
        [sys.executable, str(ROOT / "fixtures" / "build_seed.py"), "--check"], capture_output=True, text=True
    )
    assert built.returncode == 0, built.stdout + built.stderr
