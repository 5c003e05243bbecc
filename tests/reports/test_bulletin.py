"""The bulletin's computation (reports/bulletin.py): completion, ranks with ties, missing targets, lower is better,
the overall score and the sort, each against values worked out by hand in the test."""

from decimal import Decimal

from django.test import SimpleTestCase, TestCase

from parkdash.reports import bulletin
from tests.support import make_figure, make_indicator, make_park

YEAR, MONTH = 2023, 6


def target(indicator, park, value, **kwargs):
    kwargs.setdefault("year", YEAR)
    return make_figure(indicator, park, month=12, kind="target", value=Decimal(value), **kwargs)


def actual(indicator, park, value, month=MONTH, **kwargs):
    return make_figure(indicator, park, year=YEAR, month=month, kind="actual", value=Decimal(value), **kwargs)


class CompetitionRankTests(SimpleTestCase):
    def test_equal_values_share_a_rank_and_the_next_rank_skips(self):
        ranks = bulletin.competition_ranks({"a": 3, "b": 2, "c": 2, "d": 1})
        self.assertEqual(ranks, {"a": 1, "b": 2, "c": 2, "d": 4})

    def test_lower_first_ranks_the_lowest_value_first(self):
        ranks = bulletin.competition_ranks({"a": 3, "b": 2, "c": 2, "d": 1}, lower_first=True)
        self.assertEqual(ranks, {"d": 1, "b": 2, "c": 2, "a": 4})

    def test_the_mean_rank_is_rounded_half_up_to_two_decimals(self):
        self.assertEqual(bulletin.mean_rank([1, 2, 2]), Decimal("1.67"))  # 5/3 = 1.666…
        self.assertEqual(bulletin.mean_rank([1, 2, 2, 2, 2, 2, 2, 2]), Decimal("1.88"))  # 15/8 = 1.875

    def test_a_park_needs_ranks_on_half_the_indicators_rounded_up_for_an_overall_rank(self):
        self.assertEqual([bulletin.min_ranked(n) for n in (0, 1, 2, 3, 6, 7)], [1, 1, 1, 2, 3, 4])


