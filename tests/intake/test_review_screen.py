"""The review screen of a work summary: the bar with the number checked, the sections by category that fold, one
period warning at the top, the month proposed from the text, and the way back to the review after an edit."""

import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.utils import translation

from parkdash.intake import services
from parkdash.intake.forms import MONTH_UNREADABLE
from parkdash.intake.models import WorkSummary
from parkdash.parks.models import Park
from tests.support import make_admin, review_data
from tests.support.personas import World, persona

from .test_review_and_apply import SAMPLE, SEED

# A summary whose every period has the year pasted over the month (as the seed's "今年1-2023月").
UNREADABLE = """某某经济开发区2025年工作总结
一、今年以来工作完成情况
今年1-2025月,园区完成固定资产投资12.5亿元,同比增长8.5%。1-2025月完成供地150亩。
"""

# A 1-10月 report with one figure of the first half year.
OTHER_PERIOD = """某某经济开发区2025年1-10月工作汇报
一、1-10月工作完成情况
1-10月,园区完成固定资产投资12.5亿元,同比增长8.5%;完成供地150亩。
上半年,园区完成工业总产值23.2亿元。
"""


def review_url(summary):
    return "/admin/intake/worksummary/{}/review/".format(summary.pk)


def change_url(summary):
    return "/admin/intake/worksummary/{}/change/".format(summary.pk)


def upload(client, park, text, month=""):
    return client.post(
        "/admin/intake/worksummary/add/",
        {
            "park": park.pk,
            "year": "",
            "month": month,
            "plan_year": "",
            "title": "",
            "upload": SimpleUploadedFile("summary.txt", text.encode()),
            "pasted": "",
        },
    )


def change_data(summary):
    return {"title": summary.title, "year": summary.year, "month": summary.month, "plan_year": summary.plan_year or ""}


class ReviewScreenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", "seed", verbosity=0)
        cls.user = make_admin()
        cls.park = Park.objects.get(code="dongbu")

    def setUp(self):
        self.client.force_login(self.user)

    def summary(self, text=SAMPLE, month=6, year=2025):
        return services.create_summary(park=self.park, year=year, month=month, text=text)

    def sections(self, response):
        return {s["key"]: s for s in response.context["sections"]}

    # 1. The bar: the number checked, and the Apply button in it.

    def test_the_bar_shows_how_many_figures_are_checked_and_holds_apply(self):
        summary = self.summary()
        summary.candidates.filter(value=Decimal("150")).update(selected=False)
        checked = summary.candidates.filter(selected=True).count()
        response = self.client.get(review_url(summary))
        html = response.content.decode()
        bar = re.search(r'<div class="submit-row review-bar" id="review-bar">(.*?)</div>', html, re.S)
        self.assertIsNotNone(bar)
        self.assertIn(
            "<strong data-checked-total>{}</strong> of {} figures checked".format(checked, summary.candidates.count()),
            bar.group(1),
        )
        self.assertIn('name="_apply"', bar.group(1))

    def test_the_count_shown_again_after_an_error_is_the_count_posted(self):
        summary = self.summary()
        fai = summary.candidates.get(value=Decimal("12.5"))
        land = summary.candidates.get(value=Decimal("150"))
        data = review_data(summary, {fai.position: {"value": "not a number"}, land.position: {"selected": False}})
        response = self.client.post(review_url(summary), {**data, "_save": "1"})
        self.assertEqual(response.status_code, 200)
        posted = sum(1 for key in data if key.endswith("-selected"))
        self.assertEqual(response.context["checked_count"], posted)
        self.assertContains(response, "<strong data-checked-total>{}</strong>".format(posted))

    def test_a_viewer_sees_the_count_but_no_apply_button(self):
        summary = self.summary()
        viewer = persona("viewer_of_dongbu", "viewer", [self.park], staff=True)
        self.client.force_login(viewer)
        response = self.client.get(review_url(summary))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "data-checked-total")
        self.assertNotContains(response, 'name="_apply"')

    # 2. Sections by category, with their counts; those all checked fold.

    def test_candidates_are_grouped_by_indicator_category_with_their_counts(self):
        summary = self.summary()
        response = self.client.get(review_url(summary))
        sections = self.sections(response)
        for candidate in summary.candidates.select_related("indicator"):
            key = candidate.record_kind or (candidate.indicator.category if candidate.indicator else "none")
            self.assertIn(candidate.position, [row["candidate"].position for row in sections[key]["rows"]])
        for key, section in sections.items():
            rows = [row["candidate"] for row in section["rows"]]
            self.assertEqual(section["count"], len(rows))
            self.assertEqual(section["checked"], sum(c.selected for c in rows))
            self.assertEqual([c.position for c in rows], sorted(c.position for c in rows))  # document order
            self.assertContains(
                response, "<span data-checked>{}</span> of {} checked".format(section["checked"], section["count"])
            )
            self.assertContains(response, 'id="section-{}"'.format(key))
        self.assertEqual(sum(s["count"] for s in sections.values()), summary.candidates.count())
        self.assertIn("investment", sections)
        self.assertIn("land", sections)

    def test_a_section_whose_figures_are_all_checked_is_folded_and_one_with_an_unchecked_figure_is_open(self):
        summary = self.summary()
        land = summary.candidates.get(value=Decimal("150"))
        summary.candidates.filter(indicator__category="land").exclude(pk=land.pk).update(selected=True)
        summary.candidates.filter(pk=land.pk).update(selected=False)
        summary.candidates.filter(indicator__category="investment").update(selected=True)
        html = self.client.get(review_url(summary)).content.decode()
        self.assertRegex(html, r'<details class="review-section" id="section-investment" data-section>')
        self.assertRegex(html, r'<details class="review-section" id="section-land" data-section open>')

    def test_each_section_offers_select_all_and_none(self):
        response = self.client.get(review_url(self.summary()))
        count = len(response.context["sections"])
        self.assertEqual(response.content.decode().count('data-check="all"'), count)
        self.assertEqual(response.content.decode().count('data-check="none"'), count)
        self.assertContains(response, "js/review.js")

    def test_each_candidate_row_has_an_anchor(self):
        summary = self.summary()
        response = self.client.get(review_url(summary))
        for position in summary.candidates.values_list("position", flat=True):
            self.assertContains(response, 'id="c{}"'.format(position), count=1)

    def test_every_field_of_a_row_is_labelled(self):
        summary = self.summary()
        response = self.client.get(review_url(summary))
        for label in ("Indicator", "Zone", "Kind", "Value", "Unit", "YoY %"):
            self.assertContains(response, 'aria-label="{}"'.format(label), count=summary.candidates.count())
        self.assertContains(response, '<span class="visually-hidden">Apply: ', count=summary.candidates.count())

    def test_values_are_shown_without_trailing_zeros(self):
        response = self.client.get(review_url(self.summary()))
        self.assertContains(response, 'value="12.5"')
        self.assertNotContains(response, 'value="12.5000"')

    # 3. One period warning at the top.

    def test_an_unreadable_period_is_warned_once_at_the_top_and_not_on_each_row(self):
        summary = self.summary(UNREADABLE, month=10)
        self.assertGreater(sum("suspect_period" in c.flags for c in summary.candidates.all()), 1)
        response = self.client.get(review_url(summary))
        self.assertContains(response, 'id="period-warning"', count=1)
        self.assertContains(response, "The reporting period cannot be read from the text", count=1)
        self.assertNotContains(response, 'data-flag="suspect_period"')

    def test_when_only_some_periods_cannot_be_read_their_rows_keep_the_badge_under_the_warning(self):
        text = OTHER_PERIOD + "今年1-2025月,完成供地160亩。\n"
        summary = self.summary(text, month=10)
        unreadable = [c for c in summary.candidates.all() if "suspect_period" in c.flags]
        self.assertEqual(len(unreadable), 1)
        response = self.client.get(review_url(summary))
        self.assertContains(response, 'id="period-warning"', count=1)
        self.assertContains(response, "Figures whose period cannot be read from the text: 1")
        html = response.content.decode()
        row = re.search(r'<tr[^>]*id="c{}".*?</tr>'.format(unreadable[0].position), html, re.S).group(0)
        self.assertIn('data-flag="suspect_period"', row)
        self.assertEqual(html.count('data-flag="suspect_period"'), 1)

    def test_a_readable_period_gives_no_warning(self):
        response = self.client.get(review_url(self.summary()))
        self.assertNotContains(response, 'id="period-warning"')

    def test_a_row_keeps_a_badge_when_its_period_is_not_the_summarys(self):
        summary = self.summary(OTHER_PERIOD, month=10)
        half = summary.candidates.get(period="上半年")
        response = self.client.get(review_url(summary))
        self.assertNotContains(response, 'id="period-warning"')
        html = response.content.decode()
        self.assertEqual(html.count('data-flag="other_period"'), 1)
        row = re.search(r'<tr[^>]*id="c{}".*?</tr>'.format(half.position), html, re.S).group(0)
        self.assertIn('data-flag="other_period"', row)
        self.assertIn("stored under month 6", row)

    # 4. The month proposed from the text.

    def test_the_month_of_the_text_is_proposed_on_the_review_when_the_summary_has_another(self):
        summary = self.summary(OTHER_PERIOD, month=1)
        response = self.client.get(review_url(summary))
        self.assertEqual(response.context["proposed_month"], 10)
        self.assertContains(
            response, "The text reports figures through month 10, but this summary is stored for month 1", count=1
        )

    def test_an_upload_left_without_a_month_takes_the_month_the_text_names(self):
        response = upload(self.client, self.park, OTHER_PERIOD)
        summary = WorkSummary.objects.get()
        self.assertRedirects(response, review_url(summary))
        self.assertEqual((summary.year, summary.month), (2025, 10))

    def test_an_upload_whose_period_cannot_be_read_asks_for_the_month_and_stores_nothing(self):
        response = upload(self.client, self.park, SEED.read_text(encoding="utf-8"))
        self.assertEqual(response.status_code, 200)
        self.assertFormError(response.context["adminform"].form, "month", [str(MONTH_UNREADABLE)])
        self.assertFalse(WorkSummary.objects.exists())
        upload(self.client, self.park, SEED.read_text(encoding="utf-8"), month=10)
        self.assertEqual(WorkSummary.objects.get().month, 10)

    def test_the_month_chosen_on_the_upload_wins_over_the_text(self):
        upload(self.client, self.park, OTHER_PERIOD, month=9)
        self.assertEqual(WorkSummary.objects.get().month, 9)

    def test_the_upload_form_proposes_no_month_of_its_own(self):
        html = self.client.get("/admin/intake/worksummary/add/").content.decode()
        select = re.search(r'<select name="month".*?</select>', html, re.S).group(0)
        self.assertNotIn("selected", select.replace('<option value="" selected>', ""))
        self.assertIn('<option value="" selected>', select)

    # 5. Back to the review after an edit.

    def test_saving_the_summary_returns_to_its_review(self):
        summary = self.summary(month=1)
        response = self.client.post(change_url(summary), {**change_data(summary), "month": 6})
        self.assertRedirects(response, review_url(summary))
        summary.refresh_from_db()
        self.assertEqual(summary.month, 6)

    def test_save_and_continue_editing_stays_on_the_summary(self):
        summary = self.summary()
        response = self.client.post(change_url(summary), {**change_data(summary), "_continue": "1"})
        self.assertRedirects(response, change_url(summary))

    def test_saving_choices_returns_to_the_review(self):
        summary = self.summary()
        land = summary.candidates.get(value=Decimal("150"))
        response = self.client.post(
            review_url(summary), {**review_data(summary, {land.position: {"unit": "公顷"}}), "_save": "1"}
        )
        self.assertRedirects(response, review_url(summary))

    def test_applying_returns_to_the_review(self):
        summary = self.summary()
        response = self.client.post(review_url(summary), {**review_data(summary), "_apply": "1"})
        self.assertRedirects(response, review_url(summary))


