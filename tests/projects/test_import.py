"""Bulk import of projects through the admin."""

from datetime import date
from decimal import Decimal

from parkdash.projects.models import Project, ProjectUpdate
from tests.support import (
    XLSX_FORMAT,
    EnglishTestCase,
    csv_upload,
    import_file,
    make_admin,
    make_park,
    make_project,
    make_zone,
    sample,
    xlsx_upload,
)
from tests.support.batteries import ImportChecks

HEADER = sample("projects.csv").splitlines()[0]


class ProjectImportTests(ImportChecks, EnglishTestCase):
    model = Project
    sample_file = "projects.csv"
    sample_rows = 3
    unknown_park_row = "西部园区,,展览中心,public_building,续建,,,,,100,,10,,"

    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.park = make_park()
        make_zone(cls.park, "北片")

    def make_existing(self):
        make_project(self.park, name="既有项目")

    def stored(self):
        return super().stored(), list(ProjectUpdate.objects.order_by("pk").values())

    def make_round_trip_records(self):
        make_project(
            self.park,
            name="城市规划馆",
            phase="continuing",
            progress_pct=Decimal("70"),
            planned_start=date(2022, 3, 1),
            total_investment=Decimal("8000.5"),
            responsible_unit="建设局",
        )
        make_project(
            self.park,
            zone=self.park.zones.get(),
            name="北片污水处理厂",
            category="utility",
            phase="new_start",
            progress_pct=Decimal("15"),
        )

    def test_a_valid_csv_creates_its_projects(self):
        response = import_file(self.client, Project, csv_upload(sample("projects.csv")))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Project.objects.count(), 3)
        plant = Project.objects.get(name="北片污水处理厂")
        self.assertEqual(
            (plant.zone.name, plant.phase, plant.category, plant.actual_start, plant.progress_pct),
            ("北片", "new_start", "utility", date(2023, 8, 29), Decimal("15")),
        )

    def test_phase_and_category_accept_chinese_and_english(self):
        import_file(self.client, Project, csv_upload(sample("projects.csv")))
        hall = Project.objects.get(name="城市规划馆")
        self.assertEqual((hall.phase, hall.category), ("continuing", "public_building"))
        self.assertEqual(Project.objects.get(name="中心小学").phase, "preparation")

    def test_an_imported_project_starts_its_update_history(self):
        import_file(self.client, Project, csv_upload(sample("projects.csv")))
        self.assertEqual(ProjectUpdate.objects.count(), 3)

    def test_the_updates_an_import_records_name_the_importing_user(self):
        import_file(self.client, Project, csv_upload(sample("projects.csv")))
        self.assertEqual(set(ProjectUpdate.objects.values_list("created_by", flat=True)), {self.admin.pk})

    def test_a_progress_change_by_import_records_an_update(self):
        hall = make_project(self.park, name="城市规划馆", phase="continuing", progress_pct=Decimal("40"))
        import_file(self.client, Project, csv_upload(sample("projects.csv")))
        self.assertEqual(Project.objects.count(), 3)
        self.assertEqual(list(hall.updates.values_list("progress_pct", flat=True)), [Decimal("70"), Decimal("40")])

    def test_reimporting_the_same_file_updates_instead_of_duplicating(self):
        super().test_reimporting_the_same_file_updates_instead_of_duplicating()
        self.assertEqual(ProjectUpdate.objects.count(), 3)

    def test_dates_as_excel_writes_them_import(self):
        row = "东部产业集聚区,,城市规划馆,public_building,续建,2022/3/1,2023年12月31日,,,8000,,70,,"
        import_file(self.client, Project, csv_upload(HEADER + "\n" + row + "\n", bom=True))
        hall = Project.objects.get()
        self.assertEqual((hall.planned_start, hall.planned_finish), (date(2022, 3, 1), date(2023, 12, 31)))

    def test_an_xlsx_file_imports(self):
        rows = [
            HEADER.split(","),
            [
                "东部产业集聚区",
                "北片",
                "北片污水处理厂",
                "市政",
                "新开工",
                date(2023, 8, 29),
                None,
                date(2023, 8, 29),
                None,
                12000,
                3000.5,
                15,
                "管委会建设局",
                None,
            ],
        ]
        import_file(self.client, Project, xlsx_upload(rows), fmt=XLSX_FORMAT)
        plant = Project.objects.get()
        self.assertEqual(
            (plant.category, plant.ytd_investment, plant.actual_start),
            ("utility", Decimal("3000.5"), date(2023, 8, 29)),
        )

    def test_progress_of_150_names_the_row_and_saves_nothing(self):
        self.assertRejected(
            "东部产业集聚区,,展览中心,public_building,续建,,,,,100,,150,,", "Progress must be between 0 and 100 %."
        )

    def test_a_finish_before_the_start_names_the_row_and_saves_nothing(self):
        self.assertRejected(
            "东部产业集聚区,,展览中心,public_building,续建,2023-08-01,2023-03-01,,,100,,10,,",
            "The planned finish cannot be before the planned start.",
        )

    def test_a_negative_investment_names_the_row_and_saves_nothing(self):
        self.assertRejected(
            "东部产业集聚区,,展览中心,public_building,续建,,,,,-100,,10,,", "Total investment cannot be negative."
        )

    def test_an_unknown_phase_names_the_row_and_saves_nothing(self):
        self.assertRejected("东部产业集聚区,,展览中心,public_building,暂停,,,,,100,,10,,", "unknown phase “暂停”")

    def test_a_date_that_is_not_a_date_names_the_row_and_saves_nothing(self):
        self.assertRejected(
            "东部产业集聚区,,展览中心,public_building,续建,8月29日,,,,100,,10,,", "“8月29日” is not a date"
        )
