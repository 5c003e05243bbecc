"""The cells of a table row, written in Python (see parkdash.core.tables.render_cells)."""

from django import template

from parkdash.core.tables import render_cells

register = template.Library()
register.simple_tag(render_cells, takes_context=True, name="table_cells")
