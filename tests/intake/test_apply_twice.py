"""A summary applied twice: the same text applied under another month asks first and lists the figures it would
store a second time (``services.duplicates_of``, the review page's confirmation)."""

from decimal import Decimal

from django.utils import timezone

from parkdash.indicators.models import Figure
from parkdash.intake import services
from parkdash.intake.models import Candidate, WorkSummary
from tests.support import EnglishTestCase, World, review_data

# 固定资产投资 states no period: it is stored under the summary's month. 供地 says 1-6月 and the target is the
# year's: those keep their place whatever the summary's month, so they are never duplicated.
TEXT = """甲园区2025年工作总结
一、今年以来工作完成情况
园区坚持项目为王，围绕主导产业抓招商、抓项目、抓服务，各项工作稳步推进。
园区完成固定资产投资12.5亿元,同比增长8.5%。1-6月完成供地150亩。
重点项目建设提速，企业服务持续优化，营商环境进一步改善，要素保障能力明显增强。
二、下半年工作计划
全年力争实现固定资产投资30亿元。
"""
# Another report of the same park: other figures.
OTHER_TEXT = """甲园区2025年1-7月工作总结
一、今年以来工作完成情况
园区完成固定资产投资14.2亿元,同比增长9.1%。完成供地180亩。
"""


