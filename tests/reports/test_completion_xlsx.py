"""The completion table as XLSX (``&_export=xlsx``), opened with openpyxl: laid out like the official form (title,
unit and date row, merged two-row header), numbers as numbers in their formats, status fills, print setup."""

import io
from decimal import Decimal
from urllib.parse import quote

from django.test import TestCase
from openpyxl import load_workbook

from parkdash.core.roles import VIEWER
from tests.support import EnglishTestCase, make_figure, make_indicator, make_park, persona

URL = "/reports/completion/"


class CompletionXlsxTests(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park = make_park(code="xiao", name="小园区")
        fai = make_indicator("fixed_asset_investment", sort_order=10)
        land = make_indicator("land_supplied", sort_order=20)
        above_size = make_indicator(
            "enterprises_above_size", name="规上工业企业", unit="家", aggregation="stock", sort_order=30
        )
        tax = make_indicator("tax_revenue", name="税收收入", sort_order=40)
        for indicator, target, actual, yoy in (
            (fai, "24", "20.75", "42.45"),  # 86.5 %, 序时 83.3, +3.2
            (land, "600", "300", "-12.5"),  # 50.0 %, −33.3
            (above_size, "40", "38", None),  # a stock: 95.0 %, no pace
            (tax, None, "3.5", None),  # no target
        ):
            if target:
                make_figure(indicator, cls.park, kind="target", month=12, value=Decimal(target))
            make_figure(indicator, cls.park, value=Decimal(actual), yoy_pct=Decimal(yoy) if yoy else None)
        cls.viewer = persona("viewer_xiao", VIEWER, [cls.park])

    def setUp(self):
        self.client.force_login(self.viewer)
        self.response = self.client.get(URL, {"park": "xiao", "year": 2023, "month": 10, "_export": "xlsx"})
        self.assertEqual(self.response.status_code, 200)
        self.sheet = load_workbook(io.BytesIO(self.response.content)).active

    def row_of(self, name):
        for row in range(5, self.sheet.max_row + 1):
            if self.sheet.cell(row, 1).value == name:
                return row
        raise AssertionError(f"no row {name}")

    def test_it_is_an_xlsx_named_after_the_report_park_and_period(self):
        self.assertEqual(
            self.response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        disposition = self.response["Content-Disposition"]
        self.assertIn('filename="completion-xiao-2023-10.xlsx"', disposition)
        self.assertIn("filename*=UTF-8''" + quote("Completion of main indicators-xiao-2023-10.xlsx"), disposition)

    def test_the_title_is_merged_across_the_table(self):
        self.assertEqual(self.sheet["A1"].value, "Main economic indicators: 小园区, 2023, Months 1–10")
        self.assertIn("A1:H1", {str(r) for r in self.sheet.merged_cells.ranges})
        self.assertTrue(self.sheet["A1"].font.bold)
        self.assertEqual(self.sheet["A1"].alignment.horizontal, "center")

    def test_a_demo_parks_file_says_it_holds_demo_data(self):
        self.park.is_demo = True
        self.park.save()
        response = self.client.get(URL, {"park": "xiao", "year": 2023, "month": 10, "_export": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet["A1"].value, "Main economic indicators: 小园区, 2023, Months 1–10 (demo data)")

    def test_the_unit_row_says_where_the_unit_is_and_the_date(self):
        # 亿元, 亩 and 家: several units, each line's in its column.
        self.assertEqual(self.sheet["A2"].value, "Unit: see the Unit column")
        self.assertTrue(self.sheet["E2"].value.startswith("Filled in: "))

    def test_the_header_is_two_merged_rows(self):
        merged = {str(r) for r in self.sheet.merged_cells.ranges}
        for cells in ("A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:H3"):
            self.assertIn(cells, merged)
        sheet = self.sheet
        self.assertEqual(
            [sheet["A3"].value, sheet["B3"].value, sheet["C3"].value], ["Indicator", "Unit", "Annual target"]
        )
        self.assertEqual((sheet["D3"].value, sheet["F3"].value), ("Months 1–10", "Progress"))
        self.assertEqual(
            [sheet.cell(4, column).value for column in range(4, 9)],
            [
                "Cumulative actual",
                "YoY growth %",
                "Share of annual target %",
                "Time-elapsed pace %",
                "Points ahead (+) or behind (−) pace",
            ],
        )
        self.assertTrue(sheet["D4"].font.bold)

    def test_a_line_holds_its_values_as_numbers_in_their_formats(self):
        row = self.row_of("Fixed-asset investment")
        cells = [self.sheet.cell(row, column) for column in range(1, 9)]
        self.assertEqual(cells[1].value, "100M yuan")
        values = [cell.value for cell in cells[2:]]
        # 20.75 / 24 = 86.458 % → 86.5; 序时进度 10/12 → 83.3; 86.5 − 83.3 = 3.2 points ahead.
        self.assertEqual(values, [24, 20.75, 42.45, 86.5, 83.3, 3.2])
        self.assertTrue(all(isinstance(value, (int, float)) for value in values))
        formats = [cell.number_format for cell in cells[2:]]
        self.assertEqual(formats[:5], ["#,##0.00", "#,##0.00", "0.00", "0.0", "0.0"])
        self.assertEqual(formats[5], '"ahead by "0.0;"behind by "0.0;0.0')
        self.assertEqual(cells[0].border.left.style, "thin")
        self.assertEqual(cells[7].border.bottom.style, "thin")

    def test_the_gap_column_is_filled_with_the_status_colour(self):
        ahead = self.sheet.cell(self.row_of("Fixed-asset investment"), 8)
        behind = self.sheet.cell(self.row_of("Land supplied"), 8)
        self.assertEqual(ahead.fill.fgColor.rgb, "00C6EFCE")
        self.assertEqual(behind.value, -33.3)
        self.assertEqual(behind.fill.fgColor.rgb, "00FFC7CE")

    def test_a_stock_has_no_pace_and_its_completion_carries_the_status(self):
        row = self.row_of("Enterprises Above Size")
        self.assertIsNone(self.sheet.cell(row, 2).value)  # 家 is a measure word: no unit in English
        self.assertEqual((self.sheet.cell(row, 3).value, self.sheet.cell(row, 4).value), (40, 38))
        self.assertEqual(self.sheet.cell(row, 4).number_format, "#,##0")
        self.assertEqual(self.sheet.cell(row, 6).value, 95)
        self.assertEqual((self.sheet.cell(row, 7).value, self.sheet.cell(row, 8).value), ("-", "-"))
        # 95 % of the target, within 10 points of it: "slightly short", Excel's neutral yellow.
        self.assertEqual(self.sheet.cell(row, 6).fill.fgColor.rgb, "00FFEB9C")

    def test_a_missing_value_is_a_dash_never_none_or_zero(self):
        row = self.row_of("Tax Revenue")
        self.assertEqual(self.sheet.cell(row, 3).value, "-")
        self.assertEqual(self.sheet.cell(row, 4).value, 3.5)
        self.assertEqual([self.sheet.cell(row, c).value for c in (5, 6, 8)], ["-", "-", "-"])

    def test_the_notes_follow_the_table(self):
        texts = [self.sheet.cell(row, 1).value for row in range(9, self.sheet.max_row + 1)]
        self.assertIn("No annual target for 2023: Tax Revenue.", texts)
        self.assertIn(
            "A stock or a rate has no time-elapsed pace: its completion is compared with the target itself.", texts
        )

    def test_it_prints_on_a4_landscape_one_page_wide_with_the_header_on_every_page(self):
        sheet = self.sheet
        self.assertEqual(int(sheet.page_setup.paperSize), 9)  # A4
        self.assertEqual(sheet.page_setup.orientation, "landscape")
        self.assertEqual(int(sheet.page_setup.fitToWidth), 1)
        self.assertEqual(int(sheet.page_setup.fitToHeight), 0)
        self.assertTrue(sheet.sheet_properties.pageSetUpPr.fitToPage)
        self.assertEqual(sheet.print_title_rows, "$3:$4")
        self.assertTrue(sheet.print_options.horizontalCentered)
        self.assertEqual(sheet.freeze_panes, "B5")
        self.assertGreater(sheet.column_dimensions["A"].width, 15)


class ChineseXlsxTests(TestCase):
    """The seed-like line in Chinese: the unit row names the one unit when every line has it."""

    @classmethod
    def setUpTestData(cls):
        cls.park = make_park(code="xiao", name="小园区")
        make_figure(make_indicator("fixed_asset_investment"), cls.park, value=Decimal("20.75"))
        make_figure(make_indicator("industrial_output"), cls.park, value=Decimal("23.21"))
        cls.viewer = persona("viewer_xiao", VIEWER, [cls.park])

    def test_one_unit_for_every_line_is_said_once_in_the_unit_row(self):
        self.client.force_login(self.viewer)
        response = self.client.get(
            URL, {"park": "xiao", "month": 10, "_export": "xlsx"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        self.assertTrue(sheet["A2"].value.endswith("亿元"))
        self.assertIn("2023年1-10月", sheet["A1"].value)
        self.assertEqual(sheet["A3"].value, "指标")
        self.assertEqual((sheet["A5"].value, sheet["B5"].value, sheet["D5"].value), ("固定资产投资", "亿元", 20.75))

    def test_a_name_that_looks_like_a_formula_is_written_as_text(self):
        from parkdash.reports.models import ReportLine

        ReportLine.objects.create(park=self.park, indicator=make_indicator("evil", name="恶意"), label="=1+2")
        self.client.force_login(self.viewer)
        response = self.client.get(URL, {"park": "xiao", "month": 10, "_export": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet["A5"].value, "'=1+2")
        self.assertEqual(sheet["A5"].data_type, "s")