class ProposeMonthTests(TestCase):
    def test_the_month_most_actual_figures_run_through_is_proposed(self):
        found = services.find(OTHER_PERIOD, 2025)
        self.assertEqual(services.propose_month(found), 10)

    def test_no_month_is_proposed_when_no_period_can_be_read(self):
        self.assertIsNone(services.propose_month(services.find(UNREADABLE, 2025)))
        self.assertIsNone(services.propose_month([]))


class ChangeRedirectPersonaTests(World, TestCase):
    """Only someone who may change a summary is sent to its review by a save; the others change nothing."""

    def post_change(self, user):
        summary = self.a["summary"]
        self.client.force_login(user)
        get = self.client.get(change_url(summary))
        post = self.client.post(change_url(summary), {**change_data(summary), "month": 9})
        summary.refresh_from_db()
        return get, post, summary

    def test_the_editor_of_the_park_saving_its_summary_returns_to_the_review(self):
        get, post, summary = self.post_change(self.editor_a)
        self.assertEqual(get.status_code, 200)
        self.assertRedirects(post, review_url(summary))
        self.assertEqual(summary.month, 9)

    def test_a_viewer_of_the_park_cannot_save_its_summary(self):
        get, post, summary = self.post_change(self.viewer_staff_a)
        self.assertEqual(get.status_code, 200)  # the admin's read-only view
        self.assertEqual(post.status_code, 403)
        self.assertEqual(summary.month, 6)

    def test_the_editor_of_another_park_cannot_see_or_save_the_summary(self):
        get, post, summary = self.post_change(self.editor_b)
        self.assertNotEqual(get.status_code, 200)
        self.assertNotIn("/review/", post.get("Location", ""))
        self.assertNotEqual(post.status_code, 200)
        self.assertEqual(summary.month, 6)

    def test_an_editor_of_no_park_cannot_see_or_save_the_summary(self):
        get, post, summary = self.post_change(self.editor_none)
        self.assertNotEqual(get.status_code, 200)
        self.assertNotIn("/review/", post.get("Location", ""))
        self.assertNotEqual(post.status_code, 200)
        self.assertEqual(summary.month, 6)


class IndicatorNameTests(TestCase):
    def test_the_review_names_indicators_in_the_users_language_with_their_unit(self):
        from parkdash.indicators.models import Indicator
        from parkdash.intake.forms import indicator_label

        land = Indicator(code="land_supplied", name="供地", name_en="Land supplied", unit="亩")
        firms = Indicator(code="new_firms", name="新入区企业", name_en="New enterprises", unit="家")
        with translation.override("en"):
            self.assertEqual([indicator_label(land), indicator_label(firms)], ["Land supplied (mu)", "New enterprises"])
        with translation.override("zh-hans"):
            self.assertEqual([indicator_label(land), indicator_label(firms)], ["供地 (亩)", "新入区企业 (家)"])
