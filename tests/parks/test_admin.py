"""Park admin: zones inline, the zone changelist filtered by park."""

from parkdash.parks.models import Park, Zone
from tests.support import EnglishTestCase, admin_url, make_admin, make_park, make_zone


class ParkAdminTests(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.park = make_park()
        make_zone(cls.park, "北片")

    def setUp(self):
        self.client.force_login(self.admin)

    def test_the_park_change_page_shows_its_zones_inline(self):
        response = self.client.get(admin_url(Park, "change", self.park.pk))
        self.assertContains(response, 'value="北片"')

    def test_a_zone_is_added_through_the_park_inline(self):
        data = {
            "code": "dongbu",
            "name": "东部产业集聚区",
            "name_en": "",
            "description": "",
            "zones-TOTAL_FORMS": 2,
            "zones-INITIAL_FORMS": 1,
            "zones-0-id": self.park.zones.get().pk,
            "zones-0-park": self.park.pk,
            "zones-0-name": "北片",
            "zones-1-park": self.park.pk,
            "zones-1-name": "南片",
            "zones-1-name_en": "South area",
        }
        response = self.client.post(admin_url(Park, "change", self.park.pk), data)
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        self.assertEqual(set(self.park.zones.values_list("name", flat=True)), {"北片", "南片"})

    def test_the_zone_changelist_filters_by_park(self):
        other = make_park(code="xibei", name="西北开发区")
        make_zone(other, "西区")
        response = self.client.get(admin_url(Zone, "changelist"), {"park__id__exact": other.pk})
        self.assertEqual([zone.name for zone in response.context["cl"].result_list], ["西区"])
