"""The indicator page's tables of figures and of recent changes, written in Python (parkdash.indicators.html)."""

from django import template

from parkdash.indicators.html import figure_rows, history_rows

register = template.Library()
register.simple_tag(figure_rows, takes_context=True, name="figure_rows")
register.simple_tag(history_rows, takes_context=True, name="history_rows")
