"""The data-quality page (/quality/): open plausibility warnings of a park, confirmed by its editors only."""

from decimal import Decimal

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkdash.indicators.models import Figure, FigureWarning
from tests.support import EnglishTestCase, World

URL = reverse("dashboard:quality")
SLIP = "1 亿元 is 1/12 of the figure of 2023, Months 1–6 (12 亿元)"


@override_settings(PARKDASH_ANONYMOUS_READ=False)
class QualityPageTests(World, EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # July's running total typed as 1 亿元 after June's 12 亿元, in each park.
        cls.slip_a = Figure.objects.create(indicator=cls.fai, park=cls.park_a, year=2023, month=7, value=Decimal(1))
        cls.slip_b = Figure.objects.create(indicator=cls.fai, park=cls.park_b, year=2023, month=7, value=Decimal(1))

    def get(self, user, **query):
        if user is not None:
            self.client.force_login(user)
        return self.client.get(URL, query)

    def confirm(self, user, figure, code="jump"):
        if user is not None:
            self.client.force_login(user)
        return self.client.post(URL, {"figure": figure.pk, "code": code})

    def test_an_editor_sees_the_open_warnings_of_the_park_with_a_fix_link_and_a_confirm_button(self):
        response = self.get(self.editor_a, park=self.park_a.pk)
        self.assertContains(response, SLIP)
        self.assertContains(response, reverse("admin:indicators_figure_change", args=[self.slip_a.pk]))
        self.assertContains(response, "The figure is right: confirm")
        self.assertNotContains(response, "乙园区")

    def test_an_editor_confirms_a_warning_which_is_kept_with_the_figure_and_leaves_the_page(self):
        response = self.confirm(self.editor_a, self.slip_a)
        self.assertRedirects(response, f"{URL}?park={self.park_a.pk}&year=2023")
        kept = FigureWarning.objects.get()
        self.assertEqual((kept.figure, kept.code, kept.confirmed_by), (self.slip_a, "jump", self.editor_a))
        self.assertNotContains(self.get(self.editor_a, park=self.park_a.pk), SLIP)

    def test_a_viewer_sees_the_warnings_read_only(self):
        response = self.get(self.viewer_a, park=self.park_a.pk)
        self.assertContains(response, SLIP)
        self.assertNotContains(response, "The figure is right: confirm")
        self.assertNotContains(response, "/admin/")
        self.assertContains(response, "Only the park's editors can confirm warnings.")

    def test_a_viewer_cannot_confirm_a_warning(self):
        self.assertEqual(self.confirm(self.viewer_a, self.slip_a).status_code, 403)
        self.assertFalse(FigureWarning.objects.exists())

    def test_an_editor_of_another_park_neither_sees_nor_confirms_its_warnings(self):
        response = self.get(self.editor_b, park=self.park_a.pk)
        self.assertNotContains(response, "甲园区")
        self.assertContains(response, "乙园区")  # the first park it may see instead
        self.assertEqual(self.confirm(self.editor_b, self.slip_a).status_code, 404)
        self.assertFalse(FigureWarning.objects.exists())

    def test_an_editor_of_no_park_sees_no_park_and_confirms_nothing(self):
        response = self.get(self.editor_none, park=self.park_a.pk)
        self.assertContains(response, "No park yet")
        self.assertNotContains(response, SLIP)
        self.assertEqual(self.confirm(self.editor_none, self.slip_a).status_code, 404)
        self.assertEqual(self.get(self.nobody).status_code, 200)
        self.assertFalse(FigureWarning.objects.exists())

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self):
        self.assertRedirects(self.get(None), f"{reverse('login')}?next={URL}", fetch_redirect_response=False)
        response = self.confirm(None, self.slip_a)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))
        self.assertFalse(FigureWarning.objects.exists())

    def test_the_administrator_sees_every_park(self):
        self.assertContains(self.get(self.administrator, park=self.park_b.pk), SLIP)
        self.assertEqual(self.confirm(self.administrator, self.slip_b).status_code, 302)

    def test_a_bad_query_string_is_not_a_500(self):
        self.client.force_login(self.editor_a)
        for query in ("park=abc&year=-1", "park=99999999999999999999", "year=2023x", "park=&year=", "park=%00"):
            response = self.client.get(URL + "?" + query)
            self.assertEqual(response.status_code, 200, query)

    def test_a_bad_confirmation_is_a_404_or_a_message_never_a_500(self):
        self.client.force_login(self.editor_a)
        for data in ({}, {"figure": "abc"}, {"figure": "-1"}, {"figure": "٣"}, {"figure": "99999999"}):
            self.assertEqual(self.client.post(URL, data).status_code, 404, data)
        response = self.client.post(URL, {"figure": self.slip_a.pk, "code": "bogus"}, follow=True)
        self.assertContains(response, "already confirmed, or no longer applies")
        self.assertFalse(FigureWarning.objects.exists())

    def test_the_navigation_and_the_overview_link_to_the_page(self):
        self.client.force_login(self.viewer_a)
        response = self.client.get(reverse("dashboard:overview"), {"park": self.park_a.pk})
        self.assertContains(response, f'href="{URL}"')
        self.assertContains(response, f'href="{URL}?park={self.park_a.pk}&amp;year=2023"')

    def test_the_page_reads_the_same_number_of_queries_for_few_or_many_figures(self):
        self.client.force_login(self.editor_a)
        self.client.get(URL, {"park": self.park_a.pk, "year": 2023})  # the user's permissions and parks cached
        counts = []
        for month in (8, 9, 10, 11):
            # Each month another falling running total: one more row on the page.
            Figure.objects.create(
                indicator=self.fai,
                park=self.park_a,
                year=2023,
                month=month,
                value=(Decimal(1) / month).quantize(Decimal("0.0001")),
            )
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(URL, {"park": self.park_a.pk, "year": 2023})
            self.assertEqual(len(response.context["rows"]), month - 6)
            counts.append(len(queries))
        self.assertEqual(len(set(counts)), 1, counts)
