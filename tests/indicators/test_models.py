"""Indicator figures: the named constraints, the zone rule and unit conversion on entry."""

from decimal import Decimal

from django.core.exceptions import ValidationError

from parkdash.indicators.models import Figure
from tests.support import EnglishTestCase, make_figure, make_indicator, make_park, make_zone
from tests.support.batteries import ModelAssertions, ParkRecordModelChecks


class FigureTestCase(ModelAssertions, EnglishTestCase):
    model = Figure

    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.zone = make_zone(cls.park)
        cls.other_park = make_park(code="xibei", name="西北开发区")
        cls.other_zone = make_zone(cls.other_park, name="西区")
        cls.fai = make_indicator("fixed_asset_investment")  # 亿元
        cls.land = make_indicator("land_supplied")  # 亩
        cls.greening = make_indicator("greening_area")  # 平方米

    def valid_values(self):
        return {
            "indicator": self.fai,
            "park": self.park,
            "year": 2023,
            "month": 10,
            "kind": "actual",
            "value": Decimal("20.75"),
        }


class FigureConstraintTests(ParkRecordModelChecks, FigureTestCase):
    def test_a_second_whole_park_figure_for_the_same_period_is_rejected_by_the_database(self):
        make_figure(self.fai, self.park)
        self.assertRejectedByDatabase()

    def test_a_second_whole_park_figure_for_the_same_period_fails_validation(self):
        make_figure(self.fai, self.park)
        self.assertCleanError(self.build(), "There is already a figure for this indicator, park, year, month")

    def test_a_second_zone_figure_for_the_same_period_is_rejected_by_the_database(self):
        make_figure(self.fai, self.park, zone=self.zone)
        self.assertRejectedByDatabase(zone=self.zone)

    def test_a_second_zone_figure_for_the_same_period_fails_validation(self):
        make_figure(self.fai, self.park, zone=self.zone)
        self.assertCleanError(self.build(zone=self.zone), "There is already a figure for this indicator, zone")

    def test_a_zone_figure_and_the_whole_park_figure_of_the_same_period_coexist(self):
        # NULL is never equal to NULL: without the two conditional constraints, whole-park duplicates would pass.
        make_figure(self.fai, self.park)
        zone_figure = self.build(zone=self.zone)
        zone_figure.full_clean()
        zone_figure.save()
        self.assertEqual(Figure.objects.count(), 2)

    def test_the_same_period_in_another_kind_version_or_month_is_allowed(self):
        make_figure(self.fai, self.park)
        for change in ({"kind": "target", "month": 12}, {"version": "estimate"}, {"month": 9}, {"year": 2022}):
            figure = self.build(**change)
            figure.full_clean()
            figure.save()
        self.assertEqual(Figure.objects.count(), 5)

    def test_month_zero_and_thirteen_are_rejected_by_the_database(self):
        self.assertRejectedByDatabase(month=0)
        self.assertRejectedByDatabase(month=13)

    def test_month_thirteen_fails_validation(self):
        self.assertCleanError(self.build(month=13), "The month must be between 1 and 12.")

    def test_an_implausible_year_is_rejected_by_the_database(self):
        self.assertRejectedByDatabase(year=202)
        self.assertRejectedByDatabase(year=20230)

    def test_an_implausible_year_fails_validation(self):
        self.assertCleanError(self.build(year=202), "The year must be between 1949 and 2100.")

    def test_a_figure_without_value_or_growth_is_rejected_by_the_database(self):
        self.assertRejectedByDatabase(value=None, yoy_pct=None)

    def test_a_figure_without_value_or_growth_fails_validation(self):
        self.assertCleanError(self.build(value=None), "Give a value, a year-on-year growth, or both.")

    def test_a_growth_without_a_value_is_allowed(self):
        figure = self.build(value=None, yoy_pct=Decimal("-3.5"))
        figure.full_clean()
        figure.save()
        self.assertIsNone(Figure.objects.get().value)

    def test_a_negative_value_is_rejected_by_the_database(self):
        self.assertRejectedByDatabase(value=Decimal("-1"))

    def test_a_negative_value_fails_validation(self):
        self.assertCleanError(self.build(value=Decimal("-1")), "value cannot be negative.")

    def test_a_negative_entered_value_fails_validation_on_the_entered_value(self):
        figure = self.build(value=None, entered_value=Decimal("-5"))
        self.assertCleanError(figure, "A 固定资产投资 figure cannot be negative.", field="entered_value")

    def test_a_negative_growth_is_allowed(self):
        figure = self.build(yoy_pct=Decimal("-12.5"))
        figure.full_clean()
        figure.save()


