"""The park selector's options."""

from django import template
from django.utils.translation import gettext

from parkdash.core.widgets import options_html

register = template.Library()


@register.simple_tag
def park_options(selection):
    """The park selector's options, rendered in Python: a city may have hundreds of parks (see widgets.py)."""
    demo = gettext("demo data")
    chosen = selection.park.pk if selection.park else None
    return options_html(
        (park.pk, "{} ({})".format(park.name, demo) if park.is_demo else park.name, park.pk == chosen)
        for park in selection.parks
    )
