"""Enterprises: stage dates in order, non-negative land and investment, one name per park."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS

from parkdash.enterprises.models import Enterprise
from tests.support import EnglishTestCase, make_enterprise, make_park, make_zone
from tests.support.batteries import ParkRecordModelChecks


class EnterpriseConstraintTests(ParkRecordModelChecks, EnglishTestCase):
    model = Enterprise

    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.other_zone = make_zone(make_park(code="xibei", name="西北开发区"), name="西区")

    def valid_values(self):
        return {"park": self.park, "name": "欧瑞康真空镀膜", "stage": "production"}

    def test_a_settled_date_before_the_evaluation_date_is_rejected_by_the_database(self):
        self.assertRejectedByDatabase(evaluation_date=date(2023, 5, 1), settled_date=date(2023, 4, 1))

    def test_stage_dates_out_of_order_across_a_missing_date_are_rejected_by_the_database(self):
        # No settled or construction date in between must not hide production before evaluation.
        self.assertRejectedByDatabase(evaluation_date=date(2023, 5, 1), production_date=date(2023, 3, 1))

    def test_stage_dates_out_of_order_fail_validation(self):
        errors = self.clean_errors(self.build(intent_date=date(2023, 5, 1), evaluation_date=date(2023, 4, 1)))
        self.assertIn("evaluation_date", errors)
        self.assertIn("cannot be before", " ".join(errors["evaluation_date"]))

    def test_stage_dates_out_of_order_across_a_missing_date_fail_validation(self):
        errors = self.clean_errors(self.build(intent_date=date(2023, 9, 1), production_date=date(2023, 6, 1)))
        self.assertIn("production_date", errors)
        self.assertIn("cannot be before", " ".join(errors["production_date"]))

    def test_stage_dates_in_order_with_gaps_are_allowed(self):
        enterprise = self.build(
            intent_date=date(2023, 1, 5), settled_date=date(2023, 3, 1), production_date=date(2023, 11, 30)
        )
        enterprise.full_clean()
        enterprise.save()

    def test_all_stages_on_the_same_day_are_allowed(self):
        day = date(2023, 6, 1)
        self.build(
            intent_date=day, evaluation_date=day, settled_date=day, construction_date=day, production_date=day
        ).full_clean()

    def test_a_date_for_a_stage_not_yet_reached_fails_validation(self):
        errors = self.clean_errors(self.build(stage="evaluation", production_date=date(2023, 11, 30)))
        self.assertIn("production_date", errors)

    def test_negative_land_is_rejected_by_the_database(self):
        self.assertRejectedByDatabase(land_area_mu=Decimal("-643"))

    def test_negative_land_fails_validation(self):
        errors = self.clean_errors(self.build(land_area_mu=Decimal("-643")))
        self.assertIn("Land area cannot be negative.", errors[NON_FIELD_ERRORS])

    def test_negative_planned_investment_is_rejected_by_the_database(self):
        self.assertRejectedByDatabase(planned_investment=Decimal("-1"))

    def test_two_enterprises_with_the_same_name_in_a_park_are_rejected_by_the_database(self):
        make_enterprise(self.park, name="欧瑞康真空镀膜")
        self.assertRejectedByDatabase()

    def test_the_same_name_fails_validation(self):
        make_enterprise(self.park, name="欧瑞康真空镀膜")
        errors = self.clean_errors(self.build())
        self.assertIn("This park already has an enterprise with this name.", errors[NON_FIELD_ERRORS])
