"""The top of the overview answers "what is behind": counts by status, the behind ones worst first with what each
needs per remaining month, every indicator by category as cards or as a sortable, exportable table; and it never
contradicts itself (a target with no actual, a year without targets)."""

import csv
import io
from decimal import Decimal

from django.core.cache import cache
from django.test import TestCase
from django.utils import translation

from parkdash.core.progress import Progress, Status
from parkdash.dashboard.summary import by_category, read_status, read_view, status_counts, worst_first
from parkdash.indicators.cards import IndicatorCard, indicator_cards
from parkdash.indicators.models import Indicator
from tests.support import (
    EnglishClient,
    World,
    make_admin,
    make_figure,
    make_indicator,
    make_park,
    small_and_large_parks,
)


def build_year(park, year=2023, month=6):
    """One indicator of each status for ``park`` at ``month``, in several categories (see the class docstring)."""
    fai = make_indicator("fixed_asset_investment")  # investment: 12 of 24 at June, on pace
    output = make_indicator("industrial_output")  # output: 45 of 100, 5 points behind
    land = make_indicator("land_supplied")  # land: 200 of 600, 16.7 points behind
    above_size = make_indicator(  # a stock: 40 of 50, 20 points short of the target itself
        "enterprises_above_size", name="规上工业企业", unit="家", category="enterprises", aggregation="stock"
    )
    greening = make_indicator("greening_area")  # ecology: an actual, no target
    tax = make_indicator("tax_revenue", name="税收收入", category="output")  # a target, no actual yet
    misc = make_indicator("misc", name="其他指标", category="other")  # other: an actual, no target
    for indicator, target, actual in (
        (fai, 24, 12),
        (output, 100, 45),
        (land, 600, 200),
        (above_size, 50, 40),
        (greening, None, 30),
        (tax, 10, None),
        (misc, None, 1),
    ):
        if target is not None:
            make_figure(indicator, park, year=year, month=12, kind="target", value=Decimal(target))
        if actual is not None:
            make_figure(indicator, park, year=year, month=month, value=Decimal(actual))


