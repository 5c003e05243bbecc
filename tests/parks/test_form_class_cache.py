"""The admin's form classes kept and given again (parks/admin.py FormClassCacheMixin): the same class for the same
user and inputs, another as soon as the user, their parks or permissions, the record's park, the language or the
kind of page differ; every persona still gets only their own parks' choices, for GET and POST."""

from unittest import mock

from django.contrib.auth.models import Permission
from django.test import RequestFactory, TestCase
from django.urls import reverse

from parkdash.indicators.models import Figure
from parkdash.parks.admin import FormClassCacheMixin
from tests.support import World

FIGURE_ADD = reverse("admin:indicators_figure_add")


class FormClassCacheTests(World, TestCase):
    def setUp(self):
        FormClassCacheMixin._form_classes.clear()

    def figure_data(self, park, month, **changes):
        data = {
            "indicator": self.fai.pk,
            "park": park.pk,
            "zone": "",
            "year": 1990,
            "month": month,
            "kind": "actual",
            "version": "final",
            "entered_value": "7.5",
            "entered_unit": "",
            "yoy_pct": "",
            "note": "",
        }
        return {**data, **changes}

    def add(self, user, park, month):
        """An add form opened, then posted: True when the figure was saved."""
        self.client.force_login(user)
        self.assertEqual(self.client.get(FIGURE_ADD).status_code, 200)
        response = self.client.post(FIGURE_ADD, self.figure_data(park, month))
        return response.status_code == 302 and Figure.objects.filter(park=park, year=1990, month=month).exists()

    def figure_admin(self):
        from django.contrib import admin

        return admin.site._registry[Figure]

    def get_form(self, user, obj=None, language="en"):
        request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=language)
        request.user = user
        from django.utils import translation

        with translation.override(language):
            return self.figure_admin().get_form(request, obj, change=obj is not None)

    def test_the_same_user_and_page_get_the_same_class(self):
        self.assertIs(self.get_form(self.editor_a), self.get_form(self.editor_a))
        figure = Figure.objects.filter(park=self.park_a).first()
        self.assertIs(self.get_form(self.editor_a, figure), self.get_form(self.editor_a, figure))
        self.assertIsNot(self.get_form(self.editor_a), self.get_form(self.editor_a, figure))

    def test_another_user_or_language_gets_another_class(self):
        mine = self.get_form(self.editor_a)
        self.assertIsNot(self.get_form(self.editor_b), mine)
        self.assertIsNot(self.get_form(self.administrator), mine)
        self.assertIsNot(self.get_form(self.editor_a, language="zh-hans"), mine)

    def test_each_editor_still_adds_only_to_their_own_park_whoever_opened_the_form_first(self):
        self.assertTrue(self.add(self.editor_a, self.park_a, 1))
        self.assertFalse(self.add(self.editor_b, self.park_a, 2))  # park A is no choice of editor B's form
        self.assertTrue(self.add(self.editor_b, self.park_b, 3))
        self.assertFalse(self.add(self.editor_a, self.park_b, 4))
        self.assertFalse(self.add(self.editor_none, self.park_a, 5))
        self.assertTrue(self.add(self.administrator, self.park_b, 6))
        self.assertTrue(self.add(self.editor_a, self.park_a, 7))

    def test_a_park_joined_is_a_choice_of_the_next_form(self):
        self.assertFalse(self.add(self.editor_a, self.park_b, 1))
        self.park_b.members.add(self.editor_a)
        self.assertTrue(self.add(self.editor_a, self.park_b, 2))
        self.park_b.members.remove(self.editor_a)
        self.assertFalse(self.add(self.editor_a, self.park_b, 3))

    def test_a_change_permission_taken_makes_the_next_change_form_read_only(self):
        figure = Figure.objects.filter(park=self.park_a, kind="actual", zone=None).first()
        url = reverse("admin:indicators_figure_change", args=[figure.pk])
        self.client.force_login(self.editor_a)
        self.assertContains(self.client.get(url), 'name="entered_value"')
        change = Permission.objects.get(codename="change_figure")
        group = self.editor_a.groups.get()
        group.permissions.remove(change)
        self.editor_a.user_permissions.add(Permission.objects.get(codename="view_figure"))
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'name="entered_value"')
        group.permissions.add(change)
        self.assertContains(self.client.get(url), 'name="entered_value"')
        self.assertEqual(Figure.objects.get(pk=figure.pk).value, figure.value)

    def test_the_labels_are_in_the_page_s_language(self):
        self.client.force_login(self.editor_a)
        english = self.client.get(FIGURE_ADD, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        chinese = self.client.get(FIGURE_ADD, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        self.assertIn(">Year", english)
        self.assertNotIn(">Year", chinese)

    def test_the_classes_kept_are_bounded(self):
        with mock.patch.object(FormClassCacheMixin, "FORM_CLASSES_KEPT", 2):
            for user in (self.editor_a, self.editor_b, self.administrator, self.editor_none):
                self.get_form(user)
            self.assertEqual(len(FormClassCacheMixin._form_classes), 2)
            self.get_form(self.editor_none)  # the latest kept
            self.assertEqual(len(FormClassCacheMixin._form_classes), 2)

    def test_an_anonymous_request_is_built_as_django_builds_it(self):
        from django.contrib.auth.models import AnonymousUser

        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        self.assertIsNone(self.figure_admin().form_class_key(request, None, False, {}))
        self.assertIsNone(self.figure_admin().form_class_key(self.request_of(self.editor_a), None, False, {"x": {}}))

    def request_of(self, user):
        request = RequestFactory().get("/")
        request.user = user
        return request
