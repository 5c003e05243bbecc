"""Table base: every list page's table, its export columns and shared column types.

A table page's cost is its cells (rows × columns), so the per-cell work is kept to the cell's own value:
django-tables2's signature inspection is cached per function (see :func:`cached_signature`), and the ``<td>``s are
written in Python by :func:`render_cells` (the ``{% table_cells %}`` tag of templates/generic/table.html) with what
does not change from row to row — a column's attributes, its heading, how it localizes — worked out once per table.
"""

import copy
import datetime
import functools
import html
import inspect
import operator
import re
import types
import weakref
from decimal import Decimal

import django_tables2 as tables
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import QuerySet
from django.template import Context, Variable
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.templatetags.l10n import localize, unlocalize
from django.urls import get_resolver, get_urlconf, reverse
from django.urls.resolvers import get_ns_resolver
from django.utils import dateformat
from django.utils.encoding import force_str
from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape, escape, format_html
from django.utils.http import urlencode as http_urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_tables2 import utils as tables_utils
from django_tables2.columns.base import LinkTransform
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.rows import BoundRow
from django_tables2.templatetags.django_tables2 import context_processor_error_msg, table_page_range

from parkdash.core.renderers import template_text

from .numbers import format_number, format_percent

# Rows on a table page: the default, and the bounds of ?per_page=.
PER_PAGE, MIN_PER_PAGE, MAX_PER_PAGE = 25, 10, 200


# django-tables2 3.0.1 calls utils.signature(), that is inspect.signature(), for every cell it renders
# (BoundRow._call_render -> utils.call_with_appropriate(bound_column.render, …)) and for every callable in a
# column's attrs: about 30 µs each, a fifth of a table page's CPU. A function's signature does not change, so
# utils.signature is replaced here by a cached one, the library's own answer kept per function: weakly, so that a
# lambda made for one request goes with it. Bound methods share their function's entry for bound methods (their
# signature is the function's without its first argument). Anything else (a partial, a callable object) is
# inspected each time, as before. Check this still applies when django-tables2 is upgraded.
_library_signature = tables_utils.signature
_signatures = weakref.WeakKeyDictionary()


def cached_signature(fn):
    """``django_tables2.utils.signature(fn)``, computed once per plain function (or method of one)."""
    if inspect.ismethod(fn):
        function, bound = fn.__func__, True
    else:
        function, bound = fn, False
    if type(function) is not type(cached_signature):  # not a plain Python function
        return _library_signature(fn)
    entry = _signatures.get(function)
    if entry is None:
        entry = _signatures[function] = {}
    answer = entry.get(bound)
    if answer is None:
        answer = entry[bound] = _library_signature(fn)
    return answer


if getattr(tables_utils.signature, "__wrapped__", None) is None:
    cached_signature.__wrapped__ = _library_signature
    tables_utils.signature = cached_signature


# Every table copies its class's columns (Table.__init__: copy.deepcopy(type(self).base_columns)), so that hiding a
# column or changing its attrs touches that table only. copy.deepcopy() walks every attribute of every column, its
# verbose name, accessor and strings included (about 2,700 calls for the figures table, per request). A column's
# copy here shares what cannot change (strings, numbers, accessors, lazy translations, functions, classes), as
# deepcopy() itself shares them or makes an equal one, and deep-copies the rest (attrs dicts, links, lists) with
# deepcopy()'s memo, as before. A column class with its own state handling (__getstate__, __setstate__, __slots__)
# is copied by deepcopy()'s general way.
_SHARED = frozenset(
    (str, SafeString, int, float, bool, type(None), Decimal, types.FunctionType, type, tables_utils.Accessor)
)


def column_deepcopy(column, memo):
    """``copy.deepcopy(column, memo)`` of a django-tables2 Column, without copying what cannot change."""
    cls = type(column)
    if cls.__getstate__ is not object.__getstate__ or hasattr(cls, "__setstate__") or hasattr(cls, "__slots__"):
        return copy._reconstruct(column, memo, *column.__reduce_ex__(4))
    clone = cls.__new__(cls)
    memo[id(column)] = clone
    state = clone.__dict__
    for name, value in column.__dict__.items():
        if type(value) in _SHARED or isinstance(value, Promise):
            state[name] = value
        else:
            state[name] = copy.deepcopy(value, memo)
    return clone


if "__deepcopy__" not in vars(tables.Column):
    tables.Column.__deepcopy__ = column_deepcopy