class RankTests(TestCase):
    """Five parks, an investment (higher is better, running total), an energy rate (lower is better) and a stock
    of enterprises."""

    @classmethod
    def setUpTestData(cls):
        cls.fai = make_indicator("fixed_asset_investment")
        cls.energy = make_indicator(
            "energy_per_output",
            name="单位工业增加值能耗",
            unit="吨标准煤/万元",
            category="ecology",
            higher_is_better=False,
            aggregation="rate",
        )
        cls.stock = make_indicator(
            "enterprises_above_size", name="规上工业企业", unit="家", category="enterprises", aggregation="stock"
        )
        cls.p1, cls.p2, cls.p3, cls.p4, cls.p5 = (make_park(code=f"p{i}", name=f"园区{i}") for i in range(1, 6))
        # Investment, targets of 100 (亿元): 50.04 % and 49.96 % both show 50.0 and tie; 60 % is first; 40 %
        # comes fourth (after two second places); p4 has no target, p5 a target and no actual of June.
        for park, value in ((cls.p1, "50.04"), (cls.p2, "49.96"), (cls.p3, "60"), (cls.p4, None), (cls.p5, None)):
            if park is not cls.p4:
                target(cls.fai, park, "100")
            if value is not None:
                actual(cls.fai, park, value)
        cls.extra = make_park(code="p6", name="园区6")
        target(cls.fai, cls.extra, "200")
        actual(cls.fai, cls.extra, "80")  # 40.0 %
        actual(cls.fai, cls.p5, "99", month=5)  # May's actual is not June's: p5 stays without one
        # Energy use, lower is better, targets of 0.5: 0.45 → 90.0 %, 0.55 → 110.0 %, 0.40 → 80.0 %.
        for park, value in ((cls.p1, "0.45"), (cls.p2, "0.55"), (cls.p3, "0.40")):
            target(cls.energy, park, "0.5")
            actual(cls.energy, park, value)
        # Enterprises above size, a stock, targets of 50: 45 → 90.0 %, 55 → 110.0 %; p3's target is 0 (none).
        for park, value in ((cls.p1, "45"), (cls.p2, "55")):
            target(cls.stock, park, "50")
            actual(cls.stock, park, value)
        target(cls.stock, cls.p3, "0")
        actual(cls.stock, cls.p3, "40")
        cls.parks = [cls.p1, cls.p2, cls.p3, cls.p4, cls.p5, cls.extra]

    def build(self, indicators=None, sort=bulletin.OVERALL, parks=None):
        indicators = indicators or [self.fai, self.energy, self.stock]
        return bulletin.build(parks or self.parks, YEAR, MONTH, indicators, sort)

    def cells(self, result, column):
        return {row.park.code: (row.cells[column].completion, row.cells[column].rank) for row in result.rows}

    def test_completions_equal_to_one_decimal_share_a_rank_and_the_next_rank_skips(self):
        cells = self.cells(self.build([self.fai]), 0)
        self.assertEqual(cells["p3"], (Decimal("60.0"), 1))
        self.assertEqual(cells["p1"], (Decimal("50.0"), 2))  # 50.04 shows 50.0
        self.assertEqual(cells["p2"], (Decimal("50.0"), 2))  # 49.96 shows 50.0
        self.assertEqual(cells["p6"], (Decimal("40.0"), 4))

    def test_a_completion_that_rounds_up_ranks_above_one_that_rounds_down(self):
        park = make_park(code="p7", name="园区7")
        target(self.fai, park, "100")
        actual(self.fai, park, "50.05")  # 50.05 % shows 50.1: ahead of the two 50.0
        cells = self.cells(self.build([self.fai], parks=[*self.parks, park]), 0)
        self.assertEqual(cells["p7"], (Decimal("50.1"), 2))
        self.assertEqual(cells["p1"][1], 3)
        self.assertEqual(cells["p2"][1], 3)
        self.assertEqual(cells["p6"][1], 5)

    def test_a_park_without_a_target_or_without_an_actual_is_not_ranked_and_says_which(self):
        result = self.build([self.fai])
        by_code = {row.park.code: row.cells[0] for row in result.rows}
        self.assertEqual(
            (by_code["p4"].completion, by_code["p4"].rank, by_code["p4"].missing), (None, None, "no_target")
        )
        self.assertEqual(
            (by_code["p5"].completion, by_code["p5"].rank, by_code["p5"].missing), (None, None, "no_actual")
        )
        self.assertIsNone(by_code["p1"].missing)

    def test_a_target_of_zero_counts_as_no_target(self):
        cell = next(row.cells[2] for row in self.build().rows if row.park == self.p3)
        self.assertEqual((cell.completion, cell.rank, cell.missing), (None, None, "no_target"))

    def test_where_lower_is_better_the_lower_completion_ranks_first(self):
        cells = self.cells(self.build([self.energy]), 0)
        self.assertEqual(cells["p3"], (Decimal("80.0"), 1))
        self.assertEqual(cells["p1"], (Decimal("90.0"), 2))
        self.assertEqual(cells["p2"], (Decimal("110.0"), 3))

    def test_a_stock_is_ranked_on_the_completion_of_its_target(self):
        cells = self.cells(self.build([self.stock]), 0)
        self.assertEqual(cells["p2"], (Decimal("110.0"), 1))
        self.assertEqual(cells["p1"], (Decimal("90.0"), 2))

    def test_the_overall_score_is_the_mean_rank_and_too_few_ranks_give_no_overall_rank(self):
        # Ranks (investment, energy, stock): p1 (2, 2, 2) → 2.00; p2 (2, 3, 1) → 2.00; p3 (1, 1, -) → 1.00;
        # p6 (4, -, -) ranked on 1 of 3 (fewer than 2): no overall rank; p4, p5 ranked on nothing.
        rows = {row.park.code: row for row in self.build().rows}
        self.assertEqual(
            {code: (row.score, row.score_rank) for code, row in rows.items()},
            {
                "p3": (Decimal("1.00"), 1),
                "p1": (Decimal("2.00"), 2),
                "p2": (Decimal("2.00"), 2),
                "p6": (Decimal("4.00"), None),
                "p4": (None, None),
                "p5": (None, None),
            },
        )

    def test_rows_are_sorted_by_the_overall_rank_then_by_how_many_ranks_then_in_the_parks_order(self):
        # p1 and p2 tie at 2; the parks without an overall rank come last, p6 (one rank) before p4 and p5 (none).
        result = self.build()
        self.assertEqual([row.park.code for row in result.rows], ["p3", "p1", "p2", "p6", "p4", "p5"])
        self.assertEqual(result.sort, bulletin.OVERALL)

    def test_rows_sorted_by_one_indicator_follow_its_ranks_with_the_unranked_last(self):
        result = self.build(sort="energy_per_output")
        # energy: p3 1, p1 2, p2 3; then the unranked by overall rank (p6, p4, p5: none has one; the parks' order)
        self.assertEqual([row.park.code for row in result.rows], ["p3", "p1", "p2", "p6", "p4", "p5"])
        result = self.build(sort="enterprises_above_size")
        self.assertEqual([row.park.code for row in result.rows][:2], ["p2", "p1"])
        # p3 (overall 1) before p6 (none) among the unranked
        self.assertEqual([row.park.code for row in result.rows][2:4], ["p3", "p6"])

    def test_it_reads_every_parks_figures_in_one_query(self):
        with self.assertNumQueries(1):
            self.build()
        many = [make_park(code=f"m{i}", name=f"多园区{i}") for i in range(10)]
        with self.assertNumQueries(1):
            self.build(parks=[*self.parks, *many])

    def test_the_notes_list_the_missing_cells_by_reason(self):
        missing = self.build().missing
        self.assertIn(
            ("p4", "fixed_asset_investment"), {(r.park.code, c.indicator.code) for r, c in missing["no_target"]}
        )
        self.assertIn(
            ("p3", "enterprises_above_size"), {(r.park.code, c.indicator.code) for r, c in missing["no_target"]}
        )
        self.assertEqual(
            {(r.park.code, c.indicator.code) for r, c in missing["no_actual"]}, {("p5", "fixed_asset_investment")}
        )


