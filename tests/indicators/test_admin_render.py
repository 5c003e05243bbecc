"""The figure admin's add and change forms rendered cheaply (issue 17, point 4): Django's form templates and the
admin's fieldsets by Jinja2 (parkdash/core/renderers.py, templatetags/parkdash_admin.py), the pages the same as
Django's own rendering writes them, in both languages, with the plausibility warnings and their confirmation."""

import json
from decimal import Decimal
from unittest import mock

from django.contrib.admin.widgets import AutocompleteMixin
from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from parkdash.core.roles import EDITOR, VIEWER
from parkdash.indicators.models import Figure
from tests.core.test_renderers import (
    StockFieldset,
    assert_written_as_rendered,
    comparable,
    django_s_own_rendering,
    recorded_renders,
)
from tests.support import admin_form_data, make_figure, make_park, persona

from .test_admin import FIGURE_ADD, FigureAdminTestCase

LANGUAGES = ("en", "zh-hans")


class FigureFormRenderingTests(FigureAdminTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.may = make_figure(cls.fai, cls.park, month=5, value=Decimal("18.5"))
        cls.june = make_figure(cls.fai, cls.park, month=6, value=Decimal("19"), note="<checked> & 'sent'")
        cls.in_zone = make_figure(cls.fai, cls.park, zone=cls.zone, month=5, value=Decimal("3"))
        cls.editor = persona("editor", EDITOR, [cls.park], staff=True)
        cls.viewer = persona("viewer", VIEWER, [cls.park], staff=True)

    def change_url(self):
        return reverse("admin:indicators_figure_change", args=[self.june.pk])

    def pages(self, language):
        """The pages of the figure form a person sees: add, change, an add with errors, the warnings to confirm
        (added and changed), and the indicator with its figure rows."""
        get = lambda url: self.client.get(url, HTTP_ACCEPT_LANGUAGE=language)  # noqa: E731
        post = lambda url, data: self.client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)  # noqa: E731
        change = get(self.change_url())
        return {
            "add": get(FIGURE_ADD),
            "change": change,
            "errors": post(FIGURE_ADD, self.form_data(month=13, year="x", entered_value="abc")),
            "add warnings": post(FIGURE_ADD, self.form_data(month=7, entered_value="3214")),
            "change warnings": post(self.change_url(), admin_form_data(change, entered_value="3214")),
            "zone figure": get(reverse("admin:indicators_figure_change", args=[self.in_zone.pk])),
            "indicator": get(reverse("admin:indicators_indicator_change", args=[self.fai.pk])),
        }

    def test_the_figure_pages_are_the_html_django_s_own_rendering_writes(self):
        for user in (self.admin, self.editor):
            self.client.force_login(user)
            for language in LANGUAGES:
                ours = self.pages(language)
                with django_s_own_rendering():
                    django_s = self.pages(language)
                for name, response in ours.items():
                    with self.subTest(user=user.username, language=language, page=name):
                        self.assertEqual(response.status_code, 200)
                        self.assertEqual(comparable(response.content), comparable(django_s[name].content))
        self.assertEqual(Figure.objects.count(), 3)  # the warnings saved nothing

    def viewer_pages(self, language):
        """The read-only pages a viewer sees: a figure, a zone's figure."""
        self.client.force_login(self.viewer)
        urls = {
            "figure": self.change_url(),
            "zone figure": reverse("admin:indicators_figure_change", args=[self.in_zone.pk]),
        }
        return {name: self.client.get(url, HTTP_ACCEPT_LANGUAGE=language) for name, url in urls.items()}

    def test_a_viewer_s_read_only_pages_are_the_html_django_s_own_rendering_writes(self):
        for language in LANGUAGES:
            ours = self.viewer_pages(language)
            with django_s_own_rendering():
                django_s = self.viewer_pages(language)
            for name, response in ours.items():
                with self.subTest(language=language, page=name):
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, '<div class="readonly">')
                    self.assertEqual(comparable(response.content), comparable(django_s[name].content))

    def test_what_the_pages_write_in_python_is_exactly_what_the_templates_render(self):
        # Exactly, blank lines and all (the comparison above leaves out the blank lines between <option>s).
        with recorded_renders() as seen:
            for user in (self.admin, self.editor):
                self.client.force_login(user)
                for language in LANGUAGES:
                    self.pages(language)
            for language in LANGUAGES:
                self.viewer_pages(language)
        written = {name for _renderer, name, _context in seen}
        for name in ("admin/widgets/related_widget_wrapper.html", "django/forms/label.html"):
            self.assertIn(name, written)
        self.assertGreater(assert_written_as_rendered(self, seen), 100)

    def test_every_fieldset_of_the_pages_is_written_exactly_as_django_s_template_writes_it(self):
        from parkdash.core.templatetags import parkdash_admin

        written = []
        fieldset_html = parkdash_admin.fieldset_html

        def record(values):
            html = fieldset_html(values)
            written.append((values, html, StockFieldset.render(values)))
            return html

        with mock.patch.object(parkdash_admin, "fieldset_html", record):
            for user in (self.admin, self.editor):
                self.client.force_login(user)
                for language in LANGUAGES:
                    with translation.override(language):
                        self.pages(language)
            for language in LANGUAGES:
                with translation.override(language):
                    self.viewer_pages(language)
        self.assertGreater(len(written), 20)
        for values, ours, django_s in written:
            with self.subTest(fieldset=values["fieldset"].name):
                self.assertEqual(ours + "\n", django_s)

    def test_the_warnings_are_shown_with_the_confirm_box_and_confirmed_the_figure_is_saved(self):
        for language, text in (("en", "I checked these figures"), ("zh-hans", "169.2")):
            with self.subTest(language=language):
                response = self.client.post(
                    FIGURE_ADD, self.form_data(month=7, entered_value="3214"), HTTP_ACCEPT_LANGUAGE=language
                )
                self.assertContains(response, text)
                self.assertContains(response, 'type="checkbox" name="confirm_warnings"')
                self.assertContains(response, '<ul class="plausibility-warnings"><li>')
        data = admin_form_data(response, confirm_warnings="on")
        response = self.client.post(FIGURE_ADD, data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Figure.objects.get(month=7).warnings.get().code, "jump")

    def test_the_change_form_shows_the_chosen_indicator_park_and_zone_without_looking_them_up(self):
        url = reverse("admin:indicators_figure_change", args=[self.in_zone.pk])
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        for field, record in (("indicator", self.fai), ("park", self.park), ("zone", self.zone)):
            self.assertContains(response, f'<option value="{record.pk}" selected>{record}</option>', html=True)
            table = record._meta.db_table
            lookups = [q["sql"] for q in queries if f'WHERE "{table}"."id" IN' in q["sql"]]  # the widget's own
            self.assertEqual(lookups, [], field)

    def test_the_add_form_s_empty_selects_and_the_change_form_s_chosen_ones_look_nothing_up(self):
        looked_up = mock.patch.object(AutocompleteMixin, "optgroups", side_effect=AssertionError("looked up"))
        for url in (FIGURE_ADD, reverse("admin:indicators_figure_change", args=[self.in_zone.pk])):
            with self.subTest(url=url), looked_up:
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'data-field-name="zone"')

    def test_a_form_shown_again_shows_the_choices_it_was_sent(self):
        other = make_park(code="other", name="Other park")
        response = self.client.post(
            self.change_url(), self.form_data(month=6, park=other.pk, zone=self.zone.pk, entered_value="19")
        )
        self.assertContains(response, f'<option value="{other.pk}" selected>{other}</option>', html=True)
        self.assertContains(response, f'<option value="{self.zone.pk}" selected>{self.zone}</option>', html=True)

    def test_django_s_engine_renders_no_form_template_of_the_figure_form(self):
        # The related-object links Django's engine rendered (only it has admin/widgets/related_widget_wrapper.html)
        # are written in Python, as are the labels, inputs and selects (core/renderers.py WRITTEN).
        for url in (FIGURE_ADD, self.change_url()):
            with self.subTest(url=url):
                response = self.client.get(url)
                rendered = {template.name for template in response.templates}
                self.assertNotIn("admin/widgets/related_widget_wrapper.html", rendered)
                self.assertEqual({name for name in rendered if name.startswith("django/forms/")}, set())
                self.assertEqual(
                    [name for name in rendered if name == "admin/includes/fieldset.html"],
                    ["admin/includes/fieldset.html"],  # ours: the tag that writes it in Python
                )

    def test_the_related_links_urls_are_reversed_once_and_follow_the_script_prefix(self):
        from django.urls import clear_script_prefix, get_script_prefix, set_script_prefix

        from parkdash.indicators.admin import LinkedWidgetWrapper

        response = self.client.get(self.change_url())
        widget = response.context["adminform"].form.fields["park"].widget
        self.assertIs(type(widget), LinkedWidgetWrapper)
        info = ("parks", "park")
        with mock.patch("django.contrib.admin.widgets.reverse", wraps=reverse) as reversed_:
            first = widget.get_related_url(info, "change", "__fk__")
            self.assertEqual(widget.get_related_url(info, "change", "__fk__"), first)
        self.assertLessEqual(reversed_.call_count, 1)
        self.assertEqual(first, reverse("admin:parks_park_change", args=["__fk__"]))
        prefix = get_script_prefix()
        set_script_prefix("/parkdash/")
        try:
            self.assertEqual(widget.get_related_url(info, "add"), "/parkdash/admin/parks/park/add/")
        finally:
            clear_script_prefix()
            set_script_prefix(prefix)
        self.assertEqual(widget.get_related_url(info, "add"), "/admin/parks/park/add/")


