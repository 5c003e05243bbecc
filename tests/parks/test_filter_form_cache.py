"""The table filters' form class, filters and querysets made once and shared (core/filters.py, parks/filters.py,
core/widgets.py): one form class per FilterSet class and language serves every user and request, and never carries
one user's or request's parks, zones, choices or labels to another."""

import copy
import re
from unittest import mock

import django_filters
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import QuerySet
from django.db.models.sql.query import Query
from django.test import RequestFactory, TestCase
from django.utils import translation
from django.utils.translation import gettext_lazy

from parkdash.core.widgets import QuickSelect
from parkdash.parks.filters import zones_for
from parkdash.parks.models import Zone
from parkdash.parks.scoping import visible_parks, visible_zones
from parkdash.projects.filters import ProjectFilterSet
from parkdash.projects.models import Project
from tests.support import World, make_zone
from tests.support.profiling import calls

URLS = ("/indicators/", "/projects/", "/enterprises/", "/works/")
OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


def labels(response, name):
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', response.content.decode(), re.S)
    assert match, name
    return [label for _value, _selected, label in OPTION.findall(match.group(1))]


class SharedFormClassTests(World, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.superuser = get_user_model().objects.create_superuser("root", password="pw")
        cls.zone_a, cls.zone_b = cls.a["zone"], cls.b["zone"]

    def setUp(self):
        cache.clear()

    def get(self, user, url, **query):
        self.client.force_login(user)
        response = self.client.get(url, query)
        self.assertEqual(response.status_code, 200)
        return response

    def test_one_form_class_serves_every_persona_each_with_only_their_own_parks_and_zones(self):
        a, b = self.park_a.name, self.park_b.name
        both = [park.name for park in visible_parks(self.superuser)]
        cases = [
            # user, the park list, the zone list (one park's: the user's only park, else none until one is chosen)
            (self.superuser, ["---------", *both], ["Choose a park first"]),
            (self.editor_a, ["---------", a], ["---------", self.zone_a.name]),
            (self.editor_b, ["---------", b], ["---------", self.zone_b.name]),
            (self.viewer_a, ["---------", a], ["---------", self.zone_a.name]),
            (self.nobody, ["---------"], ["Choose a park first"]),
            (self.superuser, ["---------", *both], ["Choose a park first"]),
            (self.editor_b, ["---------", b], ["---------", self.zone_b.name]),
        ]
        for url in URLS:
            classes = set()
            for user, parks, zones in cases:
                with self.subTest(url=url, user=user.username):
                    response = self.get(user, url)
                    form = response.context["filter"].form
                    classes.add(type(form))
                    self.assertEqual(labels(response, "park"), parks)
                    self.assertEqual(labels(response, "zone"), zones)
                    self.assertEqual(set(form.fields["park"].queryset), set(visible_parks(user)))
                    self.assertEqual(set(form.fields["zone"].queryset), set(visible_zones(user)))
            self.assertEqual(len(classes), 1, url)
            # The class holds no one's queryset: each form sets its own on its own copy of the field.
            (form_class,) = classes
            for name in ("park", "zone"):
                self.assertIsNone(form_class.base_fields[name].queryset)
                self.assertIsNot(form.fields[name], form_class.base_fields[name])

    def test_a_park_or_zone_of_another_is_rejected_whoever_chose_it_before(self):
        cases = [
            (self.editor_b, {"park": self.park_b.pk}, True, "乙污水处理厂"),
            (self.editor_a, {"park": self.park_b.pk}, False, None),
            (self.superuser, {"park": self.park_b.pk}, True, "乙污水处理厂"),
            (self.viewer_a, {"park": self.park_b.pk}, False, None),
            (self.nobody, {"park": self.park_a.pk}, False, None),
            (self.editor_a, {"park": self.park_a.pk}, True, "甲污水处理厂"),
            (self.editor_b, {"park": self.park_a.pk}, False, None),
            (self.editor_b, {"zone": self.zone_b.pk}, True, "乙污水处理厂"),
            (self.editor_a, {"zone": self.zone_b.pk}, False, None),
            (self.superuser, {"zone": self.zone_a.pk}, True, "甲污水处理厂"),
            (self.editor_b, {"zone": self.zone_a.pk}, False, None),
        ]
        classes = set()
        for user, query, accepted, shown in cases:
            with self.subTest(user=user.username, query=query):
                response = self.get(user, "/projects/", **query)
                form = response.context["filter"].form
                classes.add(type(form))
                self.assertEqual(form.is_valid(), accepted)
                rows = {row.record.name for row in response.context["table"].page.object_list}
                self.assertEqual(rows, {shown} if shown else set())
                if "park" in query and accepted:
                    zone = self.zone_a if query["park"] == self.park_a.pk else self.zone_b
                    self.assertEqual(labels(response, "zone"), ["---------", zone.name])
        self.assertEqual(len(classes), 1)

    def test_the_labels_and_choices_follow_the_language_of_each_request(self):
        self.client.force_login(self.editor_a)
        english = {"park": "Park", "zone": "Zone", "phase": "Phase", "year": "Planned start year"}
        chinese = {"park": "园区", "zone": "片区", "phase": "阶段", "year": "计划开工年份"}
        phases = {"en": "Continuing (续建)", "zh-hans": "续建"}
        classes = {}
        for language in ("en", "zh-hans", "en", "zh-hans"):
            with self.subTest(language=language):
                response = self.client.get("/projects/", HTTP_ACCEPT_LANGUAGE=language)
                body = response.content.decode()
                for name, label in (english if language == "en" else chinese).items():
                    self.assertIn(f'<label for="id_{name}">{label}</label>', body)
                self.assertIn(phases[language], labels(response, "phase"))
                form_class = type(response.context["filter"].form)
                self.assertIs(classes.setdefault(language, form_class), form_class)
        self.assertIsNot(classes["en"], classes["zh-hans"])

    def test_a_filter_labelled_from_its_field_is_labelled_in_each_language(self):
        # A filter without a label of its own is labelled as a string in the language of the form class made.
        class NameFilterSet(ProjectFilterSet):
            name = django_filters.CharFilter(lookup_expr="icontains")

            class Meta(ProjectFilterSet.Meta):
                fields = ["name"]

        class Stock(django_filters.FilterSet):
            name = django_filters.CharFilter(lookup_expr="icontains")

            class Meta:
                model = Project
                fields = ["name"]

        made = {}
        for language in ("en", "zh-hans", "en"):
            with self.subTest(language=language), translation.override(language):
                form = NameFilterSet({}).form
                self.assertEqual(str(form["name"].label), str(Stock({}).form["name"].label))
                self.assertIs(made.setdefault(language, type(form)), type(form))
        self.assertNotEqual(str(made["en"].base_fields["name"].label), str(made["zh-hans"].base_fields["name"].label))


class FilterCopyTests(World, TestCase):
    def test_a_requests_filters_are_its_own_copies_made_without_deepcopy(self):
        ProjectFilterSet({"q": "甲"})
        # copy.deepcopy() of a Filter (no __deepcopy__) rebuilds it with copy._reconstruct().
        with mock.patch("copy._reconstruct", wraps=copy._reconstruct) as rebuilt:
            first, second = ProjectFilterSet({"q": "甲"}), ProjectFilterSet({"q": "乙"})
        self.assertEqual([c for c in rebuilt.call_args_list if isinstance(c.args[0], django_filters.Filter)], [])
        for filterset in (first, second):
            for filter_ in filterset.filters.values():
                self.assertIs(filter_.parent, filterset)
            self.assertIs(filterset.filters["q"].filter.f, filterset.filters["q"])  # its method, on its parent
        self.assertIsNot(first.filters["park"].extra, second.filters["park"].extra)
        self.assertEqual({p.name for p in first.qs}, {"甲污水处理厂"})
        self.assertEqual({p.name for p in second.qs}, {"乙污水处理厂"})


class ZoneQuerysetTests(World, TestCase):
    def request(self, user, **query):
        request = RequestFactory().get("/projects/", query)
        request.user = user
        return request

    def test_the_zone_queryset_is_made_once_per_scope_and_park_then_copied(self):
        User = get_user_model()
        # A member of id 1 (True == 1 in a cache's key: not to be taken for the city level, nor it for them).
        User.objects.filter(pk=1).delete()
        one = User.objects.create_user("one", password="pw", pk=1)
        self.park_b.members.add(one)
        make_zone(self.park_a, name="甲南片")
        every = set(Zone.objects.all())
        users = [
            (User.objects.create_superuser("root", password="pw"), every),
            (one, set(self.park_b.zones.all())),
            (self.editor_a, set(self.park_a.zones.all())),
            (self.editor_b, set(self.park_b.zones.all())),
            (self.nobody, set()),
            (User.objects.get(username="root"), every),
        ]
        for user, zones in users:
            for query in ({}, {"park": self.park_a.pk}):
                with self.subTest(user=user.username, query=query):
                    zones_for(self.request(user, **query))
                    with mock.patch.object(Query, "build_filter", wraps=Query.build_filter, autospec=True) as built:
                        queryset = zones_for(self.request(user, **query))
                    self.assertEqual(built.call_count, 0)
                    expected = {z for z in zones if "park" not in query or z.park_id == self.park_a.pk}
                    self.assertEqual(set(queryset), expected)
                    self.assertIsNot(queryset, zones_for(self.request(user, **query)))

    def test_a_cached_zone_list_makes_no_zone_queryset(self):
        cache.clear()
        self.client.force_login(self.editor_a)
        for url in URLS:
            with self.subTest(url=url):
                self.client.get(url, {"park": self.park_a.pk})
                models = []

                def spy(queryset, *args, _filter=QuerySet.filter, _models=models, **kwargs):
                    _models.append(queryset.model)
                    return _filter(queryset, *args, **kwargs)

                with mock.patch.object(QuerySet, "filter", spy):
                    response = self.client.get(url, {"park": self.park_a.pk})
                self.assertNotIn(Zone, models)
                self.assertIn(response.context["table"].data.data.model, models)  # (the spy sees the filters)
                self.assertEqual(labels(response, "zone"), ["---------", self.a["zone"].name])


class QuickSelectCostTests(TestCase):
    def test_writing_the_options_costs_no_calls_per_option(self):
        def cost(count):
            choices = [("", "---------")] + [(n, f"园区 {n} & 1") for n in range(count)]
            widget = QuickSelect()
            widget.choices = lambda: choices
            html = []
            total = calls(lambda: html.append(widget.render("park", "3")))
            self.assertIn('<option value="3" selected>园区 3 &amp; 1</option>', html[0])
            return total

        self.assertEqual(cost(250), cost(10))

    def test_a_choice_filters_labels_are_translated_once_per_language(self):
        field = ProjectFilterSet({}).form.fields["phase"]
        lazy = type(gettext_lazy("Phase"))
        casts = mock.patch.object(lazy, "__str__", autospec=True, side_effect=lazy.__str__)
        for language, label in (("en", "Continuing (续建)"), ("zh-hans", "续建"), ("en", "Continuing (续建)")):
            with self.subTest(language=language), translation.override(language):
                field.widget.render("phase", "continuing")
                with casts as cast:
                    html = field.widget.render("phase", "continuing")
                self.assertEqual(cast.call_count, 0)
                self.assertIn(f'<option value="continuing" selected>{label}</option>', html)
