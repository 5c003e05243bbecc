"""The plausibility checks (parkdash.indicators.plausibility): each one triggered, and not, on figures built in
memory; then the same checks reading their neighbours from the database (quality.py)."""

from decimal import Decimal
from types import SimpleNamespace

from django.test import SimpleTestCase
from django.utils import translation

from parkdash.indicators import quality
from parkdash.indicators.choices import WarningCode
from parkdash.indicators.models import Indicator
from parkdash.indicators.plausibility import (
    Neighbour,
    Neighbours,
    check,
    check_completion,
    check_fall,
    check_jump,
    check_year,
    check_yoy,
    check_zones,
)
from tests.support import EnglishTestCase, make_figure, make_indicator, make_park, make_zone

MONEY = Indicator(code="fai", name="固定资产投资", unit="亿元")
COUNT = Indicator(code="started", name="新开工企业", unit="家")


def figure(value, month=6, kind="actual", yoy=None, zone_id=None, indicator=MONEY, year=2023):
    return SimpleNamespace(
        indicator=indicator,
        zone_id=zone_id,
        year=year,
        month=month,
        kind=kind,
        value=None if value is None else Decimal(value),
        yoy_pct=None if yoy is None else Decimal(yoy),
    )


def previous(value, month=5, year=2023):
    return Neighbours(previous=Neighbour(Decimal(value), year, month))


def codes(warnings):
    return [warning.code for warning in warnings]


class PlausibilityCheckTests(SimpleTestCase):
    def setUp(self):
        self.enterContext(translation.override("en"))

    def test_a_cumulative_actual_ten_times_the_month_before_is_the_wan_yi_slip(self):
        (warning,) = check_jump(figure("3214"), previous("18.5"))
        self.assertEqual(warning.code, WarningCode.JUMP)
        self.assertIn("3,214 亿元 is 173.7 times the figure of 2023, Months 1–5 (18.5 亿元)", warning.message)

    def test_a_cumulative_actual_a_tenth_of_the_month_before_is_the_slip_the_other_way(self):
        (warning,) = check_jump(figure("0.2"), previous("18.5"))
        self.assertIn("0.2 亿元 is 1/92.5 of the figure of 2023, Months 1–5", warning.message)

    def test_an_actual_that_grows_less_than_tenfold_is_no_jump(self):
        self.assertEqual(check_jump(figure("20.75"), previous("18.5")), [])
        self.assertEqual(check_jump(figure("184"), previous("18.5")), [])

    def test_a_stock_indicator_may_jump(self):
        stock = SimpleNamespace(unit="亿元", aggregation="stock")
        self.assertEqual(check_jump(figure("3214", indicator=stock), previous("18.5")), [])

    def test_a_cumulative_actual_that_falls_from_the_month_before_is_flagged(self):
        (warning,) = check_fall(figure("17.2"), previous("18.5"))
        self.assertEqual(warning.code, WarningCode.FALL)
        self.assertIn("17.2 亿元 is less than the figure of 2023, Months 1–5 (18.5 亿元)", warning.message)

    def test_a_cumulative_actual_equal_to_or_above_the_month_before_is_fine(self):
        self.assertEqual(check_fall(figure("18.5"), previous("18.5")), [])
        self.assertEqual(check_fall(figure("19"), previous("18.5")), [])

    def test_a_tenfold_fall_is_reported_once_as_the_slip(self):
        self.assertEqual(codes(check(figure("1.85"), previous("18.5"))), [WarningCode.JUMP])

    def test_a_target_is_not_a_running_total(self):
        self.assertEqual(check(figure("1", kind="target", month=12), previous("30", month=6)), [])

    def test_zone_figures_adding_up_to_more_than_the_park_are_flagged_on_the_park_figure(self):
        (warning,) = check_zones(figure("10"), Neighbours(other_zones={1: Decimal("6.93"), 2: Decimal("4")}))
        self.assertEqual(warning.code, WarningCode.ZONES)
        self.assertIn("2 zones add up to 10.93 亿元, more than the 10 亿元 of the whole park", warning.message)

    def test_zone_figures_adding_up_to_more_than_the_park_are_flagged_on_a_zone_figure(self):
        neighbours = Neighbours(park=Neighbour(Decimal("10"), 2023, 6), other_zones={2: Decimal("4")})
        (warning,) = check_zones(figure("6.93", zone_id=1), neighbours)
        self.assertIn("10.93", warning.message)

    def test_zone_figures_within_the_park_figure_are_fine(self):
        self.assertEqual(check_zones(figure("10"), Neighbours(other_zones={1: Decimal("6.93")})), [])
        neighbours = Neighbours(park=Neighbour(Decimal("10"), 2023, 6), other_zones={2: Decimal("3")})
        self.assertEqual(check_zones(figure("6.93", zone_id=1), neighbours), [])

    def test_a_count_equal_to_a_year_is_the_year_typed_into_the_value(self):
        (warning,) = check_year(figure("2023", indicator=COUNT))
        self.assertEqual(warning.code, WarningCode.YEAR)
        self.assertEqual(warning.message, "2023 家 looks like a year: was the year typed into the value?")

    def test_a_count_that_is_no_year_or_an_amount_of_2023_is_fine(self):
        self.assertEqual(check_year(figure("14", indicator=COUNT)), [])
        self.assertEqual(check_year(figure("2023.5", indicator=COUNT)), [])
        self.assertEqual(check_year(figure("2100", indicator=COUNT)), [])
        self.assertEqual(check_year(figure("2023")), [])  # 2023 亿元 is an amount

    def test_a_stated_growth_far_from_the_computed_one_is_flagged(self):
        last = Neighbours(last_year=Neighbour(Decimal("14.57"), 2022, 6))
        (warning,) = check_yoy(figure("20.75", yoy="24.45"), last)
        self.assertEqual(warning.code, WarningCode.YOY)
        self.assertIn("growth of 24.45% differs by 18 points from the 42.4% computed", warning.message)
        self.assertIn("14.57 亿元 in 2022, Months 1–6", warning.message)

    def test_a_stated_growth_within_two_points_of_the_computed_one_is_fine(self):
        last = Neighbours(last_year=Neighbour(Decimal("14.57"), 2022, 6))
        self.assertEqual(check_yoy(figure("20.75", yoy="42.45"), last), [])
        self.assertEqual(check_yoy(figure("20.75", yoy="44"), last), [])
        self.assertEqual(check_yoy(figure("20.75"), last), [])  # no growth stated

    def test_completion_above_three_hundred_percent_is_flagged(self):
        target = Neighbours(target=Neighbour(Decimal("25"), 2023, 12))
        (warning,) = check_completion(figure("80"), target)
        self.assertEqual(warning.code, WarningCode.COMPLETION)
        self.assertIn("80 亿元 is 320% of the annual target of 25 亿元", warning.message)

    def test_completion_up_to_three_hundred_percent_is_fine(self):
        target = Neighbours(target=Neighbour(Decimal("25"), 2023, 12))
        self.assertEqual(check_completion(figure("75"), target), [])

    def test_a_figure_with_growth_only_has_nothing_to_check_but_its_growth(self):
        self.assertEqual(check(figure(None, yoy="12"), previous("18.5")), [])


