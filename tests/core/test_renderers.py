"""The form renderer (parkdash/core/renderers.py) and the admin's fieldsets (templatetags/parkdash_admin.py): Django's
own templates rendered by Jinja2, writing the HTML Django's engine writes."""

import re
from contextlib import contextmanager
from decimal import Decimal
from itertools import product
from pathlib import Path
from unittest import mock

import django.contrib.admin
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import Context, Engine
from django.test import SimpleTestCase, TestCase, override_settings
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from parkdash.core.renderers import FormRenderer, escape, escaped_text

STOCK_ADMIN = Engine(
    dirs=[Path(django.contrib.admin.__file__).parent / "templates"],
    libraries={"i18n": "django.templatetags.i18n"},
)


class StockFieldset:
    """Django's admin/includes/fieldset.html, rendered by Django's engine, in place of ours."""

    @staticmethod
    def render(values):
        return STOCK_ADMIN.get_template("admin/includes/fieldset.html").render(Context(values))


def stock_app_list(context):
    """The sidebar's app list as Django's admin/nav_sidebar.html includes admin/app_list.html, by Django's engine."""
    values = {"app_list": context["available_apps"], "show_changelinks": False, "request": context["request"]}
    return STOCK_ADMIN.get_template("admin/app_list.html").render(Context(values))


@contextmanager
def django_s_own_rendering():
    """Pages rendered as Django renders them without ParkDash's renderer: its default form renderer, its own
    fieldset template and its own sidebar, never cached."""
    with (
        override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"),
        mock.patch("parkdash.core.templatetags.parkdash_admin.fieldset_template", StockFieldset),
        mock.patch("parkdash.parks.templatetags.parks_admin.app_list_html", stock_app_list),
        mock.patch("parkdash.parks.versions.cached", lambda _name, _versions, _parts, compute: compute()),
    ):
        yield


def comparable(html):
    """A page's HTML without its CSRF token and the blank lines Django's <option> template leaves between options
    (whitespace between <option>s means nothing to a browser)."""
    html = html.decode() if isinstance(html, bytes) else str(html)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)
    return re.sub(r"\n\s*\n", "\n", html)


class Choices(forms.Form):
    park = forms.ChoiceField(
        choices=[("", "---------"), ("1", "甲园区"), ("2", "a<b & \"c\" 'd'")],
        help_text="Pick <one>",
    )
    kind = forms.ChoiceField(choices=[("Groups", [("a", "A"), ("b", "B")]), ("c", "C")], required=False)
    parks = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two")], widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(widget=forms.Textarea, initial="<b>&'\"")
    amount = forms.DecimalField(max_value=10)
    when = forms.SplitDateTimeField(required=False)
    agreed = forms.BooleanField(label="I checked “these”")
    secret = forms.CharField(widget=forms.HiddenInput, initial='x"y')


class Plural(str):
    """A str subclass, which Django's escape() escapes as any str."""


class FormRendererTests(SimpleTestCase):
    def rendered(self, renderer, data=None):
        form = Choices(data, renderer=renderer, initial={"park": "2", "kind": "b", "parks": ["2"]})
        return comparable(form.render())

    def test_a_form_renders_as_with_django_s_own_templates(self):
        # The same elements, attributes and text; only the whitespace between and around tags can differ (Django's
        # Jinja2 templates are written without some of its line breaks), which a browser shows alike.
        for data in (None, {"park": "9", "amount": "11", "note": "<i>", "parks": ["1", "3"]}):
            with self.subTest(bound=data is not None):
                self.assertHTMLEqual(self.rendered(FormRenderer(), data), self.rendered(DjangoTemplates(), data))

    def test_values_are_escaped_as_django_escapes_them(self):
        html = self.rendered(FormRenderer())
        self.assertIn("&lt;b&gt;&amp;&#x27;&quot;</textarea>", html)
        self.assertIn("a&lt;b &amp; &quot;c&quot; &#x27;d&#x27;", html)
        self.assertNotIn("&#34;", html)

    def test_the_engine_s_escape_gives_what_conditional_escape_gives_for_every_kind_of_value(self):
        values = [
            "a<b & \"c\" 'd'",
            "甲园区",
            "",
            mark_safe("<b>kept</b>"),
            SafeString("<i>x</i>"),
            12,
            Decimal("1.50"),
            None,
            gettext_lazy("Add"),
            format_lazy("{}<{}", "a", "b"),
            mark_safe(gettext_lazy("Add")),
            Plural("<x>"),
        ]
        for value in values:
            with self.subTest(value=value):
                ours = escape(value)
                self.assertEqual(str(ours), str(conditional_escape(value)))
                self.assertTrue(hasattr(ours, "__html__"))
                self.assertEqual(str(escaped_text(value)), str(conditional_escape(value)))

    def test_django_s_form_templates_are_rendered_by_jinja2_and_the_admin_s_by_django_s_engine(self):
        renderer = FormRenderer()
        self.assertEqual(
            type(renderer.get_template("django/forms/widgets/select.html")).__module__,
            "django.template.backends.jinja2",
        )
        wrapper = renderer.get_template("admin/widgets/related_widget_wrapper.html")
        self.assertEqual(type(wrapper).__module__, "django.template.backends.django")
        self.assertIs(type(renderer.get_template("admin/widgets/related_widget_wrapper.html")), type(wrapper))

    def test_the_project_renders_its_forms_with_it(self):
        from django.conf import settings

        self.assertEqual(settings.FORM_RENDERER, "parkdash.core.renderers.FormRenderer")


