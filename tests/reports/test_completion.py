"""The completion table (主要经济指标完成情况表) on screen: its cells against values computed by hand, the park's own
lines and order, the links to the figures, the notes, the parameters and who may see which park."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import SimpleTestCase, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from parkdash.core.roles import EDITOR, VIEWER
from parkdash.demo import generator as demo
from parkdash.indicators.models import Figure, Indicator
from parkdash.parks.models import Park
from parkdash.reports.models import ReportLine
from parkdash.reports.views.completion import gap_words, one_decimal
from tests.support import EnglishTestCase, World, make_figure, make_indicator, make_park, persona

URL = "/reports/completion/"


class TableCells(HTMLParser):
    """{line code: {cell name: text, cell name + "_href": link}} of the table's rows (tr[data-line], td[data-cell]),
    with the line's name under "name" and its unit under "unit"; the order of the lines in ``order``."""

    def __init__(self, html):
        super().__init__()
        self.rows, self.order = {}, []
        self.line = self.cell = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-line" in attrs:
            self.line = attrs["data-line"]
            self.rows[self.line] = {"class": attrs.get("class", "")}
            self.order.append(self.line)
        elif self.line and tag in ("td", "th"):
            self.cell = attrs.get("data-cell") or attrs.get("class", "").split()[0]
            self.rows[self.line][self.cell] = ""
            self.rows[self.line][self.cell + "_class"] = attrs.get("class", "")
        elif self.line and self.cell and tag == "a":
            self.rows[self.line][self.cell + "_href"] = attrs["href"]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.line and self.cell:
            self.rows[self.line][self.cell] = " ".join(self.rows[self.line][self.cell].split())
            self.cell = None
        elif tag == "tr":
            self.line = None

    def handle_data(self, data):
        if self.line and self.cell:
            self.rows[self.line][self.cell] += data


def table(response):
    return TableCells(response.content.decode())


def login(client, user):
    client.force_login(user)
    return client


class SeedParkTests(TestCase):
    """The seed park 东部产业集聚区, 2023 month 10: actuals, no targets for 2023."""

    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", "seed", verbosity=0)
        cls.park = Park.objects.get(code="dongbu")
        cls.viewer = persona("seed_viewer", VIEWER, [cls.park])

    def get(self, language="zh-hans", **query):
        self.client.force_login(self.viewer)
        params = {"park": "dongbu", "year": 2023, "month": 10, **query}
        return self.client.get(URL, params, HTTP_ACCEPT_LANGUAGE=language)

    def test_fixed_asset_investment_reads_as_the_summary_states_it_without_a_target(self):
        response = self.get()
        self.assertEqual(response.status_code, 200)
        row = table(response).rows["fixed_asset_investment"]
        self.assertEqual(row["name"], "固定资产投资")
        self.assertEqual(row["unit"], "亿元")
        self.assertEqual(row["actual"], "20.75")
        self.assertEqual(row["yoy"], "42.45")
        # No 2023 target in the seed: nothing to complete, nothing to be ahead or behind of.
        self.assertEqual(row["target"], "—")
        self.assertEqual(row["completion"], "—")
        self.assertEqual(row["gap"], "—")
        # 序时进度 at month 10 is 10/12 = 83.33… %.
        self.assertEqual(row["expected"], "83.3")

    def test_the_title_names_the_park_in_the_pages_language(self):
        self.park.name_en = "Dongbu Industrial Cluster"
        self.park.save()
        self.assertContains(self.get(), "东部产业集聚区 2023年1-10月")
        english = self.get(language="en")
        self.assertContains(english, "Dongbu Industrial Cluster, 2023, Months 1–10")
        self.assertNotContains(english, "东部产业集聚区, 2023")

    def test_every_whole_park_indicator_of_the_month_is_a_line_in_catalogue_order(self):
        lines = table(self.get()).order
        self.assertEqual(
            lines[:4], ["fixed_asset_investment", "government_investment", "industrial_investment", "industrial_output"]
        )
        # 造田造地 has only a zone's figure (北片): not a line of the whole park's table.
        self.assertNotIn("land_reclaimed", lines)
        # 22 indicators have a whole-park actual of 1-10月 in the seed.
        self.assertEqual(len(lines), 22)

    def test_a_stock_has_no_pace_and_no_gap(self):
        row = table(self.get()).rows["projects_continuing"]  # 续建工程: a stock
        self.assertEqual(row["actual"], "13")
        self.assertEqual(row["expected"], "—*")
        self.assertEqual(row["gap"], "—")

    def test_the_title_names_the_park_and_the_period(self):
        response = self.get()
        self.assertContains(response, "东部产业集聚区")
        self.assertContains(response, "2023年1-10月")

    def test_a_note_says_the_year_has_no_targets(self):
        response = self.get(language="en")
        self.assertContains(response, 'data-note="no-target"')
        self.assertContains(response, "No annual targets for 2023 yet")
        self.assertNotContains(response, 'data-note="no-actual"')

    def test_an_editor_is_offered_to_enter_the_missing_targets_and_a_viewer_is_not(self):
        self.assertNotContains(self.get(language="en"), "/admin/indicators/figure/add/")
        self.viewer.groups.add(Group.objects.get(name=EDITOR))
        response = self.get(language="en")
        self.assertContains(
            response, f"/admin/indicators/figure/add/?park={self.park.pk}&amp;year=2023&amp;month=12&amp;kind=target"
        )

    @override_settings(PARKDASH_ANONYMOUS_READ=True)
    def test_an_anonymous_reader_sees_the_table_linked_to_the_indicator_pages(self):
        self.client.logout()
        response = self.client.get(URL, {"park": "dongbu", "year": 2023, "month": 10})
        self.assertEqual(response.status_code, 200)
        row = table(response).rows["fixed_asset_investment"]
        self.assertEqual(row["actual_href"], f"/indicators/fixed_asset_investment/?park={self.park.pk}&year=2023")
        self.assertEqual(self.client.post(URL).status_code, 302)  # a POST still needs a login, and then 405

    def test_no_value_is_written_none_or_zero_for_a_missing_one(self):
        html = self.get().content.decode()
        self.assertNotIn("None", html)
        cells = table(self.get()).rows["land_supplied"]
        self.assertEqual((cells["yoy"], cells["target"]), ("—", "—"))

    def test_the_month_selector_lists_the_months_with_actuals_apart(self):
        response = self.get(language="en")
        self.assertContains(response, '<optgroup label="With actual figures">\n        <option value="10" selected>')
        self.assertEqual(response.context["months_with"], [(10, "Months 1–10")])

    def test_the_defaults_are_the_latest_year_and_month_with_actuals(self):
        self.client.force_login(self.viewer)
        response = self.client.get(URL)
        self.assertEqual((response.context["table"].year, response.context["table"].month), (2023, 10))

    def test_a_month_without_actuals_shows_dashes_and_says_so(self):
        response = self.get(language="en", month=6)
        self.assertEqual(table(response).rows, {})  # no figure of month 6, no lines chosen: no line at all
        self.assertContains(response, "No figures for this park in 2023")


