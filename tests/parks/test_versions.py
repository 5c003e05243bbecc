"""The data versions: every write to a park's data, the catalogue or the parks bumps its counter, in the database."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TestCase

from parkdash.indicators.models import Figure
from parkdash.parks import versions
from parkdash.parks.models import DataVersion, Park
from parkdash.projects.models import ProjectUpdate
from tests.support.records import (
    make_enterprise,
    make_figure,
    make_indicator,
    make_park,
    make_project,
    make_work,
    make_zone,
)


def version(name):
    return sorted(DataVersion.objects.filter(name=name).values_list("key", "n"))


class DataVersionTriggerTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park = make_park(code="east", name="东部园区")
        cls.other = make_park(code="west", name="西部园区")
        cls.indicator = make_indicator()
        cls.figure = make_figure(cls.indicator, cls.park, value=Decimal("10"))

    def assert_bumps(self, key, write, *, not_key=None):
        before, other_before = version(key), version(not_key) if not_key else None
        write()
        self.assertNotEqual(version(key), before)
        if not_key:
            self.assertEqual(version(not_key), other_before)

    def test_every_trigger_is_installed(self):
        self.assertEqual(versions.installed_count(connection), versions.expected_count(connection))
        self.assertEqual(versions.expected_count(connection), 3 * len(versions.TRIGGERED))

    def test_a_queryset_update_of_figures_bumps_their_park_only(self):
        self.assert_bumps(
            versions.park_key(self.park.pk),
            lambda: Figure.objects.filter(pk=self.figure.pk).update(value=Decimal("11")),
            not_key=versions.park_key(self.other.pk),
        )

    def test_raw_sql_bumps_the_park(self):
        def write():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE indicators_figure SET value = 12 WHERE id = %s", [self.figure.pk])

        self.assert_bumps(versions.park_key(self.park.pk), write)

    def test_creating_and_deleting_a_figure_bumps_the_park(self):
        self.assert_bumps(versions.park_key(self.other.pk), lambda: make_figure(self.indicator, self.other, year=2020))
        self.assert_bumps(versions.park_key(self.park.pk), lambda: Figure.objects.filter(pk=self.figure.pk).delete())

    def test_moving_a_figure_to_another_park_bumps_both(self):
        before = version(versions.park_key(self.other.pk))
        self.assert_bumps(
            versions.park_key(self.park.pk), lambda: Figure.objects.filter(pk=self.figure.pk).update(park=self.other)
        )
        self.assertNotEqual(version(versions.park_key(self.other.pk)), before)

    def test_projects_their_updates_enterprises_and_works_bump_their_park(self):
        key = versions.park_key(self.park.pk)
        project = make_project(self.park)
        self.assert_bumps(
            key, lambda: ProjectUpdate.objects.create(project=project, phase="continuing", progress_pct=50)
        )
        self.assert_bumps(key, lambda: make_enterprise(self.park))
        self.assert_bumps(key, lambda: make_work(self.park))

    def test_a_bulk_create_bumps_the_park(self):
        self.assert_bumps(
            versions.park_key(self.park.pk),
            lambda: Figure.objects.bulk_create(
                [
                    Figure(
                        indicator=self.indicator,
                        park=self.park,
                        year=2019,
                        month=m,
                        kind="actual",
                        version="final",
                        value=m,
                    )
                    for m in (1, 2)
                ]
            ),
        )

    def test_indicators_bump_the_catalogue(self):
        self.assert_bumps(versions.CATALOGUE, lambda: make_indicator(code="gdp"))

    def test_parks_zones_and_members_bump_the_park_list(self):
        self.assert_bumps(versions.PARKS, lambda: make_zone(self.park))
        self.assert_bumps(versions.PARKS, lambda: Park.objects.filter(pk=self.other.pk).update(name="西园"))
        user = get_user_model().objects.create_user("member")
        self.assert_bumps(versions.PARKS, lambda: self.park.members.add(user))

    def test_a_users_groups_permissions_and_parks_bump_their_key_only(self):
        User = get_user_model()
        user, other = User.objects.create_user("member"), User.objects.create_user("other")
        group = Group.objects.create(name="some")
        key, other_key = versions.user_key(user.pk), versions.user_key(other.pk)
        self.assert_bumps(key, lambda: user.groups.add(group), not_key=other_key)
        self.assert_bumps(key, lambda: user.user_permissions.add(Permission.objects.first()), not_key=other_key)
        self.assert_bumps(key, lambda: self.park.members.add(user), not_key=other_key)
        self.assert_bumps(key, lambda: Park.members.through.objects.filter(user=user).delete(), not_key=other_key)

    def test_groups_their_permissions_permissions_and_content_types_bump_auth(self):
        group = Group.objects.create(name="some")
        self.assert_bumps(versions.AUTH, lambda: group.permissions.add(Permission.objects.first()))
        self.assert_bumps(versions.AUTH, lambda: Group.objects.filter(pk=group.pk).update(name="other"))
        self.assert_bumps(
            versions.AUTH, lambda: Permission.objects.filter(pk=Permission.objects.first().pk).update(name="x")
        )
        self.assert_bumps(
            versions.AUTH, lambda: ContentType.objects.filter(app_label="parks").update(app_label="parks")
        )

    def test_a_users_row_bumps_their_key_not_auth(self):
        User = get_user_model()
        user, other = User.objects.create_user("member", password="pw"), User.objects.create_user("other")
        key, other_key = versions.user_key(user.pk), versions.user_key(other.pk)
        before = version(versions.AUTH)
        self.assert_bumps(key, lambda: self.client.force_login(user), not_key=other_key)  # writes last_login
        self.assert_bumps(key, lambda: User.objects.filter(pk=user.pk).update(is_active=False), not_key=other_key)
        self.assertEqual(version(versions.AUTH), before)

    def test_deleting_a_park_and_its_figures_bumps_it(self):
        key = versions.park_key(self.park.pk)
        self.assert_bumps(key, lambda: Park.objects.filter(pk=self.park.pk).delete())
        self.assertFalse(Figure.objects.filter(park_id=self.park.pk).exists())

    def test_the_epoch_is_there(self):
        self.assertTrue(version(versions.EPOCH))


class VersionReadTests(TestCase):
    """The request's one query for its versions (written as SQL: versions.read_rows) reads what the ORM reads."""

    @classmethod
    def setUpTestData(cls):
        cls.park = make_park(code="east", name="东部园区")
        make_figure(make_indicator(), cls.park, value=Decimal("10"))

    def test_the_rows_read_are_the_orm_s_for_every_name_asked_and_none_other(self):
        names = [versions.EPOCH, versions.CATALOGUE, versions.park_key(self.park.pk), "p999999", "it's; --"]
        orm = DataVersion.objects.filter(name__in=names).values_list("name", "key", "n")
        self.assertEqual(sorted(versions.read_rows(names)), sorted(orm))
        self.assertTrue(any(name == versions.park_key(self.park.pk) for name, _key, _n in versions.read_rows(names)))
        self.assertEqual(versions.read_rows(["p999999"]), [])

    def test_a_write_shows_in_the_next_read(self):
        key = versions.park_key(self.park.pk)
        before = versions.Versions().get(key)
        make_figure(make_indicator("land_supplied"), self.park, value=Decimal("3"))
        self.assertNotEqual(versions.Versions().get(key), before)
