"""A bad-input corpus through every upload and list endpoint: never a 5xx, always a clear message, nothing saved.

The files are in tests/trust/corpus/ (made by make_corpus.py); the 20 MB file is written to a temporary folder at
test time. Everything runs as a superuser, who may use every endpoint and every park.
"""

import csv
import io
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.projects.models import Project
from tests.support import (
    CSV_FORMAT,
    XLSX_FORMAT,
    EnglishTestCase,
    World,
    export,
    make_admin,
    preview_import,
    row_counts,
)

# Every bad file through every endpoint, every hostile query string on every list: a sweep of many seconds.
pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parent / "corpus"
IMPORTS = (Figure, Project, Enterprise, InfrastructureWork)
FORMATS = {"csv": CSV_FORMAT, "xlsx": XLSX_FORMAT}
# Well-formed files that an importer may rightly preview: the extra columns are ignored, the hostile names are only
# text. Every other (file, importer, format) must be refused with a message.
PREVIEWS = {
    ("extra_columns", Figure),
    ("html_names", Project),
    ("html_names", Enterprise),
    ("formulas", Project),
    ("formulas", Enterprise),
}

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
FORMULAS = ("=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "+1", "-1")

QUERY_STRINGS = [
    "%00",
    "q=%00",
    "park=%00&zone=%00&year=%00",
    "%ff%fe",
    "q=%ff%fe%fd",
    "park=%ff",
    "q=" + "a" * 10240,
    "park=" + "9" * 10240,
    "park=1&park=2&park=abc&park=&zone=1&zone=x",
    "park[]=1&zone[]=1&year[]=2023",
    "park=1'%20OR%20'1'%3D'1",
    "q=1'%20OR%20'1'%3D'1'--%20;DROP%20TABLE%20parks_park",
    "page=1e9",
    "page=99999999999999999999&per_page=1e9",
    "page=-1&per_page=-5",
    "sort=-id,password",
    "sort=" + "-" * 200 + "name",
    "year=1e30&month=13&kind=x&version=y",
    "year=99999999999999999999&month=-1",
    "q=%F0%9F%98%80%E4%B8%AD%E6%96%87%E2%80%AE%EF%BF%BF",
    "q=" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "indicator=..%2F..%2Fetc%2Fpasswd&category=%00",
    "o=999.-1&p=abc&e=1&_facets=True&all=&park__id__exact=abc&year__gte=x",
    "_export=xml",
]


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def visible_errors(response):
    """(outcome, messages) of an admin import preview: "form error", "row errors" or "preview"."""
    form = response.context.get("form")
    if form is not None and form.errors:
        return "form error", [str(m) for messages in form.errors.values() for m in messages]
    result = response.context.get("result")
    if result is not None and (result.has_errors() or result.has_validation_errors()):
        messages = [str(error.error) for error in result.base_errors]
        messages += [str(error.error) for _line, errors in result.row_errors() for error in errors]
        messages += [str(m) for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]
        return "row errors", messages
    if response.context.get("confirm_form") is not None:
        return "preview", []
    return "nothing", []


@override_settings(PARKDASH_ANONYMOUS_READ=False)
class BadInputTests(World, EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.superuser = make_admin("root")
        park, zone = cls.park_a, cls.a["zone"]
        cls.hostile_project = Project.objects.create(park=park, zone=zone, name=SCRIPT, responsible_unit=SCRIPT)
        cls.hostile_enterprise = Enterprise.objects.create(park=park, name=SCRIPT, industry="<b>x</b>")
        InfrastructureWork.objects.create(park=park, year=2023, name=SCRIPT, unit="公里", planned_quantity=1)
        for name in FORMULAS:
            Project.objects.create(park=park, name=name, responsible_unit=name)
            Enterprise.objects.create(park=park, name=name, industry=name)
            InfrastructureWork.objects.create(park=park, year=2023, name=name, unit="公里", notes=name)

    def setUp(self):
        self.client.force_login(self.superuser)

    def corpus(self, folder):
        """Every corpus file, and a 20 MB CSV (a valid header, then rows) written into ``folder``."""
        files = sorted(path for path in CORPUS.iterdir() if path.suffix != ".py")
        big = Path(folder) / "big_20mb.csv"
        row = "固定资产投资,甲园区,,2022,10,实际,快报,20.75,亿元,42.45,\n".encode()
        with big.open("wb") as handle:
            handle.write(b"indicator,park,zone,year,month,kind,version,value,unit,yoy_pct,note\n")
            handle.write(row * (20 * 1024 * 1024 // len(row) + 1))
        return files + [big]

    def test_every_bad_file_through_every_upload_endpoint_is_refused_clearly_and_saves_nothing(self):
        before = row_counts()
        summary_add = reverse("admin:intake_worksummary_add")
        with tempfile.TemporaryDirectory() as folder:
            for path in self.corpus(folder):
                data = path.read_bytes()
                for model in IMPORTS:
                    for format_name, fmt in FORMATS.items():
                        with self.subTest(file=path.name, model=model.__name__, format=format_name):
                            response = preview_import(self.client, model, SimpleUploadedFile(path.name, data), fmt)
                            self.assertEqual(response.status_code, 200)
                            outcome, messages = visible_errors(response)
                            if (path.stem, model) in PREVIEWS and path.suffix == "." + format_name:
                                self.assertEqual(outcome, "preview", messages)
                                self.assertNotContains(response, SCRIPT)
                            else:
                                self.assertIn(outcome, ("form error", "row errors"))
                                self.assertTrue(messages and all(m.strip() for m in messages), messages)
                            if path.stem == "big_20mb":
                                self.assertIn("the limit is 5 MB", messages[0])
                with self.subTest(file=path.name, endpoint="work-summary upload"):
                    response = self.client.post(
                        summary_add,
                        {
                            "park": self.park_a.pk,
                            "year": "",
                            "month": 6,
                            "plan_year": "",
                            "title": "",
                            "upload": SimpleUploadedFile(path.name, data),
                            "pasted": "",
                        },
                    )
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, "errornote")
                    self.assertTrue(response.context["adminform"].form.errors)
                self.assertEqual(row_counts(), before)

    def test_absurd_figure_values_get_row_errors_that_read_as_sentences(self):
        # 1e30 and NaN are refused by Figure.clean() with "… is not a plausible amount", not a Python exception.
        upload = SimpleUploadedFile("absurd_values.csv", (CORPUS / "absurd_values.csv").read_bytes())
        outcome, messages = visible_errors(preview_import(self.client, Figure, upload))
        self.assertEqual(outcome, "row errors")
        for message in messages:
            self.assertNotIn("<class", message)
            self.assertNotIn("integer ratio", message)

    def list_endpoints(self):
        urls = ["/", f"/indicators/{self.fai.code}/"]
        for table in ("/indicators/", "/projects/", "/enterprises/", "/works/"):
            urls += [table, table + "?_export=csv", table + "?_export=xlsx"]
        for app_label, model_name in (
            ("indicators", "figure"),
            ("indicators", "indicator"),
            ("projects", "project"),
            ("enterprises", "enterprise"),
            ("infrastructure", "infrastructurework"),
            ("intake", "worksummary"),
            ("parks", "park"),
            ("parks", "zone"),
        ):
            urls.append(reverse(f"admin:{app_label}_{model_name}_changelist"))
        return urls

    def test_every_hostile_query_string_on_every_list_endpoint_answers_without_a_server_error(self):
        before = row_counts()
        for url in self.list_endpoints():
            for query in QUERY_STRINGS:
                full = url + ("&" if "?" in url else "?") + query
                with self.subTest(url=full[:120]):
                    response = self.client.get(full)
                    self.assertLess(response.status_code, 500)
                    content = body(response)
                    if response.get("Content-Type", "").startswith("text/html"):
                        self.assertNotIn(SCRIPT.encode(), content)
        self.assertEqual(row_counts(), before)

    def test_script_in_names_is_escaped_on_every_page(self):
        pages = [
            "/projects/",
            "/enterprises/",
            "/works/",
            f"/projects/{self.hostile_project.pk}/",
            f"/enterprises/{self.hostile_enterprise.pk}/",
            reverse("admin:projects_project_changelist"),
            reverse("admin:enterprises_enterprise_changelist"),
            reverse("admin:infrastructure_infrastructurework_changelist"),
            reverse("admin:projects_project_change", args=[self.hostile_project.pk]),
            reverse("admin:projects_project_history", args=[self.hostile_project.pk]),
        ]
        for url in pages:
            with self.subTest(url=url):
                response = self.client.get(url, {} if url.startswith("/admin/") else {"per_page": 200})
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, SCRIPT)
                self.assertContains(response, ESCAPED_SCRIPT)
        for url in ("/", f"/indicators/{self.fai.code}/"):
            self.assertNotContains(self.client.get(url), SCRIPT)
        upload = SimpleUploadedFile("html_names.csv", (CORPUS / "html_names.csv").read_bytes())
        preview = preview_import(self.client, Project, upload)
        self.assertNotContains(preview, SCRIPT)
        self.assertContains(preview, ESCAPED_SCRIPT)

    def assertNeutralised(self, cells, where):
        for formula in FORMULAS:
            found = [cell for cell in cells if isinstance(cell, str) and cell.lstrip("'") == formula]
            self.assertTrue(found, f"{formula} not exported by {where}")
            for cell in found:
                if formula in ("+1", "-1") and cell == formula and where.startswith("admin"):
                    continue  # a plain number in the admin's export: shown as the number, nothing runs
                self.assertEqual(cell, "'" + formula, where)

    def test_formula_cells_are_neutralised_in_every_export(self):
        for table in ("/projects/", "/enterprises/", "/works/"):
            with self.subTest(table=table, format="csv"):
                text = body(self.client.get(table, {"_export": "csv"})).decode("utf-8-sig")
                self.assertNeutralised([cell for row in csv.reader(io.StringIO(text)) for cell in row], table)
            with self.subTest(table=table, format="xlsx"):
                book = load_workbook(io.BytesIO(body(self.client.get(table, {"_export": "xlsx"}))))
                cells = [cell for row in book.active.iter_rows() for cell in row]
                self.assertFalse([cell.value for cell in cells if cell.data_type == "f"])
                self.assertNeutralised([cell.value for cell in cells], table)
        for model in (Project, Enterprise, InfrastructureWork):
            with self.subTest(model=model.__name__, format="admin csv"):
                text = export(self.client, model).content.decode("utf-8-sig")
                self.assertNeutralised([cell for row in csv.reader(io.StringIO(text)) for cell in row], "admin csv")
            with self.subTest(model=model.__name__, format="admin xlsx"):
                book = load_workbook(io.BytesIO(export(self.client, model, XLSX_FORMAT).content))
                cells = [cell for row in book.active.iter_rows() for cell in row]
                self.assertFalse([cell.value for cell in cells if cell.data_type == "f"])
                self.assertNeutralised([cell.value for cell in cells], "admin xlsx")

    def test_control_characters_in_a_name_do_not_break_the_admin_xlsx_export(self):
        Project.objects.create(park=self.park_a, name="道路\x0b一期\x01", responsible_unit="建设局\x1f")
        response = export(self.client, Project, XLSX_FORMAT)
        self.assertEqual(response.status_code, 200)
        names = [row[2] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
        self.assertIn("道路 一期 ", names)

    def test_control_characters_in_a_name_do_not_break_the_table_xlsx_export(self):
        # Control characters (\x0b from Word, \x01) become spaces in XLSX, which cannot hold them.
        Project.objects.create(park=self.park_a, name="道路\x0b一期\x01")
        self.assertEqual(self.client.get("/projects/", {"_export": "xlsx"}).status_code, 200)

    def test_per_page_is_kept_between_10_and_200_whatever_the_query_string_says(self):
        for value, expected in (("-5", 10), ("0", 25), ("100000", 200), ("abc", 25), ("50", 50)):
            with self.subTest(per_page=value):
                response = self.client.get("/projects/", {"per_page": value})
                self.assertEqual(response.context["table"].paginator.per_page, expected)

    def test_malformed_history_urls_answer_404(self):
        project = self.a["project"]
        for url in (
            "/admin/projects/project/abc/history/",
            "/admin/projects/project/abc/history/1/",
            f"/admin/projects/project/{project.pk}/history/xyz/",
            f"/admin/projects/project/{project.pk}/history/%00/",
            "/admin/indicators/indicator/abc/history/",
            "/admin/indicators/indicator/1/history/abc/",
            "/admin/parks/park/1e9/history/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