class SmallParkTests(EnglishTestCase):
    """A park built here, with 2023 targets; every completion, 序时进度 and gap below is computed by hand."""

    @classmethod
    def setUpTestData(cls):
        cls.park = make_park(code="xiao", name="小园区")
        cls.fai = make_indicator("fixed_asset_investment", sort_order=10)
        cls.land = make_indicator("land_supplied", sort_order=20)
        cls.above_size = make_indicator(
            "enterprises_above_size", name="规上工业企业", unit="家", aggregation="stock", sort_order=30
        )
        cls.output = make_indicator("industrial_output", sort_order=40)
        cls.tax = make_indicator("tax_revenue", name="税收收入", sort_order=50)
        figures = [
            # 固定资产投资: 20.75 of 24 亿元 at month 10.
            (cls.fai, "target", 12, "24", None),
            (cls.fai, "actual", 10, "20.75", "42.45"),
            # 供地: 300 of 600 亩.
            (cls.land, "target", 12, "600", None),
            (cls.land, "actual", 10, "300", "-12.5"),
            # 规上工业企业 (a stock): 38 of 40 家.
            (cls.above_size, "target", 12, "40", None),
            (cls.above_size, "actual", 10, "38", None),
            # 工业总产值: 0.3214 of 0.8 亿元, both under one 亿: read in 万元.
            (cls.output, "target", 12, "0.8", None),
            (cls.output, "actual", 10, "0.3214", None),
            # 税收收入: a target, no actual yet.
            (cls.tax, "target", 12, "5", None),
        ]
        cls.figures = {}
        for indicator, kind, month, value, yoy in figures:
            cls.figures[indicator.code, kind] = make_figure(
                indicator,
                cls.park,
                kind=kind,
                month=month,
                value=Decimal(value),
                yoy_pct=Decimal(yoy) if yoy else None,
            )
        cls.viewer = persona("viewer_xiao", VIEWER, [cls.park])
        cls.editor = persona("editor_xiao", EDITOR, [cls.park], staff=True)

    def get(self, user=None, **query):
        self.client.force_login(user or self.viewer)
        return self.client.get(URL, {"park": self.park.pk, "year": 2023, "month": 10, **query})

    def test_a_running_total_ahead_of_pace(self):
        row = table(self.get()).rows["fixed_asset_investment"]
        self.assertEqual((row["target"], row["actual"], row["yoy"]), ("24", "20.75", "42.45"))
        # 20.75 / 24 = 86.458 % → 86.5; 序时进度 10/12 = 83.3; 86.5 − 83.3 = +3.2 points.
        self.assertEqual(row["completion"], "86.5")
        self.assertEqual(row["expected"], "83.3")
        self.assertEqual(row["gap"], "3.2 points ahead On or ahead of pace")
        self.assertIn("status-ahead", row["gap_class"])

    def test_a_running_total_behind_pace(self):
        row = table(self.get()).rows["land_supplied"]
        # 300 / 600 = 50.0 %; 50.0 − 83.3 = −33.3 points: more than 10 behind.
        self.assertEqual((row["completion"], row["expected"]), ("50.0", "83.3"))
        self.assertEqual(row["gap"], "33.3 points behind Behind pace")
        self.assertIn("status-behind", row["gap_class"])
        self.assertEqual(row["yoy"], "-12.5")

    def test_a_stock_is_compared_with_its_target_not_with_a_pace(self):
        row = table(self.get()).rows["enterprises_above_size"]
        # 38 / 40 = 95.0 %, 5 short of the target itself (within 10): slightly short; no 序时进度, no gap.
        self.assertEqual(row["completion"], "95.0 Slightly short of target")
        self.assertEqual(row["expected"], "—*")
        self.assertEqual(row["gap"], "—")
        self.assertNotIn("status-", row["gap_class"])

    def test_target_and_actual_of_a_line_are_read_in_one_unit(self):
        row = table(self.get()).rows["industrial_output"]
        # 0.8 亿元 = 8,000 万元 and 0.3214 亿元 = 3,214 万元: 40.175 % → 40.2.
        self.assertEqual((row["unit"], row["target"], row["actual"]), ("10k yuan", "8,000", "3,214"))
        self.assertEqual(row["completion"], "40.2")
        fai = table(self.get()).rows["fixed_asset_investment"]
        self.assertEqual(fai["unit"], "100M yuan")

    def test_a_target_without_actual_is_a_dash_and_a_note(self):
        response = self.get()
        row = table(response).rows["tax_revenue"]
        self.assertEqual((row["target"], row["actual"], row["completion"], row["gap"]), ("5", "—", "—", "—"))
        self.assertContains(response, "No actual figure for Months 1–10: Tax Revenue.")
        self.assertNotContains(response, 'data-note="no-target"')

    def test_the_title_in_english(self):
        response = self.get()
        self.assertEqual(response.context["title"], "Main economic indicators: 小园区, 2023, Months 1–10")
        self.assertContains(response, '<th scope="colgroup" colspan="2" class="group">Months 1–10</th>', html=False)

    def test_a_viewer_follows_a_number_to_its_indicator_page(self):
        row = table(self.get()).rows["fixed_asset_investment"]
        expected = f"/indicators/fixed_asset_investment/?park={self.park.pk}&amp;year=2023"
        self.assertEqual(row["actual_href"], expected.replace("&amp;", "&"))
        self.assertEqual(row["target_href"], expected.replace("&amp;", "&"))

    def test_an_editor_follows_a_number_to_the_figure_it_came_from(self):
        row = table(self.get(self.editor)).rows["fixed_asset_investment"]
        actual = self.figures["fixed_asset_investment", "actual"]
        target = self.figures["fixed_asset_investment", "target"]
        self.assertEqual(row["actual_href"], f"/admin/indicators/figure/{actual.pk}/change/")
        self.assertEqual(row["target_href"], f"/admin/indicators/figure/{target.pk}/change/")

    def test_the_parks_own_lines_set_the_order_and_the_names(self):
        ReportLine.objects.create(park=self.park, indicator=self.land, position=1)
        ReportLine.objects.create(park=self.park, indicator=self.fai, position=2, label="固投（含基础设施）")
        ReportLine.objects.create(park=self.park, indicator=self.above_size, position=3)
        found = table(self.get())
        self.assertEqual(found.order, ["land_supplied", "fixed_asset_investment", "enterprises_above_size"])
        self.assertEqual(found.rows["fixed_asset_investment"]["name"], "固投（含基础设施）")
        self.assertEqual(found.rows["land_supplied"]["name"], "Land supplied")

    def test_a_line_without_any_figure_shows_dashes_and_is_named_in_the_notes(self):
        idle = make_indicator("idle_land", name="盘活低效用地", unit="亩")
        ReportLine.objects.create(park=self.park, indicator=idle, position=1)
        ReportLine.objects.create(park=self.park, indicator=self.fai, position=2)
        response = self.get()
        row = table(response).rows["idle_land"]
        self.assertEqual((row["target"], row["actual"], row["yoy"], row["completion"]), ("—", "—", "—", "—"))
        self.assertContains(response, "No annual target for 2023: Idle Land.")
        self.assertContains(response, "No actual figure for Months 1–10: Idle Land.")

    def test_the_figures_are_read_in_one_query_whatever_the_number_of_lines(self):
        def queries():
            self.client.force_login(self.viewer)
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(URL, {"park": self.park.pk, "year": 2023, "month": 10})
            self.assertEqual(response.status_code, 200)
            figures = [q["sql"] for q in captured if 'FROM "indicators_figure"' in q["sql"]]
            return len(captured), figures, len(response.context["table"].lines)

        few, figures, lines = queries()
        # The years and the months with figures (the selectors), then the table's figures: one query.
        self.assertEqual(len(figures), 3)
        for number in range(12):
            extra = make_indicator(f"extra_{number}", name=f"指标{number}")
            make_figure(extra, self.park, value=Decimal(number + 1))
            make_figure(extra, self.park, kind="target", month=12, value=Decimal(20))
        many, figures, more_lines = queries()
        self.assertEqual((many, len(figures)), (few, 3))
        self.assertEqual(more_lines, lines + 12)

    def test_the_export_link_keeps_the_park_and_period(self):
        response = self.get()
        self.assertContains(response, f"?park={self.park.pk}&amp;year=2023&amp;month=10&amp;_export=xlsx")


