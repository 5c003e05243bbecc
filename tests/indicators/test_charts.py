"""The completion chart: a single indicator with a target makes a sentence, not a chart of one bar."""

from decimal import Decimal

from parkdash.indicators.cards import indicator_cards
from parkdash.indicators.charts import completion_chart
from tests.support import EnglishTestCase, make_figure, make_indicator, make_park


class CompletionChartTests(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.fai = make_indicator()
        make_figure(cls.fai, cls.park, year=2023, month=12, kind="target", value=Decimal("24"))
        make_figure(cls.fai, cls.park, year=2023, month=6, value=Decimal("12"))

    def test_one_indicator_with_a_target_is_a_sentence(self):
        chart = completion_chart(indicator_cards(self.park, 2023))
        self.assertTrue(chart["empty"])
        self.assertEqual(
            chart["empty_text"], "Fixed-asset investment: 50% of the annual target, against a 序时进度 of 50%."
        )

    def test_two_indicators_with_targets_are_drawn(self):
        land = make_indicator("land_supplied")
        make_figure(land, self.park, year=2023, month=12, kind="target", value=Decimal("600"))
        make_figure(land, self.park, year=2023, month=6, value=Decimal("100"))
        chart = completion_chart(indicator_cards(self.park, 2023))
        self.assertFalse(chart["empty"])
        self.assertEqual(chart["datasets"][0]["data"], [50.0, 16.7])
