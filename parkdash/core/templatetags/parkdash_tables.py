"""A table's column headings, its rows and their cells, written in Python (see parkdash.core.tables)."""

from django import template

from parkdash.core.tables import render_body, render_cells, render_head, render_pagination

register = template.Library()
register.simple_tag(render_cells, takes_context=True, name="table_cells")
register.simple_tag(render_body, takes_context=True, name="table_body")
register.simple_tag(render_head, takes_context=True, name="table_head")
register.simple_tag(render_pagination, takes_context=True, name="table_pagination")