# A value reverse() would write as it is, no character of it quoted.
_UNQUOTED = re.compile(r"[-A-Za-z0-9_.~]+")
_SAMPLE = 7294036158  # a value every converter of a path segment but uuid takes, written as these digits


def route_filler(viewname):
    """``reverse(viewname, args=[value])`` as a function of ``value``, for the many rows of a table: reverse() walks the
    name's namespaces and patterns for every URL (about 90 µs), where the rows' URLs differ only by the value.

    The URL is reversed once, for a sample value; a row's is the sample's with the row's value in its place, when
    the name has one route with one argument and the value is one reverse() would take and write as it is: converted
    by the route's converter (``to_url``), the whole converter's pattern matched, nothing in it to quote. Any other
    value is reversed, as before. None when the name is not such a route (the caller reverses every row)."""
    try:
        url = reverse(viewname, args=[_SAMPLE])
    except Exception:
        return None
    sample = str(_SAMPLE)
    if url.count(sample) != 1 or url.startswith("//"):
        return None
    head, tail = url.split(sample)
    converter = _route_converter(viewname)
    if converter is None:
        return None
    pattern = re.compile(converter.regex)

    def fill(value):
        try:
            text = str(converter.to_url(value))  # as reverse() writes it into the route
        except ValueError:
            text = None
        if text is None or not _UNQUOTED.fullmatch(text) or not pattern.fullmatch(text):
            return reverse(viewname, args=[value])
        return head + text + tail

    return fill


def _route_converter(viewname):
    """The converter of the one argument of the one route ``viewname`` names (as reverse() finds it without a
    current app), or None."""
    *path, view = viewname.split(":")
    resolver = get_resolver(get_urlconf())
    ns_pattern, ns_converters = "", {}
    for ns in path:
        if ns in resolver.app_dict and ns not in resolver.app_dict[ns]:
            return None  # reverse() would pick the application's default instance
        try:
            extra, resolver = resolver.namespace_dict[ns]
        except KeyError:
            return None
        ns_pattern += extra
        ns_converters.update(resolver.pattern.converters)
    if ns_pattern:
        resolver = get_ns_resolver(ns_pattern, resolver, tuple(ns_converters.items()))
    possibilities = resolver.reverse_dict.getlist(view)
    if len(possibilities) != 1:
        return None
    possibility, _pattern, _defaults, converters = possibilities[0]
    if len(possibility) != 1 or len(possibility[0][1]) != 1:
        return None
    return converters.get(possibility[0][1][0])


def _constant(value):
    """Whether an attrs value is the same for every row: no callable in it (django-tables2 calls those per cell)."""
    if callable(value):
        return False
    if isinstance(value, dict):
        return all(_constant(item) for item in value.values())
    return True


_MISSING = object()