class ParametersTests(EnglishTestCase):
    """Bad parameters are answered with a 4xx and a sentence, never a 500."""

    @classmethod
    def setUpTestData(cls):
        cls.park = make_park(code="xiao", name="小园区")
        make_figure(make_indicator(), cls.park)
        cls.viewer = persona("viewer_xiao", VIEWER, [cls.park])

    def status(self, **query):
        self.client.force_login(self.viewer)
        return self.client.get(URL, {"park": self.park.pk, **query}).status_code

    def test_an_unknown_park_is_not_found(self):
        self.assertEqual(self.status(park="abc"), 404)
        self.assertEqual(self.status(park="999999"), 404)
        self.assertEqual(self.status(park="99999999999999999999"), 404)

    def test_a_month_or_year_out_of_range_is_a_bad_request(self):
        for query in ({"month": "13"}, {"month": "0"}, {"month": "abc"}, {"year": "abc"}, {"year": "99999"}):
            with self.subTest(**query):
                self.assertEqual(self.status(**query), 400)

    def test_a_bad_request_says_what_was_wrong(self):
        self.client.force_login(self.viewer)
        response = self.client.get(URL, {"month": "13"})
        self.assertContains(response, "month must be a whole number from 1 to 12", status_code=400)

    def test_an_unknown_file_format_is_a_bad_request(self):
        for fmt in ("pdf", "csv", ""):
            with self.subTest(fmt=fmt):
                self.client.force_login(self.viewer)
                response = self.client.get(URL, {"park": self.park.pk, "_export": fmt})
                self.assertEqual(response.status_code, 400)
                self.assertIn("Use xlsx", response.content.decode())


