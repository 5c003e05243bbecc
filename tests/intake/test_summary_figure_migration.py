"""Migrations intake 0005 and indicators 0007: the figure -> summary link moves to intake and none is lost."""

from datetime import UTC, datetime
from decimal import Decimal

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

BEFORE = [("intake", "0004_candidate_version"), ("indicators", "0006_catalogue_for_other_parks")]
AFTER = [("intake", "0005_summary_figure"), ("indicators", "0007_figure_summary_moves_to_intake")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


class SummaryFigureMigrationTests(TransactionTestCase):
    def tearDown(self):
        # The schema the other tests expect, whatever happened here: every app at its latest migration (AFTER alone
        # would leave the later migrations of these apps unapplied for the tests that run next in this process).
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    def test_every_figure_keeps_the_summary_it_was_applied_from_with_who_linked_it(self):
        old = migrate(BEFORE)
        user = old.get_model("auth", "User").objects.create(username="clerk")
        park = old.get_model("parks", "Park").objects.create(code="dongbu", name="东部")
        indicator = old.get_model("indicators", "Indicator").objects.create(
            code="fai", name="固定资产投资", name_en="FAI", unit="亿元"
        )
        summary = old.get_model("intake", "WorkSummary").objects.create(park=park, year=2023, month=6, text="……")
        Figure = old.get_model("indicators", "Figure")
        applied = Figure.objects.create(
            indicator=indicator, park=park, year=2023, month=6, value=Decimal("12.5"), summary=summary
        )
        typed = Figure.objects.create(indicator=indicator, park=park, year=2023, month=5, value=Decimal("10"))
        when = datetime(2023, 7, 1, 9, 30, tzinfo=UTC)
        old.get_model("indicators", "HistoricalFigure").objects.create(
            id=applied.pk,
            indicator=indicator,
            park=park,
            year=2023,
            month=6,
            kind="actual",
            version="final",
            value=Decimal("12.5"),
            source="summary",
            summary=summary,
            revision=1,
            created=when,
            modified=when,
            history_date=when,
            history_type="+",
            history_user=user,
        )

        new = migrate(AFTER)

        links = new.get_model("intake", "SummaryFigure").objects.all()
        self.assertEqual([(link.figure_id, link.summary_id) for link in links], [(applied.pk, summary.pk)])
        self.assertFalse(links.filter(figure_id=typed.pk).exists())
        history = new.get_model("intake", "HistoricalSummaryFigure").objects.get()
        self.assertEqual((history.history_type, history.history_date, history.history_user_id), ("+", when, user.pk))
        self.assertNotIn("summary", [f.name for f in new.get_model("indicators", "Figure")._meta.concrete_fields])

    def test_migrating_back_puts_the_link_on_the_figure_again(self):
        migrate(BEFORE)
        new = migrate(AFTER)
        park = new.get_model("parks", "Park").objects.create(code="dongbu", name="东部")
        indicator = new.get_model("indicators", "Indicator").objects.create(
            code="fai", name="固定资产投资", name_en="FAI", unit="亿元"
        )
        summary = new.get_model("intake", "WorkSummary").objects.create(park=park, year=2023, month=6, text="……")
        figure = new.get_model("indicators", "Figure").objects.create(
            indicator=indicator, park=park, year=2023, month=6, value=Decimal("12.5")
        )
        new.get_model("intake", "SummaryFigure").objects.create(figure=figure, summary=summary)

        old = migrate(BEFORE)

        self.assertEqual(old.get_model("indicators", "Figure").objects.get(pk=figure.pk).summary_id, summary.pk)
