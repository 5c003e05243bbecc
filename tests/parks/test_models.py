"""Parks and zones: natural keys and one zone name per park."""

from django.db import IntegrityError, transaction

from parkdash.parks.models import Park, Zone
from tests.support import EnglishTestCase, make_park, make_zone


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