class NeighboursFromTheDatabaseTests(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.zone = make_zone(cls.park)
        cls.fai = make_indicator("fixed_asset_investment")

    def test_the_month_before_is_its_most_authoritative_version(self):
        make_figure(self.fai, self.park, month=5, value=Decimal("18.5"), version="final")
        make_figure(self.fai, self.park, month=5, value=Decimal("30"), version="estimate")
        make_figure(self.fai, self.park, month=4, value=Decimal("1"))
        june = make_figure(self.fai, self.park, month=6, value=Decimal("17.2"))
        (warning,) = quality.warnings_for(june)
        self.assertIn("(18.5 亿元)", warning.message)

    def test_an_edited_figure_is_read_against_the_others_not_its_stored_self(self):
        make_figure(self.fai, self.park, month=5, value=Decimal("18.5"))
        june = make_figure(self.fai, self.park, month=6, value=Decimal("20.75"))
        june.value = Decimal("3214")
        self.assertEqual(codes(quality.warnings_for(june)), [WarningCode.JUMP])

    def test_another_park_or_zone_is_no_neighbour(self):
        other = make_park(code="other", name="另一园区")
        make_figure(self.fai, other, month=5, value=Decimal("18.5"))
        make_figure(self.fai, self.park, zone=self.zone, month=5, value=Decimal("18.5"))
        june = make_figure(self.fai, self.park, month=6, value=Decimal("3214"))
        self.assertEqual(quality.warnings_for(june), [])

    def test_an_open_warning_is_listed_until_confirmed_for_the_figure_s_value(self):
        make_figure(self.fai, self.park, month=5, value=Decimal("18.5"))
        june = make_figure(self.fai, self.park, month=6, value=Decimal("17.2"))
        [(listed, warnings)] = quality.open_warnings(self.park, 2023)
        self.assertEqual((listed, codes(warnings)), (june, [WarningCode.FALL]))
        quality.confirm(june, warnings)
        self.assertEqual(quality.open_warnings(self.park, 2023), [])
        june.value = Decimal("17.1")
        june.save()
        self.assertEqual(len(quality.open_warnings(self.park, 2023)), 1)


class OutOfRangeTests(SimpleTestCase):
    def test_an_amount_beyond_any_bound_skips_the_checks_that_cannot_compare_it(self):
        huge = figure("1E+30")
        self.assertEqual(codes(check(huge, previous("18.5"))), [])
        self.assertEqual(codes(check(figure("20"), previous("1E+30"))), [])
