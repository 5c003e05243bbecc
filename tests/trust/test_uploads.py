"""Uploads are bounded by the work they cause: ZIP bombs, row floods and giant summaries are refused with a clear
message before any parser sees them, and nothing is saved.

The bombs are generated in memory (tests/support/bombs.py), small, with the bounds lowered to match; the full-size
corpus runs in ``make bombs`` (bench/bombs.py), which measures memory and time.
"""

import copy
import tracemalloc
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from parkdash.indicators.models import Figure
from parkdash.intake import services
from parkdash.intake.models import Candidate, WorkSummary
from tests.support import (
    CSV_FORMAT,
    XLSX_FORMAT,
    EnglishTestCase,
    World,
    bombs,
    error_text,
    make_admin,
    preview_import,
    row_counts,
)

# ZIP bombs and row floods, generated in memory, through the real views.
pytestmark = pytest.mark.slow

MiB = bombs.MiB
SUMMARY_ADD = "admin:intake_worksummary_add"


def form_errors(response):
    """Every error message of the admin page's form (the work-summary add form or the import form)."""
    context = response.context
    form = context["adminform"].form if context.get("adminform") else context.get("form")
    return " ".join(str(m) for messages in form.errors.values() for m in messages) if form is not None else ""


class UploadBoundsTests(World, EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.superuser = make_admin("root")

    def setUp(self):
        self.client.force_login(self.superuser)
        self.before = row_counts()

    def upload_summary(self, content, name="summary.docx", **fields):
        data = {
            "park": self.park_a.pk,
            "year": 2023,
            "month": 6,
            "plan_year": "",
            "title": "",
            "pasted": "",
            "upload": SimpleUploadedFile(name, content) if content is not None else "",
        }
        data.update(fields)
        return self.client.post(reverse(SUMMARY_ADD), data)

    def assertRefused(self, response, *words):
        self.assertEqual(response.status_code, 200)
        errors = form_errors(response)
        for word in words:
            self.assertIn(word, errors)
        self.assertEqual(row_counts(), self.before)

    # --- .docx work summaries --------------------------------------------------------------------------------

    @override_settings(PARKDASH_UPLOAD_ZIP_MAX_PART_BYTES=MiB)
    def test_a_docx_bomb_is_refused_before_word_is_parsed(self):
        bomb = bombs.docx_bomb(2 * MiB)
        with mock.patch("docx.Document", side_effect=AssertionError("parsed")) as parse:
            response = self.upload_summary(bomb)
        self.assertRefused(
            response, "This Word document unpacks to", "1.0 MB in any one part", "split it into smaller files"
        )
        parse.assert_not_called()

    @override_settings(PARKDASH_UPLOAD_ZIP_MAX_PART_BYTES=MiB)
    def test_a_docx_with_one_huge_text_node_is_refused(self):
        self.assertRefused(self.upload_summary(bombs.docx_huge_text_node(2 * MiB)), "unpacks to")

    @override_settings(PARKDASH_UPLOAD_ZIP_MAX_BYTES=2 * MiB)
    def test_a_docx_whose_parts_together_inflate_past_the_bound_is_refused(self):
        self.assertRefused(self.upload_summary(bombs.docx_dense(int(1.5 * MiB))), "unpacks to", "at most 2.0 MB")

    @override_settings(PARKDASH_UPLOAD_ZIP_MAX_ENTRIES=100)
    def test_a_docx_of_too_many_parts_is_refused_before_its_directory_is_read(self):
        bomb = bombs.many_entries(count=150)
        with mock.patch("zipfile.ZipFile.infolist", side_effect=AssertionError("directory read")) as directory:
            response = self.upload_summary(bomb)
        self.assertRefused(response, "made of 167 parts", "at most 100")
        directory.assert_not_called()

    @override_settings(PARKDASH_UPLOAD_DOCX_MAX_PARAGRAPHS=1000)
    def test_a_docx_of_more_paragraphs_than_the_bound_is_refused_before_word_is_parsed(self):
        bomb = bombs.docx_dense(6 * 1001)
        with mock.patch("docx.Document", side_effect=AssertionError("parsed")) as parse:
            response = self.upload_summary(bomb)
        self.assertRefused(response, "more than 1,000 paragraphs", "upload each part as a summary of its own")
        parse.assert_not_called()

    @override_settings(PARKDASH_UPLOAD_XML_MAX_ELEMENTS=20_000)
    def test_a_docx_of_more_markup_than_the_bound_is_refused(self):
        self.assertRefused(self.upload_summary(bombs.docx_runs(10, 500)), "more than 20,000 pieces of markup")

    def test_a_damaged_docx_is_refused_as_damaged(self):
        self.assertRefused(
            self.upload_summary(bombs.docx_damaged()),
            "This Word document is damaged: its part “word/document.xml” cannot be read.",
        )

    def test_a_docx_declaring_entities_is_refused(self):
        self.assertRefused(self.upload_summary(bombs.docx_billion_laughs()), "document type declaration")

    def test_an_ordinary_docx_is_still_read(self):
        response = self.upload_summary(bombs.docx_bomb(8 * 1024))
        self.assertEqual(form_errors(response) if response.status_code == 200 else "", "")
        summary = WorkSummary.objects.get(file_name="summary.docx")
        self.assertRedirects(response, reverse("admin:intake_worksummary_review", args=[summary.pk]))
        self.assertIn("园区完成固定资产投资12.5亿元。", summary.text)

    # --- summary text and figures ------------------------------------------------------------------------------

    @override_settings(PARKDASH_SUMMARY_MAX_CHARS=2000)
    def test_a_pasted_summary_longer_than_the_bound_is_refused_with_how_to_split_it(self):
        response = self.upload_summary(None, pasted=bombs.summary_text(2001))
        self.assertRefused(response, "2,001 characters", "at most 2,000", "Split it into parts")

    @override_settings(PARKDASH_SUMMARY_MAX_CHARS=2000)
    def test_an_uploaded_text_file_longer_than_the_bound_is_refused(self):
        response = self.upload_summary(bombs.summary_text(2001).encode(), name="summary.txt")
        self.assertRefused(response, "2,001 characters")

    @override_settings(PARKDASH_SUMMARY_MAX_CANDIDATES=10)
    def test_a_summary_with_more_figures_than_a_review_page_shows_is_refused(self):
        text = bombs.summary_text(1000)
        found = len(services.find(text, 2023))
        self.assertGreater(found, 10)
        self.assertRefused(self.upload_summary(None, pasted=text), "{} figures were found".format(found), "at most 10")

    @override_settings(PARKDASH_SUMMARY_MAX_CANDIDATES=10)
    def test_a_summary_stored_before_the_bound_does_not_render_thousands_of_forms(self):
        summary = services.create_summary(park=self.park_a, year=2023, month=6, text=bombs.summary_text(1000))
        self.assertGreater(summary.candidates.count(), 10)
        response = self.client.get(reverse("admin:intake_worksummary_review", args=[summary.pk]), follow=True)
        self.assertRedirects(response, reverse("admin:intake_worksummary_change", args=[summary.pk]))
        self.assertContains(response, "one review page shows at most 10")

    def test_deleting_a_summary_counts_its_candidates_instead_of_copying_it_for_each(self):
        # Django's list of what a deletion takes held a copy of the summary, text and all, for every candidate it
        # listed: 5,745 candidates of a 200,000-character summary took 2.4 GB; the probe's summary killed the worker.
        summary = services.create_summary(park=self.park_a, year=2023, month=6, text=bombs.summary_text(12_000))
        count = summary.candidates.count()
        url = reverse("admin:intake_worksummary_delete", args=[summary.pk])
        tracemalloc.start()
        try:
            response = self.client.get(url)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        self.assertContains(response, "Candidate figures: {}".format(count))
        self.assertGreater(count, 300)
        self.assertLess(peak, 4 * MiB)
        response = self.client.post(url, {"post": "yes"})
        self.assertRedirects(response, reverse("admin:intake_worksummary_changelist"))
        self.assertFalse(WorkSummary.objects.filter(pk=summary.pk).exists())
        self.assertFalse(Candidate.objects.filter(summary_id=summary.pk).exists())

    def test_the_review_of_a_summary_with_many_figures_saves_without_too_many_fields(self):
        # Django's default DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) refused the review of more than about 110 figures.
        summary = services.create_summary(park=self.park_a, year=2023, month=6, text=bombs.summary_text(4500))
        count = summary.candidates.count()
        self.assertGreater(count, 120)
        url = reverse("admin:intake_worksummary_review", args=[summary.pk])
        data = review_post(summary, unchecked=range(0, count, 2))
        self.assertGreater(len(data), 1000)
        response = self.client.post(url, data)
        self.assertRedirects(response, url)
        self.assertEqual(summary.candidates.filter(selected=True).count(), count // 2)

    def test_the_review_of_a_summary_of_as_many_figures_as_allowed_is_not_refused_for_its_number_of_fields(self):
        summary = services.create_summary(park=self.park_a, year=2023, month=6, text=bombs.summary_text(4500))
        first = summary.candidates.order_by("position").first()
        extra = settings.PARKDASH_SUMMARY_MAX_CANDIDATES - summary.candidates.count()
        copies = []
        for position in range(first.position + 10_000, first.position + 10_000 + extra):
            first.pk, first.position = None, position
            copies.append(copy.copy(first))
        Candidate.objects.bulk_create(copies)
        self.assertEqual(summary.candidates.count(), settings.PARKDASH_SUMMARY_MAX_CANDIDATES)
        url = reverse("admin:intake_worksummary_review", args=[summary.pk])
        response = self.client.post(url, review_post(summary))
        self.assertRedirects(response, url)

    # --- admin imports ---------------------------------------------------------------------------------------

    @override_settings(PARKDASH_IMPORT_MAX_ROWS=20)
    def test_a_csv_of_more_rows_than_the_bound_is_refused_with_how_to_split_it(self):
        response = preview_import(self.client, Figure, SimpleUploadedFile("f.csv", bombs.figures_csv(21)))
        self.assertRefused(
            response, "The file has 21 rows of data", "At most 20 rows", "copy the header row to the top of each part"
        )

    @override_settings(PARKDASH_IMPORT_MAX_ROWS=20)
    def test_a_csv_of_exactly_the_bound_is_previewed(self):
        response = preview_import(self.client, Figure, SimpleUploadedFile("f.csv", bombs.figures_csv(20)))
        self.assertTrue(response.context.get("confirm_form"), error_text(response))

    @override_settings(PARKDASH_IMPORT_MAX_ROWS=20)
    def test_an_xlsx_of_millions_of_rows_is_read_no_further_than_the_bound(self):
        data = bombs.xlsx_rows(100_000)
        response = preview_import(self.client, Figure, SimpleUploadedFile("f.xlsx", data), XLSX_FORMAT)
        self.assertRefused(response, "more than 20 rows of data", "import the parts one after another")

    @override_settings(PARKDASH_IMPORT_MAX_ROWS=20)
    def test_an_xlsx_of_endless_blank_rows_is_refused(self):
        response = preview_import(
            self.client, Figure, SimpleUploadedFile("f.xlsx", bombs.xlsx_blank_rows(201)), XLSX_FORMAT
        )
        self.assertRefused(response, "more than 20 rows of data")

    def test_an_xlsx_row_of_thousands_of_cells_is_refused_before_openpyxl_reads_it(self):
        bomb = bombs.xlsx_wide_row(1001 * len(b"<c><v>1</v></c>"))
        with mock.patch("openpyxl.load_workbook", side_effect=AssertionError("opened")) as opened:
            response = preview_import(self.client, Figure, SimpleUploadedFile("f.xlsx", bomb), XLSX_FORMAT)
        self.assertRefused(response, "A row of this workbook has more than 1,000 cells")
        opened.assert_not_called()

    @override_settings(PARKDASH_IMPORT_MAX_ROWS=20, PARKDASH_UPLOAD_XML_MAX_ELEMENTS=20_000)
    def test_an_xlsx_whose_rows_exceed_the_markup_bound_is_told_about_rows(self):
        response = preview_import(
            self.client, Figure, SimpleUploadedFile("f.xlsx", bombs.xlsx_rows(10_000)), XLSX_FORMAT
        )
        self.assertRefused(response, "more than 20 rows of data")

    def test_an_xlsx_with_one_row_of_thousands_of_columns_is_refused(self):
        data = bombs.rezip(
            bombs._xlsx_skeleton(),
            {
                "xl/worksheets/sheet1.xml": [
                    (
                        "<worksheet {}><sheetData><row>".format(bombs.S)
                        + '<c t="inlineStr"><is><t>h</t></is></c>' * 60
                        + "</row></sheetData></worksheet>"
                    ).encode()
                ]
            },
        )
        response = preview_import(self.client, Figure, SimpleUploadedFile("f.xlsx", data), XLSX_FORMAT)
        self.assertRefused(response, "The first row has 60 columns", "at most 50")

    def test_a_preview_looks_each_park_zone_and_indicator_name_up_once(self):
        # The preview validates every row; the same names on every row cost queries once, not twice a row.
        lookups = []
        for rows in (10, 20):
            queries = LookupCounter()
            with connection.execute_wrapper(queries):
                response = preview_import(
                    self.client, Figure, SimpleUploadedFile("f.csv", bombs.figures_csv(rows, park="park-a"))
                )
            self.assertTrue(response.context.get("confirm_form"), error_text(response))
            lookups.append(queries.count)
        self.assertEqual(lookups[0], lookups[1])

    @override_settings(PARKDASH_UPLOAD_ZIP_MAX_PART_BYTES=MiB)
    def test_an_xlsx_with_a_huge_shared_string_table_is_refused_before_it_is_opened(self):
        bomb = bombs.xlsx_shared_strings(2 * MiB)
        with mock.patch("openpyxl.load_workbook", side_effect=AssertionError("opened")) as opened:
            response = preview_import(self.client, Figure, SimpleUploadedFile("f.xlsx", bomb), XLSX_FORMAT)
        self.assertRefused(response, "This Excel workbook unpacks to")
        opened.assert_not_called()

    @override_settings(PARKDASH_UPLOAD_ZIP_MAX_ENTRIES=100)
    def test_an_xlsx_of_too_many_parts_is_refused_whatever_format_is_chosen(self):
        for fmt in (XLSX_FORMAT, CSV_FORMAT):
            with self.subTest(format=fmt):
                response = preview_import(
                    self.client, Figure, SimpleUploadedFile("f.xlsx", bombs.many_entries("xlsx", count=150)), fmt
                )
                self.assertRefused(response, "made of 159 parts")

    @override_settings(PARKDASH_IMPORT_MAX_ROWS=20)
    def test_an_xlsx_within_the_bound_is_imported_as_before(self):
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(list(bombs.FIGURE_HEADER))
        for month in range(1, 13):
            sheet.append(["固定资产投资", "甲园区", None, 2019, month, "实际", "快报", 1.5, "亿元", 4, None])
        sheet.append([None] * 11)  # blank rows at the end are dropped
        import io

        buffer = io.BytesIO()
        book.save(buffer)
        response = preview_import(self.client, Figure, SimpleUploadedFile("f.xlsx", buffer.getvalue()), XLSX_FORMAT)
        self.assertTrue(response.context.get("confirm_form"), error_text(response))
        self.assertEqual(len(response.context["result"].rows), 12)


class LookupCounter:
    """Counts the queries that look a park, zone or indicator up by name or code (not the checks by id)."""

    TABLES = ('FROM "parks_park"', 'FROM "parks_zone"', 'FROM "indicators_indicator"')

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.startswith("SELECT") and ' AS "a" FROM ' not in sql and any(t in sql for t in self.TABLES):
            self.count += 1
        return execute(sql, params, many, context)


def review_post(summary, unchecked=()):
    """The review formset as a browser posts it: every field but the unticked boxes."""
    candidates = list(summary.candidates.order_by("position"))
    data = {
        "c-TOTAL_FORMS": len(candidates),
        "c-INITIAL_FORMS": len(candidates),
        "c-MIN_NUM_FORMS": 0,
        "c-MAX_NUM_FORMS": 1000,
        "_save": "1",
    }
    unchecked = set(unchecked)
    for i, c in enumerate(candidates):
        row = {
            "id": c.pk,
            "indicator": c.indicator_id or "",
            "zone": c.zone_id or "",
            "kind": c.kind,
            "value": "" if c.value is None else c.value,
            "unit": c.unit,
            "yoy_pct": "" if c.yoy_pct is None else c.yoy_pct,
            "apply_record": "on",
        }
        if i not in unchecked:
            row["selected"] = "on"
        data.update({"c-{}-{}".format(i, key): value for key, value in row.items()})
    return data
