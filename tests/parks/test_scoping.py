"""``scope()``: a member's records selected by their membership in SQL, not by the list of their parks' ids; the same
rows as the list of ids for every kind of user, on every path from a model to its park."""

import contextlib
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.cache import cache
from django.db.models import Q
from django.test import RequestFactory, TestCase, override_settings

from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure, FigureTombstone
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.parks import scoping
from parkdash.parks.auth import _current_request, member_park_ids
from parkdash.parks.models import Park, Zone
from parkdash.parks.scoping import scope
from parkdash.projects.models import Project, ProjectUpdate
from tests.support import make_enterprise, make_figure, make_indicator, make_park, make_project, make_work, make_zone
from tests.support.personas import persona

# (model, path): every way the code scopes a queryset (the tables, the admin and its history, the API's tombstones).
CASES = (
    (Project, "park"),
    (Enterprise, "park"),
    (InfrastructureWork, "park"),
    (Figure, "park"),
    (Figure, "park_id"),  # the foreign key by its column name
    (Figure, "zone__park"),  # through a nullable foreign key: figures of no zone are nobody's by this path
    (Zone, "park"),
    (Park, ""),
    (ProjectUpdate, "project__park"),
    (FigureTombstone, "park_id"),  # a plain integer field, no foreign key
    (Project.history.model, "park"),
    (Park.history.model, "id"),  # on the historical model the park's own id is a plain field
)


def old_scope(queryset, user, path):
    """What ``scope()`` did before: every row for the city level, else the ids of the user's parks (none for an
    anonymous visitor) in an IN list."""
    if user.is_authenticated:
        if user.is_active and (user.is_superuser or user.has_perm("parks.view_all_parks")):
            return queryset
        ids = list(user.parks.values_list("pk", flat=True))
    elif _anonymous_read():
        return queryset
    else:
        ids = []
    return queryset.filter(**{"pk__in" if path == "" else path + "__in": ids})


def _anonymous_read():
    from django.conf import settings

    return settings.PARKDASH_ANONYMOUS_READ


class ScopeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        fai = make_indicator()
        cls.parks = [make_park(code=f"p{i}", name=f"园区{i}") for i in range(12)]
        for i, park in enumerate(cls.parks):
            zone = make_zone(park, name=f"片区{i}")
            project = make_project(park, name=f"项目{i}")
            ProjectUpdate.objects.create(project=project, date="2023-06-30", phase=project.phase, progress_pct=10)
            make_enterprise(park, name=f"企业{i}")
            make_work(park, name=f"工程{i}")
            make_figure(fai, park, year=2023, month=6)
            make_figure(fai, park, zone=zone, year=2023, month=5)
            make_figure(fai, park, year=2022, month=6).delete()  # a tombstone
        cls.lonely = make_park(code="lonely", name="无人园区")  # a park of no member
        make_project(cls.lonely, name="无人项目")
        few, many = cls.parks[:2], cls.parks[1:]
        cls.users = {
            "member of one park": persona("one", parks=cls.parks[:1]),
            "member of a few parks": persona("few", parks=few),
            "member of many parks": persona("many", parks=many),
            "stranger": persona("stranger", parks=cls.parks[5:6]),
            "member of no park": persona("nobody"),
            "superuser": get_user_model().objects.create_superuser("root", password="pw"),
            "viewer of every park": persona("city", parks=few),
            "inactive member": persona("inactive", parks=few),
            "inactive superuser": get_user_model().objects.create_superuser("gone", password="pw", is_active=False),
        }
        cls.users["viewer of every park"].user_permissions.add(Permission.objects.get(codename="view_all_parks"))
        get_user_model().objects.filter(username="inactive").update(is_active=False)
        cls.users["inactive member"].refresh_from_db()
        # A member of every park but one, as the demo's editor of 251 parks is.
        cls.users["member of all parks but one"] = persona("most", parks=cls.parks)

    def setUp(self):
        cache.clear()

    def every_user(self):
        users = {name: get_user_model().objects.get(pk=user.pk) for name, user in self.users.items()}
        return {**users, "anonymous": AnonymousUser()}

    def assert_same_rows_as_the_list_of_ids(self):
        for name, user in self.every_user().items():
            for model, path in CASES:
                with self.subTest(user=name, model=model.__name__, path=path):
                    queryset = model._default_manager.all()
                    expected = set(old_scope(queryset, user, path).values_list("pk", flat=True))
                    got = list(scope(queryset, user, path).values_list("pk", flat=True))
                    self.assertEqual(len(got), len(set(got)))  # no row twice
                    self.assertEqual(set(got), expected)

    def test_every_kind_of_user_gets_the_rows_of_the_list_of_ids_outside_a_request(self):
        self.assertTrue(Figure.objects.filter(zone=None).exists() and Figure.objects.exclude(zone=None).exists())
        self.assertTrue(FigureTombstone.objects.exists() and Project.history.exists())
        self.assert_same_rows_as_the_list_of_ids()

    @contextlib.contextmanager
    def in_a_request(self):
        """As in a request: the ids of a user's parks come from the cache (parkdash.parks.auth), the ids the former
        scope() wrote into its query."""
        request = RequestFactory().get("/projects/")
        request.session = {}
        token = _current_request.set(request)
        try:
            self.assertEqual(member_park_ids(self.users["member of a few parks"]), [p.pk for p in self.parks[:2]])
            yield
        finally:
            _current_request.reset(token)

    def test_every_kind_of_user_gets_the_rows_of_the_list_of_ids_in_a_request(self):
        with self.in_a_request():
            self.assert_same_rows_as_the_list_of_ids()

    def test_every_kind_of_user_gets_the_same_rows_by_the_subquery_as_by_the_ids(self):
        for few_parks, most in ((0, True), (1000, False)):  # every member by the subquery, every member by the ids
            with (
                self.subTest(few_parks=few_parks),
                mock.patch.object(scoping, "FEW_PARKS", few_parks),
                mock.patch.object(scoping, "member_of_most_parks", return_value=most),
                self.in_a_request(),
            ):
                self.assert_same_rows_as_the_list_of_ids()

    @override_settings(PARKDASH_ANONYMOUS_READ=True)
    def test_the_anonymous_read_only_dashboard_sees_every_park(self):
        self.assertEqual(set(scope(Project.objects.all(), AnonymousUser())), set(Project.objects.all()))
        self.assert_same_rows_as_the_list_of_ids()

    def test_the_rows_follow_a_membership_given_or_taken_away(self):
        user = self.users["member of one park"]
        self.assertEqual({p.park_id for p in scope(Project.objects.all(), user)}, {self.parks[0].pk})
        self.parks[7].members.add(user)
        self.assertEqual({p.park_id for p in scope(Project.objects.all(), user)}, {self.parks[0].pk, self.parks[7].pk})
        self.parks[0].members.remove(user)
        self.assertEqual({p.park_id for p in scope(Project.objects.all(), user)}, {self.parks[7].pk})

    def test_a_member_of_a_few_parks_is_scoped_by_the_ids_of_their_parks(self):
        # The ids are cheaper to write for a few parks, and PostgreSQL reads those parks' rows by the park index.
        user = self.users["member of a few parks"]
        for model, path in CASES:
            with self.subTest(model=model.__name__, path=path), self.in_a_request():
                _sql, params = scope(model._default_manager.all(), user, path).query.sql_with_params()
                self.assertEqual(sorted(params), [p.pk for p in self.parks[:2]])

    def scoped_by(self, user):
        """ "ids" or "memberships": how ``scope()`` selects ``user``'s projects in a request."""
        with self.in_a_request():
            _sql, params = scope(Project.objects.all(), user).query.sql_with_params()
        return "memberships" if params == (user.pk,) else "ids"

    @mock.patch.object(scoping, "FEW_PARKS", 10)
    def test_a_member_of_many_parks_but_not_nine_in_ten_is_scoped_by_the_ids_of_their_parks(self):
        # 11 parks of 13: PostgreSQL would read the park index from its start to their first park for a first page.
        self.assertEqual(self.scoped_by(self.users["member of many parks"]), "ids")
        self.assertEqual(self.scoped_by(self.users["member of all parks but one"]), "memberships")  # 12 of 13

    @mock.patch.object(scoping, "FEW_PARKS", 10)
    def test_a_park_created_or_deleted_is_counted_by_the_next_request(self):
        user = self.users["member of all parks but one"]
        self.assertEqual(self.scoped_by(user), "memberships")
        extra = [make_park(code=f"new{i}", name=f"新园区{i}") for i in range(2)]  # 12 of 15
        self.assertEqual(self.scoped_by(user), "ids")
        for park in extra:
            park.delete()
        self.assertEqual(self.scoped_by(user), "memberships")

    @mock.patch.object(scoping, "FEW_PARKS", 11)
    def test_a_member_of_almost_every_park_is_scoped_by_their_memberships_not_the_ids_of_their_parks(self):
        user = self.users["member of all parks but one"]  # 12 parks of 13: FEW_PARKS plus one, 9 in 10
        for model, path in CASES:
            with self.subTest(model=model.__name__, path=path), self.in_a_request():
                sql, params = scope(model._default_manager.all(), user, path).query.sql_with_params()
                self.assertEqual(params, (user.pk,))
                # A subquery, not a join: joined to the memberships, SQLite sorted every figure for a table's first
                # page rather than reading them in the order of the park index (2.4 s at demo scale 100).
                self.assertNotIn('JOIN "parks_park_members"', sql)

    def test_a_scoped_queryset_can_be_filtered_ordered_counted_and_read_with_its_park(self):
        user = self.users["member of a few parks"]
        projects = scope(Project.objects.select_related("park", "zone"), user).filter(
            Q(park__name__startswith="园区") | Q(name="无人项目")
        )
        self.assertEqual(projects.count(), 2)
        self.assertEqual([p.park.code for p in projects.order_by("park__code")], ["p0", "p1"])
        self.assertEqual(
            sorted(scope(Figure.objects.all(), user, "zone__park").values_list("park__code", flat=True)), ["p0", "p1"]
        )

    def test_the_memberships_subquery_made_once_per_user_is_never_changed_by_its_uses(self):
        from parkdash.parks.scoping import memberships_query

        user = self.users["member of many parks"]
        shared = memberships_query(user.pk)
        before = str(shared)
        for queryset in (
            scope(Project.objects.all(), user).filter(name="项目1").order_by("-name")[:1],
            scope(Figure.objects.all(), user).exclude(zone=None).values("park").distinct(),
            scope(Park.objects.all(), user, "").filter(Q(code="p0") | Q(code="p5")),
        ):
            list(queryset)
        self.assertEqual(scope(Project.objects.all(), user).count(), 11)
        self.assertIs(memberships_query(user.pk), shared)
        self.assertEqual(str(shared), before)
        self.assertEqual(
            [p.code for p in scope(Park.objects.all(), user, "").filter(Q(code="p0") | Q(code="p5"))], ["p5"]
        )