class AdminFieldsetTests(TestCase):
    """Every branch of Django's fieldset template, which the project's own admin forms do not all take: a named,
    collapsible fieldset with a description, a line of two fields, a read-only field, a checkbox, errors, and the
    stacked inline's heading."""

    def fieldset(self, data=None, **options):
        from django.contrib import admin
        from django.contrib.admin import helpers
        from django.contrib.auth.models import User

        class UserForm(forms.ModelForm):
            class Meta:
                model = User
                fields = ("username", "first_name", "last_name", "is_active", "email")

        user, _created = User.objects.get_or_create(username="li <lei>", defaults={"first_name": "Lei"})
        form = UserForm(data, instance=user)
        form.is_valid()
        return helpers.Fieldset(
            form,
            fields=("username", ("first_name", "last_name"), "is_active", "email", "last_login"),
            readonly_fields=("last_login",),
            model_admin=admin.site._registry[User],
            **options,
        )

    def test_the_fieldset_is_written_as_django_s_template_writes_it(self):
        from parkdash.core.templatetags.parkdash_admin import fieldset_template

        cases = {
            "plain": ({}, None, {"heading_level": 2, "prefix": "fieldset", "id_prefix": 0, "id_suffix": 0}),
            "named": (
                {"name": "Who <they> are", "classes": ("collapse", "wide"), "description": "<b>Check</b> them"},
                {"username": "", "first_name": "x" * 200, "last_name": "", "email": "not an address"},
                {"heading_level": 4, "prefix": "figures", "id_prefix": 3, "id_suffix": 1},
            ),
            "collapsible": (
                {"name": "More", "classes": ("collapse",)},
                None,
                {"heading_level": 2, "prefix": "fieldset", "id_prefix": 0, "id_suffix": 3},
            ),
            "no heading level": ({"name": "Dates"}, None, {"prefix": "fieldset", "id_prefix": 0, "id_suffix": 2}),
        }
        for case, (options, data, context) in cases.items():
            with self.subTest(case):
                fieldset = self.fieldset(data, **options)
                ours = fieldset_template().render({"fieldset": fieldset, **context})
                django_s = StockFieldset.render({"fieldset": fieldset, **context})
                self.assertEqual(ours + "\n", django_s)
                self.assertIn("field-first_name", ours)
                self.assertEqual("<details>" in ours, case == "collapsible")


@contextmanager
def recorded_renders():
    """Every (template name, context) the form renderer is asked to render meanwhile, in a list."""
    seen = []
    render = FormRenderer.render

    def record(self, template_name, context, request=None):
        seen.append((self, template_name, context))
        return render(self, template_name, context, request)

    with mock.patch.object(FormRenderer, "render", record):
        yield seen


def assert_written_as_rendered(case, seen):
    """Each recorded context the renderer writes in Python is written exactly as its template renders it."""
    written = 0
    for renderer, template_name, context in seen:
        writer = renderer.writer(template_name)
        html = writer(context) if writer else None
        if html is None:
            continue
        written += 1
        with case.subTest(template=template_name, context=repr(context)[:200]):
            case.assertEqual(html, renderer.get_template(template_name).render(context).strip())
    return written


