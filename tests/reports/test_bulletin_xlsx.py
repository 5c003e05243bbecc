"""The bulletin as XLSX (?_export=xlsx), opened with openpyxl: the same rows in the same order as the page, merged
title and header, numbers with their formats, status fills, and the print setup of the printed 通报."""

from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from tests.support import EnglishTestCase, World, make_figure, make_indicator, make_park

URL = reverse("reports:bulletin")


class BulletinXlsxTests(World, EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.output = make_indicator("industrial_output", sort_order=200)
        # Output: A 30.0 % (2), B 45.0 % (1); a third park C with no output target and no investment at all.
        for park, value in ((cls.park_a, "30"), (cls.park_b, "45")):
            make_figure(cls.output, park, year=2023, month=12, kind="target", value=Decimal("100"))
            make_figure(cls.output, park, year=2023, month=6, value=Decimal(value))
        cls.park_c = make_park(code="park-c", name="丙园区")
        make_figure(cls.fai, cls.park_c, year=2023, month=12, kind="target", value=Decimal("10"))

    def setUp(self):
        self.client.force_login(self.administrator)

    def download(self, **params):
        response = self.client.get(URL, {"year": 2023, "month": 6, "_export": "xlsx", **params})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return response, load_workbook(BytesIO(response.content)).active

    def test_the_file_is_named_for_the_bulletin_and_its_period(self):
        response, _sheet = self.download()
        self.assertIn('filename="bulletin-2023-06.xlsx"', response["Content-Disposition"])
        self.assertIn("filename*=UTF-8''City%20bulletin-2023-06.xlsx", response["Content-Disposition"])

    def test_title_unit_row_and_two_row_header_are_merged(self):
        _response, sheet = self.download()
        merged = {str(r) for r in sheet.merged_cells.ranges}
        # Park | investment (completion, rank) | output (completion, rank) | overall (mean rank, rank): 7 columns.
        self.assertIn("A1:G1", merged)
        self.assertEqual(sheet["A1"].value, "Completion of the main indicators by park, 2023, Months 1–6")
        self.assertIn("A3:A4", merged)
        self.assertIn("B3:C3", merged)
        self.assertIn("D3:E3", merged)
        self.assertIn("F3:G3", merged)
        self.assertEqual(sheet["A2"].value, "Unit: percent of the annual target")
        self.assertEqual(
            [sheet.cell(3, c).value for c in (1, 2, 4, 6)],
            ["Park", "Fixed-asset investment", "Gross industrial output", "Overall"],
        )
        self.assertEqual(
            [sheet.cell(4, c).value for c in range(2, 8)],
            ["Completion %", "Rank", "Completion %", "Rank", "Mean rank", "Rank"],
        )

    def test_rows_are_the_pages_rows_in_its_order_with_numbers_as_numbers(self):
        _response, sheet = self.download()
        rows = [[sheet.cell(r, c).value for c in range(1, 8)] for r in range(5, 8)]
        # Investment: A and B 50.0 (1), C a target and no actual. Output: B 45.0 (1), A 30.0 (2), C no target.
        # Overall: B mean 1.00 (1), A 1.50 (2); C ranked on nothing.
        self.assertEqual(
            rows,
            [
                ["乙园区", 50, 1, 45, 1, 1, 1],
                ["甲园区", 50, 1, 30, 2, 1.5, 2],
                ["丙园区", "-*", "-", "-", "-", "-", "-"],
            ],
        )
        self.assertEqual(sheet["B5"].number_format, "0.0")
        self.assertEqual(sheet["C5"].number_format, "0")
        self.assertEqual(sheet["F6"].number_format, "0.00")
        self.assertIsInstance(sheet["B5"].value, (int, float))

    def test_sorted_by_an_indicator_the_file_follows_the_page(self):
        page = self.client.get(URL, {"year": 2023, "month": 6, "sort": "industrial_output"})
        names = [line["name"] for line in page.context["rows"]]
        _response, sheet = self.download(sort="industrial_output")
        self.assertEqual([sheet.cell(r, 1).value for r in range(5, 5 + len(names))], names)

    def test_completion_cells_are_filled_with_their_status_colour(self):
        _response, sheet = self.download()
        # June: 序时进度 50.0 %. Investment 50.0 is on pace (green); output 45.0 is 5 points behind (slightly, amber),
        # 30.0 is 20 points behind (red).
        self.assertEqual(sheet["B5"].fill.fgColor.rgb[-6:], "C6EFCE")
        self.assertEqual(sheet["D5"].fill.fgColor.rgb[-6:], "FFEB9C")
        self.assertEqual(sheet["D6"].fill.fgColor.rgb[-6:], "FFC7CE")

    def test_it_prints_on_a4_landscape_one_page_wide_with_the_header_on_every_page(self):
        _response, sheet = self.download()
        self.assertEqual(int(sheet.page_setup.paperSize), 9)
        self.assertEqual(sheet.page_setup.orientation, "landscape")
        self.assertEqual(int(sheet.page_setup.fitToWidth), 1)
        self.assertEqual(int(sheet.page_setup.fitToHeight), 0)
        self.assertTrue(sheet.sheet_properties.pageSetUpPr.fitToPage)
        self.assertEqual(sheet.print_title_rows, "$3:$4")

    def test_the_notes_follow_the_table(self):
        _response, sheet = self.download()
        notes = [sheet.cell(r, 1).value for r in range(9, sheet.max_row + 1)]
        self.assertTrue(notes[0].startswith("Each cell: the cumulative actual (Months 1–6)"))
        self.assertIn("“-”: no target for 2023: 丙园区 (Gross industrial output).", notes)
        self.assertIn(f"A{9}:G{9}", {str(r) for r in sheet.merged_cells.ranges})

    def test_a_park_name_that_looks_like_a_formula_is_written_as_text(self):
        park = make_park(code="evil", name="=HYPERLINK(1)")
        make_figure(self.fai, park, year=2023, month=12, kind="target", value=Decimal("24"))
        _response, sheet = self.download()
        names = [sheet.cell(r, 1).value for r in range(5, 9)]
        self.assertIn("'=HYPERLINK(1)", names)