class _CellPlan:
    """What one column's ``<td>``s share in one rendering: the tag's start up to the cell, and how to write a cell.

    As templates/generic/table.html wrote it per cell:
    ``<td {{ column.attrs.td.as_html }} data-label="{{ column.header }}">`` then ``{{ cell }}``, ``{{ cell|localize }}``
    or ``{{ cell|unlocalize }}`` by ``column.localize``. A column whose td attrs hold a callable (computed from the
    row's record and value) has them computed per cell, as django-tables2 does.

    A column of a model field with choices shows the choice's label, which django-tables2 gets per cell from
    Django's ``get_FOO_display()``: that builds a dict of every choice and translates every label, each time. Here
    the labels are translated once per rendering, and looked up as ``get_FOO_display()`` looks them up.
    """

    __slots__ = (
        "column",
        "start",
        "label",
        "localize",
        "accessor",
        "field",
        "labels",
        "displays",
        "model",
        "plain",
        "call",
        "memo",
        "getter",
    )

    def __init__(self, column, context):
        self.column = column
        self.label = render_value_in_context(column.header, context)
        self.localize = None if column.localize is None else localize if column.localize else unlocalize
        table_attrs = dict(column._table.attrs)
        table_attrs.update(dict(column.column.attrs))
        td = table_attrs.get("td", table_attrs.get("cell", {}))
        self.start = self.open_tag(context) if _constant(td) else None
        self.accessor = tables.A(column.accessor)
        self.field = self.choice_field()
        self.labels = None
        self.displays = {}  # model class -> whether its get_FOO_display() is Django's own
        if self.field is not None:
            self.labels = {
                make_hashable(value): force_str(label, strings_only=True) for value, label in self.field.flatchoices
            }
        self.model = getattr(column._table.data, "model", None)
        self.plain = self.is_plain()
        # A plain column's path is model fields (is_plain: get_field found them): read as attributes, as
        # Accessor.resolve() reads them after a record[bit] that fails, unless a value is callable (see value()).
        self.getter = operator.attrgetter(".".join(self.accessor.bits)) if self.plain else None
        self.call = self.direct_call()
        self.memo = {} if self.start is not None and self.takes_only_the_value() else None

    def direct_call(self):
        """How to call the column's render method for a cell without django-tables2's ``_call_render`` (a dict of
        six arguments, filtered by the method's signature, per cell): for a column whose render takes named
        arguments among those six (Column.render(value), DateColumn's, a table's render_FOO(value, record)), only
        those are passed, and a link to a route (see :meth:`quick_link`) is written around what it returns. None
        otherwise (another kind of link, ``**kwargs``): the library's way."""
        column = self.column
        link = None
        if column.link:
            link = self.quick_link()
            if link is None:
                return None
        call = self.render_call()
        if call is None or link is None:
            return call
        return lambda row, value: link(call(row, value), row.record)

    def render_call(self):
        column = self.column
        render = column.render
        args, catch_all = cached_signature(render)
        if catch_all is not None or not set(args) <= _CELL_ARGUMENTS:
            return None
        if args == ("value",):
            return lambda row, value: render(value)
        # What is the same for every row, then what the row gives: as BoundRow._optional_cell_arguments().
        constant = {"column": column.column, "bound_column": column, "table": column._table}
        fixed = {name: constant[name] for name in args if name in constant}
        value_, record, bound_row = "value" in args, "record" in args, "bound_row" in args

        def call(row, value):
            kwargs = dict(fixed)
            if value_:
                kwargs["value"] = value
            if record:
                kwargs["record"] = row.record
            if bound_row:
                kwargs["bound_row"] = row
            return render(**kwargs)

        return call

    def takes_only_the_value(self):
        """Whether a cell is a function of its value alone, in one rendering: the column's render method takes the
        value and nothing of the row (``value``, and the column or the table, the same for every row), and is
        called directly (:meth:`render_call`: no link around it). Its cells are then written once per value and
        rendering (:attr:`memo`), a text for the park's name, a category, a date shown on many rows."""
        if self.call is None or self.column.link:
            return False
        args, catch_all = cached_signature(self.column.render)
        return catch_all is None and "value" in args and set(args) <= _VALUE_ARGUMENTS

    def quick_link(self):
        """``column.link(content, record=…)`` as a function of the content and the record, for a link to a route
        with one argument read from the record (``linkify=("app:view", [A("path")])``) and ``<a>`` attributes that
        are the same for every row: the URL made by :func:`route_filler`, not reverse() per row; the tag as
        LinkTransform writes it (the attributes in their order, ``href`` where it stands or last). None for any
        other link."""
        link = self.column.link
        if type(link) is not LinkTransform or link.url is not None or set(link.reverse_args) != {"viewname", "args"}:
            return None
        viewname, args = link.reverse_args["viewname"], link.reverse_args["args"]
        attrs = dict(link.attrs or {})
        if not isinstance(viewname, str) or not isinstance(args, (list, tuple)) or len(args) != 1:
            return None
        if any(callable(value) or isinstance(value, dict) for value in attrs.values()):
            return None
        fill = route_filler(viewname)
        if fill is None:
            return None
        arg = args[0]
        attrs["href"] = _HREF
        parts = [
            _HREF if value is _HREF else format_html('{}="{}"', key, value)
            for key, value in attrs.items()
            if key not in tables_utils.AttributeDict.blacklist and value is not None
        ]
        at = parts.index(_HREF)
        before, after = "".join(part + " " for part in parts[:at]), "".join(" " + part for part in parts[at + 1 :])

        def wrap(content, record):
            href = fill(arg.resolve(record) if isinstance(arg, tables.A) else arg)
            return mark_safe(
                '<a {}href="{}"{}>{}</a>'.format(before, html.escape(href), after, conditional_escape(content))
            )

        return wrap

    def render(self, row, value):
        """``row._call_render(column, value)``: the column's render method with the arguments it takes."""
        if self.call is not None:
            return self.call(row, value)
        return row._call_render(self.column, value)

    def is_plain(self):
        """Whether the column's cells are its accessor's value rendered, nothing else, for a record of the table's
        model: a path to a field without choices (or to an attribute), not a link column or a many-to-many one.
        django-tables2 then still looks up, per cell, the field the path ends at, to see if it has choices."""
        column = self.column.column
        return (
            self.model is not None
            and self.labels is None
            and bool(self.accessor)
            and not self.accessor.callable_args
            and not self.accessor.callable_kwargs
            and not getattr(self.accessor.get_field(self.model), "choices", None)
            and not isinstance(column, (BaseLinkColumn, ManyToManyColumn))
        )

    def open_tag(self, context):
        attrs = render_value_in_context(self.column.attrs["td"].as_html(), context)
        return '\n    <td {} data-label="{}">'.format(attrs, self.label)

    def choice_field(self):
        """The model field with choices the accessor ends at, if it does (``stage``, ``indicator__category``)."""
        model = getattr(self.column._table.data, "model", None)
        if model is None:
            return None
        field = self.accessor.get_field(model)
        name = self.accessor.rpartition(self.accessor.SEPARATOR)[2]
        if field is None or field.name != name or not getattr(field, "choices", None) or not field.concrete:
            return None
        return field

    def display_is_djangos(self, owner):
        """Whether ``owner.get_FOO_display()`` is the one Django gives a field with choices (not overridden)."""
        cls = type(owner)
        answer = self.displays.get(cls)
        if answer is None:
            method = getattr(cls, "get_{}_display".format(self.field.name), None)
            partial = getattr(method, "_partialmethod", None)
            answer = self.displays[cls] = (
                partial is not None
                and partial.func is models.Model._get_FIELD_display
                and partial.keywords.get("field") is self.field
            )
        return answer

    def value(self, row):
        """The value a :attr:`plain` column's cell or a choice's label shows (before the empty values' check), or
        _MISSING for a cell of another kind."""
        if self.plain and type(row.record) is self.model:
            try:
                value = self.getter(row.record)
                if callable(value):  # Accessor.resolve() calls it, or not: its way
                    value = self.accessor.resolve(row.record)
            except Exception:  # as the library: a path that does not resolve is an empty cell
                return None
            return value
        if self.labels is not None:
            owner, _remainder = self.accessor.penultimate(row.record)
            if isinstance(owner, models.Model) and self.display_is_djangos(owner):
                raw = getattr(owner, self.field.attname)
                value = self.labels.get(make_hashable(raw), _MISSING)
                if value is _MISSING:
                    value = force_str(raw, strings_only=True)
                return value
        return _MISSING

    def cell(self, row, value=_MISSING):
        """``row.get_cell(name)`` (django-tables2 3.0.1's BoundRow._get_and_render_with): with the choice's label
        from :attr:`labels`, and without the per-cell field lookups for a :attr:`plain` column. ``value``: the
        cell's :meth:`value`, when already read."""
        column = self.column
        if value is _MISSING:
            value = self.value(row)
        if value is not _MISSING:
            if value in column.column.empty_values:
                return column.default
            return self.render(row, value)
        if self.call is None:
            return row._get_and_render_with(column, row._call_render, column.default)
        return row._get_and_render_with(column, lambda _column, value=None: self.call(row, value), column.default)


