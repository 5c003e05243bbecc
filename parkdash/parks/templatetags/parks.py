"""The park selector's options, and the fragment a table page keeps."""

from django import template
from django.utils.translation import gettext

from parkdash.core.widgets import options_html
from parkdash.parks import versions

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


class KeptFragmentNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist, self.key = nodelist, key

    def render(self, context):
        html = self.nodelist.render(context)
        key = self.key.resolve(context)
        if key:
            versions.keep_copy(key, html)
        return html


def fragment_arguments(parser, token, count):
    """A fragment tag's ``count`` arguments (compiled filters) and its nodelist up to ``{% end<tag> %}``."""
    bits = token.split_contents()
    if len(bits) != count + 1:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes {count} argument(s)")
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return nodelist, [parser.compile_filter(bit) for bit in bits[1:]]


@register.tag
def keep_fragment(parser, token):
    """``{% keep_fragment key %}…{% endkeep_fragment %}``: writes the fragment and keeps it in this worker's copies
    under ``key`` (``versions.keep_copy``), which holds the data versions and everything else it shows (a table
    page's ``page_key``). The view reads the copy back; an empty key keeps nothing."""
    nodelist, (key,) = fragment_arguments(parser, token, 1)
    return KeptFragmentNode(nodelist, key)
