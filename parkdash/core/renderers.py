"""The form renderer: Django's own widget, label and error templates, rendered by Jinja2.

Django ships every form template twice, for its own template engine (django/forms/templates) and for Jinja2
(django/forms/jinja2), written to give the same HTML. A form page renders dozens of them (a template per widget,
per <option>, per label, per error list, attrs.html in each): Jinja2 compiles a template to Python, which renders
these several times faster than Django's engine walks its nodes. A template only Django's engine has (the admin's
widget templates, such as admin/widgets/related_widget_wrapper.html, or an app's own) is rendered by it, as
Django's default renderer does (settings.FORM_RENDERER; tests/core/test_renderers.py compares the two).

The HTML is Django's but for the blank lines between the <option>s of a <select>: values are escaped as Django
escapes them (&quot; and &#x27;, where Jinja2's MarkupSafe writes &#34; and &#39;).
"""

import functools
import html
from pathlib import Path

import django.forms
from django.forms.renderers import BaseRenderer, DjangoTemplates
from django.template import TemplateDoesNotExist
from django.template.backends.jinja2 import Jinja2
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString


@functools.cache
def jinja2_engine():
    """The Jinja2 engine of Django's form templates (django/forms/jinja2) and of the apps' jinja2 directories
    (parkdash/core/jinja2: the admin's fieldset, templatetags/parkdash_admin.py)."""
    return Jinja2(
        {
            "APP_DIRS": True,
            "DIRS": [Path(django.forms.__file__).parent / Jinja2.app_dirname],
            "NAME": "parkdash-jinja2",
            # Every value is escaped by Django's escape() (a SafeString, which Jinja2 then leaves as it is).
            "OPTIONS": {"finalize": escape},
        }
    )


def template_text(value, context):
    """``{{ value }}`` as Django's template engine writes it in ``context``, for HTML written in Python (the
    overview's cards, the indicator page's rows, the table cells): a safe string as it is, a plain one escaped (no
    localization applies to a string), anything else through the engine (localised, escaped unless safe). Django's
    escape() checks its arguments for lazy strings, which cost as much as the escaping."""
    kind = type(value)
    if kind is SafeString:
        return value
    if kind is str and context.autoescape:
        return html.escape(value)
    return render_value_in_context(value, context)


def escape(value):
    """Django's ``conditional_escape(value)``: the same result, without its lazy-argument wrapper for the two kinds
    of value a form template prints most, a str and a SafeString (each a widget's attributes, labels, values)."""
    kind = type(value)
    if kind is SafeString:
        return value
    if kind is str:
        return SafeString(html.escape(value))  # what django.utils.html.escape() gives a str
    return conditional_escape(value)


class Jinja2Renderer(BaseRenderer):
    """django.forms.renderers.Jinja2 writing what Django's engine writes (see the module's docstring)."""

    def get_template(self, template_name):
        return jinja2_engine().get_template(template_name)


class FormRenderer(BaseRenderer):
    """Jinja2 for the templates it has (django/forms/jinja2, apps' jinja2 directories), else Django's engine."""

    def __init__(self):
        self.jinja2 = Jinja2Renderer()
        self.django = DjangoTemplates()
        self._renderer_of = {}  # template name -> the renderer that has it (a miss costs a search of the directories)

    def get_template(self, template_name):
        renderer = self._renderer_of.get(template_name)
        if renderer is not None:
            return renderer.get_template(template_name)
        try:
            template = self.jinja2.get_template(template_name)
            renderer = self.jinja2
        except TemplateDoesNotExist:
            template = self.django.get_template(template_name)
            renderer = self.django
        self._renderer_of[template_name] = renderer
        return template
