"""The user's row, permissions and parks cached under data versions (parkdash/parks/auth.py): a warm request reads
none of them, and after every kind of change — a group's permission removed, a user taken out of a group, a
permission granted, a user made inactive or superuser, a password changed, a park membership removed; through the
ORM, m2m changes, ``QuerySet.update()`` and raw SQL — the very next request sees it, with the local-memory cache
and with the database cache. Two users never see each other's cached permissions."""

from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.http import JsonResponse
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

from parkdash.parks import auth
from parkdash.parks.models import Park
from parkdash.parks.scoping import may_use_park, sees_all_parks, visible_parks
from tests.support import make_park

User = get_user_model()
SEE_ALL, CHANGE_FIGURE = "parks.view_all_parks", "indicators.change_figure"
DATABASE_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "parkdash_test_auth_cache"}
}


def probe(request):
    """What the request's user may do and see, as the pages ask it."""
    user = request.user
    park = int(request.GET["park"])
    return JsonResponse(
        {
            "authenticated": user.is_authenticated,
            "perms": sorted(user.get_all_permissions()),
            "changes_figures": user.has_perm(CHANGE_FIGURE),
            "all": sees_all_parks(user),
            "parks": sorted(visible_parks(user).values_list("pk", flat=True)),
            "may_use": may_use_park(user, park),
        }
    )


urlpatterns = [path("probe/", probe)]