_HREF = object()  # where a link's href stands among its attributes
_CELL_ARGUMENTS = frozenset(("value", "record", "column", "bound_column", "bound_row", "table"))
_VALUE_ARGUMENTS = frozenset(("value", "column", "bound_column", "table"))  # the value, and what every row shares


def _memo_key(value):
    """``value`` as a key of the cells written for it (:attr:`_CellPlan.memo`), or None when it has none: values that
    are equal but may be written differently are told apart (1.0 and 1.00, a 1 and a True; a record by its model
    and key, the rows of one query holding the same data for the same key). A datetime has none (two equal
    datetimes may be in other time zones), nor has any other kind of value."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is datetime.date:
        return (kind, value)
    if kind is Decimal or kind is float:
        return (kind, str(value))
    if isinstance(value, models.Model) and value.pk is not None:
        return (kind, value.pk)
    return None


def _template_value(cell, context):
    """``{{ cell }}``'s value: the template engine calls a callable that takes no arguments (rare in a cell)."""
    if not callable(cell):
        return cell
    with context.push(cell=cell):
        return Variable("cell").resolve(context)


def _in_context(cell, context, numbers):
    """``render_value_in_context(cell, context)`` (:func:`~parkdash.core.renderers.template_text`), an integer (a year,
    a month) localized once per rendering, kept in ``numbers``: the same language and settings apply to every cell
    of one rendering."""
    if type(cell) is int:
        text = numbers.get(cell)
        if text is None:
            text = numbers[cell] = render_value_in_context(cell, context)
        return text
    return template_text(cell, context)


