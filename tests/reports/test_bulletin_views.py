"""The bulletin page (/reports/bulletin/): who sees which parks, the one-park page, GET and POST per persona, the
parameters (bad ones answered 400 with a sentence) and the query count."""

from decimal import Decimal

from django.contrib.auth.models import Permission
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkdash.core.roles import VIEWER
from tests.support import EnglishTestCase, World, make_figure, make_indicator, make_park, persona

URL = reverse("reports:bulletin")
PERIOD = {"year": 2023, "month": 6}


def cell_texts(response):
    """{park name: [cell texts…, overall]} of the rendered table."""
    return {
        line["name"]: [c["text"] for c in line["cells"]] + [line["overall"]["text"]]
        for line in response.context["rows"]
    }


class BulletinScopeTests(World, EnglishTestCase):
    """Parks A and B of the trust tests: a target of 24 and an actual of 12 each through June 2023 (50.0 %)."""

    def get(self, user, **params):
        if user is not None:
            self.client.force_login(user)
        return self.client.get(URL, {**PERIOD, **params})

    def test_the_administrator_sees_both_parks_tied_first(self):
        response = self.get(self.administrator)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(cell_texts(response), {"甲园区": ["50.0 (1)", "1.00 (1)"], "乙园区": ["50.0 (1)", "1.00 (1)"]})
        self.assertContains(response, "Completion of the main indicators by park, 2023, Months 1–6")

    def test_a_user_of_parks_a_and_b_sees_two_rows(self):
        user = persona("viewer_ab", VIEWER, [self.park_a, self.park_b])
        response = self.get(user)
        self.assertEqual(set(cell_texts(response)), {"甲园区", "乙园区"})

    def test_ranks_are_among_the_users_parks_only(self):
        park_c = make_park(code="park-c", name="丙园区")
        make_figure(self.fai, park_c, year=2023, month=12, kind="target", value=Decimal("24"))
        make_figure(self.fai, park_c, year=2023, month=6, value=Decimal("6"))  # 25.0 %
        user = persona("viewer_ac", VIEWER, [self.park_a, park_c])
        response = self.get(user)
        # Among A (50.0) and C (25.0), C is second; with B (50.0) too it would be third.
        self.assertEqual(cell_texts(response), {"甲园区": ["50.0 (1)", "1.00 (1)"], "丙园区": ["25.0 (2)", "2.00 (2)"]})
        self.assertNotContains(response, "乙园区")

    def test_a_viewer_of_one_park_gets_a_page_that_says_the_bulletin_compares_several(self):
        response = self.get(self.viewer_a)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The bulletin compares several parks")
        self.assertContains(response, f'href="{reverse("reports:completion")}?park={self.park_a.pk}"')
        self.assertNotContains(response, "<table")
        self.assertNotContains(response, "乙园区")

    def test_an_editor_of_park_b_sees_only_park_b_named(self):
        response = self.get(self.editor_b)
        self.assertContains(response, "You see one park, 乙园区")
        self.assertNotContains(response, "甲园区")

    def test_a_user_of_no_park_is_told_so(self):
        for user in (self.nobody, self.editor_none):
            with self.subTest(user=user.username):
                response = self.get(user)
                self.assertContains(response, "You do not see any park yet")
                self.assertNotContains(response, "甲园区")
                self.assertNotContains(response, "乙园区")

    def test_a_one_park_user_asking_for_the_file_gets_the_page_not_a_file(self):
        response = self.get(self.viewer_a, _export="xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/html"))
        self.assertContains(response, "The bulletin compares several parks")

    def test_anonymous_is_sent_to_the_login_page(self):
        response = self.get(None)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])

    @override_settings(PARKDASH_ANONYMOUS_READ=True)
    def test_anonymous_sees_every_park_when_the_site_allows_anonymous_reading(self):
        response = self.get(None)
        self.assertEqual(set(cell_texts(response)), {"甲园区", "乙园区"})

    def test_a_city_level_user_sees_every_park(self):
        make_park(code="park-c", name="丙园区")
        city = persona("city", VIEWER)
        city.user_permissions.add(Permission.objects.get(codename="view_all_parks"))
        response = self.get(city)
        self.assertEqual(set(cell_texts(response)), {"甲园区", "乙园区", "丙园区"})
        self.assertEqual(cell_texts(response)["丙园区"], ["-", "-"])

    def test_get_and_post_for_every_persona(self):
        personas = {
            "administrator": (self.administrator, 200, "甲园区"),
            "editor_a": (self.editor_a, 200, "You see one park"),
            "viewer_a": (self.viewer_a, 200, "You see one park"),
            "editor_b": (self.editor_b, 200, "You see one park"),
            "nobody": (self.nobody, 200, "You do not see any park"),
            "editor_none": (self.editor_none, 200, "You do not see any park"),
        }
        for name, (user, status, text) in personas.items():
            with self.subTest(persona=name):
                self.client.force_login(user)
                response = self.client.get(URL, PERIOD)
                self.assertEqual(response.status_code, status)
                self.assertContains(response, text)
                self.assertEqual(self.client.post(URL, PERIOD).status_code, 405)
                self.client.logout()
        self.assertEqual(self.client.post(URL, PERIOD).status_code, 302)  # anonymous: to the login page first