def run_sql(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def permission(name):
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@override_settings(ROOT_URLCONF=__name__)
class FreshPermissionsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park_a = make_park(code="east", name="东部园区")
        cls.park_b = make_park(code="west", name="西部园区")
        cls.city = Group.objects.create(name="city level")
        cls.city.permissions.add(permission(SEE_ALL), permission(CHANGE_FIGURE))
        cls.leader = User.objects.create_user("leader", password="pw")
        cls.leader.groups.add(cls.city)
        cls.member = User.objects.create_user("member", password="pw")
        cls.park_a.members.add(cls.member)

    def see(self, user):
        """The probe of ``user``'s next request (logged in already when it is the last user seen)."""
        if getattr(self, "_logged_in", None) != user.pk:
            self.client.force_login(user)
            self._logged_in = user.pk
        response = self.client.get("/probe/", {"park": self.park_a.pk})
        self.assertEqual(response.status_code, 200)
        return response.json()

    def assert_leader_sees_all_then(self, change, **expected):
        self.assertTrue(self.see(self.leader)["all"])
        self.assertTrue(self.see(self.leader)["all"])  # from the cache
        change()
        seen = self.see(self.leader)
        for name, value in expected.items():
            self.assertEqual(seen[name], value, name)

    # --- the cache is used ---------------------------------------------------------------------------------------

    def test_a_warm_request_reads_neither_the_permissions_nor_the_memberships(self):
        self.see(self.member)
        with CaptureQueriesContext(connection) as queries:
            seen = self.see(self.member)
        self.assertEqual(seen["parks"], [self.park_a.pk])
        self.assertTrue(seen["may_use"])
        queries = [q["sql"] for q in queries if "parkdash_test_auth_cache" not in q["sql"]]  # the database cache's
        tables = " ".join(queries)
        for table in ("auth_permission", "auth_group_permissions", "auth_user_user_permissions", "parks_park_members"):
            self.assertNotIn(f'"{table}"', tables)
        # the session, the data versions (with the user's), the parks of the probe's list
        self.assertEqual(len(queries), 3, queries)

    def test_outside_a_request_permissions_are_read_from_the_database(self):
        self.assertTrue(User.objects.get(pk=self.leader.pk).has_perm(SEE_ALL))
        self.city.permissions.remove(permission(SEE_ALL))
        self.assertFalse(User.objects.get(pk=self.leader.pk).has_perm(SEE_ALL))

    # --- group permissions and group membership ------------------------------------------------------------------

    def test_a_group_permission_removed_is_seen_by_the_next_request(self):
        self.assert_leader_sees_all_then(lambda: self.city.permissions.remove(permission(SEE_ALL)), all=False)

    def test_a_group_permission_deleted_by_raw_sql_is_seen_by_the_next_request(self):
        self.assert_leader_sees_all_then(
            lambda: run_sql(
                "DELETE FROM auth_group_permissions WHERE group_id = %s AND permission_id = %s",
                [self.city.pk, permission(SEE_ALL).pk],
            ),
            all=False,
            changes_figures=True,
        )

    def test_a_user_removed_from_a_group_is_seen_by_the_next_request(self):
        self.assert_leader_sees_all_then(
            lambda: self.leader.groups.remove(self.city), all=False, changes_figures=False, perms=[]
        )

    def test_a_group_membership_moved_by_queryset_update_is_seen_by_the_next_request(self):
        other = Group.objects.create(name="nothing")
        self.assert_leader_sees_all_then(
            lambda: User.groups.through.objects.filter(user=self.leader).update(group=other), all=False, perms=[]
        )

    def test_a_group_deleted_is_seen_by_the_next_request(self):
        self.assert_leader_sees_all_then(lambda: Group.objects.filter(pk=self.city.pk).delete(), perms=[])

    def test_a_permission_renamed_by_queryset_update_is_seen_by_the_next_request(self):
        self.assert_leader_sees_all_then(
            lambda: Permission.objects.filter(pk=permission(SEE_ALL).pk).update(codename="view_every_park"),
            all=False,
            perms=[CHANGE_FIGURE, "parks.view_every_park"],
        )

    # --- direct permissions --------------------------------------------------------------------------------------

    def test_a_direct_permission_granted_is_seen_by_the_next_request(self):
        self.assertFalse(self.see(self.member)["all"])
        self.assertFalse(self.see(self.member)["all"])
        self.member.user_permissions.add(permission(SEE_ALL))
        seen = self.see(self.member)
        self.assertTrue(seen["all"])
        self.assertEqual(seen["parks"], [self.park_a.pk, self.park_b.pk])

    def test_a_direct_permission_granted_by_raw_sql_is_seen_by_the_next_request(self):
        self.assertFalse(self.see(self.member)["changes_figures"])
        self.assertFalse(self.see(self.member)["changes_figures"])
        run_sql(
            "INSERT INTO auth_user_user_permissions (user_id, permission_id) VALUES (%s, %s)",
            [self.member.pk, permission(CHANGE_FIGURE).pk],
        )
        self.assertTrue(self.see(self.member)["changes_figures"])

    def test_a_direct_permission_revoked_is_seen_by_the_next_request(self):
        self.member.user_permissions.add(permission(CHANGE_FIGURE))
        self.assertTrue(self.see(self.member)["changes_figures"])
        self.assertTrue(self.see(self.member)["changes_figures"])
        self.member.user_permissions.remove(permission(CHANGE_FIGURE))
        self.assertFalse(self.see(self.member)["changes_figures"])

    # --- the user's row ------------------------------------------------------------------------------------------

    def test_a_user_made_inactive_by_queryset_update_is_logged_out_at_the_next_request(self):
        self.assert_leader_sees_all_then(
            lambda: User.objects.filter(pk=self.leader.pk).update(is_active=False),
            authenticated=False,
            perms=[],
            changes_figures=False,
        )

    def test_a_user_made_inactive_by_raw_sql_is_logged_out_at_the_next_request(self):
        self.assert_leader_sees_all_then(
            lambda: run_sql("UPDATE auth_user SET is_active = %s WHERE id = %s", [False, self.leader.pk]),
            authenticated=False,
        )

    def test_a_password_changed_elsewhere_ends_the_session_at_the_next_request(self):
        def change():
            leader = User.objects.get(pk=self.leader.pk)
            leader.set_password("new secret")
            leader.save()

        self.assert_leader_sees_all_then(change, authenticated=False)

    def test_a_user_deleted_is_logged_out_at_the_next_request(self):
        self.assert_leader_sees_all_then(lambda: User.objects.filter(pk=self.leader.pk).delete(), authenticated=False)

    def test_a_warm_request_does_not_read_the_users_row(self):
        self.see(self.member)
        with CaptureQueriesContext(connection) as queries:
            self.assertTrue(self.see(self.member)["authenticated"])
        self.assertNotIn('FROM "auth_user"', " ".join(q["sql"] for q in queries))

    def test_a_user_made_superuser_is_seen_by_the_next_request_and_unmade_too(self):
        self.assertFalse(self.see(self.member)["all"])
        self.assertFalse(self.see(self.member)["all"])
        User.objects.filter(pk=self.member.pk).update(is_superuser=True)
        seen = self.see(self.member)
        self.assertTrue(seen["all"])
        self.assertEqual(len(seen["perms"]), Permission.objects.count())
        member = User.objects.get(pk=self.member.pk)
        member.is_superuser = False
        member.save()
        seen = self.see(self.member)
        self.assertFalse(seen["all"])
        self.assertEqual(seen["perms"], [])

    def test_a_superuser_made_by_raw_sql_is_seen_by_the_next_request(self):
        self.see(self.member)
        self.see(self.member)
        run_sql("UPDATE auth_user SET is_superuser = %s WHERE id = %s", [True, self.member.pk])
        seen = self.see(self.member)
        self.assertTrue(seen["all"] and seen["changes_figures"])
        self.assertEqual(len(seen["perms"]), Permission.objects.count())

    # --- park memberships ----------------------------------------------------------------------------------------

    def assert_member_of_a_then(self, change, parks):
        for _ in range(2):
            seen = self.see(self.member)
            self.assertEqual((seen["parks"], seen["may_use"]), ([self.park_a.pk], True))
        change()
        seen = self.see(self.member)
        self.assertEqual((seen["parks"], seen["may_use"]), (parks, False))

    def test_a_park_membership_removed_is_seen_by_the_next_request(self):
        self.assert_member_of_a_then(lambda: self.park_a.members.remove(self.member), [])

    def test_a_park_membership_moved_by_queryset_update_is_seen_by_the_next_request(self):
        self.assert_member_of_a_then(
            lambda: Park.members.through.objects.filter(user=self.member).update(park=self.park_b), [self.park_b.pk]
        )

    def test_a_park_membership_deleted_by_raw_sql_is_seen_by_the_next_request(self):
        self.assert_member_of_a_then(
            lambda: run_sql("DELETE FROM parks_park_members WHERE user_id = %s", [self.member.pk]), []
        )

    def test_a_park_deleted_is_seen_by_the_next_request(self):
        self.assert_member_of_a_then(lambda: Park.objects.filter(pk=self.park_a.pk).delete(), [])

    def test_a_park_membership_added_is_seen_by_the_next_request(self):
        self.assertEqual(self.see(self.member)["parks"], [self.park_a.pk])
        self.park_b.members.add(self.member)
        self.assertEqual(self.see(self.member)["parks"], [self.park_a.pk, self.park_b.pk])

    # --- users apart ---------------------------------------------------------------------------------------------

    def test_two_users_never_see_each_others_cached_permissions_or_parks(self):
        for _ in range(2):
            leader, member = self.see(self.leader), self.see(self.member)
            self.assertEqual(leader["perms"], [CHANGE_FIGURE, SEE_ALL])
            self.assertEqual(leader["parks"], [self.park_a.pk, self.park_b.pk])
            self.assertEqual((member["perms"], member["all"], member["parks"]), ([], False, [self.park_a.pk]))
            self._logged_in = None  # log in again each time

    def test_a_session_logged_in_through_model_backend_goes_on_through_the_cached_backend(self):
        self.see(self.member)
        session = self.client.session
        session[BACKEND_SESSION_KEY] = auth.FORMER_BACKEND_PATH
        session.save()
        self.assertTrue(self.see(self.member)["authenticated"])
        self.assertEqual(self.client.session[BACKEND_SESSION_KEY], auth.BACKEND_PATH)


@override_settings(CACHES=DATABASE_CACHE)
class FreshPermissionsWithTheDatabaseCacheTests(FreshPermissionsTests):
    """The same with the database cache, shared by every application server (as Redis is)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("createcachetable", verbosity=0)

    def test_the_database_cache_holds_the_permissions(self):
        from django.core.cache import caches

        self.assertEqual(type(caches["default"]).__name__, "DatabaseCache")
        self.see(self.member)
        with CaptureQueriesContext(connection) as queries:
            self.see(self.member)
        self.assertIn("parkdash_test_auth_cache", " ".join(q["sql"] for q in queries))
