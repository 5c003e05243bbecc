"""The completion chart: a single indicator with a target makes a sentence, not a chart of one bar."""

from decimal import Decimal

from parkdash.indicators.cards import indicator_cards
from parkdash.indicators.charts import completion_chart, indicator_series, monthly_chart, years_chart
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
            chart["empty_text"], "Fixed-asset investment: 50% of the annual target, against a time-elapsed pace of 50%."
        )

    def test_two_indicators_with_targets_are_drawn(self):
        land = make_indicator("land_supplied")
        make_figure(land, self.park, year=2023, month=12, kind="target", value=Decimal("600"))
        make_figure(land, self.park, year=2023, month=6, value=Decimal("100"))
        chart = completion_chart(indicator_cards(self.park, 2023))
        self.assertFalse(chart["empty"])
        self.assertEqual(chart["datasets"][0]["data"], [50.0, 16.7])


class EmptySeriesTests(EnglishTestCase):
    """A series without any value (no figure last year, no target) leaves no legend entry with nothing drawn."""

    def test_the_monthly_chart_draws_no_last_year_without_figures_last_year(self):
        park = make_park()
        fai = make_indicator()
        make_figure(fai, park, year=2023, month=12, kind="target", value=Decimal("24"))
        make_figure(fai, park, year=2023, month=6, value=Decimal("12"))
        chart = monthly_chart(fai, indicator_series(fai, park), 2023)
        self.assertEqual([ds["label"] for ds in chart["datasets"]], ["2023 actual", "Target pace"])
        self.assertEqual(chart["table"]["columns"][-1], "2022 actual")  # the table keeps its columns

    def test_the_years_chart_draws_no_target_series_without_targets(self):
        park = make_park()
        fai = make_indicator()
        make_figure(fai, park, year=2023, month=6, value=Decimal("12"))
        chart = years_chart(fai, indicator_series(fai, park))
        self.assertEqual([ds["label"] for ds in chart["datasets"]], ["Actual"])
