"""The form renderer: Django's own widget, label and error templates, rendered by Jinja2.

Django ships every form template twice, for its own template engine (django/forms/templates) and for Jinja2
(django/forms/jinja2), written to give the same HTML. A form page renders dozens of them (a template per widget,
per <option>, per label, per error list, attrs.html in each): Jinja2 compiles a template to Python, which renders
these several times faster than Django's engine walks its nodes. A template only Django's engine has (the admin's
widget templates, such as admin/widgets/related_widget_wrapper.html, or an app's own) is rendered by it, as
Django's default renderer does (settings.FORM_RENDERER; tests/core/test_renderers.py compares the two).
"""

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(BaseRenderer):
    """Jinja2 for the templates it has (django/forms/jinja2, apps' jinja2 directories), else Django's engine."""

    def __init__(self):
        self.jinja2 = Jinja2()
        self.django = DjangoTemplates()
        self._engine_of = {}  # template name -> the renderer that has it (a miss costs a search of the directories)

    def get_template(self, template_name):
        renderer = self._engine_of.get(template_name)
        if renderer is not None:
            return renderer.get_template(template_name)
        try:
            template = self.jinja2.get_template(template_name)
            renderer = self.jinja2
        except TemplateDoesNotExist:
            template = self.django.get_template(template_name)
            renderer = self.django
        self._engine_of[template_name] = renderer
        return template
