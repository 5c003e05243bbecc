"""QuickSelect writes the same <select> as Django's Select, only faster."""

import re

from django import forms
from django.test import SimpleTestCase
from django.utils.translation import gettext_lazy

from parkdash.core.widgets import QuickSelect, options_html


def squeeze(html):
    return re.sub(r">\s+<", "><", str(html)).strip()


class QuickSelectTests(SimpleTestCase):
    CASES = [
        ([("", "---------"), (1, "甲园区"), (2, 'a<b & "c"')], 2),
        ([("", "---------"), ("Group <1>", [(1, "x"), (2, "y")]), (3, "z")], "1"),
        ([("actual", gettext_lazy("Actual")), ("target", gettext_lazy("Target"))], None),
        ([], None),
    ]

    def test_renders_what_djangos_select_renders(self):
        for choices, value in self.CASES:
            with self.subTest(choices=choices, value=value):
                attrs = {"id": "id_f", "onchange": "this.form.submit()", "required": True}
                self.assertEqual(
                    squeeze(QuickSelect(choices=choices).render("f", value, attrs)),
                    squeeze(forms.Select(choices=choices).render("f", value, attrs)),
                )

    def test_a_form_field_renders_the_same_and_keeps_its_value(self):
        class Form(forms.Form):
            fast = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=QuickSelect)
            slow = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])

        form = Form({"fast": "b", "slow": "b"})
        self.assertTrue(form.is_valid())
        self.assertEqual(squeeze(form["fast"]).replace("fast", "f"), squeeze(form["slow"]).replace("slow", "f"))

    def test_options_escape_values_and_labels(self):
        self.assertEqual(options_html([('1"', "<b>", True)]), '<option value="1&quot;" selected>&lt;b&gt;</option>')
