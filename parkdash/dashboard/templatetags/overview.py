"""The overview's cards and charts, written in Python (parkdash.dashboard.html), and the fragment cache they sit in."""

from django import template

from parkdash.dashboard.html import behind_rows, overview_charts, reusing_cards
from parkdash.parks import versions
from parkdash.parks.templatetags.parks import fragment_arguments

register = template.Library()
register.simple_tag(reusing_cards, takes_context=True, name="overview_cards")
register.simple_tag(overview_charts, takes_context=True, name="overview_charts")
register.simple_tag(behind_rows, takes_context=True, name="behind_rows")


class VersionedFragmentNode(template.Node):
    def __init__(self, nodelist, name, key):
        self.nodelist, self.name, self.key = nodelist, name, key

    def render(self, context):
        key = self.key.resolve(context)
        return versions.cached(f"fragment:{self.name}", (), (key,), lambda: self.nodelist.render(context))


@register.tag
def versioned_fragment(parser, token):
    """``{% versioned_fragment name key %}…{% endversioned_fragment %}``: Django's ``{% cache %}`` for a fragment
    whose ``key`` holds the data versions of what it shows (``versions.cache_key``), so that it is never stale: kept
    in the shared cache and in this worker's copies (``versions.cached``), for the cache's timeout."""
    nodelist, (name, key) = fragment_arguments(parser, token, 2)
    return VersionedFragmentNode(nodelist, name.token, key)
