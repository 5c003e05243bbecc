"""The overview's cards and charts, written in Python (parkdash.dashboard.html)."""

from django import template

from parkdash.dashboard.html import behind_rows, overview_charts, reusing_cards

register = template.Library()
register.simple_tag(reusing_cards, takes_context=True, name="overview_cards")
register.simple_tag(overview_charts, takes_context=True, name="overview_charts")
register.simple_tag(behind_rows, takes_context=True, name="behind_rows")