def render_cells(context, row):
    """A row's ``<td>``s, byte for byte as the template's loop over ``row.items`` wrote them, in one string."""
    table = row.table
    plans = getattr(table, "_cell_plans", None)
    if plans is None or plans[0] is not context:
        # Once per rendering: the columns (the table's visible ones, in order) with their plans, and the integers
        # written so far.
        plans = (context, [(column, _CellPlan(column, context)) for column in table.columns], {})
        table._cell_plans = plans
    _context, columns, numbers = plans
    parts = []
    record = row.record
    for column, plan in columns:
        memo = plan.memo
        if memo is not None:
            value = plan.value(row)
            key = None if value is _MISSING or value in column.column.empty_values else _memo_key(value)
            written = memo.get(key) if key is not None else None
            if written is None:
                cell = plan.cell(row, value)
                if key is not None and not callable(cell):
                    text = plan.localize(cell) if plan.localize is not None else cell
                    written = memo[key] = (cell, plan.start + _in_context(text, context, numbers) + "</td>\n  ")
            if written is not None:
                column.current_value, text = written
                column.current_record = record
                parts.append(text)
                continue
        else:
            cell = plan.cell(row)
        # As BoundRow.items() does: a callable attrs value may read the column's current record and value.
        column.current_value = cell
        column.current_record = record
        cell = _template_value(cell, context)
        if plan.localize is not None:
            cell = plan.localize(cell)
        parts.append(plan.start or plan.open_tag(context))
        parts.append(_in_context(cell, context, numbers))
        parts.append("</td>\n  ")
    return mark_safe("".join(parts))


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


class DateColumn(tables.DateColumn):
    """django-tables2's DateColumn, written in Python: the library's compiles its template,
    ``{{ value|date:"SHORT_DATE_FORMAT"|default:default }}``, again for every cell (about 0.3 ms each, half the cost
    of a page of projects). The same filters, in the same order, with the table's template context.
    """

    def __init__(self, format=None, short=True, **kwargs):
        super().__init__(format=format, short=short, **kwargs)
        self.date_format = format or ("SHORT_DATE_FORMAT" if short else "DATE_FORMAT")

    def render(self, value, table, bound_column):
        context = getattr(table, "context", None)  # render_table's context, as TemplateColumn reads it
        if context is None:
            context = Context()
        if type(value) is datetime.date:
            # A date's text depends only on the format the language gives and the language (month names).
            try:
                text = _date_text(get_language(), get_format(self.date_format), value)
            except AttributeError:  # a time in the format: the filter's own fallback
                text = date_filter(value, self.date_format)
        else:
            text = date_filter(template_localtime(value, context.use_tz), self.date_format)
        return mark_safe(render_value_in_context(text or bound_column.default, context))


@functools.lru_cache(maxsize=4096)
def _date_text(language, fmt, value):
    """``{{ value|date:format }}`` of a date, ``fmt`` being the format's pattern in ``language``, the active one:
    the same few thousand dates fill a city's tables, each formatted in about 25 µs (dateformat parses the pattern
    every time)."""
    return dateformat.format(value, fmt)


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


# The text around each row in django-tables2's table.html ({% for row in table.paginated_rows %} then the row's block,
# templates/generic/table.html's), and around the empty table's row.
_ROW_BEFORE, _ROW_AFTER = "\n                    \n<tr ", ">\n  "
_ROW_END = "\n</tr>\n\n                "
_EMPTY = (
    "\n                    \n                    \n"
    '<tr><td colspan="{}" class="empty">{}</td></tr>\n\n                    \n                '
)


def _row_attrs(row):
    """``{{ row.attrs.as_html }}``: a table without row_attrs (all of ours) gives each row its class by its counter,
    as BoundRow.attrs does (a pinned row: its own attrs)."""
    if type(row) is BoundRow and not row._table.row_attrs:  # a pinned row has its own attrs
        return 'class="odd"' if row.row_counter % 2 else 'class="even"'
    return row.attrs.as_html()  # safe: the template wrote it as it is


