"""Every table's CSV and XLSX export (the list pages' ``?_export=``), in Chinese or English, imports back through the
admin's import: edit one cell, import, and exactly that value changes (core.resources: headings in either language).
"""

import csv
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from openpyxl import load_workbook

from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.projects.models import Project
from tests.support import CSV_FORMAT, XLSX_FORMAT, confirm_import, import_errors, make_admin, preview_import
from tests.support.records import make_figure, park_with_data

LANGUAGES = {"zh": "zh-hans", "en": "en"}


class TableRoundTrip:
    """Export ``url`` in ``fmt`` and ``language``, set the cell of ``column`` (its heading there) in the row where
    ``key_column`` holds ``key`` to ``new``, import the file: ``field`` of that record is ``expected``, nothing
    else changed."""

    model = None
    url = None
    fields = ()
    key_column = {}  # language: heading of the column naming the record
    key = None
    column = {}  # language: heading of the edited column
    new = None
    field = None
    expected = None

    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.park = park_with_data(code="east", name="东部园区")

    def snapshot(self):
        return {row["pk"]: row for row in self.model.objects.values("pk", *self.fields)}

    def exported(self, client, fmt):
        response = client.get(self.url, {"_export": fmt, "park": self.park.pk})
        self.assertEqual(response.status_code, 200)
        return b"".join(response.streaming_content) if response.streaming else response.content

    def edited_csv(self, data, language):
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        header = rows[0]
        key, column = header.index(self.key_column[language]), header.index(self.column[language])
        matching = [row for row in rows[1:] if row[key] == self.key]
        self.assertEqual(len(matching), 1, (self.key, rows))
        matching[0][column] = self.new
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return SimpleUploadedFile("export.csv", out.getvalue().encode("utf-8-sig"), content_type="text/csv")

    def edited_xlsx(self, data, language):
        book = load_workbook(io.BytesIO(data))
        sheet = book.active
        header = [cell.value for cell in sheet[1]]
        key, column = header.index(self.key_column[language]), header.index(self.column[language])
        matching = [row for row in sheet.iter_rows(min_row=2) if str(row[key].value) == self.key]
        self.assertEqual(len(matching), 1, self.key)
        matching[0][column].value = self.new
        out = io.BytesIO()
        book.save(out)
        return SimpleUploadedFile("export.xlsx", out.getvalue())

    def test_the_export_holds_the_keys_an_import_finds_records_by(self):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(self.admin)
        header = next(csv.reader(io.StringIO(self.exported(client, "csv").decode("utf-8-sig"))))
        self.assertIn("Park code", header)
        if self.model is Figure:
            self.assertIn("Indicator code", header)

    def assertOneValueChanged(self, fmt, language):
        client = Client(HTTP_ACCEPT_LANGUAGE=LANGUAGES[language])
        client.force_login(self.admin)
        before = self.snapshot()
        data = self.exported(client, fmt)
        upload = self.edited_csv(data, language) if fmt == "csv" else self.edited_xlsx(data, language)
        preview = preview_import(client, self.model, upload, CSV_FORMAT if fmt == "csv" else XLSX_FORMAT)
        self.assertEqual(preview.status_code, 200)
        self.assertEqual(import_errors(preview), {})
        self.assertNotIn(b"Traceback", preview.content)
        self.assertIsNotNone(preview.context.get("confirm_form"), preview.content.decode()[-3000:])
        confirm_import(client, self.model, preview)
        after = self.snapshot()
        changed = {
            (pk, name): (before[pk][name], after[pk][name])
            for pk in before
            for name in self.fields
            if before[pk][name] != after[pk][name]
        }
        self.assertEqual(set(after), set(before), "no record added or removed")
        self.assertEqual(len(changed), 1, changed)
        [(pk, name)] = changed
        self.assertEqual(name, self.field)
        self.assertEqual(after[pk][name], self.expected)

    def test_the_chinese_csv_export_imports_back_with_one_value_changed(self):
        self.assertOneValueChanged("csv", "zh")

    def test_the_english_csv_export_imports_back_with_one_value_changed(self):
        self.assertOneValueChanged("csv", "en")

    def test_the_chinese_xlsx_export_imports_back_with_one_value_changed(self):
        self.assertOneValueChanged("xlsx", "zh")

    def test_the_english_xlsx_export_imports_back_with_one_value_changed(self):
        self.assertOneValueChanged("xlsx", "en")


class FigureTableRoundTripTests(TableRoundTrip, TestCase):
    model = Figure
    url = "/indicators/"
    fields = ("indicator", "park", "zone", "year", "month", "kind", "version", "value", "yoy_pct")
    # entered_value: a figure written by code holds only its value; saving it fills entered_value in (models.py).
    key_column = {"zh": "截至月份", "en": "Through month"}
    key = "3"  # the park's March actual of the first indicator is edited: keys filtered below
    column = {"zh": "同比（%）", "en": "YoY %"}
    new = "6.5"
    field = "yoy_pct"
    expected = Decimal("6.5")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A figure entered in another unit than its indicator's comes back as it was entered.
        fai = Figure.objects.filter(park=cls.park, indicator__code="fai").first().indicator
        make_figure(
            fai,
            cls.park,
            year=2022,
            month=12,
            value=Decimal("0.3214"),
            entered_value=Decimal("3214"),
            entered_unit="万元",
        )
        # One indicator only, so that the month names one row.
        Figure.objects.exclude(indicator=fai).delete()
        Figure.objects.filter(zone__isnull=False).delete()

    def test_a_figure_entered_in_another_unit_keeps_its_entered_form(self):
        self.assertOneValueChanged("xlsx", "en")
        figure = Figure.objects.get(year=2022)
        self.assertEqual((figure.entered_value, figure.entered_unit), (Decimal("3214"), "万元"))


class FigureTableYoYHeadingTests(TestCase):
    def test_the_headings_of_the_figure_table_are_what_the_round_trip_edits(self):
        from django.utils import translation

        from parkdash.indicators.tables import FigureTable

        for language, heading in (("zh-hans", "同比（%）"), ("en", "YoY %")):
            with translation.override(language):
                self.assertIn(heading, [c.header for c in FigureTable([]).export_columns()])


class ProjectTableRoundTripTests(TableRoundTrip, TestCase):
    model = Project
    url = "/projects/"
    fields = ("park", "zone", "name", "category", "phase", "total_investment", "progress_pct", "planned_start")
    key_column = {"zh": "名称", "en": "Name"}
    key = "东部园区项目1"
    column = {"zh": "进度（%）", "en": "Progress %"}
    new = "75"
    field = "progress_pct"
    expected = Decimal("75")


class EnterpriseTableRoundTripTests(TableRoundTrip, TestCase):
    model = Enterprise
    url = "/enterprises/"
    fields = ("park", "zone", "name", "industry", "is_listed", "stage", "intent_date", "settled_date", "land_area_mu")
    key_column = {"zh": "名称", "en": "Name"}
    key = "东部园区企业2"
    column = {"zh": "用地（亩）", "en": "Land (mu)"}
    new = "150.5"
    field = "land_area_mu"
    expected = Decimal("150.5")


class WorkTableRoundTripTests(TableRoundTrip, TestCase):
    model = InfrastructureWork
    url = "/works/"
    fields = ("park", "zone", "year", "kind", "name", "unit", "planned_quantity", "completed_quantity")
    key_column = {"zh": "名称", "en": "Name"}
    key = "道路1"
    column = {"zh": "完成工程量（单位见“单位”列）", "en": "Completed (in the unit column)"}
    new = "7.25"
    field = "completed_quantity"
    expected = Decimal("7.25")
