"""The enterprises-by-stage chart: a sentence for one stage, a word where the register holds fewer than reported."""

from decimal import Decimal

from parkdash.enterprises.charts import stage_chart
from tests.support import EnglishTestCase, make_enterprise, make_park


class StageChartTests(EnglishTestCase):
    def test_enterprises_at_one_stage_make_a_sentence_not_a_one_bar_chart(self):
        park = make_park()
        for i in range(3):
            make_enterprise(park, name=f"企业{i}", stage="settled")
        chart = stage_chart(park)
        self.assertTrue(chart["empty"])
        self.assertEqual(
            chart["empty_text"], "Every enterprise of the register (3) is at one stage: Settled with land (落户/供地)."
        )
        self.assertEqual(len(chart["table"]["rows"]), 5)  # the numbers stay readable

    def test_enterprises_at_several_stages_are_drawn(self):
        park = make_park()
        make_enterprise(park, name="甲", stage="intent")
        make_enterprise(park, name="乙", stage="construction")
        self.assertFalse(stage_chart(park)["empty"])

    def test_the_chart_says_when_the_register_holds_fewer_than_reported(self):
        park = make_park()
        make_enterprise(park, name="甲", stage="intent")
        make_enterprise(park, name="乙", stage="construction")
        chart = stage_chart(park, {"enterprises_in_production": Decimal("13"), "enterprises_started": Decimal("1")})
        self.assertEqual(chart["notes"], ["In production (投产): the register holds 0 of the 13 reported."])

    def test_a_park_without_enterprises_has_a_sentence_and_no_table_of_zeros(self):
        chart = stage_chart(make_park())
        self.assertTrue(chart["empty"])
        self.assertEqual(chart["empty_text"], "No enterprises recorded for this park.")
        self.assertEqual(chart["table"]["rows"], [])