def unit_select_as_django_writes_it(select, name, value, attrs=None):
    """UnitSelect.render as it was written with Django's format_html() and flatatt() (before issue 17's fourth
    round): the reference the select written in Python is compared with."""
    from django.forms.utils import flatatt
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    from parkdash.core import units
    from parkdash.indicators.forms import SHOWN_SUFFIX, blank_label, dimension_label

    def group(dimension, symbols, selected):
        options = [
            format_html(
                '<option value="{}" data-dimension="{}"{}>{}</option>',
                symbol,
                dimension,
                " selected" if symbol == selected else "",
                symbol,
            )
            for symbol in symbols
        ]
        return format_html(
            '<optgroup label="{}" data-dimension="{}">{}</optgroup>',
            dimension_label(dimension),
            dimension,
            mark_safe("".join(options)),
        )

    value = select.format_value(value)
    attrs = select.build_attrs(select.attrs, attrs)
    attrs.update(
        {
            "data-unit-select": "",
            "data-blank-known": translation.gettext("%(unit)s (the indicator's unit)"),
            "data-blank-unknown": blank_label(None),
            "data-unit": select.unit or "",
        }
    )
    if select.follow_page_unit:
        attrs["data-inline-unit"] = ""
    if select.indicator_units is not None:
        attrs["data-indicator-units"] = json.dumps(select.indicator_units, ensure_ascii=False)
    if select.indicator_field:
        attrs["data-indicator-field"] = select.indicator_field
    offered = set()
    body = [format_html('<option value=""{}>{}</option>', " selected" if not value else "", blank_label(select.unit))]
    for dimension, symbols in select.groups():
        offered.update(symbols)
        body.append(group(dimension, tuple(symbols), value if value in symbols else None))
    if value and value not in offered:
        dimension = units.get_unit(value).dimension if units.is_known(value) else ""
        body.insert(
            1, format_html('<option value="{}" data-dimension="{}" selected>{}</option>', value, dimension, value)
        )
    html = format_html("<select{}>{}</select>", flatatt({"name": name, **attrs}), mark_safe("".join(body)))
    shown = format_html(
        '<input type="hidden" name="{}" value="{}" data-unit-shown>', name + SHOWN_SUFFIX, select.unit or ""
    )
    return format_html("{}{}", html, shown)


class UnitSelectRenderingTests(SimpleTestCase):
    def test_the_unit_select_is_written_as_format_html_and_flatatt_wrote_it(self):
        from itertools import product

        from parkdash.indicators.forms import UnitSelect

        selects = [
            UnitSelect(),
            UnitSelect(unit="亿元"),
            UnitSelect(unit="亿元", indicator_units={"1": "亿元", "2": 'a"<b>&'}, indicator_field="indicator"),
            UnitSelect(attrs={"class": "x<y", "required": True, "disabled": False, "aria-x": None}, unit="公顷"),
            UnitSelect(unit="万元", follow_page_unit=True),
        ]
        values = ("", None, "万元", "亿元", "平方米", 'x"<y>', "亩")
        for (index, select), value, language in product(enumerate(selects), values, LANGUAGES):
            with self.subTest(select=index, value=value, language=language), translation.override(language):
                attrs = {"id": "id_entered_unit", "aria-describedby": "a b"}
                ours = select.render("entered_unit", value, attrs)
                self.assertEqual(ours, unit_select_as_django_writes_it(select, "entered_unit", value, attrs))
                self.assertTrue(hasattr(ours, "__html__"))
