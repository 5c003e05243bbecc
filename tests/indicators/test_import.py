"""Bulk import of indicator figures through the admin: preview, confirm, and nothing saved when a row is bad."""

from decimal import Decimal

from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parkdash.indicators.models import Figure
from tests.support import (
    SAMPLES,
    XLSX_FORMAT,
    EnglishTestCase,
    confirm_import,
    csv_upload,
    import_errors,
    import_file,
    make_admin,
    make_figure,
    make_indicator,
    make_park,
    make_zone,
    preview_import,
    sample,
    xlsx_upload,
)
from tests.support.batteries import ImportChecks

# What a figure holds; entered_value/unit may be filled in by a round trip for figures written without them.
STORED = ("pk", "indicator", "park", "zone", "year", "month", "kind", "version", "value", "yoy_pct", "note")
HEADER = "indicator,park,zone,year,month,kind,version,value,unit,yoy_pct,note\n"
GOOD_ROWS = (
    "固定资产投资,东部产业集聚区,,2023,10,实际,快报,20.75,亿元,42.45,\n"
    "工业总产值,东部产业集聚区,东部XX县区,2023,10,actual,preliminary,3214,万元,,\n"
)


class FigureImportTestCase(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.park = make_park()
        cls.zone = make_zone(cls.park, "东部XX县区")
        cls.fai = make_indicator("fixed_asset_investment")
        cls.output = make_indicator("industrial_output")
        cls.land = make_indicator("land_supplied")

    def setUp(self):
        self.client.force_login(self.admin)

    def figure(self, indicator, **kwargs):
        return Figure.objects.get(indicator=indicator, **kwargs)


class FigureImportTests(FigureImportTestCase):
    def test_a_valid_csv_creates_its_rows_in_the_canonical_unit(self):
        response = import_file(self.client, Figure, csv_upload(sample("figures.csv")))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Figure.objects.count(), 4)
        fai = self.figure(self.fai, kind="actual")
        self.assertEqual(
            (fai.value, fai.yoy_pct, fai.month, fai.version), (Decimal("20.75"), Decimal("42.45"), 10, "preliminary")
        )
        output = self.figure(self.output, zone=self.zone)
        self.assertEqual(
            (output.value, output.entered_value, output.entered_unit), (Decimal("0.3214"), Decimal("3214"), "万元")
        )
        self.assertEqual(fai.source, "import")

    def test_a_value_column_headed_as_people_write_it_is_read(self):
        """数值 / Value is the model's label of the stored value: a hand-made file heads its value column so."""
        for heading, value in (("数值", "21"), ("Value", "22")):
            with self.subTest(heading=heading):
                upload = csv_upload(
                    f"指标,园区,片区,年份,月份,类型,版本,{heading},单位\n固定资产投资,东部产业集聚区,,2023,11,实际,正式,{value},亿元\n"
                )
                self.assertEqual(import_file(self.client, Figure, upload).status_code, 302)
                self.assertEqual(self.figure(self.fai, month=11).value, Decimal(value))

    def test_kind_and_version_accept_chinese_and_english_labels(self):
        import_file(self.client, Figure, csv_upload(sample("figures.csv")))
        # 实际 / actual, 目标 / Target, 快报 / preliminary, 正式 / empty (final)
        self.assertEqual(Figure.objects.filter(kind="actual", version="preliminary").count(), 2)
        self.assertEqual(self.figure(self.land, kind="target").version, "final")
        self.assertEqual(self.figure(self.fai, kind="target").version, "final")

    def test_a_target_without_a_month_is_for_the_full_year(self):
        import_file(self.client, Figure, csv_upload(sample("figures.csv")))
        self.assertEqual((self.figure(self.land, kind="target").month), 12)

    def test_the_preview_shows_the_rows_before_anything_is_saved(self):
        preview = preview_import(self.client, Figure, csv_upload(sample("figures.csv")))
        self.assertEqual(preview.status_code, 200)
        self.assertEqual(len(preview.context["result"].valid_rows()), 4)
        self.assertContains(preview, "固定资产投资")
        self.assertFalse(Figure.objects.exists())
        confirm_import(self.client, Figure, preview)
        self.assertEqual(Figure.objects.count(), 4)

    def test_a_csv_saved_by_excel_with_a_bom_imports(self):
        upload = csv_upload((SAMPLES / "figures_excel_bom.csv").read_bytes().decode("utf-8"))
        self.assertTrue(upload.read().startswith(b"\xef\xbb\xbf"))
        upload.seek(0)
        import_file(self.client, Figure, upload)
        self.assertEqual(Figure.objects.count(), 4)
        self.assertEqual(self.figure(self.fai, kind="actual").value, Decimal("20.75"))

    def test_an_xlsx_file_imports(self):
        rows = [
            HEADER.strip().split(","),
            ["固定资产投资", "东部产业集聚区", None, 2023, 10, "实际", "正式", 7.2, "亿元", -3.5, None],
            ["供地", "dongbu", None, 2024, None, "目标", None, 600, "亩", None, "全年"],
        ]
        response = import_file(self.client, Figure, xlsx_upload(rows), fmt=XLSX_FORMAT)
        self.assertEqual(response.status_code, 302)
        fai = self.figure(self.fai)
        self.assertEqual((fai.value, fai.yoy_pct), (Decimal("7.2"), Decimal("-3.5")))
        self.assertEqual(self.figure(self.land).value, Decimal("600"))

    def test_an_indicator_is_found_by_one_of_its_aliases(self):
        self.fai.aliases = "固投、全社会固定资产投资"
        self.fai.save()
        import_file(self.client, Figure, csv_upload(HEADER + "固投,东部产业集聚区,,2023,9,实际,,18.1,亿元,,\n"))
        self.assertEqual(self.figure(self.fai).value, Decimal("18.1"))

    def test_thousands_separators_are_read(self):
        import_file(self.client, Figure, csv_upload(HEADER + '供地,东部产业集聚区,,2023,10,实际,,"1,696",亩,,\n'))
        self.assertEqual(self.figure(self.land).value, Decimal("1696"))

    def test_reimporting_a_changed_value_updates_the_figure(self):
        make_figure(self.fai, self.park, month=10, version="preliminary", value=Decimal("19"))
        import_file(self.client, Figure, csv_upload(sample("figures.csv")))
        self.assertEqual(self.figure(self.fai, kind="actual").value, Decimal("20.75"))
        self.assertEqual(Figure.objects.filter(indicator=self.fai, kind="actual").count(), 1)

    def test_a_figure_entered_in_another_unit_is_updated_by_a_reimport_in_the_canonical_unit(self):
        make_figure(
            self.output,
            self.park,
            zone=self.zone,
            version="preliminary",
            value=Decimal("0.3"),
            entered_value=Decimal("3000"),
            entered_unit="万元",
        )
        import_file(self.client, Figure, csv_upload(HEADER + GOOD_ROWS))
        output = self.figure(self.output, zone=self.zone)
        self.assertEqual((output.value, output.entered_unit), (Decimal("0.3214"), "万元"))

    def test_the_new_figures_of_an_import_are_inserted_together_each_with_its_history_and_the_import_logged_once(self):
        rows = "".join(
            f"固定资产投资,东部产业集聚区,,{year},{month},实际,,{month},亿元,,\n"
            for year in (2021, 2022)
            for month in range(1, 13)
        )
        preview = preview_import(self.client, Figure, csv_upload(HEADER + rows))
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(confirm_import(self.client, Figure, preview).status_code, 302)
        inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "indicators_figure"')]
        self.assertEqual(len(inserts), 1)  # 24 figures, one statement
        figures = Figure.objects.order_by("year", "month")
        self.assertEqual([(f.year, f.month, f.value) for f in figures][:2], [(2021, 1, 1), (2021, 2, 2)])
        self.assertEqual(figures.count(), 24)
        self.assertEqual(Figure.history.filter(history_type="+").count(), 24)
        # One line in the admin's recent actions for the import, not one a figure.
        (logged,) = LogEntry.objects.filter(content_type__model="figure")
        self.assertEqual((logged.user, logged.object_repr), (self.admin, "Import: 24 new, 0 changed, 0 deleted"))


