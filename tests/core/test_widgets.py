"""QuickSelect writes the same <select> as Django's Select, only faster."""

import re
from unittest import mock

from django import forms
from django.test import SimpleTestCase
from django.utils import choices as django_choices
from django.utils.safestring import mark_safe
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


class CallableChoicesTests(SimpleTestCase):
    """Choices from a callable (the filters' park, zone and indicator lists) are read as the callable gives them."""

    CASES = [
        lambda: [("", "---------"), (1, "甲园区"), (2, 'a<b & "c"')],
        lambda: [(1, "no empty option first"), ("", "---------")],
        lambda: [("", gettext_lazy("Actual")), ("target", gettext_lazy("Target"))],
        lambda: [("", "---------"), ("Group <1>", [(1, "x"), (2, "y")]), (3, "z")],  # a group: normalized
        lambda: [("", "---------"), (1, 2024)],  # a label that is not a string: normalized
        lambda: [("", "---------"), (1, "a\x00b & c"), ("<2>", "d\x00e")],  # escaped together but for \x00
        lambda: [("", "---------"), (1, mark_safe("<b>safe</b>")), (2, "<i>")],  # a safe label as it is
        lambda: (("", "---------"), (1, "a tuple of choices")),
        lambda: [],
    ]

    def test_renders_what_djangos_select_renders_with_the_required_attribute_as_django_decides_it(self):
        class Form(forms.Form):
            fast = forms.ChoiceField(widget=QuickSelect)
            slow = forms.ChoiceField()

        for make in self.CASES:
            for value in (None, "1", "target"):
                with self.subTest(choices=make(), value=value):
                    form = Form({"fast": value, "slow": value} if value else None)
                    form.fields["fast"].widget.choices = make
                    form.fields["slow"].widget.choices = make
                    self.assertEqual(
                        squeeze(form["fast"]).replace("fast", "f"), squeeze(form["slow"]).replace("slow", "f")
                    )

    def test_rendering_does_not_normalize_the_choices_per_option(self):
        def normalizations(count):
            choices = [("", "---------")] + [(n, f"园区 {n}") for n in range(count)]
            widget = QuickSelect()
            widget.choices = lambda: choices
            with mock.patch.object(
                django_choices, "normalize_choices", side_effect=django_choices.normalize_choices
            ) as counter:
                widget.use_required_attribute(None)
                html = widget.render("park", "3")
            self.assertIn('<option value="3" selected>园区 3</option>', html)
            return counter.call_count

        self.assertEqual(normalizations(10), normalizations(250))


class EscapeTests(SimpleTestCase):
    def test_option_values_and_labels_are_escaped_as_django_escapes_them(self):
        from django.utils.html import conditional_escape
        from django.utils.safestring import mark_safe

        samples = ["", "12", "甲园区", "a&b", "<i>", 'say "x"', "it's", "&amp;", 7, 2.5, None, gettext_lazy("Actual")]
        for sample in [*samples, mark_safe("<b>safe</b>")]:
            with self.subTest(sample=sample):
                self.assertEqual(
                    options_html([(sample, sample, False)]),
                    '<option value="{0}">{0}</option>'.format(conditional_escape(sample)),
                )
