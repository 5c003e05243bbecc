"""The park, zone and indicator filters of the table pages: read from the data-version cache, never stale, and
rendered as the querysets they stand for would render them."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from parkdash.indicators.models import Indicator
from parkdash.parks.models import Park, Zone
from tests.support import make_figure, make_indicator, make_park, make_project, make_zone, persona

SELECT = r'<select name="{}"[^>]*>(.*?)</select>'
OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


def squeeze(html):
    return re.sub(r">\s+<", "><", str(html)).strip()


def options(response, name):
    """The (value, label) options of the filter form's select ``name``."""
    match = re.search(SELECT.format(name), response.content.decode(), re.S)
    assert match, name
    return [(value, label) for value, _selected, label in OPTION.findall(match.group(1))]


class CachedFilterListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.east = make_park(code="east", name="东部园区")
        cls.west = make_park(code="west", name="西部园区")
        cls.other = make_park(code="other", name="他人园区")
        cls.zone = make_zone(cls.east, name="甲片区")
        make_zone(cls.west, name="乙片区")
        cls.member = persona("member", parks=[cls.east, cls.west])
        cls.fai = make_indicator()
        cls.output = make_indicator("industrial_output")
        make_project(cls.east, name="东部项目")
        make_project(cls.west, name="西部项目")
        make_figure(cls.fai, cls.east)

    def setUp(self):
        cache.clear()
        self.client.force_login(self.member)

    def test_the_park_and_zone_lists_are_written_in_python_not_a_template_per_option(self):
        # A city's 250 parks through Django's (or Jinja2's) option template cost more than the rest of a table page.
        from parkdash.core.widgets import QuickSelect

        for url in ("/indicators/", "/projects/", "/enterprises/", "/works/"):
            response = self.client.get(url, {"park": self.east.pk})
            fields = response.context["filter"].form.fields
            for name in ("park", "zone"):
                with self.subTest(url=url, field=name):
                    self.assertIsInstance(fields[name].widget, QuickSelect)
            chosen = f'<option value="{self.east.pk}" selected>{self.east.name}</option>'
            self.assertIn(chosen, response.content.decode())

    def test_every_filter_select_writes_what_djangos_select_writes_with_or_without_errors(self):
        # A field with an error has aria-invalid and aria-describedby, in that order, as Django's template writes them.
        from parkdash.core.widgets import QuickSelect

        queries = [{"park": self.east.pk}, {"park": "abc"}, {"zone": "999999"}, {"park": self.west.pk, "kind": "x"}]
        invalid = 0
        for url in ("/indicators/", "/projects/", "/enterprises/", "/works/"):
            for query in queries:
                response = self.client.get(url, query)
                form = response.context["filter"].form
                for field in form:
                    widget = field.field.widget
                    if not isinstance(widget, QuickSelect):
                        continue
                    with self.subTest(url=url, query=query, field=field.name):
                        stock = forms.Select(attrs=widget.attrs, choices=list(widget.choices))
                        ours = str(field)
                        self.assertIn(ours, response.content.decode())
                        self.assertEqual(squeeze(ours), squeeze(field.as_widget(widget=stock)))
                        invalid += "aria-invalid" in ours
        self.assertGreaterEqual(invalid, 8)  # ?park=abc and ?zone=999999 on every page

    def test_the_lists_are_the_ones_the_querysets_give(self):
        response = self.client.get(f"/indicators/?park={self.east.pk}")
        parks = Park.objects.filter(members=self.member)
        self.assertEqual(options(response, "park"), [("", "---------")] + [(str(p.pk), p.name) for p in parks])
        zones = Zone.objects.filter(park=self.east)
        self.assertEqual(options(response, "zone"), [("", "---------")] + [(str(z.pk), str(z)) for z in zones])
        indicators = [(i.code, str(i)) for i in Indicator.objects.all()]
        self.assertEqual(options(response, "indicator"), [("", "---------"), *indicators])
        self.assertIn(f'<option value="{self.east.pk}" selected>', response.content.decode())

    def test_a_second_page_reads_no_list_from_the_database(self):
        self.client.get(f"/indicators/?park={self.east.pk}")
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(f"/indicators/?park={self.east.pk}")
        tables = [re.search(r' FROM "(\w+)"', q["sql"]).group(1) for q in queries]
        self.assertEqual([t for t in tables if t in ("parks_park", "parks_zone", "indicators_indicator")], [])
        self.assertEqual(tables.count("parks_dataversion"), 1)
        self.assertEqual(response.context["filter"].form.cleaned_data["park"].pk, self.east.pk)

    def test_a_new_zone_is_listed_on_the_next_page(self):
        self.client.get(f"/projects/?park={self.east.pk}")
        make_zone(self.east, name="新片区")
        labels = [label for _value, label in options(self.client.get(f"/projects/?park={self.east.pk}"), "zone")]
        self.assertIn("新片区", labels)

    def test_a_renamed_zone_is_listed_under_its_new_name(self):
        self.client.get(f"/projects/?park={self.east.pk}")
        Zone.objects.filter(pk=self.zone.pk).update(name="改名片区")
        labels = [label for _value, label in options(self.client.get(f"/projects/?park={self.east.pk}"), "zone")]
        self.assertEqual(labels[1:], ["改名片区"])

    def test_a_renamed_indicator_is_listed_under_its_new_name(self):
        self.client.get("/indicators/")
        self.fai.name_en = "Fixed-asset investment (new)"
        self.fai.save()
        labels = [label for _value, label in options(self.client.get("/indicators/"), "indicator")]
        self.assertIn("Fixed-asset investment (new)", labels)

    def test_the_indicator_list_follows_the_language(self):
        self.client.get("/indicators/", HTTP_ACCEPT_LANGUAGE="en")
        response = self.client.get("/indicators/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertIn("固定资产投资", [label for _value, label in options(response, "indicator")])

    def test_a_park_the_user_left_is_neither_listed_nor_accepted(self):
        self.assertEqual(len(options(self.client.get("/projects/"), "park")), 3)
        self.west.members.remove(self.member)
        response = self.client.get(f"/projects/?park={self.west.pk}")
        self.assertEqual([label for _v, label in options(response, "park")], ["---------", "东部园区"])
        self.assertIn("park", response.context["filter"].form.errors)
        self.assertNotContains(response, "西部项目")

    def test_a_park_the_user_joined_is_listed_and_accepted(self):
        self.client.get("/projects/")
        self.other.members.add(self.member)
        response = self.client.get(f"/projects/?park={self.other.pk}")
        self.assertIn(str(self.other.pk), [value for value, _label in options(response, "park")])
        self.assertFalse(response.context["filter"].form.errors)

    def test_two_users_never_see_each_others_lists(self):
        self.client.get("/projects/")
        stranger = persona("stranger", parks=[self.other])
        self.client.force_login(stranger)
        response = self.client.get(f"/projects/?park={self.east.pk}")
        self.assertEqual([label for _v, label in options(response, "park")], ["---------", "他人园区"])
        self.assertIn("park", response.context["filter"].form.errors)
        self.assertNotContains(response, "东部项目")

    def test_bad_park_values_are_rejected_as_before(self):
        for value in ("abc", "0", "-1", "9" * 5000, "1\x00", str(self.other.pk)):
            with self.subTest(value=value[:10]):
                response = self.client.get("/projects/", {"park": value})
                self.assertEqual(response.status_code, 200)
                self.assertIn("park", response.context["filter"].form.errors)


class FilterQuerysetTests(TestCase):
    """The park and zone filters' querysets select a member's parks by membership, not by a list of their ids (a
    lookup Django prepares value by value: 6,000 calls a page for an editor of 251 parks); the same rows."""

    @classmethod
    def setUpTestData(cls):
        cls.east = make_park(code="east", name="东部园区")
        cls.west = make_park(code="west", name="西部园区")
        cls.other = make_park(code="other", name="他人园区")
        cls.east_zone = make_zone(cls.east, name="甲片区")
        cls.west_zone = make_zone(cls.west, name="乙片区")
        cls.other_zone = make_zone(cls.other, name="丙片区")
        cls.member = persona("member", parks=[cls.east, cls.west])
        cls.stranger = persona("stranger", parks=[cls.other])
        cls.nobody = persona("nobody")
        make_project(cls.east, zone=cls.east_zone, name="东部项目")
        make_project(cls.other, zone=cls.other_zone, name="他人项目")

    def setUp(self):
        cache.clear()

    def form_of(self, user, query=""):
        self.client.force_login(user)
        response = self.client.get("/projects/" + query)
        self.assertEqual(response.status_code, 200)
        return response.context["filter"].form

    def test_a_members_park_and_zone_querysets_name_no_park_id(self):
        form = self.form_of(self.member)
        for name in ("park", "zone"):
            with self.subTest(name=name):
                _sql, params = form.fields[name].queryset.query.sql_with_params()
                self.assertEqual(params, (self.member.pk,))  # the user, not the ids of the user's two parks

    def test_the_querysets_hold_the_parks_and_zones_each_user_sees(self):
        from django.contrib.auth.models import AnonymousUser

        from parkdash.parks.scoping import visible_parks, visible_zones

        admin = get_user_model().objects.create_superuser("root", password="pw")
        inactive = persona("inactive", parks=[self.east])
        many = persona("many", parks=[make_park(code=f"p{i}", name=f"园区{i}") for i in range(12)] + [self.east])
        make_zone(Park.objects.get(code="p3"), name="丁片区")
        for user in (self.member, self.stranger, self.nobody, admin, many):
            with self.subTest(user=user.username):
                form = self.form_of(user)
                self.assertEqual(set(form.fields["park"].queryset), set(visible_parks(user)))
                self.assertEqual(set(form.fields["zone"].queryset), set(visible_zones(user)))
        for user in (AnonymousUser(), inactive):
            with self.subTest(user=str(user)):
                from parkdash.parks.filters import filter_parks, filter_zones

                self.assertEqual(set(filter_parks(user)), set(visible_parks(user)))
                self.assertEqual(set(filter_zones(user)), set(visible_zones(user)))

    def test_a_zone_of_a_park_the_user_does_not_see_is_rejected_and_its_rows_not_shown(self):
        self.client.force_login(self.member)
        response = self.client.get(f"/projects/?zone={self.other_zone.pk}")
        self.assertIn("zone", response.context["filter"].form.errors)
        self.assertNotContains(response, "他人项目")
        response = self.client.get(f"/projects/?zone={self.east_zone.pk}")
        self.assertFalse(response.context["filter"].form.errors)
        self.assertContains(response, "东部项目")

    def test_two_editors_each_get_their_own_zone_list_and_rows(self):
        self.client.force_login(self.member)
        response = self.client.get(f"/projects/?park={self.east.pk}")
        self.assertEqual([label for _v, label in options(response, "zone")], ["---------", "甲片区"])
        self.client.force_login(self.stranger)
        response = self.client.get(f"/projects/?park={self.east.pk}")
        self.assertIn("park", response.context["filter"].form.errors)
        self.assertNotContains(response, "东部项目")
        response = self.client.get(f"/projects/?zone={self.east_zone.pk}")
        self.assertIn("zone", response.context["filter"].form.errors)
        response = self.client.get("/projects/")
        self.assertEqual([label for _v, label in options(response, "zone")], ["---------", "丙片区"])
        self.assertContains(response, "他人项目")


class ChosenParkTests(TestCase):
    """?park= naming one of a member's parks: the table reads that park's rows without the list of every park of
    theirs; any other park gives no row, in the table as in its export."""

    @classmethod
    def setUpTestData(cls):
        cls.east = make_park(code="east", name="东部园区")
        cls.west = make_park(code="west", name="西部园区")
        cls.other = make_park(code="other", name="他人园区")
        cls.member = persona("member", parks=[cls.east, cls.west])
        cls.stranger = persona("stranger", parks=[cls.other])
        for park in (cls.east, cls.west, cls.other):
            make_project(park, name=f"{park.name}项目")
        make_figure(make_indicator(), cls.east)

    def setUp(self):
        cache.clear()

    def test_a_members_chosen_park_is_read_without_the_ids_of_their_other_parks(self):
        self.client.force_login(self.member)
        for url, table in (("/projects/", "projects_project"), ("/indicators/", "indicators_figure")):
            with self.subTest(url=url):
                self.client.get(url, {"park": self.east.pk})
                with CaptureQueriesContext(connection) as queries:
                    response = self.client.get(url, {"park": self.east.pk})
                lists = [
                    sorted(int(i) for i in ids.split(","))
                    for q in queries
                    if f'FROM "{table}"' in q["sql"]
                    for ids in re.findall(r'"park_id" IN \(([\d, ]+)\)', q["sql"])
                ]
                self.assertTrue(lists)
                self.assertEqual(lists, [[self.east.pk]] * len(lists))
                self.assertEqual(
                    {row.record.park_id for row in response.context["table"].page.object_list}, {self.east.pk}
                )

    def test_two_editors_each_read_only_their_own_parks_rows_in_the_table_and_the_export(self):
        cases = [
            (self.member, self.east, ["东部园区项目"], ["西部园区项目", "他人园区项目"]),
            (self.member, self.west, ["西部园区项目"], ["东部园区项目", "他人园区项目"]),
            (self.member, self.other, [], ["东部园区项目", "西部园区项目", "他人园区项目"]),
            (self.stranger, self.east, [], ["东部园区项目", "西部园区项目", "他人园区项目"]),
            (self.stranger, self.other, ["他人园区项目"], ["东部园区项目", "西部园区项目"]),
        ]
        for user, park, shown, hidden in cases:
            self.client.force_login(user)
            for export in ("", "csv"):
                with self.subTest(user=user.username, park=park.code, export=export):
                    query = {"park": park.pk, **({"_export": export} if export else {})}
                    response = self.client.get("/projects/", query)
                    body = (b"".join(response.streaming_content) if response.streaming else response.content).decode(
                        "utf-8-sig"
                    )
                    for name in shown:
                        self.assertIn(name, body)
                    for name in hidden:
                        self.assertNotIn(name, body)

    def test_a_park_value_written_otherwise_is_read_as_the_filter_reads_it(self):
        self.client.force_login(self.member)
        for value in (f" {self.east.pk}", f"0{self.east.pk}", f"{self.east.pk}.0", f"{self.east.pk}\x00"):
            with self.subTest(value=value):
                response = self.client.get("/projects/", {"park": value})
                self.assertEqual(response.status_code, 200)
                form = response.context["filter"].form
                names = [row.record.name for row in response.context["table"].page.object_list]
                if form.is_valid():
                    self.assertEqual(names, ["东部园区项目"])
                else:
                    self.assertEqual(names, [])
