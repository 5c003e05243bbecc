"""The import page reports what a clerk can act on (core.resources.import_report, the admin import templates):
every row error in the table with its column's heading and the value given, a summary sentence, no traceback, no
“None”; the preview counts new, changed and unchanged rows; the page offers a template of its columns."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from parkdash.indicators.models import Figure
from tests.support import (
    XLSX_FORMAT,
    EnglishTestCase,
    admin_url,
    confirm_import,
    csv_upload,
    import_file,
    make_admin,
    make_indicator,
    make_park,
    preview_import,
)

HEADER = "indicator,park,zone,year,month,kind,version,value,unit,yoy_pct,note\n"
GOOD = "固定资产投资,东部产业集聚区,,2023,{month},实际,正式,20.75,亿元,,\n"


class ReportTestCase(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.park = make_park()
        cls.fai = make_indicator("fixed_asset_investment")

    def setUp(self):
        self.client.force_login(self.admin)

    def good_rows(self, count):
        return "".join(GOOD.format(month=month) for month in range(1, count + 1))


class RowErrorReportTests(ReportTestCase):
    def preview_with_errors(self):
        bad = (
            "固定资产投资,东部产业集聚区,,2023,七,实际,正式,abc,亿元,,\n"
            "固定资产投资,东部产业集聚区,,2023,11,实际,正式,,斤,,\n"
        )
        return preview_import(self.client, Figure, csv_upload(HEADER + self.good_rows(3) + bad))

    def test_every_row_error_is_in_the_table_with_its_heading_and_the_value_given(self):
        response = self.preview_with_errors()
        report = response.context["report"]
        self.assertEqual([row["line"] for row in report["rows"]], [5, 6])
        problems = {(p["heading"], p["value"]) for p in report["rows"][0]["problems"]}
        self.assertIn(("Through month", "七"), problems)
        self.assertIn(("Value (in the unit column)", "abc"), problems)
        self.assertContains(response, "<strong>Through month</strong>: “七” is not a whole number", html=False)
        self.assertContains(response, "(value given: “七”)")

    def test_the_summary_says_how_many_rows_are_fine_and_that_nothing_was_saved(self):
        response = self.preview_with_errors()
        self.assertContains(response, "3 rows fine, 2 rows with errors; nothing was saved.")
        self.assertEqual(Figure.objects.count(), 0)

    def test_no_field_name_traceback_none_or_hover_badge_is_in_the_page(self):
        page = self.preview_with_errors().content.decode()
        for unwanted in ("entered_value", "ENTERED_VALUE", "Traceback", ">None<", "validation-error-count"):
            self.assertNotIn(unwanted, page)
        self.assertIn("Some rows have errors", page)
        self.assertNotIn("Some rows failed to validate", page)

    def test_in_chinese_the_headings_are_the_chinese_ones_and_the_garbled_heading_is_gone(self):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(self.admin)
        bad = "固定资产投资,东部产业集聚区,,2023,七,实际,正式,1,亿元,,\n"
        response = preview_import(client, Figure, csv_upload(HEADER + bad))
        page = response.content.decode()
        self.assertIn("<strong>截至月份</strong>", page)
        self.assertNotIn("某些行验数据证失败", page)

    def test_a_file_error_is_a_sentence_without_traceback(self):
        response = preview_import(self.client, Figure, csv_upload("park,year\n东部产业集聚区,2023\n"))
        self.assertContains(response, "Columns missing from the file")
        self.assertNotContains(response, "Traceback")
        self.assertNotContains(response, 'class="traceback"')


class PreviewReportTests(ReportTestCase):
    def test_the_preview_counts_new_changed_and_unchanged_rows_and_lists_only_the_changes(self):
        import_file(self.client, Figure, csv_upload(HEADER + self.good_rows(3)))
        changed = HEADER + self.good_rows(2) + GOOD.format(month=3).replace("20.75", "21") + GOOD.format(month=4)
        response = preview_import(self.client, Figure, csv_upload(changed))
        self.assertContains(response, "4 rows fine: 1 new, 1 changed, 2 unchanged.")
        self.assertEqual([row["type"] for row in response.context["report"]["rows"]], ["update", "new"])
        confirm_import(self.client, Figure, response)
        self.assertEqual(Figure.objects.count(), 4)

    def test_a_long_preview_lists_its_first_rows_and_says_so(self):
        from unittest import mock

        with mock.patch("parkdash.core.resources.PREVIEW_ROWS", 2):
            from parkdash.core import resources

            with mock.patch.object(resources.import_report, "__defaults__", (2,)):
                response = preview_import(self.client, Figure, csv_upload(HEADER + self.good_rows(5)))
        self.assertEqual(len(response.context["report"]["rows"]), 2)
        self.assertContains(response, "The first 2 of these 5 rows are listed.")

    def test_empty_cells_are_blank_in_the_preview(self):
        response = preview_import(self.client, Figure, csv_upload(HEADER + self.good_rows(1)))
        self.assertNotIn(">None<", response.content.decode())


class ImportTemplateTests(ReportTestCase):
    def test_the_import_page_offers_a_template_in_both_formats(self):
        response = self.client.get(admin_url(Figure, "import"))
        url = admin_url(Figure, "import_template")
        self.assertContains(response, url + "?format=xlsx")
        self.assertContains(response, url + "?format=csv")

    def test_the_csv_template_has_the_table_export_headings_and_imports_once_filled(self):
        response = self.client.get(admin_url(Figure, "import_template"), {"format": "csv"})
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(header[:3], ["Indicator code", "Park", "Zone"])
        row = ["fixed_asset_investment", "dongbu", "", "2023", "10", "Actual", "Final", "20.75", "亿元", "", ""]
        out = io.StringIO()
        csv.writer(out).writerows([header, row])
        import_file(self.client, Figure, csv_upload(out.getvalue()))
        self.assertEqual(Figure.objects.get().month, 10)

    def test_the_xlsx_template_in_chinese_imports_once_filled(self):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(self.admin)
        response = client.get(admin_url(Figure, "import_template"), {"format": "xlsx"})
        book = load_workbook(io.BytesIO(response.content))
        book.active.append(["fixed_asset_investment", "东部产业集聚区", None, 2023, 9, "实际", "正式", 1.5, "亿元"])
        self.assertEqual(book.active["A1"].value, "指标代码")
        out = io.BytesIO()
        book.save(out)
        import_file(client, Figure, SimpleUploadedFile("t.xlsx", out.getvalue()), XLSX_FORMAT)
        self.assertEqual(Figure.objects.get().month, 9)

    def test_one_who_may_not_import_gets_no_template(self):
        from tests.support import persona

        viewer = persona("viewer", staff=True)
        client = Client()
        client.force_login(viewer)
        self.assertIn(client.get(admin_url(Figure, "import_template")).status_code, (302, 403))


class ImportHistoryTests(ReportTestCase):
    def test_an_import_records_one_history_entry_per_saved_row_by_the_importer_and_a_preview_none(self):
        preview_import(self.client, Figure, csv_upload(HEADER + self.good_rows(3)))
        self.assertEqual(Figure.history.count(), 0)
        import_file(self.client, Figure, csv_upload(HEADER + self.good_rows(3)))
        changed = HEADER + self.good_rows(2) + GOOD.format(month=3).replace("20.75", "21")
        import_file(self.client, Figure, csv_upload(changed))
        records = list(Figure.history.order_by("history_id").values_list("history_type", "history_user", "value"))
        self.assertEqual([r[:2] for r in records], [("+", self.admin.pk)] * 3 + [("~", self.admin.pk)])
        self.assertEqual(str(records[-1][2]), "21.0000")


class DerivedFieldTests(ReportTestCase):
    def test_a_value_that_is_not_a_number_is_not_also_told_to_give_a_value(self):
        bad = "固定资产投资,东部产业集聚区,,2023,3,实际,正式,abc,亿元,,\n"
        response = preview_import(self.client, Figure, csv_upload(HEADER + bad))
        [row] = response.context["report"]["rows"]
        self.assertEqual([p["message"] for p in row["problems"]], ["“abc” is not a number"])


class ImportQueryTests(ReportTestCase):
    """The preview reads what it needs with a few queries per file: per row only the row's savepoint and its write."""

    def setUp(self):
        super().setUp()
        self.client.get("/")  # the user's row and permissions cached (parkdash.parks.auth), as for every later request

    def rows(self, count, value="1"):
        line = "固定资产投资,东部产业集聚区,{zone},{year},{month},实际,正式,{value},亿元,,\n"
        return "".join(
            line.format(zone="北区" if i % 2 else "", year=2000 + i // 12, month=i % 12 + 1, value=value)
            for i in range(count)
        )

    def reads(self, text):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = preview_import(self.client, Figure, csv_upload(HEADER + text))
        self.assertIsNotNone(response.context.get("confirm_form"))
        return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]

    def test_the_reads_of_a_preview_do_not_grow_with_its_rows(self):
        from tests.support import make_zone

        make_zone(self.park, "北区")
        self.assertEqual(len(self.reads(self.rows(10))), len(self.reads(self.rows(30))))

    def test_the_reads_of_a_preview_of_changed_rows_do_not_grow_with_its_rows(self):
        from tests.support import make_zone

        make_zone(self.park, "北区")
        import_file(self.client, Figure, csv_upload(HEADER + self.rows(30)))
        self.assertEqual(len(self.reads(self.rows(10, value="2"))), len(self.reads(self.rows(30, value="2"))))