class DefaultIndicatorTests(TestCase):
    def test_the_default_columns_are_the_six_most_common_targets_in_catalogue_order(self):
        parks = [make_park(code=f"d{i}", name=f"默认{i}") for i in range(3)]
        indicators = [make_indicator(f"ind_{i}", name=f"指标{i}", sort_order=i) for i in range(8)]
        # Targets in 3, 1, 3, 2, 3, 2, 3, 3 parks: the six most common are 0, 2, 4, 6, 7 (3 parks) and 3 (2 parks,
        # before 5 in the catalogue); 1 (1 park) is left out. Shown in catalogue order.
        for indicator, count in zip(indicators, (3, 1, 3, 2, 3, 2, 3, 3)):
            for park in parks[:count]:
                target(indicator, park, "10")
        target(indicators[1], parks[0], "10", year=YEAR + 1)  # another year's target does not count
        counts = bulletin.targets_by_indicator(parks, YEAR)
        chosen = bulletin.default_indicators(counts)
        self.assertEqual([i.code for i in chosen], ["ind_0", "ind_2", "ind_3", "ind_4", "ind_6", "ind_7"])

    def test_a_zone_target_does_not_count_as_the_parks(self):
        from tests.support import make_zone

        park = make_park()
        indicator = make_indicator()
        target(indicator, park, "10", zone=make_zone(park))
        self.assertEqual(bulletin.targets_by_indicator([park], YEAR), {})
