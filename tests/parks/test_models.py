"""Parks and zones: natural keys and one zone name per park."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.test import TestCase

from parkdash.indicators.models import Figure
from parkdash.parks.models import Park, Zone
from parkdash.projects.models import Project
from tests.support import EnglishTestCase, make_figure, make_indicator, make_park, make_zone


class ZoneTests(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.zone = make_zone(cls.park, "南片")

    def test_two_zones_with_the_same_name_in_a_park_are_rejected_by_the_database(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Zone.objects.create(park=self.park, name="南片")

    def test_the_same_zone_name_in_another_park_is_allowed(self):
        make_zone(make_park(code="xibei", name="西北开发区"), "南片")
        self.assertEqual(Zone.objects.filter(name="南片").count(), 2)

    def test_zones_and_parks_are_found_by_natural_key(self):
        self.assertEqual(Park.objects.get_by_natural_key("dongbu"), self.park)
        self.assertEqual(Zone.objects.get_by_natural_key("dongbu", "南片"), self.zone)
        self.assertEqual(self.zone.natural_key(), ("dongbu", "南片"))


class HistoryManagerClassTests(TestCase):
    """The ``history`` of a park record makes its manager class once (ManagerClassKeptDescriptor), not on every
    access: each save asks for it. The manager is still the record's own."""

    def test_the_history_manager_class_is_made_once_and_each_record_reads_its_own_history(self):
        self.assertIs(type(Figure.history), type(Figure.history))
        self.assertIs(type(Project.history), type(Project.history))
        self.assertIsNot(type(Figure.history), type(Project.history))
        park, fai = make_park(), make_indicator("fixed_asset_investment")
        june = make_figure(fai, park, month=6, value=Decimal("12"))
        july = make_figure(fai, park, month=7, value=Decimal("14"))
        july.note = "checked"
        july.save()
        self.assertEqual(june.history.count(), 1)
        self.assertEqual([h.note for h in july.history.all()], ["checked", ""])
        self.assertEqual(Figure.history.count(), 3)
        self.assertEqual(june.history.model.__name__, "HistoricalFigure")
