"""A table's rows and their cells, written in Python (see parkdash.core.tables.render_body and render_cells)."""

from django import template

from parkdash.core.tables import render_body, render_cells

register = template.Library()
register.simple_tag(render_cells, takes_context=True, name="table_cells")
register.simple_tag(render_body, takes_context=True, name="table_body")