class OverviewSummaryTests(TestCase):
    """A park in June 2023: fixed-asset investment on pace, output slightly behind, land behind, a stock (enterprises
    above designated size) short of its target, greening and an "other" indicator without target, tax revenue with
    a target and no actual yet."""

    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.park = make_park()
        build_year(cls.park)

    def setUp(self):
        self.client.force_login(self.user)

    def get(self, query=""):
        response = self.client.get(f"/?park={self.park.pk}&year=2023" + query)
        self.assertEqual(response.status_code, 200)
        return response

    def test_the_top_counts_the_indicators_of_each_status(self):
        counts = {c.status: c.count for c in self.get().context["counts"]}
        self.assertEqual(
            counts,
            {
                Status.AHEAD: 1,
                Status.SLIGHTLY_BEHIND: 1,
                Status.BEHIND: 2,
                Status.NO_TARGET: 2,
                Status.NO_ACTUAL: 1,
            },
        )

    def test_each_count_links_to_the_overview_filtered_to_its_status(self):
        response = self.get()
        for status in (Status.AHEAD, Status.SLIGHTLY_BEHIND, Status.BEHIND, Status.NO_TARGET):
            self.assertContains(response, f'href="?park={self.park.pk}&amp;year=2023&amp;status={status}"')

    def test_a_status_in_the_query_shows_only_the_indicators_of_that_status(self):
        response = self.get("&status=behind")
        shown = [card.indicator.code for group in response.context["groups"] for card in group.cards]
        self.assertEqual(shown, ["land_supplied", "enterprises_above_size"])
        self.assertContains(response, 'aria-current="true"', count=1)
        # The counts still count everything.
        self.assertEqual(sum(c.count for c in response.context["counts"]), 7)

    def test_the_table_keeps_the_status_filter(self):
        response = self.get("&status=no_target&view=table")
        self.assertEqual([row["code"] for row in response.context["table"].data], ["greening_area", "misc"])

    def test_the_behind_ones_are_listed_worst_first(self):
        behind = [card.indicator.code for card, _need in self.get().context["behind"]]
        self.assertEqual(behind, ["enterprises_above_size", "land_supplied", "industrial_output"])

    def test_the_behind_list_says_what_is_needed_per_remaining_month(self):
        needs = {card.indicator.code: need for card, need in self.get().context["behind"]}
        # (600 − 200) / 6 months left, (100 − 45) / 6.
        self.assertEqual(needs["land_supplied"], "66.67 mu a month for 6 months")
        self.assertEqual(needs["industrial_output"], "9.17 100M yuan a month for 6 months")
        # A stock is a level, not a sum of months: nothing per month.
        self.assertEqual(needs["enterprises_above_size"], "")

    def test_the_behind_list_says_against_what_the_gap_is_measured(self):
        content = self.get().content.decode()
        behind = content.split('class="data-table behind-table"')[1].split("</table>")[0]
        self.assertEqual(behind.count("against the time-elapsed pace"), 2)
        self.assertEqual(behind.count("against the target"), 1)

    def test_the_cards_are_grouped_by_category_with_other_last(self):
        groups = self.get().context["groups"]
        self.assertEqual(
            [(g.category, [c.indicator.code for c in g.cards]) for g in groups],
            [
                ("investment", ["fixed_asset_investment"]),
                ("output", ["industrial_output", "tax_revenue"]),
                ("land", ["land_supplied"]),
                ("enterprises", ["enterprises_above_size"]),
                ("ecology", ["greening_area"]),
                ("other", ["misc"]),
            ],
        )

    def test_the_table_view_lists_every_indicator_and_sorts_by_status_worst_first(self):
        response = self.get("&view=table&sort=status")
        codes = [row.record["code"] for row in response.context["table"].rows]
        self.assertEqual(
            codes[:4], ["enterprises_above_size", "land_supplied", "industrial_output", "fixed_asset_investment"]
        )
        self.assertEqual(len(codes), 7)
        self.assertNotIn("groups", response.context)
        self.assertContains(response, "_export=csv")

    def test_the_table_sorts_by_a_number_column_with_blanks(self):
        response = self.get("&view=table&sort=-completion")
        codes = [row.record["code"] for row in response.context["table"].rows]
        self.assertEqual(
            codes[:4], ["enterprises_above_size", "fixed_asset_investment", "industrial_output", "land_supplied"]
        )
        self.assertEqual(sorted(codes[4:]), ["greening_area", "misc", "tax_revenue"])

    def test_the_table_exports_its_rows_as_csv(self):
        response = self.get("&view=table&status=behind&_export=csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("overview-dongbu-2023-behind.csv", response["Content-Disposition"])
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        self.assertEqual([row[0] for row in rows[1:]], ["enterprises_above_size", "land_supplied"])
        land = dict(zip(rows[0], rows[2]))
        self.assertEqual(land["Needed per remaining month"], "66.67")
        self.assertEqual(land["Actual"], "200")

    def test_the_export_link_works_from_the_cards_view_too(self):
        response = self.get("&_export=csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        self.assertEqual(len(rows), 1 + 7)

    def test_the_table_exports_as_xlsx(self):
        response = self.get("&view=table&_export=xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertIn(".xlsx", response["Content-Disposition"])
        b"".join(response.streaming_content)

    def test_bad_query_strings_show_the_page_as_if_they_were_absent(self):
        for query in ("&status=x", "&status=", "&view=x", "&view=table&sort=nonsense", "&status=behind%00"):
            with self.subTest(query=query):
                response = self.get(query)
                self.assertIsNone(response.context["status"])
        self.assertEqual(self.get("&view=x").context["view"], "cards")

    def test_an_unknown_export_format_is_refused_with_a_clear_message(self):
        response = self.client.get(f"/?park={self.park.pk}&view=table&_export=pdf")
        self.assertEqual(response.status_code, 400)
        self.assertIn(b"Unknown export format", response.content)

    def test_a_card_with_a_target_and_no_actual_says_so_and_not_no_target(self):
        content = self.get().content.decode()
        card = content.split('data-indicator="tax_revenue"')[1].split("</article>")[0]
        self.assertIn("No actual figure yet", card)
        self.assertNotIn("No target", card)
        self.assertNotIn("—", card.split("<dl>")[0])


class NeedPerMonthTests(TestCase):
    """What a running total needs per remaining month to reach its annual target."""

    def card(self, actual, target, month, aggregation="cumulative", higher_is_better=True):
        indicator = Indicator(
            code="x", name="x", unit="亿元", aggregation=aggregation, higher_is_better=higher_is_better
        )
        progress = Progress(Decimal(actual), Decimal(target), month, higher_is_better, aggregation)
        return IndicatorCard(indicator, Decimal(actual), month, None, Decimal(target), None, progress)

    def test_the_shortfall_is_spread_over_the_months_left(self):
        need = self.card(16, 30, 10).need
        self.assertFalse(need.reached)
        self.assertEqual(need.months_left, 2)
        self.assertEqual(need.per_month, Decimal("7.00"))

    def test_in_november_one_month_is_left(self):
        self.assertEqual(self.card("20.75", 24, 11).need.per_month, Decimal("3.25"))

    def test_in_december_no_month_is_left_and_the_shortfall_remains(self):
        need = self.card(20, 24, 12).need
        self.assertIsNone(need.per_month)
        self.assertEqual(need.months_left, 0)
        self.assertEqual(need.remaining, Decimal(4))

    def test_a_target_reached_needs_nothing_more(self):
        self.assertTrue(self.card(25, 24, 8).need.reached)
        self.assertTrue(self.card(24, 24, 12).need.reached)

    def test_a_stock_or_a_rate_needs_nothing_per_month(self):
        self.assertIsNone(self.card(40, 50, 6, aggregation="stock").need)
        self.assertIsNone(self.card(1, 2, 6, aggregation="rate", higher_is_better=False).need)

    def test_the_words_for_each_case(self):
        from parkdash.dashboard.tables import need_text

        self.assertEqual(need_text(self.card(16, 30, 10).need, "亿元"), "7 100M yuan a month for 2 months")
        self.assertEqual(need_text(self.card(16, 30, 11).need, "亿元"), "14 100M yuan a month for the 1 month left")
        self.assertEqual(need_text(self.card("29.5", 30, 10).need, "亿元"), "2,500 10k yuan a month for 2 months")
        with translation.override("zh-hans"):
            self.assertEqual(need_text(self.card(16, 30, 10).need, "亿元"), "今后 2 个月每月需完成 7 亿元")
        self.assertEqual(need_text(self.card(25, 24, 8).need, "亿元"), "Target reached")
        self.assertEqual(need_text(self.card(20, 24, 12).need, "亿元"), "Year ended 4 100M yuan short")
        self.assertEqual(need_text(None, "亿元"), "")


class SummaryFunctionTests(TestCase):
    def test_a_bad_status_or_view_is_ignored(self):
        self.assertIsNone(read_status("x"))
        self.assertIsNone(read_status(None))
        self.assertEqual(read_status("behind"), "behind")
        self.assertEqual(read_view("x"), "cards")
        self.assertEqual(read_view("table"), "table")

    def test_no_actual_is_counted_only_when_some_card_waits_for_its_figure(self):
        park = make_park()
        make_figure(make_indicator(), park, year=2023, month=6, value=1)
        cards = indicator_cards(park, 2023)
        self.assertEqual([c.status for c in status_counts(cards)], ["ahead", "slightly_behind", "behind", "no_target"])
        self.assertEqual(worst_first(cards), [])
        self.assertEqual([g.category for g in by_category(cards)], ["investment"])


class TargetWithoutActualTests(TestCase):
    """The seed park in 2024: annual targets (政府性投入 7.6 亿元 …) and no actual yet."""

    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.park = make_park()
        government = make_indicator("government_investment", name="政府性投入")
        make_figure(government, cls.park, year=2024, month=12, kind="target", value=Decimal("7.6"))

    def setUp(self):
        self.client.force_login(self.user)

    def test_a_target_without_an_actual_is_waiting_for_its_figure_not_without_target(self):
        progress = Progress(actual=None, target=Decimal("7.6"), month=None)
        self.assertEqual(progress.status, Status.NO_ACTUAL)
        self.assertEqual(str(progress.label), "No actual figure yet")
        self.assertEqual(Progress(actual=Decimal(1), target=None, month=6).status, Status.NO_TARGET)

    def test_the_card_shows_the_target_and_no_word_of_no_target(self):
        response = self.client.get(f"/?park={self.park.pk}&year=2024")
        card = response.content.decode().split('data-indicator="government_investment"')[1].split("</article>")[0]
        self.assertIn("7.6 100M yuan", card)  # the target, in the English unit
        self.assertIn("No actual figure yet", card)
        self.assertNotIn("No target", card)
        self.assertContains(response, "nothing can be judged against the targets")


class YearWithoutTargetsTests(World, TestCase):
    """The seed park in 2023: actuals only (its targets are for 2024)."""

    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()  # parks A and B, the personas
        cls.park = make_park()
        cls.park.members.add(cls.viewer_a)
        fai = Indicator.objects.get(code="fixed_asset_investment")
        land = Indicator.objects.get(code="land_supplied")
        make_figure(fai, cls.park, year=2023, month=10, value=Decimal("20.75"))
        make_figure(land, cls.park, year=2023, month=10, value=Decimal("1696"))
        make_figure(fai, cls.park, year=2024, month=12, kind="target", value=Decimal("30"))

    def get(self, user):
        self.client.force_login(user)
        return self.client.get(f"/?park={self.park.pk}&year=2023")

    def test_the_year_says_once_that_it_has_no_targets_and_no_card_says_no_target(self):
        response = self.get(self.administrator)
        self.assertContains(response, "No annual targets have been entered for 2023.", count=1)
        self.assertNotContains(response, "No target")
        self.assertNotContains(response, "status-no_target")
        self.assertNotIn("counts", response.context)
        # It points to the years that have targets.
        self.assertContains(response, f'href="?park={self.park.pk}&amp;year=2024"')

    def test_a_user_who_may_add_figures_gets_a_link_to_enter_the_targets(self):
        response = self.get(self.administrator)
        self.assertContains(response, "/admin/indicators/figure/add/?park=")
        add = self.client.get(response.context["add_targets_url"])
        self.assertEqual(add.status_code, 200)
        initial = add.context["adminform"].form.initial
        self.assertEqual(
            (str(initial["park"]), initial["year"], initial["kind"]), (str(self.park.pk), "2023", "target")
        )

    def test_a_viewer_gets_no_link_to_enter_targets(self):
        response = self.get(self.viewer_a)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "No annual targets have been entered for 2023.")
        self.assertNotContains(response, "/admin/indicators/figure/add/")


class OverviewExportScopingTests(World, TestCase):
    """The overview table's export holds the rows of a park the user may see, whatever the query asks."""

    def test_a_viewer_of_park_a_asking_for_park_b_exports_park_a(self):
        self.client.force_login(self.viewer_a)
        response = self.client.get(f"/?park={self.park_b.pk}&year=2023&view=table&_export=csv")
        self.assertEqual(response.status_code, 200)
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        self.assertIn("29.47", content)  # park A's growth
        self.assertNotIn("61.83", content)  # park B's
        self.assertIn("park-a", response["Content-Disposition"])

    def test_an_administrator_exports_the_park_asked_for(self):
        self.client.force_login(self.administrator)
        response = self.client.get(f"/?park={self.park_b.pk}&year=2023&view=table&_export=csv")
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        self.assertIn("61.83", content)
        self.assertNotIn("29.47", content)


class TableQueryCountTests(TestCase):
    """The overview's table view costs the same number of queries whatever the amount of data."""

    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.small, cls.large = small_and_large_parks()

    def test_the_table_view_costs_the_same_queries_for_small_and_large_parks(self):
        self.client.force_login(self.user)
        for park in (self.small, self.large):
            cache.clear()  # a cold cache: every query the page may need
            with self.subTest(park=park.code), self.assertNumQueries(10):
                self.client.get(f"/?park={park.pk}&view=table&sort=status")
