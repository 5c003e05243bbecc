"""Bulk import of enterprises through the admin."""

from datetime import date
from decimal import Decimal

from parkdash.enterprises.models import Enterprise
from tests.support import (
    XLSX_FORMAT,
    EnglishTestCase,
    csv_upload,
    import_file,
    make_admin,
    make_enterprise,
    make_park,
    make_zone,
    sample,
    xlsx_upload,
)
from tests.support.batteries import ImportChecks

HEADER = sample("enterprises.csv").splitlines()[0]


class EnterpriseImportTests(ImportChecks, EnglishTestCase):
    model = Enterprise
    sample_file = "enterprises.csv"
    sample_rows = 3
    unknown_park_row = "西部园区,,坏数据企业,化工,0,意向,,,,,,10,,,"

    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.park = make_park()
        make_zone(cls.park, "南片")

    def make_existing(self):
        make_enterprise(self.park, name="既有企业")

    def make_round_trip_records(self):
        make_enterprise(
            self.park,
            zone=self.park.zones.get(),
            name="浙江爱仕达电器",
            is_listed=True,
            stage="settled",
            intent_date=date(2023, 1, 10),
            settled_date=date(2023, 5, 20),
            land_area_mu=Decimal("643"),
            evaluation_outcome="passed",
        )
        make_enterprise(self.park, name="某新材料企业", stage="intent", land_area_mu=None)

    def test_a_valid_csv_creates_its_enterprises(self):
        response = import_file(self.client, Enterprise, csv_upload(sample("enterprises.csv")))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Enterprise.objects.count(), 3)
        aishida = Enterprise.objects.get(name="浙江爱仕达电器")
        self.assertEqual(
            (aishida.zone.name, aishida.is_listed, aishida.land_area_mu, aishida.settled_date),
            ("南片", True, Decimal("643"), date(2023, 5, 20)),
        )

    def test_stage_and_outcome_accept_chinese_and_english(self):
        import_file(self.client, Enterprise, csv_upload(sample("enterprises.csv")))
        stages = dict(Enterprise.objects.values_list("name", "stage"))
        self.assertEqual(
            stages, {"浙江爱仕达电器": "settled", "欧瑞康真空镀膜": "construction", "某新材料企业": "intent"}
        )
        outcomes = dict(Enterprise.objects.values_list("name", "evaluation_outcome"))
        self.assertEqual(outcomes, {"浙江爱仕达电器": "passed", "欧瑞康真空镀膜": "passed", "某新材料企业": ""})

    def test_reimporting_a_later_stage_moves_the_enterprise_on(self):
        make_enterprise(self.park, name="欧瑞康真空镀膜", stage="settled", settled_date=date(2023, 4, 1))
        import_file(self.client, Enterprise, csv_upload(sample("enterprises.csv")))
        oerlikon = Enterprise.objects.get(name="欧瑞康真空镀膜")
        self.assertEqual((oerlikon.stage, oerlikon.construction_date), ("construction", date(2023, 6, 1)))

    def test_an_xlsx_file_imports(self):
        rows = [
            HEADER.split(","),
            [
                "东部产业集聚区",
                "南片",
                "浙江爱仕达电器",
                "家电",
                True,
                "落户",
                date(2023, 1, 10),
                None,
                date(2023, 5, 20),
                None,
                None,
                643,
                300000,
                None,
                None,
            ],
        ]
        import_file(self.client, Enterprise, xlsx_upload(rows), fmt=XLSX_FORMAT)
        aishida = Enterprise.objects.get()
        self.assertEqual((aishida.stage, aishida.is_listed, aishida.land_area_mu), ("settled", True, Decimal("643")))

    def test_negative_land_names_the_row_and_saves_nothing(self):
        self.assertRejected(
            "东部产业集聚区,,坏数据企业,化工,0,意向,2023-01-01,,,,,-10,,,", "Land area cannot be negative."
        )

    def test_stage_dates_out_of_order_name_the_row_and_save_nothing(self):
        self.assertRejected("东部产业集聚区,,坏数据企业,化工,0,投产,2023-09-01,,,,2023-03-01,10,,,", "cannot be before")

    def test_an_unknown_stage_names_the_row_and_saves_nothing(self):
        self.assertRejected("东部产业集聚区,,坏数据企业,化工,0,停产,,,,,,10,,,", "unknown stage “停产”")
