"""The figure admin's plausibility warnings: shown, nothing saved until a person confirms, then kept with the figure."""

from decimal import Decimal

from django.urls import reverse

from parkdash.core.roles import VIEWER
from parkdash.indicators.models import Figure, FigureWarning
from tests.support import admin_form_data, make_figure, persona

from .test_admin import FIGURE_ADD, FigureAdminTestCase


class FigureAdminWarningTests(FigureAdminTestCase):
    def setUp(self):
        super().setUp()
        self.may = make_figure(self.fai, self.park, month=5, value=Decimal("18.5"))

    def slip(self, **kwargs):
        # 3214 typed meaning 万元, the unit left blank: 3214 亿元.
        return self.client.post(FIGURE_ADD, self.form_data(month=6, entered_value="3214", **kwargs))

    def test_the_wan_yi_slip_shows_the_warning_and_saves_nothing(self):
        response = self.slip()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "3,214 亿元 is 173.7 times the figure of 2023, Months 1–5 (18.5 亿元)")
        self.assertContains(response, "I checked these figures")
        self.assertContains(response, 'type="checkbox" name="confirm_warnings"')
        self.assertEqual(list(Figure.objects.all()), [self.may])
        self.assertFalse(FigureWarning.objects.exists())

    def test_saving_again_without_ticking_the_box_still_saves_nothing(self):
        form = self.slip().context["adminform"].form
        response = self.slip(warnings_shown=form.data["warnings_shown"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Figure.objects.count(), 1)

    def test_with_the_box_ticked_the_figure_is_saved_and_the_warning_kept_with_who_confirmed_it(self):
        form = self.slip().context["adminform"].form
        response = self.slip(warnings_shown=form.data["warnings_shown"], confirm_warnings="on")
        self.assertEqual(response.status_code, 302)
        june = Figure.objects.get(month=6)
        self.assertEqual(june.value, Decimal("3214"))
        (kept,) = june.warnings.all()
        self.assertEqual((kept.code, kept.value, kept.confirmed_by), ("jump", Decimal("3214"), self.admin))
        self.assertIn("173.7 times", kept.message)

    def test_a_box_ticked_for_other_warnings_does_not_confirm_these(self):
        response = self.slip(warnings_shown="fall@17", confirm_warnings="on")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Figure.objects.count(), 1)

    def test_a_plausible_figure_saves_at_once(self):
        response = self.client.post(FIGURE_ADD, self.form_data(month=6, entered_value="20.75"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Figure.objects.count(), 2)

    def test_a_confirmed_figure_saves_again_unchanged_without_asking(self):
        form = self.slip().context["adminform"].form
        self.slip(warnings_shown=form.data["warnings_shown"], confirm_warnings="on")
        june = Figure.objects.get(month=6)
        url = reverse("admin:indicators_figure_change", args=[june.pk])
        page = self.client.get(url)
        self.assertContains(page, "173.7 times")  # the confirmed warning, shown on the figure
        response = self.client.post(url, admin_form_data(page, note="checked with the bureau"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Figure.objects.get(month=6).note, "checked with the bureau")

    def test_changing_a_confirmed_figure_s_value_asks_again(self):
        form = self.slip().context["adminform"].form
        self.slip(warnings_shown=form.data["warnings_shown"], confirm_warnings="on")
        june = Figure.objects.get(month=6)
        url = reverse("admin:indicators_figure_change", args=[june.pk])
        response = self.client.post(url, admin_form_data(self.client.get(url), entered_value="3215"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "3,215 亿元 is 173.8 times")
        self.assertEqual(Figure.objects.get(month=6).value, Decimal("3214"))

    def test_a_viewer_reads_a_figure_and_its_history_without_the_confirm_box(self):
        viewer = persona("viewer", VIEWER, [self.park], staff=True)
        self.client.force_login(viewer)
        version = self.may.history.get()
        for url in (
            reverse("admin:indicators_figure_change", args=[self.may.pk]),
            reverse("admin:indicators_figure_simple_history", args=[self.may.pk, version.history_id]),
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertNotContains(response, "confirm_warnings")

    def test_the_warnings_are_repeated_under_the_confirm_box(self):
        form = self.slip().context["adminform"].form
        self.assertIn("173.7 times", str(form["confirm_warnings"].help_text))
        self.assertFalse(form["confirm_warnings"].is_hidden)
