"""The report lines' admin: an editor of park A adds and reorders A's lines (and starts them from A's indicators with
figures), and can neither see nor touch B's; a viewer cannot change any. Each persona, GET and POST."""

from decimal import Decimal

from parkdash.indicators.models import Indicator
from parkdash.reports.admin import ADD_DEFAULTS, add_default_lines
from parkdash.reports.models import ReportLine
from tests.support import EnglishTestCase, World, admin_url, make_figure, make_indicator

CHANGELIST = admin_url(ReportLine, "changelist")
ADD = admin_url(ReportLine, "add")


class ReportLineAdminTests(World, EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.line_a, cls.line_b = cls.a["report_line"], cls.b["report_line"]
        cls.output = make_indicator("industrial_output")

    def as_user(self, user):
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        return self.client

    def add_body(self, park, indicator, position=5):
        return {"park": park.pk, "indicator": indicator.pk, "position": position, "label": "新行"}

    def reorder_body(self, line, position):
        return {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(line.pk),
            "form-0-position": str(position),
            "_save": "Save",
        }

    # --- editor of A -----------------------------------------------------------------------------------------

    def test_an_editor_lists_only_the_lines_of_their_park(self):
        response = self.as_user(self.editor_a).get(CHANGELIST)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(list(response.context["cl"].queryset), [self.line_a])
        self.assertContains(response, "甲园区")
        self.assertNotContains(response, "乙园区")

    def test_an_editor_adds_a_line_to_their_park(self):
        self.assertEqual(self.as_user(self.editor_a).get(ADD).status_code, 200)
        response = self.client.post(ADD, self.add_body(self.park_a, self.output))
        self.assertEqual(response.status_code, 302)
        line = ReportLine.objects.get(park=self.park_a, indicator=self.output)
        self.assertEqual((line.position, line.label), (5, "新行"))
        self.assertEqual(line.history.count(), 1)

    def test_an_editor_cannot_add_a_line_to_another_park(self):
        response = self.as_user(self.editor_a).post(ADD, self.add_body(self.park_b, self.output))
        self.assertEqual(response.status_code, 200)  # the form again: B is not a choice
        self.assertIn("park", response.context["adminform"].form.errors)
        self.assertFalse(ReportLine.objects.filter(park=self.park_b, indicator=self.output).exists())

    def test_an_editor_reorders_their_lines_in_the_list(self):
        response = self.as_user(self.editor_a).post(CHANGELIST, self.reorder_body(self.line_a, 40))
        self.assertEqual(response.status_code, 302)
        self.line_a.refresh_from_db()
        self.assertEqual(self.line_a.position, 40)

    def test_an_editor_cannot_reorder_another_parks_line(self):
        self.as_user(self.editor_a).post(CHANGELIST, self.reorder_body(self.line_b, 40))
        self.line_b.refresh_from_db()
        self.assertEqual(self.line_b.position, 1)

    def test_an_editor_can_neither_open_nor_change_another_parks_line(self):
        url = admin_url(ReportLine, "change", self.line_b.pk)
        response = self.as_user(self.editor_a).get(url)
        self.assertEqual(response.status_code, 302)  # the admin's "does not exist" redirect
        self.assertNotIn(str(self.line_b.pk), response["Location"])
        response = self.client.post(url, {**self.add_body(self.park_b, self.fai), "position": 99})
        self.line_b.refresh_from_db()
        self.assertEqual(self.line_b.position, 1)

    def test_an_editor_changes_their_own_line(self):
        url = admin_url(ReportLine, "change", self.line_a.pk)
        self.assertEqual(self.as_user(self.editor_a).get(url).status_code, 200)
        response = self.client.post(url, {**self.add_body(self.park_a, self.fai), "position": 7, "label": "固投"})
        self.assertEqual(response.status_code, 302)
        self.line_a.refresh_from_db()
        self.assertEqual((self.line_a.position, self.line_a.label), (7, "固投"))

    def test_the_park_filter_and_the_start_form_offer_only_the_editors_parks(self):
        response = self.as_user(self.editor_a).get(CHANGELIST)
        self.assertContains(response, "data-add-defaults")
        self.assertIn(f'value="{self.park_a.pk}"', response.context["default_park_options"])
        self.assertNotIn(f'value="{self.park_b.pk}"', response.context["default_park_options"])

    # --- starting from the default ----------------------------------------------------------------------------

    def test_an_editor_starts_their_parks_lines_from_its_indicators_with_figures_in_catalogue_order(self):
        ReportLine.objects.filter(park=self.park_a).delete()
        late = make_indicator("tax_revenue", name="税收收入", sort_order=30)
        early = make_indicator("gdp", name="地区生产总值", sort_order=20)
        make_figure(late, self.park_a, value=Decimal(3))
        make_figure(early, self.park_a, kind="target", month=12, value=Decimal(50))
        make_figure(self.output, self.park_b, value=Decimal(9))  # B's: not A's line
        response = self.as_user(self.editor_a).post(CHANGELIST, {"park": self.park_a.pk, ADD_DEFAULTS: "1"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].endswith(f"?park__id__exact={self.park_a.pk}"))
        lines = ReportLine.objects.filter(park=self.park_a).order_by("position")
        # gdp (20), tax_revenue (30), fixed_asset_investment (100); land_supplied has only a zone's figure.
        self.assertEqual(
            [(line.indicator.code, line.position) for line in lines],
            [("gdp", 10), ("tax_revenue", 20), ("fixed_asset_investment", 30)],
        )
        self.assertEqual(ReportLine.history.filter(park=self.park_a, history_type="+").count(), 4)

    def test_starting_again_adds_only_the_missing_lines_after_the_last(self):
        make_figure(self.output, self.park_a, value=Decimal(9))
        self.assertEqual(add_default_lines(self.park_a), 1)
        self.assertEqual(ReportLine.objects.get(park=self.park_a, indicator=self.output).position, 11)
        self.assertEqual(add_default_lines(self.park_a), 0)
        self.assertEqual(ReportLine.objects.filter(park=self.park_a).count(), 2)

    def test_an_editor_cannot_start_another_parks_lines(self):
        make_figure(self.output, self.park_b, value=Decimal(9))
        response = self.as_user(self.editor_a).post(CHANGELIST, {"park": self.park_b.pk, ADD_DEFAULTS: "1"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(ReportLine.objects.filter(park=self.park_b).count(), 1)
        messages = [str(m) for m in response.wsgi_request._messages]
        self.assertEqual(messages, ["No such park, or not one of yours."])

    def test_a_bad_park_to_start_is_an_error_not_a_500(self):
        for value in ("abc", "", "99999999999999999999", "-1"):
            with self.subTest(park=value):
                response = self.as_user(self.editor_a).post(CHANGELIST, {"park": value, ADD_DEFAULTS: "1"})
                self.assertEqual(response.status_code, 302)

    # --- the other personas -----------------------------------------------------------------------------------

    def test_a_viewer_with_staff_status_sees_their_lines_and_changes_nothing(self):
        client = self.as_user(self.viewer_staff_a)
        response = client.get(CHANGELIST)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(list(response.context["cl"].queryset), [self.line_a])
        self.assertNotContains(response, "data-add-defaults")
        self.assertEqual(client.get(ADD).status_code, 403)
        self.assertEqual(client.post(ADD, self.add_body(self.park_a, self.output)).status_code, 403)
        self.assertEqual(client.post(CHANGELIST, {"park": self.park_a.pk, ADD_DEFAULTS: "1"}).status_code, 403)
        client.post(CHANGELIST, self.reorder_body(self.line_a, 40))
        client.post(
            admin_url(ReportLine, "change", self.line_a.pk), {**self.add_body(self.park_a, self.fai), "position": 40}
        )
        self.line_a.refresh_from_db()
        self.assertEqual(self.line_a.position, 1)
        self.assertFalse(ReportLine.objects.filter(indicator=self.output).exists())

    def test_a_viewer_without_staff_status_is_sent_to_the_admin_login(self):
        client = self.as_user(self.viewer_a)
        for method, url in (("get", CHANGELIST), ("get", ADD), ("post", CHANGELIST), ("post", ADD)):
            with self.subTest(method=method, url=url):
                response = getattr(client, method)(
                    url, {"park": self.park_a.pk, ADD_DEFAULTS: "1"} if method == "post" else {}
                )
                self.assertEqual(response.status_code, 302)
                self.assertIn("/admin/login/", response["Location"])
        self.assertEqual(ReportLine.objects.count(), 2)

    def test_anonymous_visitors_are_sent_to_the_admin_login(self):
        client = self.as_user(None)
        for method in ("get", "post"):
            with self.subTest(method=method):
                response = getattr(client, method)(CHANGELIST)
                self.assertEqual(response.status_code, 302)
                self.assertIn("/admin/login/", response["Location"])

    def test_an_editor_of_b_sees_b_and_not_a(self):
        response = self.as_user(self.editor_b).get(CHANGELIST)
        self.assertEqual(list(response.context["cl"].queryset), [self.line_b])
        self.assertEqual(self.client.get(admin_url(ReportLine, "change", self.line_a.pk)).status_code, 302)
        self.assertEqual(self.client.get(admin_url(ReportLine, "change", self.line_b.pk)).status_code, 200)

    def test_an_editor_of_no_park_sees_no_line_and_adds_none(self):
        client = self.as_user(self.editor_none)
        response = client.get(CHANGELIST)
        self.assertEqual(list(response.context["cl"].queryset), [])
        client.post(ADD, self.add_body(self.park_a, self.output))
        client.post(CHANGELIST, {"park": self.park_a.pk, ADD_DEFAULTS: "1"})
        self.assertEqual(ReportLine.objects.count(), 2)

    def test_the_administrator_manages_every_parks_lines(self):
        client = self.as_user(self.administrator)
        response = client.get(CHANGELIST)
        self.assertEqual(set(response.context["cl"].queryset), {self.line_a, self.line_b})
        client.post(ADD, self.add_body(self.park_b, self.output))
        self.assertTrue(ReportLine.objects.filter(park=self.park_b, indicator=self.output).exists())
        self.assertEqual(Indicator.objects.filter(code="industrial_output").count(), 1)