def render_body(context, table):
    """What django-tables2's table.html wrote between ``<tbody …>`` and ``</tbody>``: the for loop over
    ``table.paginated_rows``, each row's block (``<tr {{ row.attrs.as_html }}>`` and :func:`render_cells`), or the
    empty table's row when there is no row, in one string."""
    rows = table.paginated_rows
    parts = ["\n                "]
    if len(rows) < 1:
        if table.empty_text:
            parts.append(
                _EMPTY.format(
                    render_value_in_context(len(table.columns), context),
                    render_value_in_context(table.empty_text, context),
                )
            )
        else:
            parts.append("\n                    \n                ")
        return mark_safe("".join(parts))
    for row in rows:
        parts.append(_ROW_BEFORE)
        parts.append(_row_attrs(row))
        parts.append(_ROW_AFTER)
        parts.append(render_cells(context, row))
        parts.append(_ROW_END)
    return mark_safe("".join(parts))


def render_head(context, table):
    """What templates/generic/table.html's loop over ``table.columns`` in ``<thead>`` wrote: each column's
    ``<th scope="col" …>``, its heading in a link that sorts by it (``{% querystring_replace
    table.prefixed_order_by_field=column.order_by_alias.next %}``) when the column is orderable."""
    parts = []
    key = params = None
    for column in table.columns:
        parts.append('\n    <th scope="col" ')
        parts.append(render_value_in_context(column.attrs["th"].as_html(), context))
        parts.append(">")
        header = render_value_in_context(column.header, context)
        if column.orderable:
            if params is None:  # as the tag: the request's query with the sort replaced
                if "request" not in context:
                    raise ImproperlyConfigured(context_processor_error_msg % "querystring_replace")
                params = dict(context["request"].GET)
                key = table.prefixed_order_by_field
            query = dict(params)
            if key not in ("", None):
                query[key] = column.order_by_alias.next
            parts.append('<a href="')
            parts.append(render_value_in_context(escape("?" + http_urlencode(query, doseq=True)), context))
            parts.append('">')
            parts.append(header)
            parts.append("</a>")
        else:
            parts.append(header)
        parts.append("</th>\n  ")
    return mark_safe("".join(parts))


_PREVIOUS, _NEXT = "previous", "next"  # django-tables2's words ({% trans 'previous' %}), in its catalogue


def _edge_link(context, table, params, css_class, number, label):
    """The pagination's "previous" or "next" item, as django-tables2's template writes it."""
    return (
        '\n                \n                    <li class="{}">\n                        <a href="{}">\n'
        "                            {}\n                        </a>\n                    </li>\n"
        "                \n            ".format(
            css_class,
            _page_link(context, table, params, number),
            render_value_in_context(gettext(mark_safe(label)), context),
        )
    )


def _page_link(context, table, params, number):
    """``{% querystring_replace table.prefixed_page_field=number %}``, the request's query read once (``params``)."""
    query = dict(params)
    key = table.prefixed_page_field
    if key not in ("", None):
        query[key] = number
    return render_value_in_context(escape("?" + http_urlencode(query, doseq=True)), context)


def render_pagination(context, table):
    """django-tables2's ``{% block pagination %}`` (table.html) in Python, byte for byte: the previous and next
    links and the range of page numbers (``table_page_range``) around the current page, each a link to the
    request's query with the page replaced."""
    page = getattr(table, "page", None)
    if not (page and table.paginator.num_pages > 1):
        return mark_safe("\n        \n    ")
    if "request" not in context:
        raise ImproperlyConfigured(context_processor_error_msg % "querystring_replace")
    params = dict(context["request"].GET)
    has_previous, has_next = page.has_previous(), page.has_next()
    parts = ['\n        \n        <ul class="pagination">\n            ']
    if has_previous:
        parts.append(_edge_link(context, table, params, "previous", page.previous_page_number(), _PREVIOUS))
    parts.append("\n            ")
    if has_previous or has_next:
        parts.append("\n            \n                ")
        number = page.number
        for p in table_page_range(page, table.paginator):
            active = 'class="active"' if p == number else ""
            parts.append("\n                    <li {}>\n                        ".format(active))
            text = render_value_in_context(p, context)
            if p == "...":
                parts.append('\n                            <a href="#">{}</a>\n                        '.format(text))
            else:
                parts.append(
                    '\n                            <a href="{}">\n                                {}\n'
                    "                            </a>\n                        ".format(
                        _page_link(context, table, params, p), text
                    )
                )
            parts.append("\n                    </li>\n                ")
        parts.append("\n            \n            ")
    parts.append("\n            ")
    if has_next:
        parts.append(_edge_link(context, table, params, "next", page.next_page_number(), _NEXT))
    parts.append("\n        </ul>\n        \n    ")
    return mark_safe("".join(parts))
