"""Plausibility warnings of a work summary's figures: shown on the review, kept as confirmed when applied."""

from decimal import Decimal

from django.urls import reverse

from parkdash.indicators.models import Figure, FigureWarning
from parkdash.intake import services
from tests.support import EnglishTestCase, make_admin, make_figure, make_indicator, make_park, make_zone, review_data

TEXT = """某某经济开发区2025年1-6月工作总结
一、上半年工作完成情况
1-6月,园区完成固定资产投资12.5亿元,同比增长8.5%;其中北片3.2亿元。完成供地150亩。
"""
SLIP = "12.5 亿元 is 1/10 of the figure of 2025, Months 1–5 (125 亿元)"


class SummaryWarningTests(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.park = make_park()
        make_zone(cls.park, "北片")
        cls.fai = make_indicator("fixed_asset_investment")
        cls.land = make_indicator("land_supplied")
        # May's running total stored as 125 亿元 (1,250,000 万元 typed into 亿元): June's 12.5 is a tenth of it.
        make_figure(cls.fai, cls.park, year=2025, month=5, value=Decimal("125"), version="preliminary")

    def setUp(self):
        self.client.force_login(self.user)
        self.summary = services.create_summary(park=self.park, year=2025, month=6, text=TEXT, user=self.user)

    def candidate(self, indicator, **kwargs):
        return self.summary.candidates.get(indicator=indicator, **kwargs)

    def test_the_review_shows_each_candidate_s_warnings(self):
        response = self.client.get(reverse("admin:intake_worksummary_review", args=[self.summary.pk]))
        self.assertContains(response, SLIP, count=1)

    def test_a_plausible_candidate_has_no_warning(self):
        warnings = services.candidate_warnings(self.summary, list(self.summary.candidates.select_related("indicator")))
        self.assertEqual([w.code for w in warnings[self.candidate(self.fai, zone__isnull=True).pk]], ["jump"])
        self.assertEqual(warnings[self.candidate(self.land).pk], [])
        self.assertEqual(warnings[self.candidate(self.fai, zone__isnull=False).pk], [])

    def test_applying_keeps_the_warnings_of_the_figures_written_as_confirmed(self):
        result = services.apply(self.summary, user=self.user)
        june = Figure.objects.get(indicator=self.fai, month=6, zone__isnull=True)
        (kept,) = FigureWarning.objects.all()
        self.assertEqual((kept.figure, kept.code, kept.confirmed_by), (june, "jump", self.user))
        self.assertEqual(kept.message, SLIP + ". Was it entered in the wrong unit (万 for 亿, say)?")
        self.assertEqual(list(result.warnings), [june])

    def test_applying_again_confirms_nothing_twice(self):
        services.apply(self.summary, user=self.user)
        services.apply(self.summary, user=self.user)
        self.assertEqual(FigureWarning.objects.count(), 1)

    def test_applying_on_the_review_page_says_which_warnings_it_confirmed(self):
        url = reverse("admin:intake_worksummary_review", args=[self.summary.pk])
        response = self.client.post(url, {**review_data(self.summary), "_apply": "1"}, follow=True)
        self.assertContains(response, "Confirmed by applying: ")
        self.assertContains(response, SLIP)
        self.assertEqual(FigureWarning.objects.get().confirmed_by, self.user)
