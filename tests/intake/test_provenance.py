"""Provenance across the layers: intake links each applied figure to its summary; indicators shows the link
without knowing intake; the admin's upload goes through the service the import is tested through."""

from decimal import Decimal
from unittest import mock

from django.test import TestCase

from parkdash.intake import services
from parkdash.intake.models import SummaryFigure, WorkSummary
from tests.support import make_admin, make_figure, make_indicator, make_park

from .test_review_and_apply import SAMPLE, upload


class ProvenanceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.park = make_park()
        cls.fai = make_indicator()
        cls.summary = WorkSummary.objects.create(park=cls.park, year=2023, month=6, title="上半年总结", text="……")
        cls.applied = make_figure(cls.fai, cls.park, year=2023, month=6, value=Decimal("12.5"), source="summary")
        SummaryFigure.objects.create(summary=cls.summary, figure=cls.applied)
        cls.typed = make_figure(cls.fai, cls.park, year=2023, month=5, value=Decimal("10"))

    def setUp(self):
        self.client.force_login(self.admin)

    def test_the_indicator_page_links_an_applied_figure_to_its_summary_in_the_same_queries(self):
        with self.assertNumQueries(9):
            response = self.client.get(f"/indicators/{self.fai.code}/?park={self.park.pk}&year=2023")
        link = '<a href="/admin/intake/worksummary/{}/change/">上半年总结</a>'.format(self.summary.pk)
        self.assertContains(response, link, count=1, html=True)

    def test_the_figure_admin_page_links_to_its_summary(self):
        response = self.client.get(f"/admin/indicators/figure/{self.applied.pk}/change/")
        self.assertContains(response, '<a href="/admin/intake/worksummary/{}/change/">'.format(self.summary.pk))

    def test_deleting_a_summary_keeps_its_figures_without_the_link(self):
        self.summary.delete()
        self.applied.refresh_from_db()
        self.assertIsNone(self.applied.origin)

    def test_a_figure_is_found_by_the_summary_it_came_from(self):
        from parkdash.indicators.models import Figure

        self.assertEqual(list(Figure.objects.filter(summary=self.summary)), [self.applied])
        self.assertEqual(list(self.summary.figures.all()), [self.applied])


class AdminUploadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.park = make_park()
        make_indicator()

    def test_the_admin_upload_stores_the_summary_through_the_service(self):
        self.client.force_login(self.admin)
        with mock.patch.object(services, "store_summary", wraps=services.store_summary) as store:
            upload(self.client, self.park, SAMPLE.encode())
        summary = WorkSummary.objects.get()
        store.assert_called_once()
        self.assertEqual(store.call_args.args[0], summary)
        self.assertEqual((summary.title, summary.plan_year), ("summary.txt", 2025))
        self.assertTrue(summary.candidates.exists())
