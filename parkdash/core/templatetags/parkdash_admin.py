"""The admin's fieldsets rendered by Jinja2 (templates/admin/includes/fieldset.html).

Django's admin/includes/fieldset.html is a loop of tests and lookups per field: on the figure form it cost more
than the widgets it places. parkdash/core/jinja2/admin/includes/fieldset.html is the same template written for
Jinja2 (the method calls spelled out), which writes the same HTML (tests/core/test_renderers.py compares the two on
the admin's forms) in a fraction of the time.
"""

from django import template
from django.utils.safestring import mark_safe

from parkdash.core.renderers import jinja2_engine

register = template.Library()

# What Django's change_form.html and edit_inline/stacked.html give the fieldset template ({% include … with … %}).
FIELDSET_CONTEXT = ("fieldset", "heading_level", "prefix", "id_prefix", "id_suffix")


@register.simple_tag(takes_context=True)
def admin_fieldset(context):
    """The fieldset in ``context`` (with its heading level and the prefixes of its heading's id), as Django's
    admin/includes/fieldset.html writes it. A name the include did not give stays undefined, as in Django's."""
    values = {name: context[name] for name in FIELDSET_CONTEXT if name in context}
    return mark_safe(fieldset_template().render(values))


def fieldset_template():
    """parkdash/core/jinja2/admin/includes/fieldset.html (compiled once by the engine)."""
    return jinja2_engine().get_template("admin/includes/fieldset.html")