class ApplyTwiceTests(World, EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.first = services.create_summary(park=cls.park_a, year=2025, month=6, text=TEXT, title="六月总结")
        services.apply(cls.first)

    def setUp(self):
        self.client.force_login(self.editor_a)

    def summary(self, text=TEXT, month=7, park=None):
        return services.create_summary(park=park or self.park_a, year=2025, month=month, text=text, title="七月总结")

    def url(self, summary):
        return f"/admin/intake/worksummary/{summary.pk}/review/"

    def apply(self, summary, overrides=None, **extra):
        return self.client.post(self.url(summary), {**review_data(summary, overrides), "_apply": "1", **extra})

    def stored(self, month):
        return Figure.objects.filter(
            park=self.park_a, indicator=self.fai, year=2025, month=month, kind="actual", zone__isnull=True
        )

    # ---- duplicates_of ------------------------------------------------------------------------------------

    def test_the_same_text_under_another_month_lists_the_figure_it_would_store_again(self):
        duplicates = services.duplicates_of(self.summary())
        self.assertEqual(
            [(d.figure.indicator.code, d.figure.value, d.figure.month, d.other) for d in duplicates],
            [("fixed_asset_investment", Decimal("12.5"), 6, self.first)],
        )

    def test_a_nearly_same_text_counts_as_the_same_summary(self):
        # Its line breaks redone, full-width commas, a word fixed.
        retyped = TEXT.replace("\n", "\n\n").replace(",", "，").replace("稳步推进", "有序推进")
        self.assertEqual(len(services.duplicates_of(self.summary(retyped))), 1)

    def test_a_different_summary_has_no_duplicates(self):
        self.assertEqual(services.duplicates_of(self.summary(OTHER_TEXT)), [])

    def test_the_same_text_under_the_same_month_has_no_duplicates(self):
        # Its figures land where the first one's are: apply says "already recorded" instead of storing them again.
        self.assertEqual(services.duplicates_of(self.summary(month=6)), [])

    def test_the_same_text_in_another_park_has_no_duplicates(self):
        self.assertEqual(services.duplicates_of(self.summary(park=self.park_b)), [])

    def test_a_summary_never_applied_is_not_compared(self):
        WorkSummary.objects.filter(pk=self.first.pk).update(applied_at=None)
        self.assertEqual(services.duplicates_of(self.summary()), [])

    def test_an_unchecked_candidate_is_not_a_duplicate(self):
        later = self.summary()
        later.candidates.filter(value=Decimal("12.5")).update(selected=False)
        self.assertEqual(services.duplicates_of(later), [])

    # ---- the review page ----------------------------------------------------------------------------------

    def test_applying_the_same_text_under_another_month_asks_and_lists_the_figures(self):
        later = self.summary()
        response = self.apply(later)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="duplicates"')
        self.assertContains(response, "would store the figures below a second time")
        rows = response.context["duplicates"]
        self.assertEqual([(d.figure.indicator.name, d.figure.value) for d in rows], [("固定资产投资", Decimal("12.5"))])
        self.assertContains(response, "12.5 亿元")
        self.assertContains(response, "2025, month 6")  # where it is stored, and the first summary's month
        self.assertContains(response, "六月总结")
        # The last button of the form: Enter in a field submits the first one ("Save choices"), never this one.
        page = response.content.decode()
        self.assertLess(page.index('name="_save"'), page.index('name="confirm_duplicates"'))

    def test_nothing_is_written_before_the_confirmation_not_even_the_choices(self):
        later = self.summary()
        figures = Figure.objects.count()
        land = later.candidates.get(value=Decimal("150"))
        self.apply(later, {land.position: {"selected": False}})
        self.assertEqual(Figure.objects.count(), figures)
        self.assertFalse(self.stored(7).exists())
        later.refresh_from_db()
        self.assertIsNone(later.applied_at)
        self.assertTrue(Candidate.objects.get(pk=land.pk).selected)
        self.assertEqual(set(later.candidates.values_list("status", flat=True)), {"pending"})

    def test_confirming_applies_them_again(self):
        later = self.summary()
        asked = self.apply(later)
        response = self.client.post(
            self.url(later), {**review_data(later), "confirm_duplicates": asked.context["duplicates_confirm"]}
        )
        self.assertRedirects(response, self.url(later), fetch_redirect_response=False)
        self.assertEqual(self.stored(7).get().value, Decimal("12.5"))
        self.assertEqual(self.stored(6).get().value, Decimal("12.5"))

    def test_a_confirmation_of_other_figures_does_not_apply(self):
        later = self.summary()
        response = self.client.post(self.url(later), {**review_data(later), "confirm_duplicates": "1:2"})
        self.assertContains(response, 'id="duplicates"')
        self.assertFalse(self.stored(7).exists())

    def test_applying_the_later_summary_again_after_confirming_does_not_ask(self):
        later = self.summary()
        asked = self.apply(later)
        self.client.post(
            self.url(later), {**review_data(later), "confirm_duplicates": asked.context["duplicates_confirm"]}
        )
        response = self.apply(later, {later.candidates.get(value=Decimal("150")).position: {"value": "160"}})
        self.assertRedirects(response, self.url(later), fetch_redirect_response=False)
        self.assertEqual(self.stored(7).count(), 1)

    def test_a_different_summary_applies_without_asking(self):
        later = self.summary(OTHER_TEXT)
        response = self.apply(later)
        self.assertRedirects(response, self.url(later), fetch_redirect_response=False)
        self.assertEqual(self.stored(7).get().value, Decimal("14.2"))

    def test_applying_the_same_summary_again_updates_its_figures_without_asking(self):
        fai = self.first.candidates.get(value=Decimal("12.5"))
        response = self.apply(self.first, {fai.position: {"value": "12.6"}})
        self.assertRedirects(response, self.url(self.first), fetch_redirect_response=False)
        self.assertEqual(self.stored(6).get().value, Decimal("12.6"))
        self.assertFalse(self.stored(7).exists())

    def test_saving_the_choices_does_not_ask(self):
        later = self.summary()
        response = self.client.post(self.url(later), {**review_data(later), "_save": "1"})
        self.assertRedirects(response, self.url(later), fetch_redirect_response=False)
        self.assertFalse(self.stored(7).exists())

    # ---- who may see the confirmation -------------------------------------------------------------------

    def test_only_an_editor_of_the_park_reaches_the_confirmation(self):
        later = self.summary()
        data = {**review_data(later), "_apply": "1"}
        confirm = {**review_data(later), "confirm_duplicates": services.duplicates_of(later)[0].key}
        for user in (self.viewer_staff_a, self.editor_b, self.editor_none, self.nogroup_a, self.viewer_a, None):
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            for method, body in (("get", None), ("post", data), ("post", confirm)):
                with self.subTest(user=str(user), method=method, body=body and sorted(body)[-1]):
                    response = getattr(self.client, method)(self.url(later), body)
                    self.assertIn(response.status_code, (302, 403, 404) if method == "post" else (200, 302, 403, 404))
                    self.assertNotContains(response, 'id="duplicates"', status_code=response.status_code)
                    self.assertNotContains(response, "六月总结", status_code=response.status_code)
        self.assertFalse(self.stored(7).exists())
        self.client.force_login(self.administrator)
        self.assertContains(self.client.post(self.url(later), data), 'id="duplicates"')

    def test_a_viewer_of_the_park_may_read_the_review_but_not_apply(self):
        later = self.summary()
        self.client.force_login(self.viewer_staff_a)
        self.assertEqual(self.apply(later).status_code, 403)
        self.assertFalse(self.stored(7).exists())


class SameTextTests(World, EnglishTestCase):
    def test_two_summaries_of_different_lengths_are_not_read_in_full(self):
        first = services.create_summary(park=self.park_a, year=2025, month=6, text=TEXT)
        first.applied_at = timezone.now()
        first.save()
        longer = services.create_summary(park=self.park_a, year=2025, month=7, text=TEXT * 3)
        self.assertEqual(services._same_text_summaries(longer), [])