class PersonaTests(World, EnglishTestCase):
    """Each persona, GET and POST, on park A's and park B's table and file."""

    def answer(self, user, park, method="get", **query):
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        data = {"park": park.pk, "year": 2023, "month": 6, **query}
        if method == "get":
            return self.client.get(URL, data)
        return self.client.post(URL + "?park={}&year=2023&month=6".format(park.pk), data)

    def test_who_sees_which_parks_table(self):
        expected = {
            "viewer_a": (200, 404),
            "editor_a": (200, 404),
            "editor_b": (404, 200),
            "nobody": (404, 404),
            "administrator": (200, 200),
        }
        for name, (on_a, on_b) in expected.items():
            user = getattr(self, name)
            for park, status in ((self.park_a, on_a), (self.park_b, on_b)):
                for fmt in (None, "xlsx"):
                    with self.subTest(persona=name, park=park.code, fmt=fmt):
                        query = {"_export": fmt} if fmt else {}
                        self.assertEqual(self.answer(user, park, **query).status_code, status)

    def test_a_persona_who_may_not_see_a_park_sees_nothing_of_it(self):
        response = self.answer(self.viewer_a, self.park_b)
        self.assertNotContains(response, "乙园区", status_code=404)
        self.assertNotContains(response, "61.83", status_code=404)

    def test_the_table_of_a_park_shows_its_figures(self):
        response = self.answer(self.viewer_a, self.park_a)
        row = table(response).rows["fixed_asset_investment"]
        # 12 of 24 亿元 at month 6: 50.0 %, exactly on 序时进度 6/12 = 50.0.
        self.assertEqual((row["target"], row["actual"], row["yoy"]), ("24", "12", "29.47"))
        self.assertEqual(
            (row["completion"], row["expected"], row["gap"]), ("50.0", "50.0", "On pace On or ahead of pace")
        )
        self.assertNotContains(response, "乙园区")

    def test_anonymous_visitors_are_sent_to_log_in(self):
        for method in ("get", "post"):
            with self.subTest(method=method):
                response = self.answer(None, self.park_a, method)
                self.assertEqual(response.status_code, 302)
                self.assertIn("/accounts/login/", response["Location"])

    def test_post_is_not_allowed_for_anyone_logged_in(self):
        for name in ("viewer_a", "editor_a", "editor_b", "nobody", "administrator"):
            for park in (self.park_a, self.park_b):
                with self.subTest(persona=name, park=park.code):
                    self.assertEqual(self.answer(getattr(self, name), park, "post").status_code, 405)

    def test_the_park_selector_offers_only_the_users_parks(self):
        response = self.answer(self.editor_a, self.park_a)
        self.assertEqual([park.code for park in response.context["selection"].parks], ["park-a"])
        self.assertFalse(response.context["sees_several_parks"])
        response = self.answer(self.administrator, self.park_a)
        self.assertTrue(response.context["sees_several_parks"])


