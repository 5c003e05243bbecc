"""manage.py import_figures: a figure file of any length, the admin import's checks, one transaction."""

import io
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import translation

from parkdash.indicators.models import Figure
from tests.support import make_indicator, make_park, make_zone, xlsx_upload

HEADER = "indicator,park,zone,year,month,kind,version,value,unit,yoy_pct,note\n"


@override_settings(PARKDASH_IMPORT_MAX_ROWS=5)
class ImportFiguresCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        make_zone(cls.park, "东部XX县区")
        cls.fai = make_indicator("fixed_asset_investment")

    def setUp(self):
        self.enterContext(translation.override("en"))
        self.folder = Path(self.enterContext(TemporaryDirectory()))

    def rows(self, count, park="东部产业集聚区"):
        return "".join(
            f"固定资产投资,{park},,{2000 + i // 12},{i % 12 + 1},实际,正式,{i + 1},亿元,,\n" for i in range(count)
        )

    def write(self, text, name="figures.csv"):
        path = self.folder / name
        path.write_text(text, encoding="utf-8-sig")
        return str(path)

    def run_command(self, *args):
        out, err = io.StringIO(), io.StringIO()
        call_command("import_figures", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_a_file_over_the_admin_row_bound_is_imported_with_progress(self):
        out, err = self.run_command(self.write(HEADER + self.rows(30)), "--progress", "10")
        self.assertEqual(Figure.objects.count(), 30)
        self.assertIn("Imported 30 rows", out)
        self.assertIn("30 new", out)
        self.assertIn("10 of 30 rows checked", err)
        self.assertIn("30 of 30 rows checked", err)
        self.assertEqual(Figure.objects.get(year=2002, month=6).value, Decimal("30"))

    def test_a_bad_line_is_reported_with_its_number_and_reason_and_nothing_is_saved(self):
        text = HEADER + self.rows(12) + "固定资产投资,东部产业集聚区,,2023,七,实际,正式,1,亿元,,\n" + self.rows(3)
        out = io.StringIO()
        with self.assertRaisesMessage(CommandError, "15 rows fine, 1 rows with errors; nothing was saved."):
            call_command("import_figures", self.write(text), stdout=out, stderr=io.StringIO())
        self.assertIn('line 14: Through month: “七” is not a whole number (value given: "七")', out.getvalue())
        self.assertEqual(Figure.objects.count(), 0)

    def test_an_xlsx_workbook_is_read_too(self):
        upload = xlsx_upload(
            [
                HEADER.strip().split(","),
                ["fixed_asset_investment", "dongbu", None, 2023, 10, "实际"] + ["正式", 20.75, "亿元", None, None],
            ]
        )
        path = self.folder / "figures.xlsx"
        path.write_bytes(upload.read())
        self.run_command(str(path))
        self.assertEqual(Figure.objects.get().value, Decimal("20.75"))

    def test_the_park_option_fills_empty_park_cells_and_refuses_rows_of_another_park(self):
        self.run_command(self.write(HEADER + self.rows(2, park="")), "--park", "dongbu")
        self.assertEqual(Figure.objects.filter(park=self.park).count(), 2)
        make_park(code="xibu", name="西部园区")
        with self.assertRaisesMessage(CommandError, "at lines 3"):
            self.run_command(self.write(HEADER + self.rows(1) + self.rows(1, park="西部园区")), "--park", "dongbu")
