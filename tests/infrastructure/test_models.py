"""Infrastructure works: quantities are never negative, the year is plausible, the unit is known."""

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS

from parkdash.infrastructure.models import InfrastructureWork
from tests.support import EnglishTestCase, make_park, make_work, make_zone
from tests.support.batteries import ParkRecordModelChecks


class WorkConstraintTests(ParkRecordModelChecks, EnglishTestCase):
    model = InfrastructureWork

    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.other_zone = make_zone(make_park(code="xibei", name="西北开发区"), name="西区")

    def valid_values(self):
        return {
            "park": self.park,
            "year": 2023,
            "kind": "greening",
            "name": "绿化",
            "unit": "万平方米",
            "planned_quantity": Decimal("25"),
            "completed_quantity": Decimal("35"),
        }

    def test_a_negative_planned_quantity_is_rejected_by_the_database(self):
        self.assertRejectedByDatabase(planned_quantity=Decimal("-1"))

    def test_a_negative_completed_quantity_is_rejected_by_the_database(self):
        self.assertRejectedByDatabase(completed_quantity=Decimal("-0.5"))

    def test_a_negative_quantity_fails_validation(self):
        errors = self.clean_errors(self.build(completed_quantity=Decimal("-0.5")))
        self.assertIn("Completed quantity cannot be negative.", errors[NON_FIELD_ERRORS])

    def test_an_implausible_year_is_rejected_by_the_database(self):
        self.assertRejectedByDatabase(year=3023)

    def test_the_same_work_twice_in_a_year_is_rejected_by_the_database(self):
        make_work(self.park, name="绿化", kind="greening", unit="万平方米")
        self.assertRejectedByDatabase()

    def test_the_same_work_in_another_year_is_allowed(self):
        make_work(self.park, name="绿化", kind="greening", unit="万平方米")
        self.build(year=2024).full_clean()

    def test_an_unknown_unit_fails_validation(self):
        self.assertIn("unit", self.clean_errors(self.build(unit="斤")))

    def test_more_completed_than_planned_is_allowed_and_shows_over_100_percent(self):
        work = self.build()
        work.full_clean()
        self.assertEqual(work.completion_pct, Decimal("140.0"))

    def test_completion_without_a_plan_is_unknown(self):
        self.assertIsNone(self.build(planned_quantity=None).completion_pct)


class OrderingTests(EnglishTestCase):
    def test_works_are_listed_park_by_park_newest_year_first(self):
        park, other = make_park(code="a"), make_park(code="b", name="乙园区")
        make_work(other, year=2026, name="乙路")
        make_work(park, year=2025, name="老路")
        make_work(park, year=2026, name="新路")
        self.assertEqual([w.name for w in InfrastructureWork.objects.all()], ["新路", "老路", "乙路"])