class UnitConversionTests(FigureTestCase):
    def entered(self, indicator, value, unit):
        figure = self.build(indicator=indicator, value=None, entered_value=Decimal(value), entered_unit=unit)
        figure.full_clean()
        return figure

    def test_ten_thousand_yuan_are_stored_in_hundred_million_yuan(self):
        figure = self.entered(self.fai, "3214", "万元")
        figure.save()
        figure.refresh_from_db()
        self.assertEqual(figure.value, Decimal("0.3214"))
        self.assertEqual((figure.entered_value, figure.entered_unit), (Decimal("3214"), "万元"))

    def test_hectares_are_stored_in_mu(self):
        self.assertEqual(self.entered(self.land, "15", "公顷").value, Decimal("225"))

    def test_ten_thousand_square_metres_are_stored_in_square_metres(self):
        self.assertEqual(self.entered(self.greening, "35", "万平方米").value, Decimal("350000"))

    def test_an_empty_unit_means_the_canonical_unit(self):
        self.assertEqual(self.entered(self.fai, "20.75", "").value, Decimal("20.75"))

    def test_a_multiplier_alone_is_completed_from_the_indicators_unit(self):
        wan = self.entered(self.fai, "3214", "万")
        self.assertEqual((wan.value, wan.entered_unit), (Decimal("0.3214"), "万元"))
        self.assertEqual(self.entered(self.land, "1.5", "万").entered_unit, "万亩")

    def test_a_multiplier_that_makes_no_unit_of_the_indicators_is_still_unknown(self):
        figure = self.build(indicator=self.land, value=None, entered_value=Decimal("3"), entered_unit="亿")  # no 亿亩
        self.assertEqual(self.errors(figure), {"entered_unit": ["Unknown unit “亿”."]})

    def errors(self, figure):
        with self.assertRaises(ValidationError) as caught:
            figure.full_clean()
        return caught.exception.message_dict

    def test_mu_for_a_money_indicator_is_an_error_naming_both_units(self):
        figure = self.build(value=None, entered_value=Decimal("1696"), entered_unit="亩")
        self.assertCleanError(figure, "亩 cannot be converted to 亿元, the unit of 固定资产投资.", field="entered_unit")

    def test_an_incompatible_unit_is_the_only_error_reported(self):
        # Not also "give a value": the user gave one, in the wrong unit.
        figure = self.build(value=None, entered_value=Decimal("1696"), entered_unit="亩")
        self.assertEqual(list(self.errors(figure)), ["entered_unit"])

    def test_an_unknown_unit_is_rejected_with_one_message(self):
        figure = self.build(value=None, entered_value=Decimal("5"), entered_unit="斤")
        self.assertEqual(self.errors(figure), {"entered_unit": ["Unknown unit “斤”."]})

    def test_a_negative_entered_value_is_reported_once(self):
        figure = self.build(value=None, entered_value=Decimal("-5"), entered_unit="万元")
        self.assertEqual(self.errors(figure), {"entered_value": ["A 固定资产投资 figure cannot be negative."]})

    def test_a_value_typed_without_entered_value_keeps_its_value(self):
        figure = self.build(value=Decimal("7.2"))
        figure.full_clean()
        self.assertEqual((figure.value, figure.entered_value), (Decimal("7.2"), Decimal("7.2")))

    def test_changing_the_entered_value_recomputes_the_value(self):
        figure = self.entered(self.fai, "3214", "万元")
        figure.save()
        figure.entered_value = Decimal("5000")
        figure.full_clean()
        self.assertEqual(figure.value, Decimal("0.5"))
