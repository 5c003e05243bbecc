"""Importing a summary for a park: the park's zones are the zones of the figures after them, and an estimate (预计)
is stored as the estimate version."""

from decimal import Decimal

from django.test import TestCase

from parkdash.indicators.choices import FigureKind, Version
from parkdash.indicators.models import Figure
from parkdash.intake import services
from tests.support import make_indicator, make_park, make_zone


class ImportForAParkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.north = make_zone(cls.park, name="北区")
        cls.south = make_zone(cls.park, name="南区")
        cls.indicator = make_indicator()  # fixed_asset_investment

    def test_the_parks_own_zone_names_are_the_zones_of_the_figures_after_them(self):
        text = "2025年1-6月工作总结\n1-6月完成固定资产投资12亿元,其中北区5亿元、南区7亿元。"
        summary = services.create_summary(park=self.park, year=2025, month=6, text=text)
        zones = {c.value: c.zone for c in summary.candidates.all()}
        self.assertEqual(
            (zones[Decimal("12")], zones[Decimal("5")], zones[Decimal("7")]), (None, self.north, self.south)
        )

    def test_an_estimate_is_stored_as_the_estimate_version_of_the_year(self):
        text = "2025年工作总结\n1-11月完成固定资产投资20亿元,预计全年完成固定资产投资25亿元。"
        summary = services.create_summary(park=self.park, year=2025, month=11, text=text)
        estimate = summary.candidates.get(value=Decimal("25"))
        self.assertEqual((estimate.kind, estimate.version, estimate.period), ("actual", "estimate", "全年"))
        services.apply(summary)
        stored = Figure.objects.get(value=Decimal("25"))
        self.assertEqual((stored.kind, stored.version, stored.month), (FigureKind.ACTUAL, Version.ESTIMATE, 12))
        self.assertEqual(Figure.objects.get(value=Decimal("20")).version, Version.PRELIMINARY)