class WrittenTemplatesTests(SimpleTestCase):
    """The templates the renderer writes in Python (renderers.WRITTEN): exactly what the templates render."""

    def test_every_template_written_in_python_is_the_one_it_was_written_from(self):
        renderer = FormRenderer()
        from parkdash.core.renderers import WRITTEN

        for template_name in WRITTEN:
            with self.subTest(template_name):
                self.assertIsNotNone(renderer.writer(template_name))

    def test_a_changed_template_is_rendered_not_written(self):
        renderer = FormRenderer()
        with mock.patch.object(FormRenderer, "source_digest", return_value="0" * 16):
            self.assertIsNone(renderer.writer("django/forms/widgets/select.html"))
            html = Choices(renderer=renderer).render()
        self.assertIn('<select name="park"', html)
        self.assertIsNone(FormRenderer().writer("django/forms/widgets/multiwidget.html"))  # never written

    def test_a_form_s_labels_inputs_selects_and_errors_are_written_as_their_templates_render_them(self):
        data = {"park": "9", "amount": "11", "note": "<i>", "parks": ["1", "3"], "kind": "a", "agreed": ""}
        for bound in (None, data):
            with recorded_renders() as seen:
                form = Choices(bound, initial={"park": "2", "kind": "b", "parks": ["2"]})
                form.is_valid()
                form.render()
                form.as_p()
                for field in form:
                    field.label_tag(attrs={"data-x": "<y>", "hidden": True, "off": False})
                    field.label_tag(tag="legend", label_suffix="")
                    str(field.errors)
            templates = {name for _renderer, name, _context in seen}
            self.assertTrue({"django/forms/label.html", "django/forms/widgets/select.html"} <= templates)
            self.assertGreater(assert_written_as_rendered(self, seen), 10)

    def test_the_related_object_links_are_written_as_django_s_template_renders_them(self):
        renderer = FormRenderer()
        template = renderer.get_template("admin/widgets/related_widget_wrapper.html")
        models = (gettext_lazy("park"), 'a "<park>" & co')
        for *flags, model in product(*[(False, True)] * 6, models):
            hidden, change, add, delete, view, limited = flags
            context = {
                "rendered_widget": mark_safe('<select name="park">\n</select>'),
                "is_hidden": hidden,
                "name": 'park"<x>',
                "url_params": "_to_field=id&_popup=1",
                "model": model,
                "model_name": "park&",
                "can_add_related": add,
                "can_change_related": change,
                "can_delete_related": delete,
                "can_view_related": view,
                "model_has_limit_choices_to": {"active": True} if limited else {},
                "add_related_url": "/admin/parks/park/add/",
                "delete_related_template_url": "/admin/parks/park/__fk__/delete/",
                "view_related_url_params": "_to_field=id",
                "change_related_template_url": "/admin/parks/park/__fk__/change/",
            }
            for language in ("en", "zh-hans"):
                with self.subTest(flags=flags, model=model, language=language), translation.override(language):
                    self.assertEqual(
                        renderer.writer("admin/widgets/related_widget_wrapper.html")(context),
                        template.render(context).strip(),
                    )


class StaticAndMediaTests(SimpleTestCase):
    def test_a_static_url_is_the_storage_s_and_follows_static_url(self):
        from django.templatetags.static import static

        from parkdash.core.renderers import static_url

        self.assertEqual(static_url("admin/img/icon-addlink.svg"), static("admin/img/icon-addlink.svg"))
        with override_settings(STATIC_URL="/assets/"):
            self.assertEqual(static_url("admin/img/icon-addlink.svg"), "/assets/admin/img/icon-addlink.svg")
        self.assertEqual(static_url("admin/img/icon-addlink.svg"), static("admin/img/icon-addlink.svg"))

    def test_cached_media_writes_what_django_s_media_writes_for_each_list_of_files(self):
        from parkdash.core.renderers import cached_media

        first = forms.Media(js=["a.js", "https://cdn.example/b.js"], css={"all": ["a.css"]})
        second = first + forms.Media(js=["c.js", "a.js"], css={"print": ["p.css"], "all": ["a.css", "x<y.css"]})
        for media in (first, second, first, forms.Media(), second):
            with self.subTest(media=repr(media)):
                self.assertEqual(str(cached_media(media)), str(media))
        with override_settings(STATIC_URL="/assets/"):
            self.assertIn('src="/assets/c.js"', str(cached_media(second)))
        script = forms.Script("d.js", integrity="sha384-x")
        odd = forms.Media(js=[script]) + first
        self.assertIsNone(cached_media(odd).key())  # an asset with attributes: written by Django every time
        self.assertEqual(str(cached_media(odd)), str(odd))


class Labels(forms.Form):
    required_css_class = "must"
    label_suffix = " →"

    name = forms.CharField(label="Name <b>")
    asked = forms.CharField(label="Why?", required=False)
    agreed = forms.BooleanField(label="Agreed")
    suffixed = forms.CharField(label="Own suffix", label_suffix=" =", required=False)
    plain = forms.CharField(label="", required=False)
    lazy = forms.CharField(label=gettext_lazy("Add"), widget=forms.TextInput(attrs={"id": "own-id"}))
    choice = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect, label="Pick")


class AdminLabelTests(SimpleTestCase):
    def test_the_admin_s_labels_are_written_as_admin_field_label_tag_writes_them(self):
        from django.contrib.admin.helpers import AdminField

        from parkdash.core.templatetags.parkdash_admin import label_tag

        for auto_id, language, is_first in product(("id_%s", False, "f-%s"), ("en", "zh-hans"), (True, False)):
            with translation.override(language):
                form = Labels(auto_id=auto_id)
                punctuation = translation.gettext(":?.!")
                for name in form.fields:
                    with self.subTest(auto_id=auto_id, language=language, field=name, is_first=is_first):
                        field = AdminField(form, name, is_first)
                        self.assertEqual(label_tag(field, punctuation), field.label_tag())


class OddContextTests(SimpleTestCase):
    def test_a_context_unlike_django_s_widgets_is_rendered_by_the_template(self):
        renderer = FormRenderer()
        context = {"widget": {"name": "x", "attrs": {}, "template_name": "django/forms/widgets/select.html"}}
        self.assertEqual(
            renderer.render("django/forms/widgets/select.html", context),
            renderer.get_template("django/forms/widgets/select.html").render(context).strip(),
        )