class FigureImportErrorTests(ImportChecks, FigureImportTestCase):
    """One bad row: the preview names its line and the reason, offers no confirm step, and nothing is written."""

    model = Figure
    sample_file = "figures.csv"
    sample_rows = 4
    import_text = HEADER + GOOD_ROWS
    unknown_park_row = "固定资产投资,西部园区,,2023,9,实际,,18,亿元,,"
    round_trip_fields = STORED

    def make_existing(self):
        make_figure(self.fai, self.park, year=2022, value=Decimal("14.57"))

    def make_round_trip_records(self):
        make_figure(self.fai, self.park, value=Decimal("1696.5"), yoy_pct=Decimal("-3.25"), version="preliminary")
        make_figure(
            self.output,
            self.park,
            zone=self.zone,
            value=Decimal("0.3214"),
            entered_value=Decimal("3214"),
            entered_unit="万元",
        )
        make_figure(self.land, self.park, kind="target", year=2024, month=12, value=Decimal("600"))

    def test_an_unknown_indicator_names_the_row(self):
        self.assertRejected(
            "规上工业增加值,东部产业集聚区,,2023,9,实际,,18,亿元,,", "unknown indicator “规上工业增加值”"
        )

    def test_a_zone_of_another_park_names_the_row(self):
        make_zone(make_park(code="xibei", name="西北开发区"), "西区")
        self.assertRejected("固定资产投资,东部产业集聚区,西区,2023,9,实际,,18,亿元,,", "unknown zone “西区”")

    def test_mu_for_fixed_asset_investment_names_the_row(self):
        self.assertRejected(
            "固定资产投资,东部产业集聚区,,2023,9,实际,,1696,亩,,",
            "亩 cannot be converted to 亿元, the unit of 固定资产投资.",
        )

    def test_wan_alone_as_the_unit_is_ten_thousand_of_the_indicators_unit(self):
        response = import_file(
            self.client, Figure, csv_upload(HEADER + "固定资产投资,东部产业集聚区,,2023,9,实际,,3214,万,,\n")
        )
        self.assertEqual(response.status_code, 302)
        figure = self.figure(self.fai)
        self.assertEqual((figure.value, figure.entered_unit), (Decimal("0.3214"), "万元"))

    def test_an_unknown_unit_names_the_row(self):
        self.assertRejected("固定资产投资,东部产业集聚区,,2023,9,实际,,18,斤,,", "Unknown unit “斤”.")

    def test_a_negative_value_names_the_row(self):
        self.assertRejected(
            "固定资产投资,东部产业集聚区,,2023,9,实际,,-18,亿元,,", "A 固定资产投资 figure cannot be negative."
        )

    def test_a_value_that_is_not_a_number_names_the_row(self):
        self.assertRejected("固定资产投资,东部产业集聚区,,2023,9,实际,,二十,亿元,,", "二十")

    def test_month_thirteen_names_the_row(self):
        self.assertRejected(
            "固定资产投资,东部产业集聚区,,2023,13,实际,,18,亿元,,", "The month must be between 1 and 12."
        )

    def test_an_unknown_kind_names_the_row(self):
        self.assertRejected("固定资产投资,东部产业集聚区,,2023,9,预测,,18,亿元,,", "unknown kind “预测”")

    def test_a_row_without_value_or_growth_names_the_row(self):
        self.assertRejected(
            "固定资产投资,东部产业集聚区,,2023,9,实际,,,,,", "Give a value, a year-on-year growth, or both."
        )

    def test_a_bad_first_row_is_line_two(self):
        make_figure(self.fai, self.park, year=2022, value=Decimal("14.57"))
        bad_first = "固定资产投资,东部产业集聚区,,2023,9,实际,,-1,亿元,,\n"
        preview = preview_import(self.client, Figure, csv_upload(HEADER + bad_first + GOOD_ROWS))
        self.assertEqual(list(import_errors(preview)), [2])

    def test_a_figure_repeated_in_the_file_takes_the_last_value(self):
        first = GOOD_ROWS.splitlines()[0]
        preview = preview_import(self.client, Figure, csv_upload(HEADER + GOOD_ROWS + first.replace("20.75", "21")))
        errors = import_errors(preview)
        # The second occurrence updates the first (same natural key) rather than failing: the last one wins.
        self.assertEqual(errors, {})
        confirm_import(self.client, Figure, preview)
        self.assertEqual(self.figure(self.fai, kind="actual").value, Decimal("21"))

    def test_an_import_whose_data_changed_after_the_preview_saves_nothing(self):
        # Between preview and confirm, someone removes the zone a row refers to.
        preview = preview_import(self.client, Figure, csv_upload(HEADER + GOOD_ROWS))
        self.zone.delete()
        response = confirm_import(self.client, Figure, preview)
        self.assertFalse(Figure.objects.exists())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "unknown zone “东部XX县区”")