class WordingTests(SimpleTestCase):
    def test_percentages_of_the_table_have_one_decimal(self):
        cases = {
            Decimal("81"): "81.0",
            Decimal("86.458"): "86.5",
            Decimal("-0.04"): "0.0",
            Decimal("1234.56"): "1,234.6",
        }
        for value, text in cases.items():
            with self.subTest(value=value):
                self.assertEqual(one_decimal(value), text)
        self.assertEqual(one_decimal(None), "—")
        self.assertEqual(one_decimal(Decimal("1E+30")), "1,000,000,000,000,000,000,000,000,000,000.0")

    def test_the_gap_is_said_in_words(self):
        with translation.override("en"):
            self.assertEqual(gap_words(Decimal("3.2")), "3.2 points ahead")
            self.assertEqual(gap_words(Decimal("-33.3")), "33.3 points behind")
            self.assertEqual(gap_words(Decimal("0.0")), "On pace")
            self.assertEqual(gap_words(None), "")


class DemoParkTests(EnglishTestCase):
    """A generated demo park: every line's completion, 序时进度 and gap computed here from its figures."""

    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", "seed", verbosity=0)
        demo.generate(seed=7, parks=1, today=date(2025, 11, 15))  # actuals of 2025 through October
        cls.park = Park.objects.get(code="demo-001")
        cls.viewer = persona("demo_viewer", VIEWER, [cls.park])

    def figures(self, kind):
        rows = Figure.objects.filter(park=self.park, zone=None, year=2025, kind=kind)
        if kind == "actual":
            rows = rows.filter(month=10)
        return {code: value for code, value in rows.values_list("indicator__code", "value")}

    def test_every_line_is_judged_as_computed_from_its_figures(self):
        self.client.force_login(self.viewer)
        response = self.client.get(URL, {"park": "demo-001", "year": 2025, "month": 10})
        rows = table(response).rows
        actuals, targets = self.figures("actual"), self.figures("target")
        aggregation = dict(Indicator.objects.values_list("code", "aggregation"))
        judged = 0
        for code, row in rows.items():
            with self.subTest(line=code):
                if code not in actuals or code not in targets or not targets[code]:
                    self.assertEqual(row["completion"], "—")
                    continue
                completion = (actuals[code] / targets[code] * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
                self.assertEqual(row["completion"].split()[0], f"{completion:,.1f}")
                if aggregation[code] == "cumulative":
                    self.assertEqual(row["expected"], "83.3")  # 10/12
                    gap = completion - Decimal("83.3")
                    words = "On pace" if gap == 0 else f"{abs(gap):.1f} points {'ahead' if gap > 0 else 'behind'}"
                    self.assertTrue(row["gap"].startswith(words), row["gap"])
                else:
                    self.assertEqual((row["expected"], row["gap"]), ("—*", "—"))
                judged += 1
        self.assertGreater(judged, 30)
        self.assertEqual(aggregation["energy_per_output"], "rate")
        self.assertIn("energy_per_output", rows)
