"""Completion, 序时进度 and status: the one place they are computed."""

from decimal import Decimal

from django.test import SimpleTestCase, override_settings

from parkdash.core.progress import Progress, Status, completion_pct, expected_pct


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
