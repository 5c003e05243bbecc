"""Every endpoint of /api/v1/ for the four personas (viewer of A, editor of A, editor of B, a viewer of no park),
through a token and through a session: no persona reads another park's records, by the marker texts and amounts of
tests/support/personas.py; a detail of another park's record is a 404; a POST to a read endpoint changes nothing."""

from django.test import override_settings
from django.urls import reverse

from tests.support import EnglishTestCase, World, markers, row_counts

from .helpers import ENDPOINTS, body, make_token, token_client


def list_url(name):
    return reverse(f"api:{name.removesuffix('s')}-list")


def detail_url(name, pk):
    return reverse(f"api:{name.removesuffix('s')}-detail", args=[pk])


@override_settings(PARKDASH_ANONYMOUS_READ=False)
class ScopingTests(World, EnglishTestCase):
    def setUp(self):
        self.markers = {"a": markers(self.a), "b": markers(self.b)}
        # persona: (user, the parks it may see)
        self.personas = {
            "viewer_a": (self.viewer_a, {"a"}),
            "editor_a": (self.editor_a, {"a"}),
            "editor_b": (self.editor_b, {"b"}),
            "nobody": (self.nobody, set()),
        }
        self.clients = {}
        for name, (user, _parks) in self.personas.items():
            _row, token = make_token(user)
            self.clients[name] = token_client(token)

    def shown(self, text, side):
        return [marker.text for marker in self.markers[side] if marker.find(text)]

    def record(self, endpoint, side):
        world = {"a": self.a, "b": self.b}[side]
        return world[ENDPOINTS[endpoint]]

    def test_no_persona_lists_another_parks_records_and_each_lists_its_own(self):
        for endpoint in ENDPOINTS:
            for name, (_user, parks) in self.personas.items():
                with self.subTest(endpoint=endpoint, persona=name):
                    response = self.clients[name].get(list_url(endpoint), {"page_size": 1000})
                    self.assertEqual(response.status_code, 200)
                    text = response.content.decode()
                    for side in {"a", "b"} - parks:
                        self.assertEqual(self.shown(text, side), [])
                    if ENDPOINTS[endpoint]:
                        ids = {row["id"] for row in body(response)["results"]}
                        for side in ("a", "b"):
                            self.assertEqual(self.record(endpoint, side).pk in ids, side in parks)

    def test_a_detail_of_another_parks_record_is_404_and_of_its_own_200(self):
        for endpoint, key in ENDPOINTS.items():
            if key is None:
                continue
            for name, (_user, parks) in self.personas.items():
                for side in ("a", "b"):
                    with self.subTest(endpoint=endpoint, persona=name, side=side):
                        response = self.clients[name].get(detail_url(endpoint, self.record(endpoint, side).pk))
                        if side in parks:
                            self.assertEqual(response.status_code, 200)
                            self.assertEqual(body(response)["id"], self.record(endpoint, side).pk)
                        else:
                            self.assertEqual(response.status_code, 404)
                            self.assertEqual(body(response), {"detail": "Not found."})
                            self.assertEqual(self.shown(response.content.decode(), side), [])

    def test_filtering_by_another_parks_code_finds_nothing(self):
        for endpoint in ("figures", "projects", "enterprises", "works", "zones"):
            with self.subTest(endpoint=endpoint):
                response = self.clients["editor_a"].get(list_url(endpoint), {"park": self.park_b.code})
                self.assertEqual(body(response)["count"], 0)
                response = self.clients["editor_a"].get(list_url(endpoint), {"park": self.park_a.code})
                self.assertGreater(body(response)["count"], 0)

    def test_a_post_to_a_read_endpoint_is_refused_and_changes_nothing(self):
        before = row_counts()
        for endpoint in ENDPOINTS:
            if endpoint == "figures":
                continue  # the figure writes: test_figures_write.py
            for name in self.personas:
                for side in ("a", "b"):
                    with self.subTest(endpoint=endpoint, persona=name, side=side):
                        response = self.clients[name].post(list_url(endpoint), {"name": "x"}, "application/json")
                        self.assertEqual(response.status_code, 405)
                        key = ENDPOINTS[endpoint]
                        if key:
                            url = detail_url(endpoint, self.record(endpoint, side).pk)
                            response = self.clients[name].put(url, {"name": "x"}, "application/json")
                            self.assertIn(response.status_code, (404, 405))
        self.assertEqual(row_counts(), before)

    def test_a_session_sees_what_a_token_of_the_same_user_sees(self):
        self.client.force_login(self.editor_b)
        by_session = body(self.client.get(list_url("projects")))
        by_token = body(self.clients["editor_b"].get(list_url("projects")))
        self.assertEqual(by_session, by_token)
        self.assertEqual([row["name"] for row in by_session["results"]], ["乙污水处理厂"])

    def test_records_speak_natural_keys_next_to_ids_and_decimals_as_strings_with_units(self):
        figure = self.a["figure"]
        row = body(self.clients["viewer_a"].get(detail_url("figures", figure.pk)))
        self.assertEqual(row["indicator"], "fixed_asset_investment")
        self.assertEqual(row["indicator_id"], self.fai.pk)
        self.assertEqual((row["park"], row["park_id"]), ("park-a", self.park_a.pk))
        self.assertIsNone(row["zone"])
        self.assertEqual(row["unit"], "亿元")
        self.assertEqual(row["yoy_pct"], "29.47")
        self.assertIsInstance(row["value"], str)
        self.assertEqual(row["revision"], figure.revision)
        self.assertIn("modified", row)
        project = body(self.clients["viewer_a"].get(detail_url("projects", self.a["project"].pk)))
        self.assertEqual(project["zone"], "甲北片")
        self.assertEqual(project["investment_unit"], "万元")
        self.assertEqual(project["total_investment"], "94836.1400")
