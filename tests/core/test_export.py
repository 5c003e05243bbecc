"""XLSX exports people can read and print: widths, a bold frozen filtered header, number formats, sheet and file
named after the table and the filter."""

import io
from decimal import Decimal
from urllib.parse import unquote

from django.test import TestCase
from openpyxl import load_workbook

from parkdash.core.export import display_width, number_format
from parkdash.enterprises.models import Enterprise
from parkdash.projects.models import Project
from tests.support import make_admin, park_with_data

TABLES = ["/indicators/", "/projects/", "/enterprises/", "/works/"]


def workbook_of(response):
    return load_workbook(io.BytesIO(read_out(response)))


def read_out(response):
    """The body, read to the end as a browser does: a streamed export's database cursor (a server-side one on
    PostgreSQL) is closed in the test's own transaction, not by the garbage collector in a later test's."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def file_names(response):
    """(the ASCII fallback, the UTF-8 name) of a response's Content-Disposition."""
    read_out(response)
    disposition = response["Content-Disposition"]
    fallback = disposition.split('filename="')[1].split('"')[0]
    name = unquote(disposition.split("filename*=UTF-8''")[1])
    return fallback, name


class XlsxExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.east = park_with_data(code="dongbu", name="东部园区", year=2023, n_projects=3, n_enterprises=2)
        cls.west = park_with_data(code="xibu", name="西部园区", year=2024, n_projects=1, n_enterprises=1)
        Enterprise.objects.create(
            park=cls.east,
            name="浙江爱仕达电器股份有限公司宁波分公司",
            industry="家用电器",
            stage="settled",
            land_area_mu=Decimal("1643.5"),
            planned_investment=Decimal("156276"),
        )

    def setUp(self):
        self.client.force_login(self.user)

    def test_every_table_exports_a_sheet_named_after_the_table_with_a_bold_frozen_filtered_header(self):
        names = {"/indicators/": "Indicator figures", "/projects/": "Projects", "/enterprises/": "Enterprises"}
        names["/works/"] = "Works"
        for url in TABLES:
            with self.subTest(url=url):
                sheet = workbook_of(self.client.get(url + "?_export=xlsx")).active
                self.assertEqual(sheet.title, names[url])
                self.assertEqual(sheet.freeze_panes, "A2")
                self.assertEqual(sheet.print_title_rows, "$1:$1")  # the header on every printed page
                header = sheet[1]
                self.assertTrue(all(cell.font.b for cell in header if cell.value is not None))
                self.assertFalse(sheet.cell(row=2, column=1).font.b)
                last = header[-1].column_letter
                self.assertEqual(sheet.auto_filter.ref, f"A1:{last}{sheet.max_row}")

    def test_the_sheet_is_named_in_the_users_language(self):
        response = self.client.get("/indicators/?_export=xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertEqual(workbook_of(response).active.title, "指标数据")

    def test_columns_are_as_wide_as_their_content_with_cjk_counting_double(self):
        sheet = workbook_of(self.client.get("/enterprises/?_export=xlsx")).active
        header = [cell.value for cell in sheet[1]]
        name_width = sheet.column_dimensions["A"].width
        longest = display_width("浙江爱仕达电器股份有限公司宁波分公司")  # 18 characters, 36 columns
        self.assertEqual(longest, 36)
        self.assertGreaterEqual(name_width, longest)
        self.assertLessEqual(name_width, longest + 4)
        # A short column is narrow, not the default nor the name's width.
        listed = header.index("Listed") + 1
        letter = sheet.cell(row=1, column=listed).column_letter
        self.assertLess(sheet.column_dimensions[letter].width, 15)

    def test_a_very_long_text_does_not_make_its_column_wider_than_the_cap(self):
        # The longest name a project may have (200 characters, twice as wide as Latin ones).
        Project.objects.create(park=self.east, name="长" * 200, category="other", phase="continuing")
        sheet = workbook_of(self.client.get("/projects/?_export=xlsx")).active
        self.assertEqual(sheet.column_dimensions["A"].width, 60)

    def test_number_cells_are_numbers_with_grouped_thousands_and_their_own_decimals(self):
        sheet = workbook_of(self.client.get("/enterprises/?q=爱仕达&_export=xlsx")).active
        header = [cell.value for cell in sheet[1]]
        row = sheet[2]
        land = row[[i for i, h in enumerate(header) if "(mu)" in h][0]]
        investment = row[[i for i, h in enumerate(header) if "10k yuan" in h][0]]
        self.assertEqual(land.value, 1643.5)
        self.assertEqual(land.data_type, "n")
        self.assertEqual(land.number_format, "#,##0.0")
        self.assertEqual(investment.value, 156276)
        self.assertEqual(investment.number_format, "#,##0")

    def test_years_are_numbers_without_a_thousands_separator(self):
        sheet = workbook_of(self.client.get(f"/indicators/?park={self.east.pk}&_export=xlsx")).active
        header = [cell.value for cell in sheet[1]]
        year = sheet[2][header.index("Year")]
        self.assertEqual(year.value, 2023)
        self.assertNotIn(",", year.number_format)

    def test_the_columns_and_their_headings_stay_as_the_import_expects(self):
        csv_header = self.client.get("/indicators/?_export=csv").getvalue().decode("utf-8-sig").splitlines()[0]
        sheet = workbook_of(self.client.get("/indicators/?_export=xlsx")).active
        self.assertEqual([cell.value for cell in sheet[1]], csv_header.split(","))

    def test_a_filtered_export_is_named_after_the_table_the_park_and_the_year(self):
        response = self.client.get(f"/indicators/?park={self.east.pk}&year=2023&_export=xlsx")
        self.assertEqual(file_names(response), ("figures-dongbu-2023.xlsx", "Indicator figures-东部园区-2023.xlsx"))
        response = self.client.get(f"/works/?park={self.west.pk}&_export=csv", HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertEqual(file_names(response), ("works-xibu.csv", "基础设施-西部园区.csv"))
        response = self.client.get("/projects/?year=2024&_export=csv")
        self.assertEqual(file_names(response)[0], "projects-2024.csv")

    def test_an_unfiltered_export_is_named_after_the_table_and_the_day(self):
        fallback, name = file_names(self.client.get("/enterprises/?_export=xlsx"))
        self.assertRegex(fallback, r"^enterprises-\d{4}-\d{2}-\d{2}\.xlsx$")
        self.assertRegex(name, r"^Enterprises-\d{4}-\d{2}-\d{2}\.xlsx$")

    def test_an_invalid_filter_does_not_name_the_file(self):
        response = self.client.get("/indicators/?park=999999&year=abc&_export=csv")
        read_out(response)
        self.assertNotEqual(response.status_code, 500)


class WidthTests(TestCase):
    def test_display_width_counts_east_asian_wide_characters_double(self):
        import unicodedata

        texts = ["abc", "浙江爱仕达电器", "1—10月完成投资20.75亿元，同比增长42.45%", "ａｂ（）", "한국어", "万㎡", "𠀋"]
        for text in texts:
            expected = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
            self.assertEqual(display_width(text), expected, text)


class NumberFormatTests(TestCase):
    def test_number_format_keeps_the_decimals_a_value_has(self):
        self.assertEqual(number_format(Decimal("4.335")), "#,##0.000")
        self.assertEqual(number_format(Decimal("156276")), "#,##0")
        self.assertIsNone(number_format(2023))
        self.assertIsNone(number_format("text"))


class CsvCostTests(TestCase):
    """A CSV export's cost per row: what does not depend on the row is done once."""

    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        park_with_data(code="dongbu", name="东部园区", n_projects=450)

    def test_a_streamed_csv_goes_out_in_pieces_of_many_rows_and_holds_every_row_once(self):
        self.client.force_login(self.user)
        response = self.client.get("/projects/", {"_export": "csv"})
        pieces = list(response.streaming_content)
        rows = b"".join(pieces).decode("utf-8-sig").splitlines()
        self.assertEqual(len(rows), 1 + 450)
        self.assertEqual(len(set(rows)), len(rows))
        # The header, then 200 rows a piece (the response looks up its charset for every piece): not 451 pieces.
        self.assertEqual(len(pieces), 1 + 3)

    def test_the_shortcut_for_texts_starting_with_a_letter_or_digit_changes_no_answer(self):
        # neutralise() skips its regex when a text starts with an alphanumeric character of any script: none of
        # them can start a match. A character that could would match followed by "=" (a formula sign after it).
        from parkdash.core.export import NEUTRALISED, neutralise

        alphanumeric = [chr(code) for code in range(0x110000) if chr(code).isalnum()]
        self.assertGreater(len(alphanumeric), 100_000)
        self.assertEqual([c for c in alphanumeric if NEUTRALISED.match(c + "=")], [])
        for text in ("=1+1", " =1", "\u3000=7+7", "'=1", "\t1", "－1", "A=1", "中=1", "1-2", "", "٣=1"):
            with self.subTest(text=text):
                expected = "'" + text if NEUTRALISED.match(text) else text
                self.assertEqual(neutralise(text), expected)


def reference_rows(queryset, columns, neutralised):
    """The cells as iter_rows() made them before each one-path column had its own function: ExportColumn.cell() of
    the values read, then neutralise() for a CSV."""
    from parkdash.core.export import _readable_paths, neutralise

    paths = [path for col in columns for path in col.paths]
    expressions, converters = _readable_paths(queryset, paths)
    rows = []
    for record in queryset.values_list(*expressions):
        record = [value if convert is None else convert(value) for value, convert in zip(record, converters)]
        row, at = [], 0
        for col in columns:
            cell = col.cell(tuple(record[at : at + len(col.paths)]))
            row.append(neutralise(cell) if neutralised else cell)
            at += len(col.paths)
        rows.append(row)
    return rows


class ExportCellTests(TestCase):
    """Each column's cell function gives what ExportColumn.cell() then neutralise() gave, value by value."""

    VALUES = [
        "=1+1",
        " =1",
        "\u3000=7+7",
        "'=1",
        "\t1",
        "－1",
        "abc",
        "中文",
        "",
        "-",
        None,
        0,
        -5,
        2023,
        True,
        False,
        1.5,
        Decimal("1.2300"),
        Decimal("-0"),
        Decimal("0.000"),
        Decimal("100.0000"),
        Decimal("1E+2"),
        Decimal("-20.7500"),
        Decimal("Infinity"),
        Decimal("NaN"),
        Decimal("9999999999999999"),
    ]

    def columns(self):
        from datetime import date

        from django.utils.safestring import mark_safe

        from parkdash.core.export import column

        self.VALUES = [*self.VALUES, date(2024, 2, 29), mark_safe("=safe"), mark_safe("safe")]
        choices = [("=1+1", "=formula label"), ("abc", "普通"), (0, "zero"), (2023, Decimal("5.000"))]
        return [
            column("plain", "x"),
            column("numeric", "x", numeric=True),
            column("choices", "x", choices=choices),
            column("rendered", "x", render=lambda value: value if value is None else f"={value}"),
        ]

    def test_a_one_path_columns_cell_is_what_the_column_and_neutralise_made_of_every_kind_of_value(self):
        from parkdash.core.export import _single_cell, neutralise

        for col in self.columns():
            for neutralised in (False, True):
                cell = _single_cell(col, neutralised)
                for value in self.VALUES:
                    with self.subTest(column=col.header, neutralised=neutralised, value=value):
                        expected = col.cell((value,))
                        expected = neutralise(expected) if neutralised else expected
                        got = cell(value)
                        self.assertEqual(type(got), type(expected))
                        self.assertEqual(str(got), str(expected))

    def test_every_tables_csv_and_rows_are_what_the_columns_and_neutralise_made(self):
        from parkdash.core.export import iter_rows
        from parkdash.enterprises.tables import EnterpriseTable
        from parkdash.indicators.models import Figure
        from parkdash.indicators.tables import FigureTable
        from parkdash.infrastructure.models import InfrastructureWork
        from parkdash.infrastructure.tables import WorkTable
        from parkdash.projects.tables import ProjectTable

        park = park_with_data(code="dongbu", name="东部园区", n_projects=3, n_enterprises=3, n_works=3)
        Project.objects.filter(park=park).update(responsible_unit=" +x")
        Project.objects.filter(pk=Project.objects.filter(park=park).first().pk).update(name="=HYPERLINK(1)")
        Enterprise.objects.filter(park=park).update(industry="@sum", is_listed=True)
        tables = [
            (FigureTable, Figure.objects.order_by("pk")),
            (ProjectTable, Project.objects.order_by("pk")),
            (EnterpriseTable, Enterprise.objects.order_by("pk")),
            (WorkTable, InfrastructureWork.objects.order_by("pk")),
        ]
        for table_class, queryset in tables:
            columns = table_class(queryset).export_columns()
            for neutralised in (False, True):
                with self.subTest(table=table_class.__name__, neutralised=neutralised):
                    got = list(iter_rows(queryset, columns, neutralised=neutralised))
                    self.assertGreater(len(got), 0)
                    expected = reference_rows(queryset, columns, neutralised)
                    self.assertEqual(
                        [[(type(c), str(c)) for c in row] for row in got],
                        [[(type(c), str(c)) for c in row] for row in expected],
                    )


class ExportCostTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        park_with_data(code="dongbu", name="东部园区", n_projects=120)

    def test_a_csv_cell_costs_under_five_function_calls_its_rows_share_included(self):
        # Was 7.8 (ExportColumn.cell, then neutralise(), each with its type checks; 3.7 since): a park's year of
        # figures, 18,000 cells, cost 150,000 calls. Counted over the rows 61 to 120, so that the query costs nothing.
        from parkdash.core.export import csv_response
        from parkdash.projects.tables import ProjectTable
        from tests.support import profiling

        queryset = Project.objects.order_by("pk")
        columns = ProjectTable(queryset).export_columns()

        def calls(rows):
            return profiling.calls(lambda: read_out(csv_response(queryset[:rows], columns, "projects")))

        calls(60)  # warm: translations, the compiled query's caches
        per_cell = (calls(120) - calls(60)) / (60 * len(columns))
        self.assertLess(per_cell, 4.5)
