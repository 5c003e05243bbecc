"""Figure writes through the API: POST, PUT/PATCH, DELETE and the bulk endpoint, each through the entry service
(parkdash.indicators.entry): the statuses it maps to (201, 200, 400 with fields, 400 with warnings, 409, 403, 404),
no cross-park write by any of the four personas; and the changes feed (?changed_since=)."""

from decimal import Decimal

import pytest
from django.test import TransactionTestCase, override_settings
from django.urls import reverse

from parkdash.indicators.choices import WarningCode
from parkdash.indicators.models import Figure
from tests.support import EnglishClient, EnglishTestCase, World, row_counts

from .helpers import body, make_token, token_client

FIGURES = reverse("api:figure-list")
BULK = reverse("api:figure-bulk")


def detail(figure):
    return reverse("api:figure-detail", args=[figure.pk])


def new_figure(park, **values):
    """A figure of ``park`` as a client sends it (a value of 5 in the indicator's unit, unless an entered one)."""
    data = {
        "indicator": "fixed_asset_investment",
        "park": park.code,
        "year": 2024,
        "month": 3,
        "kind": "actual",
        "version": "final",
        **({} if "entered_value" in values else {"value": "5"}),
        **values,
    }
    return data


@override_settings(PARKDASH_ANONYMOUS_READ=False)
class FigureWriteTests(World, EnglishTestCase):
    def setUp(self):
        self.api = {
            name: token_client(make_token(user)[1])
            for name, user in {
                "viewer_a": self.viewer_a,
                "editor_a": self.editor_a,
                "editor_b": self.editor_b,
                "nobody": self.nobody,
                "administrator": self.administrator,
            }.items()
        }

    def post(self, persona, url, data):
        return self.api[persona].post(url, data, content_type="application/json")

    def test_an_editor_creates_a_figure_of_its_park_and_the_history_names_the_user(self):
        response = self.post("editor_a", FIGURES, new_figure(self.park_a, entered_value="3214", entered_unit="万元"))
        self.assertEqual(response.status_code, 201, response.content)
        row = body(response)
        self.assertEqual(
            (row["park"], row["indicator"], row["value"], row["unit"]),
            ("park-a", "fixed_asset_investment", "0.3214", "亿元"),
        )
        figure = Figure.objects.get(pk=row["id"])
        self.assertEqual(figure.value, Decimal("0.3214"))
        self.assertEqual(figure.history.latest().history_user, self.editor_a)
        self.assertEqual((figure.source, row["source"]), ("api", "api"))

    def test_no_persona_writes_into_a_park_it_may_not_edit(self):
        expected = {
            # persona: (status for park A, status for park B)
            "viewer_a": (403, 403),
            "nobody": (403, 403),
            "editor_a": (201, 400),
            "editor_b": (400, 201),
        }
        for persona, statuses in expected.items():
            for park, wanted in zip((self.park_a, self.park_b), statuses, strict=True):
                with self.subTest(persona=persona, park=park.code):
                    before = Figure.objects.count()
                    response = self.post(persona, FIGURES, new_figure(park, month=4 if persona == "editor_b" else 3))
                    self.assertEqual(response.status_code, wanted, response.content)
                    if wanted == 400:
                        self.assertEqual(list(body(response)), ["park"])
                        self.assertNotIn(park.name, response.content.decode())
                    self.assertEqual(Figure.objects.count(), before + (wanted == 201))

    def test_an_invalid_figure_is_a_400_naming_the_field_and_saves_nothing(self):
        before = row_counts()
        response = self.post("editor_a", FIGURES, new_figure(self.park_a, entered_value="5", entered_unit="吨"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("entered_unit", body(response))
        response = self.post("editor_a", FIGURES, new_figure(self.park_a, year="2024"))
        self.assertEqual(list(body(response)), ["year"])
        self.assertEqual(row_counts(), before)

    def test_a_plausibility_warning_saves_nothing_until_confirmed(self):
        # June's running total of A is 12 and its target 24 (tests.support.personas): July at 120 is the 万/亿 slip,
        # and 500 % of the target.
        data = new_figure(self.park_a, year=2023, month=7, value="120")
        response = self.post("editor_a", FIGURES, data)
        self.assertEqual(response.status_code, 400)
        answer = body(response)
        self.assertEqual({warning["code"] for warning in answer["warnings"]}, {"jump", "completion"})
        self.assertIn("confirm_warnings", answer["detail"])
        self.assertFalse(Figure.objects.filter(park=self.park_a, year=2023, month=7).exists())
        response = self.post("editor_a", FIGURES, {**data, "confirm_warnings": ["jump"]})
        self.assertEqual(response.status_code, 400)
        self.assertEqual([warning["code"] for warning in body(response)["warnings"]], ["completion"])
        response = self.post("editor_a", FIGURES, {**data, "confirm_warnings": ["jump", "completion"]})
        self.assertEqual(response.status_code, 201)
        codes = set(Figure.objects.get(pk=body(response)["id"]).warnings.values_list("code", flat=True))
        self.assertEqual(codes, {"jump", "completion"})

    def test_an_update_of_its_own_park_is_200_and_of_another_park_404(self):
        figure = self.a["figure"]
        response = self.api["editor_a"].patch(detail(figure), {"note": "改过"}, content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(body(response)["note"], "改过")
        self.assertEqual(body(response)["revision"], figure.revision + 1)
        response = self.api["editor_b"].patch(detail(figure), {"note": "乙改"}, content_type="application/json")
        self.assertEqual(response.status_code, 404)
        figure.refresh_from_db()
        self.assertEqual(figure.note, "改过")

    def test_an_unchanged_update_is_200_without_a_new_revision(self):
        created = body(self.post("editor_a", FIGURES, new_figure(self.park_a, note="原样")))
        figure = Figure.objects.get(pk=created["id"])
        response = self.api["editor_a"].patch(detail(figure), {"note": "原样"}, content_type="application/json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(body(response)["revision"], created["revision"])
        self.assertEqual(figure.history.count(), 1)

    def test_a_stale_revision_is_a_409_with_what_changed_and_nothing_saved(self):
        figure = self.a["figure"]
        seen = figure.revision
        self.api["editor_a"].patch(detail(figure), {"note": "先改"}, content_type="application/json")
        response = self.api["editor_a"].patch(
            detail(figure), {"note": "后改", "revision": seen}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 409, response.content)
        answer = body(response)
        self.assertTrue(answer["detail"])
        self.assertEqual((answer["current"]["note"], answer["current"]["revision"]), ("先改", seen + 1))
        figure.refresh_from_db()
        self.assertEqual(figure.note, "先改")

    def test_a_viewer_cannot_update_or_delete_a_figure_of_its_park(self):
        figure = self.a["figure"]
        response = self.api["viewer_a"].patch(detail(figure), {"note": "x"}, content_type="application/json")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.api["viewer_a"].delete(detail(figure)).status_code, 403)
        self.assertTrue(Figure.objects.filter(pk=figure.pk).exists())

    def test_an_editor_deletes_a_figure_of_its_park_not_of_another(self):
        figure_a, figure_b = self.a["figure"], self.b["figure"]
        self.assertEqual(self.api["editor_a"].delete(detail(figure_b)).status_code, 404)
        self.assertEqual(self.api["editor_a"].delete(detail(figure_a)).status_code, 204)
        self.assertFalse(Figure.objects.filter(pk=figure_a.pk).exists())
        deletion = Figure.history.filter(id=figure_a.pk).latest("history_date", "history_id")
        self.assertEqual((deletion.history_type, deletion.history_user), ("-", self.editor_a))
        self.assertTrue(Figure.objects.filter(pk=figure_b.pk).exists())


@override_settings(PARKDASH_ANONYMOUS_READ=False)
class BulkTests(World, EnglishTestCase):
    def setUp(self):
        self.api = token_client(make_token(self.editor_a)[1])

    def bulk(self, figures):
        return self.api.post(BULK, {"figures": figures}, content_type="application/json")

    def batch(self, count, park=None, **values):
        return [
            new_figure(
                park or self.park_a,
                year=2024,
                month=1 + i % 12,
                version=["final", "preliminary", "estimate"][i // 12 % 3],
                indicator="land_supplied",
                value=str(100 + i),
                **values,
            )
            for i in range(count)
        ]

    def test_a_batch_is_created_then_idempotent(self):
        figures = self.batch(5)
        response = self.bulk(figures)
        self.assertEqual(response.status_code, 200, response.content)
        answer = body(response)
        self.assertEqual((answer["created"], answer["updated"], answer["unchanged"]), (5, 0, 0))
        self.assertEqual([item["index"] for item in answer["items"]], list(range(5)))
        sources = Figure.objects.filter(pk__in=[item["id"] for item in answer["items"]]).values_list(
            "source", flat=True
        )
        self.assertEqual(set(sources), {"api"})
        self.assertTrue(
            all(Figure.objects.filter(pk=item["id"], park=self.park_a).exists() for item in answer["items"])
        )
        again = body(self.bulk(figures))
        self.assertEqual((again["created"], again["updated"], again["unchanged"]), (0, 0, 5))
        figures[0]["value"] = "999"
        third = body(self.bulk(figures))
        self.assertEqual((third["created"], third["updated"], third["unchanged"]), (0, 1, 4))

    def test_one_refused_item_saves_nothing_and_says_which(self):
        figures = self.batch(3)
        figures[1] = {**figures[1], "entered_unit": "吨", "entered_value": "1"}
        del figures[1]["value"]
        figures[2]["park"] = self.park_b.code
        before = row_counts()
        response = self.bulk(figures)
        self.assertEqual(response.status_code, 400)
        items = body(response)["items"]
        self.assertEqual([item["status"] for item in items], ["created", "invalid", "invalid"])
        self.assertIn("entered_unit", items[1]["errors"])
        self.assertEqual(list(items[2]["errors"]), ["park"])
        self.assertEqual(row_counts(), before)

    def test_more_than_the_bound_is_a_400_before_anything_is_read(self):
        with override_settings(PARKDASH_API_BULK_MAX=3):
            response = self.bulk(self.batch(4))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(list(body(response)), ["figures"])
        for bad in ({"figures": "x"}, {"other": []}, ["x"]):
            with self.subTest(bad=bad):
                response = self.api.post(BULK, bad, content_type="application/json")
                self.assertEqual(response.status_code, 400)
                self.assertEqual(list(body(response)), ["figures"])

    @pytest.mark.slow
    def test_a_thousand_figures_in_one_request(self):
        figures = [
            new_figure(self.park_a, indicator=indicator, year=year, month=month, value=str(year + month))
            for indicator in ("fixed_asset_investment", "land_supplied")
            for year in range(2000, 2042)
            for month in range(1, 13)
        ][:1000]
        # Made-up series: whatever the plausibility checks say of them is confirmed.
        response = self.bulk([{**f, "confirm_warnings": list(WarningCode.values)} for f in figures])
        self.assertEqual(response.status_code, 200, response.content[:2000])
        answer = body(response)
        # 2023-06 of fixed-asset investment is in the world already: updated.
        self.assertEqual((answer["created"], answer["updated"], len(answer["items"])), (999, 1, 1000))
        self.assertEqual(Figure.objects.filter(park=self.park_a, year__lt=2042).count(), 1000 + 2)

    def test_a_viewer_may_not_bulk_write(self):
        response = token_client(make_token(self.viewer_a)[1]).post(
            BULK, {"figures": self.batch(1)}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 403)


class WorldPerTest:
    """World's records built for each test of a TransactionTestCase (World.setUpTestData calls up to here)."""

    @classmethod
    def setUpTestData(cls):
        pass


@override_settings(PARKDASH_ANONYMOUS_READ=False)
class ChangesTests(World, WorldPerTest, TransactionTestCase):
    """A TransactionTestCase: on PostgreSQL a figure is in the feed once its transaction has committed (changes.py),
    never inside a TestCase's transaction."""

    client_class = EnglishClient

    def setUp(self):
        type(self).setUpTestData()
        self.api = token_client(make_token(self.editor_a)[1])

    def changes(self, cursor="", **params):
        response = self.api.get(FIGURES, {"changed_since": cursor, **params})
        self.assertEqual(response.status_code, 200, response.content)
        return body(response)

    def test_the_feed_gives_the_parks_figures_then_only_what_changed_with_deletions(self):
        first = self.changes()
        ids = {row["id"] for row in first["results"]}
        self.assertEqual(ids, {figure.pk for figure in self.a["figures"]})
        self.assertFalse(first["more"])
        self.assertEqual(self.changes(first["cursor"])["results"], [])
        gone = self.a["figures"][0]
        gone_id = gone.pk
        gone.delete()
        self.b["figures"][0].delete()  # another park's: never in A's feed
        after = self.changes(first["cursor"])["results"]
        self.assertEqual(
            after,
            [
                {
                    "id": gone_id,
                    "deleted": True,
                    "indicator": "fixed_asset_investment",
                    "park": "park-a",
                    "zone": None,
                    "year": 2023,
                    "month": 12,
                    "kind": "target",
                    "version": "final",
                }
            ],
        )

    def test_zero_is_from_the_beginning_and_page_size_bounds_a_page(self):
        page = self.changes("0", page_size=1)
        self.assertEqual(len(page["results"]), 1)
        self.assertTrue(page["more"])
        rest = self.changes(page["cursor"], page_size=1000)
        self.assertEqual(len(rest["results"]), len(self.a["figures"]) - 1)

    def test_filters_apply_to_the_feed(self):
        page = self.changes(indicator="land_supplied")
        self.assertEqual([row["indicator"] for row in page["results"]], ["land_supplied"])

    def test_a_cursor_that_was_not_given_out_is_a_400_naming_changed_since(self):
        response = self.api.get(FIGURES, {"changed_since": "made-up"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(list(body(response)), ["changed_since"])
