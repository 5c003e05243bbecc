"""The admin's sidebar (templates/admin/nav_sidebar.html; ``nav_app_list``, parkdash/parks/templatetags/parks_admin.py),
cached per user, language and the page's app and model under the data versions of the user's permissions and parks: the
same HTML as Django's own sidebar for every persona, whoever warmed the cache, and a new one as soon as a
permission, a group or a membership changes."""

import re

from django.contrib.auth.models import Permission
from django.test import RequestFactory, SimpleTestCase, TestCase
from django.urls import reverse

from parkdash.indicators.models import Figure
from parkdash.parks.templatetags.parks_admin import current_place
from tests.core.test_renderers import django_s_own_rendering
from tests.support import World

SIDEBAR = re.compile(r'<nav class="sticky" id="nav-sidebar".*?</nav>', re.S)


def sidebar(response):
    found = SIDEBAR.search(response.content.decode())
    return found.group(0) if found else None


class CurrentPlaceTests(SimpleTestCase):
    """What of a path decides which app and model the sidebar marks: the two segments after the admin's index."""

    def place(self, path):
        return current_place(RequestFactory().get(path))

    def test_the_pages_of_one_model_share_their_place(self):
        for path in (
            "/admin/indicators/figure/",
            "/admin/indicators/figure/12/change/",
            "/admin/indicators/figure/add/",
            "/admin/indicators/figure/12/history/",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.place(path), "indicators/figure/")

    def test_an_app_a_model_and_the_index_each_have_their_own(self):
        self.assertEqual(self.place("/admin/"), "")
        self.assertEqual(self.place("/admin/indicators/"), "indicators/")
        self.assertEqual(self.place("/admin/indicators"), "indicators")
        self.assertEqual(self.place("/admin/indicators/indicator/3/change/"), "indicators/indicator/")
        self.assertEqual(self.place("/admin/indicators/figurex/"), "indicators/figurex/")

    def test_a_path_holding_the_index_twice_or_elsewhere_is_kept_whole(self):
        self.assertEqual(self.place("/admin/x/admin/indicators/figure/"), "/admin/x/admin/indicators/figure/")
        self.assertEqual(self.place("/elsewhere/admin/"), "/elsewhere/admin/")

    def test_the_path_is_compared_urlencoded_as_the_template_does(self):
        self.assertEqual(self.place("/admin/indicators/图/1/"), "indicators/%E5%9B%BE/")


class SidebarCacheTests(World, TestCase):
    PERSONAS = ("administrator", "editor_a", "editor_b", "editor_none", "viewer_staff_a", "nogroup_a")

    def pages(self):
        figure = Figure.objects.filter(park=self.park_a).first()
        return [
            reverse("admin:indicators_figure_changelist"),
            reverse("admin:indicators_figure_add"),
            reverse("admin:indicators_figure_change", args=[figure.pk]),
            reverse("admin:parks_park_changelist"),
            reverse("admin:password_change"),
        ]

    def sidebars(self, user, language="en"):
        self.client.force_login(user)
        found = {}
        for url in self.pages():
            response = self.client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            found[url] = (response.status_code, sidebar(response))
        return found

    def test_every_persona_sees_django_s_own_sidebar_whoever_warmed_the_cache(self):
        for language in ("en", "zh-hans"):
            users = [getattr(self, name) for name in self.PERSONAS]
            cached = {user.username: self.sidebars(user, language) for user in users}
            cached_again = {user.username: self.sidebars(user, language) for user in reversed(users)}
            with django_s_own_rendering():
                stock = {user.username: self.sidebars(user, language) for user in users}
            for user in users:
                for url, (status, html) in stock[user.username].items():
                    with self.subTest(language=language, user=user.username, url=url):
                        self.assertEqual(cached[user.username][url], (status, html))
                        self.assertEqual(cached_again[user.username][url], (status, html))
        # The personas see different sidebars: a shared entry would have shown one to the other.
        self.assertIn('href="/admin/auth/user/"', stock["administrator"][self.pages()[0]][1])
        self.assertNotIn('href="/admin/auth/user/"', stock["editor_a"][self.pages()[0]][1])

    def test_the_page_s_model_is_marked_current_in_the_cached_sidebar(self):
        self.client.force_login(self.editor_a)
        for url, current in (
            (reverse("admin:indicators_figure_changelist"), "model-figure"),
            (reverse("admin:parks_park_changelist"), "model-park"),
            (reverse("admin:indicators_figure_add"), "model-figure"),
        ):
            with self.subTest(url=url):
                html = sidebar(self.client.get(url))
                self.assertEqual(re.findall(r'<tr class="(model-\w+) current-model">', html), [current])

    def test_a_permission_given_or_taken_shows_on_the_next_page(self):
        url = reverse("admin:indicators_figure_changelist")
        self.client.force_login(self.editor_a)
        self.assertNotIn('href="/admin/auth/user/"', sidebar(self.client.get(url)))
        view_users = Permission.objects.get(codename="view_user")
        self.editor_a.user_permissions.add(view_users)
        self.assertIn('href="/admin/auth/user/"', sidebar(self.client.get(url)))
        self.editor_a.user_permissions.remove(view_users)
        self.assertNotIn('href="/admin/auth/user/"', sidebar(self.client.get(url)))

    def test_a_group_s_permissions_changed_show_on_the_next_page(self):
        url = reverse("admin:password_change")
        self.client.force_login(self.editor_a)
        self.assertIn('href="/admin/indicators/figure/add/"', sidebar(self.client.get(url)))
        group = self.editor_a.groups.get()
        add_figure = Permission.objects.get(codename="add_figure")
        group.permissions.remove(add_figure)
        self.assertNotIn('href="/admin/indicators/figure/add/"', sidebar(self.client.get(url)))
        group.permissions.add(add_figure)
        self.assertIn('href="/admin/indicators/figure/add/"', sidebar(self.client.get(url)))

    def test_the_language_of_the_page_is_the_sidebar_s(self):
        url = reverse("admin:indicators_figure_changelist")
        self.client.force_login(self.editor_a)
        english = sidebar(self.client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
        chinese = sidebar(self.client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans"))
        self.assertIn("Indicator figures", english)
        self.assertNotIn("Indicator figures", chinese)
        self.assertIn("指标数据", chinese)
        self.assertEqual(sidebar(self.client.get(url, HTTP_ACCEPT_LANGUAGE="en")), english)