class FigureImportWarningTests(FigureImportTestCase):
    """Plausibility warnings in the preview, per row; confirming the import keeps them as confirmed."""

    SLIP = (
        HEADER
        + "固定资产投资,东部产业集聚区,,2023,6,实际,正式,3214,,,\n"
        + "固定资产投资,东部产业集聚区,,2023,7,实际,正式,19,,,\n"
    )

    def setUp(self):
        super().setUp()
        make_figure(self.fai, self.park, month=5, value=Decimal("18.5"))

    def test_the_preview_shows_each_row_s_warnings_in_its_row(self):
        preview = preview_import(self.client, Figure, csv_upload(self.SLIP))
        june, july = preview.context["result"].valid_rows()
        self.assertEqual([w.code for w in june.warnings], ["jump"])
        self.assertEqual([w.code for w in july.warnings], ["jump"])  # 19 after 3214: the slip seen from July
        self.assertContains(preview, "3,214 亿元 is 173.7 times the figure of 2023, Months 1–5 (18.5 亿元)")
        self.assertContains(preview, "Rows with figures that look implausible: 2")
        self.assertEqual(Figure.objects.count(), 1)

    def test_a_plausible_row_has_no_warning(self):
        text = HEADER + "固定资产投资,东部产业集聚区,,2023,6,实际,正式,20.75,,,\n"
        preview = preview_import(self.client, Figure, csv_upload(text))
        (row,) = preview.context["result"].valid_rows()
        self.assertEqual(row.warnings, [])
        self.assertNotContains(preview, "look implausible")

    def test_confirming_the_import_keeps_the_warnings_with_the_figures(self):
        response = import_file(self.client, Figure, csv_upload(self.SLIP))
        self.assertEqual(response.status_code, 302)
        june = self.figure(self.fai, month=6)
        (kept,) = june.warnings.all()
        self.assertEqual((kept.code, kept.value, kept.confirmed_by), ("jump", Decimal("3214"), self.admin))
        self.assertEqual(self.figure(self.fai, month=7).warnings.get().code, "jump")