class BulletinParameterTests(World, EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.output = make_indicator("industrial_output", sort_order=200)
        for park, value in ((cls.park_a, "30"), (cls.park_b, "45")):
            make_figure(cls.output, park, year=2023, month=12, kind="target", value=Decimal("100"))
            make_figure(cls.output, park, year=2023, month=6, value=Decimal(value))

    def setUp(self):
        self.client.force_login(self.administrator)

    def get(self, **params):
        return self.client.get(URL, {**PERIOD, **params})

    def assertBadRequest(self, response, sentence):
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, sentence, status_code=400)

    def test_bad_parameters_are_answered_400_with_a_sentence(self):
        cases = {
            "month 13": ({"month": "13"}, "month must be a whole number from 1 to 12, not “13”"),
            "year abc": ({"year": "abc"}, "year must be a whole number"),
            "unknown sort": ({"sort": "nothing"}, "cannot be sorted by “nothing”"),
            "sort not a column": (
                {"indicators": "fixed_asset_investment", "sort": "industrial_output"},
                "cannot be sorted by “industrial_output”",
            ),
            "unknown export": ({"_export": "csv"}, "Unknown export format “csv”. Use xlsx."),
        }
        for label, (params, sentence) in cases.items():
            with self.subTest(label):
                self.assertBadRequest(self.get(**params), sentence)

    def test_unknown_indicator_codes_are_named(self):
        response = self.get(indicators="fixed_asset_investment,foo,bar")
        self.assertBadRequest(response, "Unknown indicator codes: “foo”, “bar”.")

    def test_indicators_as_a_list_or_repeated_give_the_same_columns_in_the_order_given(self):
        listed = self.get(indicators="industrial_output,fixed_asset_investment")
        repeated = self.client.get(URL, {**PERIOD, "indicators": ["industrial_output", "fixed_asset_investment"]})
        for response in (listed, repeated):
            codes = [column["indicator"].code for column in response.context["columns"]]
            self.assertEqual(codes, ["industrial_output", "fixed_asset_investment"])
        self.assertEqual(cell_texts(listed), cell_texts(repeated))

    def test_by_default_the_columns_are_the_indicators_with_targets(self):
        codes = [column["indicator"].code for column in self.get().context["columns"]]
        self.assertEqual(codes, ["fixed_asset_investment", "industrial_output"])

    def test_the_default_sort_is_the_overall_rank_and_a_column_heading_sorts_by_its_rank(self):
        # Investment: both 50.0 (1); output: A 30.0 (2), B 45.0 (1). Overall: B 1.00 (1), A 1.50 (2).
        response = self.get()
        self.assertEqual(
            list(cell_texts(response).items()),
            [("乙园区", ["50.0 (1)", "45.0 (1)", "1.00 (1)"]), ("甲园区", ["50.0 (1)", "30.0 (2)", "1.50 (2)"])],
        )
        heading = response.context["columns"][0]["sort_url"]
        self.assertIn("sort=fixed_asset_investment", heading)
        self.assertContains(response, f'href="{heading.replace("&", "&amp;")}"')

    def test_sorting_by_an_indicator_orders_the_rows_by_its_rank(self):
        response = self.get(sort="industrial_output")
        self.assertEqual(list(cell_texts(response)), ["乙园区", "甲园区"])
        self.assertEqual(response.context["bulletin"].sort, "industrial_output")
        self.assertContains(response, 'aria-sort="ascending"')

    def test_a_stray_park_parameter_is_ignored(self):
        without = cell_texts(self.get())
        for park in (self.park_a.pk, self.park_b.code, "no-such-park"):
            with self.subTest(park=park):
                response = self.get(park=park)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(cell_texts(response), without)

    def test_the_notes_say_what_a_missing_cell_means(self):
        park_c = make_park(code="park-c", name="丙园区")
        make_figure(self.fai, park_c, year=2023, month=12, kind="target", value=Decimal("10"))
        response = self.get()
        texts = cell_texts(response)["丙园区"]
        self.assertEqual(texts, ["-*", "-", "-"])
        self.assertContains(response, "“-”: no target for 2023: 丙园区 (Gross industrial output).")
        self.assertContains(
            response, "“-*”: a target for 2023, but no actual figure yet (Months 1–6): 丙园区 (Fixed-asset investment)."
        )
        self.assertContains(response, "No target for 2023")  # the cell's title
        self.assertContains(response, "but no actual figure yet (Months 1–6)")

    def test_the_notes_say_how_lower_is_better_and_a_rate_are_ranked(self):
        energy = make_indicator(
            "energy_per_output",
            name="单位工业增加值能耗",
            unit="吨标准煤/万元",
            higher_is_better=False,
            aggregation="rate",
        )
        response = self.get(indicators="energy_per_output")
        self.assertContains(response, "lower is better, so the lower percentage ranks first")
        self.assertContains(response, "a stock or a rate, ranked like the others on the completion of its target")
        self.assertEqual(energy.code, response.context["columns"][0]["indicator"].code)

    def test_the_page_reads_the_same_number_of_queries_whatever_the_number_of_parks(self):
        def count():
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.get().status_code, 200)
            return len(queries)

        self.get()  # the user's permissions and parks cached (parkdash.parks.auth)
        two = count()
        for i in range(4):
            park = make_park(code=f"more-{i}", name=f"更多园区{i}")
            make_figure(self.fai, park, year=2023, month=12, kind="target", value=Decimal("24"))
            make_figure(self.fai, park, year=2023, month=6, value=Decimal(i + 1))
        self.assertEqual(count(), two)


class BulletinWithoutTargetsTests(EnglishTestCase):
    def test_a_year_without_targets_says_so_instead_of_an_empty_table(self):
        from django.core.management import call_command

        from tests.support import make_admin

        call_command("loaddata", "seed", verbosity=0)  # the seed park: 2023 actuals, no 2023 targets
        make_park(code="xibu", name="西部园区")
        self.client.force_login(make_admin())
        response = self.client.get(URL, {"year": 2023, "month": 10})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Choose at least one indicator: no park has a target for this year yet.")
        self.assertEqual(response.context["notes"], [])
        self.assertEqual(self.client.get(URL, {"year": 2023, "month": 10, "_export": "xlsx"}).status_code, 200)
        # The seed's 2024 targets make the default columns of 2024, without actuals yet ("-*").
        response = self.client.get(URL, {"year": 2024, "month": 10})
        self.assertTrue(response.context["columns"])
        seed_row = next(line for line in response.context["rows"] if line["row"].park.code == "dongbu")
        self.assertIn("-*", [cell["text"] for cell in seed_row["cells"]])
