"""The summary draft page /reports/summary/ and its .docx: scoping, parameters, personas, links, the file."""

import io
import re
from decimal import Decimal
from urllib.parse import unquote

import docx
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from parkdash.core.roles import VIEWER
from tests.support.personas import World, markers, persona
from tests.support.records import make_figure, make_indicator, make_park, make_project

URL = reverse("reports:summary")
SENTENCE = "1-10月，完成固定资产投资20.75亿元，同比增长42.45%，完成年度目标的86.5%，超序时进度3.2个百分点。"


def open_docx(response):
    return docx.Document(io.BytesIO(response.content))


class SummaryPagePersonaTests(World, TestCase):
    def get(self, user, park, **params):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client.get(URL, {"park": park.pk, "year": 2023, "month": 6, **params})

    def test_a_viewer_of_a_sees_the_draft_of_a(self):
        response = self.get(self.viewer_a, self.park_a)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "fixed-asset investment reached")
        self.assertContains(response, "29.47")  # park A's growth, stated with its figure

    def test_a_viewer_of_a_asking_for_b_gets_404_and_nothing_of_b(self):
        response = self.get(self.viewer_a, self.park_b)
        self.assertEqual(response.status_code, 404)
        for marker in markers(self.b):
            self.assertIsNone(marker.find(response.content.decode()), marker.text)

    def test_a_viewer_of_a_asking_for_the_docx_of_b_gets_404(self):
        self.assertEqual(self.get(self.viewer_a, self.park_b, _export="docx").status_code, 404)

    def test_an_editor_of_a_gets_links_to_the_admin_and_an_editor_of_b_gets_404_for_a(self):
        response = self.get(self.editor_a, self.park_a)
        self.assertContains(response, reverse("admin:indicators_figure_change", args=[self.a["figure"].pk]))
        self.assertEqual(self.get(self.editor_b, self.park_a).status_code, 404)

    def test_a_viewer_gets_links_to_the_indicator_page_not_the_admin(self):
        response = self.get(self.viewer_a, self.park_a)
        self.assertContains(response, self.fai.get_absolute_url() + "?park={}".format(self.park_a.pk))
        self.assertNotContains(response, "/admin/")

    def test_a_user_of_no_park_gets_404(self):
        self.assertEqual(self.get(self.nobody, self.park_a).status_code, 404)
        self.assertEqual(self.get(self.editor_none, self.park_a).status_code, 404)

    def test_an_anonymous_visitor_is_sent_to_log_in(self):
        response = self.get(None, self.park_a)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])

    @override_settings(PARKDASH_ANONYMOUS_READ=True)
    def test_an_anonymous_visitor_reads_the_draft_when_the_site_allows_it(self):
        self.assertEqual(self.get(None, self.park_a).status_code, 200)

    def test_post_answers_405_for_every_persona_that_may_read(self):
        for user in (self.viewer_a, self.editor_a, self.editor_b, self.nobody, self.administrator):
            client = Client()
            client.force_login(user)
            response = client.post(URL + "?park={}&year=2023&month=6".format(self.park_a.pk))
            self.assertEqual(response.status_code, 405, user.username)

    def test_an_anonymous_post_changes_nothing_and_is_sent_to_log_in(self):
        response = Client().post(URL, {"park": self.park_a.pk})
        self.assertEqual(response.status_code, 302)

    def test_bad_parameters_are_answered_with_4xx(self):
        for params, status in (
            ({"park": "abc"}, 404),
            ({"park": "999999"}, 404),
            ({"park": self.park_a.pk, "month": "13"}, 400),
            ({"park": self.park_a.pk, "year": "abc"}, 400),
            ({"park": self.park_a.pk, "_export": "pdf"}, 400),
            ({"park": self.park_a.pk, "_export": "xlsx"}, 400),
        ):
            client = Client()
            client.force_login(self.viewer_a)
            self.assertEqual(client.get(URL, params).status_code, status, params)

    def test_a_bad_month_is_answered_with_a_page_that_says_which_parameter(self):
        client = Client(headers={"accept-language": "en"})
        client.force_login(self.viewer_a)
        response = client.get(URL, {"park": self.park_a.pk, "month": "13"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "month must be a whole number from 1 to 12", status_code=400)


class SummaryPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.fai = make_indicator("fixed_asset_investment")
        cls.actual = make_figure(cls.fai, cls.park, value=Decimal("20.75"), yoy_pct=Decimal("42.45"))
        cls.target = make_figure(cls.fai, cls.park, month=12, kind="target", value=Decimal("24"))
        cls.project = make_project(cls.park, phase="new_start", ytd_investment=Decimal("3214"))
        cls.viewer = persona("viewer", VIEWER, [cls.park])

    def setUp(self):
        self.client.force_login(self.viewer)

    def test_the_page_shows_the_sentence_with_every_number_a_link(self):
        params = {"park": self.park.pk, "year": 2023, "month": 10}
        response = self.client.get(URL, params, HTTP_ACCEPT_LANGUAGE="zh-hans")
        html = response.content.decode()
        text = re.sub(r"<[^>]+>", "", html)
        self.assertIn(SENTENCE, text)
        figure_link = self.fai.get_absolute_url() + "?park={}".format(self.park.pk)
        for number in ("20.75", "42.45", "86.5", "3.2"):
            self.assertRegex(html, r'<a href="{}">{}</a>'.format(re.escape(figure_link), re.escape(number)))
        self.assertIn('<a href="{}">{}</a>'.format(self.project.get_absolute_url(), self.project.name), html)
        self.assertContains(response, 'data-copy-from="draft-text"')
        self.assertContains(response, "_export=docx")

    def test_a_park_with_nothing_to_report_gets_a_page_and_a_file_that_say_so(self):
        empty = make_park(code="xibu", name="西部园区")
        empty.members.add(self.viewer)
        response = self.client.get(URL, {"park": empty.pk}, HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, "No figures, projects, enterprises or works to report")
        response = self.client.get(URL, {"park": empty.pk, "_export": "docx"}, HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(open_docx(response).tables, [])

    def test_the_page_reads_in_english(self):
        response = self.client.get(URL, {"park": self.park.pk, "year": 2023, "month": 10}, HTTP_ACCEPT_LANGUAGE="en")
        text = re.sub(r"<[^>]+>", "", response.content.decode())
        self.assertIn(
            "In months 1–10, fixed-asset investment reached 20.75 (100M yuan), up 42.45% year on year, 86.5% of the "
            "annual target, 3.2 percentage points ahead of the time-elapsed pace.",
            text,
        )

    def test_the_docx_has_the_title_headings_paragraphs_and_the_completion_table(self):
        response = self.client.get(
            URL, {"park": self.park.pk, "year": 2023, "month": 10, "_export": "docx"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
        self.assertEqual(response.status_code, 200)
        disposition = response["Content-Disposition"]
        self.assertIn('filename="summary-draft-dongbu-2023-10.docx"', disposition)
        self.assertIn("工作总结草稿-dongbu-2023-10.docx", unquote(disposition))
        document = open_docx(response)
        headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Head", "Title"))]
        self.assertEqual(headings[0], ("Title", "东部产业集聚区2023年1-10月工作总结（草稿）"))
        self.assertIn(("Heading 1", "一、主要经济指标完成情况"), headings)
        self.assertIn(("Heading 1", "二、项目建设"), headings)
        texts = [p.text for p in document.paragraphs]
        self.assertIn(SENTENCE, texts)
        table = document.tables[0]
        self.assertEqual(len(table.rows), 2)
        cells = [c.text for c in table.rows[1].cells]
        self.assertEqual(cells, ["固定资产投资", "亿元", "24", "20.75", "42.45", "86.5", "83.3", "+3.2"])
        self.assertEqual(len(table.rows[0].cells), 8)