class ConstraintInPythonTests(ReportTestCase):
    """core.resources.InPythonConstraint answers as Django's query would, for every constraint of a figure."""

    def test_each_check_constraint_gives_the_database_answer(self):
        from decimal import Decimal

        from django.core.exceptions import ValidationError
        from django.db import models

        from parkdash.core.resources import InPythonConstraint

        cases = [
            {"month": 13, "value": Decimal("1")},
            {"month": 0, "value": Decimal("1")},
            {"month": None, "value": Decimal("1")},
            {"month": 6, "value": Decimal("-1")},
            {"month": 6, "value": None, "yoy_pct": None},
            {"month": 6, "value": None, "yoy_pct": Decimal("2")},
            {"month": 6, "value": Decimal("1"), "year": 1800},
        ]
        checks = [c for c in Figure._meta.constraints if isinstance(c, models.CheckConstraint)]
        for values in cases:
            figure = Figure(indicator=self.fai, park=self.park, kind="actual", **{"year": 2023, **values})
            for constraint in checks:
                with self.subTest(values=values, constraint=constraint.name):
                    answers = []
                    for check in (constraint, InPythonConstraint(constraint)):
                        try:
                            check.validate(Figure, figure)
                            answers.append(None)
                        except ValidationError as error:
                            answers.append(error.messages)
                    self.assertEqual(answers[0], answers[1])
