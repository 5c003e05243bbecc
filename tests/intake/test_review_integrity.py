"""The review page saves and applies all or nothing: a candidate that fails validation, a formset tampered with,
a figure written meanwhile by someone else or a second Apply at the same moment give a message, never a 500, and
leave no half-saved choices behind."""

import threading
import time
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test import Client, TestCase, TransactionTestCase, skipUnlessDBFeature

from parkdash.indicators.models import Figure
from parkdash.intake import services
from parkdash.intake.models import Candidate
from parkdash.parks.models import Park
from tests.support import make_admin, review_data

from .test_review_and_apply import SAMPLE


def review_url(summary):
    return "/admin/intake/worksummary/{}/review/".format(summary.pk)


def choices(summary):
    return list(summary.candidates.order_by("position").values_list("selected", "value", "unit"))


class QueryCounter:
    """Counts the queries run inside ``connection.execute_wrapper`` (the query log is reset when a request starts)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class AllOrNothingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", "seed", verbosity=0)
        cls.user = make_admin()
        cls.park = Park.objects.get(code="dongbu")

    def setUp(self):
        self.client.force_login(self.user)
        self.summary = services.create_summary(park=self.park, year=2025, month=6, text=SAMPLE)
        self.land = self.summary.candidates.get(value=Decimal("150"))
        self.fai = self.summary.candidates.get(value=Decimal("12.5"))

    def test_a_checked_candidate_that_fails_validation_is_named_and_nothing_is_saved_or_applied(self):
        # Written in November, the plan part's targets are for the next year: 2101, past what a figure may hold.
        summary = services.create_summary(park=self.park, year=2100, month=11, text=SAMPLE.replace("2025", "2100"))
        before = choices(summary)
        fai = summary.candidates.get(value=Decimal("12.5"))
        data = review_data(summary, {fai.position: {"selected": False}})
        response = self.client.post(review_url(summary), {**data, "_apply": "1"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "“固定资产投资 30")  # the candidate, as the page shows it
        self.assertContains(response, "(二、下半年工作计划) cannot be applied: The year must be between 1949 and 2100.")
        self.assertContains(response, "nothing was applied or saved")
        # The choices as posted stay on the page, to be corrected, but none of them was saved.
        self.assertEqual(choices(summary), before)
        self.assertFalse(Figure.objects.filter(summary=summary).exists())
        self.assertIsNone(type(summary).objects.get(pk=summary.pk).applied_at)

    def test_an_amount_no_figure_can_hold_neither_answers_500_nor_half_saves(self):
        before = choices(self.summary)
        data = review_data(
            self.summary, {self.land.position: {"value": "1000000000000000"}, self.fai.position: {"selected": False}}
        )
        response = self.client.post(review_url(self.summary), {**data, "_apply": "1"})
        self.assertIn(response.status_code, (200, 302))
        self.assertFalse(Figure.objects.filter(value__gte=Decimal(10) ** 15).exists())
        if response.status_code == 200:  # refused: then nothing of the post was saved
            self.assertEqual(choices(self.summary), before)
            self.assertFalse(Figure.objects.filter(summary=self.summary).exists())

    def test_a_form_added_to_the_review_by_hand_saves_nothing(self):
        before, count = choices(self.summary), self.summary.candidates.count()
        data = review_data(self.summary, {self.fai.position: {"selected": False}})
        data.update(
            {
                "c-TOTAL_FORMS": count + 1,
                "c-{}-kind".format(count): "actual",
                "c-{}-value".format(count): "99",
                "c-{}-selected".format(count): "on",
            }
        )
        response = self.client.post(review_url(self.summary), {**data, "_save": "1"})
        self.assertContains(response, "This page no longer matches the figures of the summary")
        self.assertEqual(Candidate.objects.count(), count + self.other_candidates())
        self.assertEqual(choices(self.summary), before)

    def test_a_review_whose_forms_are_all_posted_as_new_saves_nothing(self):
        before = choices(self.summary)
        data = review_data(self.summary, {self.fai.position: {"selected": False}})
        data["c-INITIAL_FORMS"] = 0
        response = self.client.post(review_url(self.summary), {**data, "_apply": "1"})
        self.assertContains(response, "This page no longer matches the figures of the summary")
        self.assertEqual(choices(self.summary), before)
        self.assertFalse(Figure.objects.filter(summary=self.summary).exists())

    def test_a_review_posting_the_candidates_of_another_summary_changes_neither(self):
        other = services.create_summary(park=self.park, year=2025, month=6, text=SAMPLE)
        before, theirs = choices(self.summary), choices(other)
        data = review_data(other, {position: {"selected": False} for position in range(5)})
        response = self.client.post(review_url(self.summary), {**data, "_save": "1"})
        self.assertContains(response, "This page no longer matches the figures of the summary")
        self.assertEqual((choices(self.summary), choices(other)), (before, theirs))

    def test_a_figure_written_meanwhile_by_someone_else_gives_a_message_and_keeps_the_choices_unsaved(self):
        before = choices(self.summary)
        data = review_data(self.summary, {self.fai.position: {"selected": False}})
        with mock.patch.object(Figure, "save", side_effect=IntegrityError("UNIQUE constraint failed")):
            response = self.client.post(review_url(self.summary), {**data, "_apply": "1"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Someone else saved or applied this summary")
        self.assertEqual(choices(self.summary), before)

    def test_saving_a_review_costs_the_same_queries_whatever_the_number_of_figures(self):
        # The old page looked each form's candidate, indicator and zone up one query at a time.
        large = services.create_summary(park=self.park, year=2025, month=6, text=SAMPLE * 10)
        counts = []
        self.client.get("/")  # the user's row and permissions cached (parkdash.parks.auth): both saves count warm
        for summary in (self.summary, large):
            land = summary.candidates.filter(value=Decimal("150")).first()
            data = review_data(summary, {land.position: {"unit": "公顷"}})
            queries = QueryCounter()
            with connection.execute_wrapper(queries):
                response = self.client.post(review_url(summary), {**data, "_save": "1"})
            self.assertRedirects(response, review_url(summary))
            land.refresh_from_db()
            self.assertEqual(land.unit, "公顷")
            counts.append(queries.count)
        self.assertGreater(large.candidates.count(), 40)
        self.assertEqual(counts[0], counts[1])

    def other_candidates(self):
        return Candidate.objects.exclude(summary=self.summary).count()


@pytest.mark.slow
class ConcurrentApplyTests(TransactionTestCase):
    """Two people press Apply on one summary at the same moment (threads, each with its own connection)."""

    def setUp(self):
        call_command("loaddata", "seed", verbosity=0)
        self.user = make_admin()
        self.summary = services.create_summary(park=Park.objects.get(code="dongbu"), year=2025, month=6, text=SAMPLE)

    @skipUnlessDBFeature("has_select_for_update")
    def test_two_applies_at_once_take_turns_and_write_each_figure_once(self):
        outcomes = self.apply_twice_at_once()
        self.assertEqual(outcomes, [302, 302])
        self.assertEqual(Figure.objects.filter(summary=self.summary).count(), 4)

    def test_two_applies_at_once_answer_without_a_server_error(self):
        outcomes = self.apply_twice_at_once()
        self.assertTrue(all(outcome in (200, 302) for outcome in outcomes), outcomes)
        # Where the database cannot make them take turns (the tests' shared in-memory SQLite refuses a locked
        # table at once instead of waiting), both may be told to try again; never is anything half-applied.
        applied = Figure.objects.filter(summary=self.summary).count()
        self.assertEqual(applied, 4 if 302 in outcomes else 0)

    def apply_twice_at_once(self):
        data = {**review_data(self.summary), "_apply": "1"}
        start = threading.Barrier(2)
        outcomes = []
        apply_one = services._apply_one

        def slow_apply_one(*args, **kwargs):
            time.sleep(0.05)  # widen the window in which the two applies overlap
            return apply_one(*args, **kwargs)

        clients = [Client(), Client()]
        for client in clients:
            client.force_login(self.user)

        def press_apply(client):
            try:
                start.wait(timeout=10)
                outcomes.append(client.post(review_url(self.summary), data).status_code)
            except Exception as exc:  # noqa: BLE001 - the outcome under test
                outcomes.append(repr(exc))
            finally:
                connection.close()

        with mock.patch.object(services, "_apply_one", slow_apply_one):
            threads = [threading.Thread(target=press_apply, args=(client,)) for client in clients]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        return outcomes
