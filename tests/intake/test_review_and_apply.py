"""Work-summary import in the admin: upload, review, apply with provenance, re-apply, clashes, bad uploads."""

from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError
from django.test import TestCase

from parkdash.indicators.models import Figure
from parkdash.intake import services
from parkdash.intake.models import Candidate, CandidateStatus, WorkSummary
from parkdash.parks.models import Park
from tests.support import make_admin, review_data

SEED = Path(__file__).resolve().parent / "samples" / "seed_000.txt"

SAMPLE = """某某经济开发区2025年1-6月工作总结
一、上半年工作完成情况
1-6月,园区完成固定资产投资12.5亿元,同比增长8.5%;其中北片3.2亿元。完成供地150亩。新入区企业2025家。
二、下半年工作计划
全年力争实现固定资产投资30亿元。
"""


def upload(client, park, content, name="summary.txt", month=6, year=""):
    return client.post(
        "/admin/intake/worksummary/add/",
        {
            "park": park.pk,
            "year": year,
            "month": month,
            "plan_year": "",
            "title": "",
            "upload": SimpleUploadedFile(name, content),
            "pasted": "",
        },
    )


class WorkSummaryImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", "seed", verbosity=0)
        cls.user = make_admin()
        cls.park = Park.objects.get(code="dongbu")

    def setUp(self):
        self.client.force_login(self.user)

    def review_data(self, summary, overrides=None):
        return review_data(summary, overrides)

    def test_uploading_a_gb18030_file_proposes_candidates_and_the_year(self):
        response = upload(self.client, self.park, SAMPLE.encode("gb18030"))
        summary = WorkSummary.objects.get()
        self.assertRedirects(response, "/admin/intake/worksummary/{}/review/".format(summary.pk))
        self.assertEqual((summary.year, summary.month, summary.encoding), (2025, 6, "gb18030"))
        self.assertIn("固定资产投资", summary.text)
        fai = summary.candidates.get(indicator__code="fixed_asset_investment", kind="actual", zone__isnull=True)
        self.assertEqual((fai.value, fai.yoy_pct), (Decimal("12.5"), Decimal("8.5")))
        self.assertEqual(summary.candidates.get(value=Decimal("3.2")).zone.name, "北片")

    def test_suspect_candidates_start_unchecked(self):
        upload(self.client, self.park, SAMPLE.encode())
        suspect = Candidate.objects.get(value=Decimal("2025"))
        self.assertIn("suspect_year", suspect.flags)
        self.assertFalse(suspect.selected)
        self.assertTrue(Candidate.objects.get(value=Decimal("150")).selected)

    def test_the_review_page_shows_sections_and_the_quote_in_context(self):
        upload(self.client, self.park, SAMPLE.encode())
        summary = WorkSummary.objects.get()
        response = self.client.get("/admin/intake/worksummary/{}/review/".format(summary.pk))
        self.assertContains(response, "<mark>")
        self.assertContains(response, 'data-flag="suspect_year"')
        self.assertContains(response, "下半年工作计划")

    def test_applying_writes_figures_with_provenance_and_reapplying_updates(self):
        upload(self.client, self.park, SAMPLE.encode())
        summary = WorkSummary.objects.get()
        url = "/admin/intake/worksummary/{}/review/".format(summary.pk)
        response = self.client.post(url, {**self.review_data(summary), "_apply": "1"}, follow=True)
        self.assertContains(response, "4 created")
        actual = Figure.objects.get(
            park=self.park, indicator__code="fixed_asset_investment", year=2025, month=6, zone__isnull=True
        )
        self.assertEqual(
            (actual.value, actual.yoy_pct, actual.source, actual.origin),
            (Decimal("12.5"), Decimal("8.5"), "summary", summary),
        )
        self.assertIn("固定资产投资12.5亿元", actual.source_quote)
        target = Figure.objects.get(park=self.park, indicator__code="fixed_asset_investment", year=2025, kind="target")
        self.assertEqual(target.value, Decimal("30"))
        self.assertEqual(actual.history.first().history_user, self.user)
        before = Figure.objects.count()
        position = summary.candidates.get(value=Decimal("150")).position
        response = self.client.post(
            url, {**self.review_data(summary, {position: {"value": "160"}}), "_apply": "1"}, follow=True
        )
        self.assertContains(response, "1 updated")
        self.assertEqual(Figure.objects.count(), before)
        self.assertEqual(
            Figure.objects.get(park=self.park, indicator__code="land_supplied", year=2025).value, Decimal("160")
        )

    def test_a_clash_with_a_figure_from_another_source_is_shown_not_overwritten(self):
        Figure.objects.create(
            indicator_id=Figure.objects.filter(indicator__code="land_supplied").first().indicator_id,
            park=self.park,
            year=2025,
            month=6,
            kind="actual",
            version="preliminary",
            value=Decimal("149"),
            source="manual",
        )
        upload(self.client, self.park, SAMPLE.encode())
        summary = WorkSummary.objects.get()
        response = self.client.post(
            "/admin/intake/worksummary/{}/review/".format(summary.pk),
            {**self.review_data(summary), "_apply": "1"},
            follow=True,
        )
        self.assertContains(response, "1 clashes not overwritten")
        self.assertContains(response, "149")
        self.assertEqual(
            Figure.objects.get(park=self.park, indicator__code="land_supplied", year=2025).value, Decimal("149")
        )

    def test_a_candidate_in_a_unit_its_indicator_cannot_take_is_skipped_with_the_reason(self):
        summary = services.create_summary(park=self.park, year=2025, month=6, text=SAMPLE)
        Candidate.objects.filter(summary=summary, value=Decimal("150")).update(unit="公里")  # not land: skipped
        result = services.apply(summary)
        self.assertEqual(result.created, 3)
        self.assertIn("cannot be converted", summary.candidates.get(value=Decimal("150")).message)

    def test_apply_is_one_transaction_a_failure_after_the_figures_are_written_leaves_none_of_them(self):
        summary = services.create_summary(park=self.park, year=2025, month=6, text=SAMPLE)
        # The last write of apply (the summary marked applied) fails, after every figure has been written.
        with (
            mock.patch.object(WorkSummary, "save", side_effect=DatabaseError("disk full")),
            self.assertRaises(DatabaseError),
        ):
            services.apply(summary)
        self.assertFalse(Figure.objects.filter(summary=summary).exists())
        self.assertEqual(set(summary.candidates.values_list("status", flat=True)), {CandidateStatus.PENDING})
        summary.refresh_from_db()
        self.assertIsNone(summary.applied_at)

    def test_pasted_text_works_and_a_missing_year_is_asked_for(self):
        response = self.client.post(
            "/admin/intake/worksummary/add/",
            {"park": self.park.pk, "year": "", "month": 6, "pasted": "完成供地150亩。"},
        )
        self.assertContains(response, "The summary names no year")
        self.assertEqual(WorkSummary.objects.count(), 0)
        self.client.post(
            "/admin/intake/worksummary/add/",
            {"park": self.park.pk, "year": 2025, "month": 6, "pasted": "完成供地150亩。"},
        )
        self.assertEqual(WorkSummary.objects.get().candidates.get().value, Decimal("150"))

    def test_a_docx_upload_is_read(self):
        import io

        import docx

        document = docx.Document()
        for line in SAMPLE.splitlines():
            document.add_paragraph(line)
        buffer = io.BytesIO()
        document.save(buffer)
        upload(self.client, self.park, buffer.getvalue(), name="总结.docx")
        summary = WorkSummary.objects.get()
        self.assertEqual(summary.encoding, "docx")
        self.assertTrue(summary.candidates.filter(value=Decimal("12.5")).exists())

    def test_bad_uploads_get_a_clear_error_and_create_nothing(self):
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
        cases = [
            ("image.txt", png, "not a text file"),
            ("empty.txt", b"", "empty"),
            ("binary.txt", bytes(range(256)) * 20, ""),
            ("big.txt", "供地".encode() * (11 * 1024 * 1024 // 6 * 2), "limit is 5 MB"),
            ("fake.docx", b"not a zip", "not a .docx"),
            ("sheet.xlsx", b"PK\x03\x04", "Only .txt and .docx"),
        ]
        for name, content, message in cases:
            with self.subTest(name=name):
                response = upload(self.client, self.park, content, name=name, year=2025)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "errornote")
                if message:
                    self.assertContains(response, message)
        self.assertEqual(WorkSummary.objects.count(), 0)
        self.assertEqual(Candidate.objects.count(), 0)

    def test_an_enterprise_named_with_a_figure_is_proposed_as_that_record(self):
        text = "2025年1-6月工作总结\n一、工作完成情况\n浙江爱仕达电器获得南片643亩工业用地使用权。\n"
        summary = services.create_summary(park=self.park, year=2025, month=6, text=text)
        candidate = summary.candidates.get(value=Decimal("643"))
        self.assertEqual((candidate.record_kind, candidate.record_name), ("enterprise", "浙江爱仕达电器"))
        self.assertFalse(candidate.selected)
        candidate.apply_record = True
        candidate.save()
        services.apply(summary)
        enterprise = self.park.enterprises.get(name="浙江爱仕达电器")
        self.assertEqual(enterprise.land_area_mu, Decimal("643"))
        self.assertIn("643亩", enterprise.source_quote)


@pytest.mark.slow
class RoundTripTests(TestCase):
    """Importing the seed and applying every candidate that is not suspect gives the seed fixture's figures."""

    def test_the_seed_summary_round_trips_to_the_seed_fixture(self):
        call_command("loaddata", "seed", verbosity=0)

        def figures():
            return {
                (f.indicator.code, f.zone.name if f.zone else None, f.year, f.month, f.kind, f.version): (
                    f.value,
                    f.yoy_pct,
                )
                for f in Figure.objects.select_related("indicator", "zone")
            }

        fixture = figures()
        Figure.objects.all().delete()
        from parkdash.intake import extract

        text = extract.decode(SEED.read_bytes())
        summary = services.create_summary(park=Park.objects.get(code="dongbu"), year=2023, month=10, text=text)
        self.assertEqual(summary.plan_year, 2024)
        services.apply(summary)
        applied = figures()
        missing = {k: v for k, v in fixture.items() if applied.get(k) != v}
        extra = {k: v for k, v in applied.items() if k not in fixture}
        self.assertEqual((missing, extra), ({}, {}))
