"""Each indicator's aggregation kind: the catalogue and the migration set it; cards, charts and pages follow it."""

from decimal import Decimal

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TestCase, TransactionTestCase

from parkdash.core import units
from parkdash.core.progress import Status
from parkdash.indicators.cards import indicator_cards
from parkdash.indicators.catalogue import BY_CODE, CATALOGUE
from parkdash.indicators.charts import completion_chart, indicator_series, monthly_chart
from parkdash.indicators.choices import Aggregation
from tests.support import EnglishTestCase, make_admin, make_figure, make_indicator, make_park

BEFORE = [("indicators", "0008_park_record_base")]
AFTER = [("indicators", "0010_aggregation_kinds")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


class CatalogueAggregationTests(TestCase):
    def test_every_catalogue_kind_is_a_choice(self):
        self.assertLessEqual({spec.aggregation for spec in CATALOGUE}, set(Aggregation.values))

    def test_energy_per_output_is_a_rate_in_coal_per_ten_thousand_yuan_where_lower_is_better(self):
        energy = BY_CODE["energy_per_output"]
        self.assertEqual((energy.aggregation, energy.higher_is_better), ("rate", False))
        self.assertEqual(units.get_unit(energy.unit).dimension, units.get_unit("千克标准煤/万元").dimension)

    def test_counts_at_a_date_are_stocks_and_counts_of_the_year_are_cumulative(self):
        for code in ("projects_continuing", "projects_in_approval", "enterprises_above_size", "high_tech_enterprises"):
            self.assertEqual(BY_CODE[code].aggregation, "stock", code)
        for code in ("projects_new_start", "enterprises_started", "new_enterprises_above_size", "land_supplied"):
            self.assertEqual(BY_CODE[code].aggregation, "cumulative", code)


class AggregationMigrationTests(TransactionTestCase):
    def tearDown(self):
        # Whatever happened here, the schema the other tests expect: every app at its latest migration.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    def test_it_sets_the_kind_of_every_catalogue_indicator_and_moves_energy_to_its_rate_unit(self):
        old = migrate(BEFORE)
        Indicator = old.get_model("indicators", "Indicator")
        for order, spec in enumerate(CATALOGUE):
            unit = "吨" if spec.code == "energy_per_output" else spec.unit  # the unit the catalogue used to give it
            Indicator.objects.create(
                code=spec.code, name=spec.name_zh, name_en=spec.name_en, unit=unit, sort_order=order
            )
        own = Indicator.objects.create(code="own", name="自定义指标", name_en="Own", unit="个")
        park = old.get_model("parks", "Park").objects.create(code="dongbu", name="东部")
        old.get_model("indicators", "Figure").objects.create(
            indicator=Indicator.objects.get(code="energy_per_output"),
            park=park,
            year=2023,
            month=10,
            value=Decimal("0.4251"),
            entered_value=Decimal("0.4251"),
            entered_unit="吨",
        )

        new = migrate(AFTER)

        kinds = dict(new.get_model("indicators", "Indicator").objects.values_list("code", "aggregation"))
        self.assertEqual({code: kinds[code] for code in BY_CODE}, {s.code: s.aggregation for s in CATALOGUE})
        self.assertEqual(kinds[own.code], "cumulative")
        energy = new.get_model("indicators", "Indicator").objects.get(code="energy_per_output")
        self.assertEqual((energy.unit, energy.higher_is_better), ("吨标准煤/万元", False))
        figure = new.get_model("indicators", "Figure").objects.get()
        self.assertEqual((figure.value, figure.entered_unit), (Decimal("0.4251"), "吨标准煤/万元"))


class AggregationPagesTests(EnglishTestCase):
    """The issue's figures: 单位工业增加值能耗 0.4251 against 0.5, 13 续建工程 against 23, 固定资产投资 20.75
    against 24."""

    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.park = make_park()
        cls.energy = make_indicator(
            "energy_per_output",
            name="单位工业增加值能耗",
            unit="吨标准煤/万元",
            category="ecology",
            higher_is_better=False,
            aggregation="rate",
            sort_order=1,
        )
        cls.continuing = make_indicator(
            "projects_continuing",
            name="续建工程",
            unit="个",
            category="construction",
            aggregation="stock",
            sort_order=2,
        )
        cls.fai = make_indicator(sort_order=3)
        for indicator, actual, target in (
            (cls.energy, "0.4251", "0.5"),
            (cls.continuing, "13", "23"),
            (cls.fai, "20.75", "24"),
        ):
            make_figure(indicator, cls.park, kind="target", month=12, value=Decimal(target))
            make_figure(indicator, cls.park, month=10, value=Decimal(actual))

    def setUp(self):
        self.client.force_login(self.user)

    def cards(self):
        return {card.indicator.code: card for card in indicator_cards(self.park, 2023)}

    def test_the_rate_card_has_met_its_target_with_no_time_elapsed_progress(self):
        progress = self.cards()["energy_per_output"].progress
        self.assertEqual(
            (progress.completion, progress.expected, progress.status), (Decimal("85.0"), None, Status.AHEAD)
        )

    def test_the_stock_card_is_short_of_its_target_with_no_time_elapsed_progress(self):
        progress = self.cards()["projects_continuing"].progress
        self.assertEqual((progress.expected, progress.status), (None, Status.BEHIND))

    def test_the_cumulative_card_is_still_judged_against_time_elapsed_progress(self):
        progress = self.cards()["fixed_asset_investment"].progress
        self.assertEqual(
            (progress.expected, progress.gap, progress.status), (Decimal("83.3"), Decimal("3.2"), Status.AHEAD)
        )

    def test_the_completion_chart_has_no_pace_and_a_blank_pace_cell_for_a_stock_or_a_rate(self):
        chart = completion_chart(indicator_cards(self.park, 2023))
        pace = {label: value for label, value in zip(chart["labels"], chart["datasets"][1]["data"])}
        self.assertEqual(pace, {"Energy Per Output": None, "Projects Continuing": None, "Fixed-asset investment": 83.3})
        column = chart["table"]["columns"].index("Time-elapsed pace")
        self.assertEqual([row[column] for row in chart["table"]["rows"]], ["", "", "83.3%"])

    def test_the_monthly_chart_of_a_rate_draws_its_target_flat_not_a_pace(self):
        chart = monthly_chart(self.energy, indicator_series(self.energy, self.park), 2023)
        self.assertEqual(chart["datasets"][1]["label"], "Annual target")
        self.assertEqual(chart["datasets"][1]["data"], [0.5] * 12)
        paced = monthly_chart(self.fai, indicator_series(self.fai, self.park), 2023)
        self.assertEqual(paced["datasets"][1]["label"], "Target pace")
        self.assertEqual(paced["datasets"][1]["data"][5], 12.0)

    def test_the_overview_says_the_rate_met_its_target_and_shows_no_time_elapsed_progress_for_it(self):
        response = self.client.get(f"/?park={self.park.pk}&year=2023")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        energy = html[html.index('data-indicator="energy_per_output"') :]
        energy = energy[: energy.index("</article>")]
        self.assertIn("Target met", energy)
        self.assertNotIn("序时进度", energy)
        self.assertNotIn("pace", energy)
        fai = html[html.index('data-indicator="fixed_asset_investment"') :]
        self.assertIn("On or ahead of pace", fai[: fai.index("</article>")])
        self.assertIn("Time-elapsed pace", fai[: fai.index("</article>")])

    def test_the_indicator_page_of_a_stock_names_its_kind(self):
        response = self.client.get(f"/indicators/projects_continuing/?park={self.park.pk}&year=2023")
        self.assertContains(response, "Stock (a level at a date, compared with the target)")
        self.assertContains(response, "actual by month against the target")
