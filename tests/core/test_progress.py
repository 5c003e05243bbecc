"""Completion, 序时进度 and status: the one place they are computed."""

from decimal import Decimal
from unittest import mock

from django.test import SimpleTestCase, override_settings
from django.utils import translation

from parkdash.core.progress import CUMULATIVE, RATE, STOCK, Progress, Status, completion_pct, expected_pct


class ProgressTests(SimpleTestCase):
    def test_completion_is_actual_over_target_in_percent(self):
        self.assertEqual(completion_pct(Decimal("20.75"), Decimal("24")), Decimal("86.5"))
        self.assertIsNone(completion_pct(5, 0))
        self.assertIsNone(completion_pct(None, 5))

    def test_time_elapsed_progress_is_month_over_twelve(self):
        self.assertEqual(expected_pct(6), Decimal("50.0"))
        self.assertEqual(expected_pct(10), Decimal("83.3"))
        self.assertEqual(expected_pct(12), Decimal("100.0"))

    def test_on_or_ahead_of_pace_is_ahead(self):
        self.assertEqual(Progress(actual=50, target=100, month=6).status, Status.AHEAD)
        self.assertEqual(Progress(actual=60, target=100, month=6).gap, Decimal("10.0"))

    def test_up_to_the_threshold_behind_is_slightly_behind_and_further_is_behind(self):
        self.assertEqual(Progress(actual=40, target=100, month=6).status, Status.SLIGHTLY_BEHIND)
        self.assertEqual(Progress(actual=39, target=100, month=6).status, Status.BEHIND)

    @override_settings(PARKDASH_BEHIND_THRESHOLD=5)
    def test_the_threshold_is_a_setting(self):
        self.assertEqual(Progress(actual=44, target=100, month=6).status, Status.BEHIND)

    def test_where_lower_is_better_the_judgement_flips(self):
        self.assertEqual(Progress(actual=40, target=100, month=6, higher_is_better=False).status, Status.AHEAD)
        self.assertEqual(
            Progress(actual=55, target=100, month=6, higher_is_better=False).status, Status.SLIGHTLY_BEHIND
        )
        self.assertEqual(Progress(actual=70, target=100, month=6, higher_is_better=False).status, Status.BEHIND)

    def test_without_a_target_there_is_no_judgement(self):
        progress = Progress(actual=5, target=None, month=6)
        self.assertEqual(progress.status, Status.NO_TARGET)
        self.assertIsNone(progress.completion)

    def test_completion_and_status_are_worked_out_once_however_often_they_are_read(self):
        # The overview reads them for each card several times: its counts, its list of the behind, the card itself.
        progress = Progress(actual=Decimal("20.75"), target=Decimal("24"), month=10)
        with mock.patch("parkdash.core.progress.completion_pct", wraps=completion_pct) as computed:
            for _ in range(3):
                self.assertEqual(progress.status, Status.AHEAD)
                self.assertEqual(progress.gap, Decimal("3.2"))
                self.assertEqual(progress.completion, Decimal("86.5"))
        self.assertEqual(computed.call_count, 1)


class AggregationTests(SimpleTestCase):
    """A running total is judged against 序时进度; a stock or a rate against its target directly."""

    def setUp(self):
        self.enterContext(translation.override("en"))  # the labels, whatever catalogue is compiled

    def test_a_rate_where_lower_is_better_under_its_target_has_met_it(self):
        # 单位工业增加值能耗 0.4251 吨标准煤/万元 through October against a target of 0.5 (issue 13).
        energy = Progress(
            actual=Decimal("0.4251"), target=Decimal("0.5"), month=10, higher_is_better=False, aggregation=RATE
        )
        self.assertEqual(energy.completion, Decimal("85.0"))
        self.assertIsNone(energy.expected)
        self.assertEqual(energy.gap, Decimal("-15.0"))
        self.assertEqual(energy.status, Status.AHEAD)
        self.assertEqual(str(energy.label), "Target met")

    def test_a_rate_where_lower_is_better_above_its_target_falls_short(self):
        above = Progress(
            actual=Decimal("0.53"), target=Decimal("0.5"), month=10, higher_is_better=False, aggregation=RATE
        )
        self.assertEqual(above.status, Status.SLIGHTLY_BEHIND)
        self.assertEqual(str(above.label), "Slightly short of target")
        far_above = Progress(
            actual=Decimal("0.6"), target=Decimal("0.5"), month=3, higher_is_better=False, aggregation=RATE
        )
        self.assertEqual(far_above.status, Status.BEHIND)

    def test_a_stock_count_is_compared_with_its_target_whatever_the_month(self):
        # 13 续建工程 in October against 23 planned: 56.5 % of the target, not "ahead of 序时进度" in January.
        continuing = Progress(actual=13, target=23, month=1, aggregation=STOCK)
        self.assertEqual(continuing.completion, Decimal("56.5"))
        self.assertIsNone(continuing.expected)
        self.assertEqual(continuing.status, Status.BEHIND)
        self.assertEqual(str(continuing.label), "Short of target")
        self.assertEqual(Progress(actual=21, target=23, month=12, aggregation=STOCK).status, Status.SLIGHTLY_BEHIND)
        self.assertEqual(Progress(actual=23, target=23, month=2, aggregation=STOCK).status, Status.AHEAD)

    def test_a_cumulative_total_is_still_judged_against_time_elapsed_progress(self):
        fai = Progress(actual=Decimal("20.75"), target=Decimal("24"), month=10, aggregation=CUMULATIVE)
        self.assertEqual(fai.expected, Decimal("83.3"))
        self.assertEqual(fai.gap, Decimal("3.2"))
        self.assertEqual(fai.status, Status.AHEAD)
        self.assertEqual(str(fai.label), "On or ahead of pace")
        self.assertEqual(Progress(actual=13, target=23, month=10).status, Status.BEHIND)
        self.assertEqual(Progress(actual=13, target=23, month=10).expected, Decimal("83.3"))
