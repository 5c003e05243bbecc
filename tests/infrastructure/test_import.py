"""Bulk import of infrastructure works through the admin."""

from decimal import Decimal

from parkdash.infrastructure.models import InfrastructureWork
from tests.support import (
    XLSX_FORMAT,
    EnglishTestCase,
    csv_upload,
    import_file,
    make_admin,
    make_park,
    make_work,
    make_zone,
    sample,
    xlsx_upload,
)
from tests.support.batteries import ImportChecks

HEADER = sample("works.csv").splitlines()[0]


class WorkImportTests(ImportChecks, EnglishTestCase):
    model = InfrastructureWork
    sample_file = "works.csv"
    sample_rows = 4
    unknown_park_row = "西部园区,,2023,bridge,桥梁,座,12,9,"

    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.park = make_park()
        make_zone(cls.park, "北片")

    def make_existing(self):
        make_work(self.park, name="既有工程")

    def make_round_trip_records(self):
        make_work(self.park, name="道路路基", completed_quantity=Decimal("56.5"))
        make_work(
            self.park,
            zone=self.park.zones.get(),
            kind="reclamation",
            name="北片造地",
            unit="亩",
            planned_quantity=Decimal("2000"),
            completed_quantity=Decimal("1500"),
        )

    def test_a_valid_csv_creates_its_works(self):
        response = import_file(self.client, InfrastructureWork, csv_upload(sample("works.csv")))
        self.assertEqual(response.status_code, 302)
        kinds = dict(InfrastructureWork.objects.values_list("name", "kind"))
        self.assertEqual(
            kinds, {"道路路基": "road_base", "绿化": "greening", "填筑土石方": "earth_fill", "北片造地": "reclamation"}
        )
        road = InfrastructureWork.objects.get(name="道路路基")
        self.assertEqual((road.unit, road.completed_quantity), ("公里", Decimal("56.5")))

    def test_reimporting_the_same_file_updates_instead_of_duplicating(self):
        make_work(self.park, name="道路路基", completed_quantity=Decimal("40"))
        import_file(self.client, InfrastructureWork, csv_upload(sample("works.csv")))
        import_file(self.client, InfrastructureWork, csv_upload(sample("works.csv")))
        self.assertEqual(InfrastructureWork.objects.count(), 4)
        self.assertEqual(InfrastructureWork.objects.get(name="道路路基").completed_quantity, Decimal("56.5"))

    def test_an_xlsx_file_imports(self):
        rows = [HEADER.split(","), ["东部产业集聚区", None, 2023, "桥梁", "桥梁", "座", 12, 9, None]]
        import_file(self.client, InfrastructureWork, xlsx_upload(rows), fmt=XLSX_FORMAT)
        bridge = InfrastructureWork.objects.get()
        self.assertEqual((bridge.kind, bridge.unit, bridge.completed_quantity), ("bridge", "座", Decimal("9")))

    def test_a_negative_quantity_names_the_row_and_saves_nothing(self):
        self.assertRejected("东部产业集聚区,,2023,bridge,桥梁,座,12,-9,", "Completed quantity cannot be negative.")

    def test_an_unknown_unit_names_the_row_and_saves_nothing(self):
        self.assertRejected("东部产业集聚区,,2023,bridge,桥梁,斤,12,9,", "Unknown unit")

    def test_an_unknown_zone_names_the_row_and_saves_nothing(self):
        self.assertRejected("东部产业集聚区,西片,2023,bridge,桥梁,座,12,9,", "unknown zone “西片”")
