"""A park's wording written in the admin (Wording): it replaces the file, it is checked on save, and only the
city level writes the wording of every park."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from parkdash.reports import wording
from parkdash.reports.choices import Pattern
from parkdash.reports.draft import build_draft
from parkdash.reports.models import Wording
from tests.support.personas import World
from tests.support.records import make_figure, make_indicator, make_park


def first_sentence(d):
    return d.sections[0].paragraphs[0].sentences[0].text


class WordingModelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.other = make_park(code="xibu", name="西部园区")
        fai = make_indicator()
        make_figure(fai, cls.park, value=Decimal("20.75"))
        make_figure(fai, cls.other, value=Decimal("3"))

    def test_a_parks_wording_replaces_the_file_for_that_park_only(self):
        Wording.objects.create(
            park=self.park, name="indicator.txt", language="zh", text="{{ name }}为{{ value }}{{ unit }}。"
        )
        self.assertEqual(first_sentence(build_draft(self.park, 2023, 10, language="zh")), "固定资产投资为20.75亿元。")
        self.assertEqual(
            first_sentence(build_draft(self.other, 2023, 10, language="zh")), "1-10月，完成固定资产投资3亿元。"
        )

    def test_the_wording_of_every_park_replaces_the_default_and_a_parks_own_wins(self):
        Wording.objects.create(name="indicator.txt", language="zh", text="全区{{ name }}{{ value }}{{ unit }}。")
        Wording.objects.create(
            park=self.park, name="indicator.txt", language="zh", text="本园{{ name }}{{ value }}{{ unit }}。"
        )
        self.assertEqual(first_sentence(build_draft(self.park, 2023, 10, language="zh")), "本园固定资产投资20.75亿元。")
        self.assertEqual(first_sentence(build_draft(self.other, 2023, 10, language="zh")), "全区固定资产投资3亿元。")

    def test_a_wording_in_another_language_is_not_used(self):
        Wording.objects.create(park=self.park, name="indicator.txt", language="en", text="{{ value }}")
        self.assertEqual(
            first_sentence(build_draft(self.park, 2023, 10, language="zh")), "1-10月，完成固定资产投资20.75亿元。"
        )

    def test_a_wording_saved_past_its_check_falls_back_to_the_file(self):
        Wording.objects.create(park=self.park, name="indicator.txt", language="zh", text="{% if %}")
        self.assertEqual(
            first_sentence(build_draft(self.park, 2023, 10, language="zh")), "1-10月，完成固定资产投资20.75亿元。"
        )

    def test_every_default_pattern_passes_the_check_and_has_sample_values(self):
        for pattern in Pattern:
            self.assertIn(pattern.value, wording.SAMPLES)
            for language in ("zh", "en"):
                source = (wording.WORDING_DIR / language / pattern.value).read_text(encoding="utf-8")
                self.assertEqual(wording.check(pattern.value, language, source), "", (language, pattern.value))

    def test_a_text_that_does_not_compile_is_refused(self):
        wording = Wording(park=self.park, name="indicator.txt", language="zh", text="{% if value %}{{ value }")
        with self.assertRaises(ValidationError) as caught:
            wording.full_clean()
        self.assertIn("text", caught.exception.message_dict)

    def test_a_text_that_loads_a_tag_library_is_refused(self):
        wording = Wording(park=self.park, name="indicator.txt", language="zh", text="{% load parkdash %}{{ value }}")
        with self.assertRaises(ValidationError):
            wording.full_clean()

    def test_a_text_that_fails_with_sample_values_is_refused(self):
        wording = Wording(
            park=self.park, name="indicator.txt", language="zh", text="{{ value|date:'Y' }}{{ name|add:1 }}x"
        )
        wording.full_clean()  # Django's filters swallow bad values: this renders
        empty = Wording(park=self.park, name="indicator.txt", language="zh", text="{% if nothing %}x{% endif %}")
        with self.assertRaises(ValidationError):
            empty.full_clean()

    def test_the_debug_tag_is_refused(self):
        wording = Wording(park=self.park, name="title.txt", language="zh", text="{{ park }}{% debug %}")
        with self.assertRaises(ValidationError):
            wording.full_clean()

    def test_a_good_text_is_accepted(self):
        Wording(
            park=self.park, name="indicator.txt", language="zh", text="{{ name }}{{ value }}{{ unit }}。"
        ).full_clean()


class WordingAdminTests(World, TestCase):
    URL = reverse("admin:reports_wording_add")

    def post(self, user, park):
        self.client.force_login(user)
        data = {"name": "title.txt", "language": "zh", "text": "{{ park }}总结", "park": park.pk if park else ""}
        return self.client.post(self.URL, data)

    def test_an_editor_writes_the_wording_of_their_park(self):
        response = self.post(self.editor_a, self.park_a)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Wording.objects.filter(park=self.park_a, name="title.txt").exists())

    def test_an_editor_cannot_write_the_wording_of_every_park(self):
        response = self.post(self.editor_a, None)
        self.assertEqual(response.status_code, 200)  # the form again, with "this field is required"
        self.assertFalse(Wording.objects.exists())

    def test_an_editor_cannot_write_the_wording_of_another_park(self):
        self.post(self.editor_b, self.park_a)
        self.assertFalse(Wording.objects.filter(park=self.park_a).exists())

    def test_an_editor_does_not_see_every_parks_wording(self):
        default = Wording.objects.create(name="title.txt", language="zh", text="{{ park }}")
        self.client.force_login(self.editor_a)
        response = self.client.get(reverse("admin:reports_wording_change", args=[default.pk]))
        self.assertIn(response.status_code, (302, 403, 404))

    def test_an_administrator_writes_the_wording_of_every_park(self):
        response = self.post(self.administrator, None)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Wording.objects.filter(park=None).exists())

    def test_a_text_that_does_not_compile_is_refused_in_the_admin(self):
        self.client.force_login(self.editor_a)
        data = {"name": "title.txt", "language": "zh", "text": "{% if %}", "park": self.park_a.pk}
        response = self.client.post(self.URL, data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Wording.objects.exists())

    def test_a_viewer_cannot_write_wording(self):
        response = self.post(self.viewer_staff_a, self.park_a)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Wording.objects.exists())
