"""Point 4 of issue 15: the summary draft, fed to the work-summary extractor, gives back every figure it states.

For the seed park (dongbu, 2023 months 1-10) and for a demo park: each indicator figure the draft states
(Draft.stated) comes back with the same indicator, value, unit, year-on-year growth and kind (recall 1.0), and no
candidate names a stated indicator with another value (no wrong value).
"""

from datetime import date
from decimal import Decimal

from django.core.management import call_command
from django.test import TestCase
from django.utils import translation

from parkdash.demo import generator as demo
from parkdash.intake import extract
from parkdash.intake.services import catalogue
from parkdash.parks.models import Park
from parkdash.reports.draft import build_draft

TODAY = date(2024, 11, 15)


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return Decimal(a).normalize() == Decimal(b).normalize()


class RoundTripMixin:
    def round_trip(self, park, year, month):
        with translation.override("zh-hans"):
            draft = build_draft(park, year, month)
        text = draft.text()
        candidates = extract.extract(text, catalogue=catalogue(), year=year)
        self.assertTrue(draft.stated, "the draft states no figure")
        missed, wrong = [], []
        for stated in draft.stated:
            mine = [c for c in candidates if c.indicator_code == stated.indicator_code]
            values = [c for c in mine if "progress_points" not in c.flags]
            found = [
                c
                for c in values
                if same(c.value, stated.value)
                and (c.unit or "") == stated.unit
                and same(c.canonical_value, stated.canonical_value)
                and same(c.yoy_pct, stated.yoy_pct)
                and c.kind == stated.kind
            ]
            if not found:
                missed.append((stated, [(c.value, c.unit, c.yoy_pct, c.kind, c.quote) for c in mine]))
            wrong += [
                (stated.indicator_code, stated.canonical_value, c.canonical_value, c.quote)
                for c in values
                if c.kind == stated.kind and not same(c.canonical_value, stated.canonical_value)
            ]
            if stated.gap is not None:
                points = [c for c in mine if "progress_points" in c.flags]
                behind_or_ahead = [same(abs(c.value), abs(stated.gap)) for c in points]
                if not any(behind_or_ahead):
                    missed.append((stated, "gap", [(c.value, c.quote) for c in points]))
        recall = 1 - len(missed) / len(draft.stated)
        self.assertEqual(missed, [], "recall {:.2f}; the draft:\n{}".format(recall, text))
        self.assertEqual(wrong, [], "wrong values; the draft:\n{}".format(text))
        return draft, candidates


class SeedRoundTripTests(RoundTripMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", "seed", verbosity=0)
        cls.park = Park.objects.get(code="dongbu")

    def test_the_seed_parks_draft_gives_back_every_figure_it_states(self):
        draft, _candidates = self.round_trip(self.park, 2023, 10)
        self.assertIn("fixed_asset_investment", {s.indicator_code for s in draft.stated})


class DemoRoundTripTests(RoundTripMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", "seed", verbosity=0)
        demo.generate(seed=7, parks=1, today=TODAY)
        cls.park = Park.objects.get(code="demo-001")

    def test_a_demo_parks_draft_gives_back_every_figure_it_states(self):
        draft, _candidates = self.round_trip(self.park, 2024, 10)
        # Every catalogue indicator has a demo actual: the draft states them all, with targets (so gaps) too.
        self.assertGreater(len(draft.stated), 40)
        self.assertTrue(any(s.gap is not None for s in draft.stated))
