"""Table base: every list page's table, its export columns and shared column types."""

import django_tables2 as tables
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .numbers import format_number, format_percent

# Rows on a table page: the default, and the bounds of ?per_page=.
PER_PAGE, MIN_PER_PAGE, MAX_PER_PAGE = 25, 10, 200


class NumberColumn(tables.Column):
    """A right-aligned number, formatted for the language, with an optional unit after it.

    ``key=True`` marks the table's main value: on a phone, where each row is a block of lines, it is in bold.
    """

    def __init__(self, *args, unit=None, key=False, **kwargs):
        self.unit = unit
        attrs = kwargs.pop("attrs", {})
        classes = "num key" if key else "num"
        attrs.setdefault("td", {"class": classes})
        attrs.setdefault("th", {"class": classes})
        super().__init__(*args, attrs=attrs, **kwargs)

    def render(self, value):
        return format_number(value, rounded=True)


class PercentColumn(NumberColumn):
    def render(self, value):
        return format_html("{}", format_percent(value))


class BaseTable(tables.Table):
    """A table whose rows can also be streamed as CSV/XLSX, with the same filter and sort.

    Subclasses implement :meth:`export_columns` (headers with units, database paths).
    """

    export_name = "export"  # the downloaded file's and the XLSX sheet's name, in the user's language (lazy)
    export_slug = "export"  # its ASCII fallback for old clients

    class Meta:
        attrs = {"class": "data-table"}
        per_page = PER_PAGE
        empty_text = _("No rows match these filters.")

    @tables.Table.order_by.setter
    def order_by(self, value):
        """Sort by the chosen columns, then by id: rows that tie would otherwise move between pages."""
        tables.Table.order_by.fset(self, value)
        queryset = getattr(self.data, "data", None)
        if self._order_by and isinstance(queryset, QuerySet):
            descending = self._order_by[0].startswith("-")
            self.data.data = queryset.order_by(*queryset.query.order_by, "-pk" if descending else "pk")

    def export_columns(self):
        raise NotImplementedError
