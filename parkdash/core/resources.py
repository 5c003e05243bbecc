"""django-import-export building blocks: lookups by name, choices by label, clear row errors."""

import contextlib
import copy
import logging
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import instance_loaders, resources, widgets
from import_export.resources import Diff
from import_export.results import Result, RowResult

from .export import restore_neutralised

logger = logging.getLogger(__name__)

THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
# Control characters no text of ours holds: PostgreSQL refuses NUL, SQLite would store it, XLSX cannot hold most
# of them. Tab, newline and carriage return are text (a description in several lines).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def label_text(label):
    """A widget's label (a model field's verbose name, such as "park") in the active language."""
    return _(str(label))


class ImportFileError(ValueError):
    """A problem with the file as a whole (its header line), said in the user's words."""


class NamedForeignKeyWidget(widgets.ForeignKeyWidget):
    """Looks a related record up by any of ``fields`` (e.g. code or name) and says clearly when it is unknown."""

    def __init__(self, model, fields, label, **kwargs):
        self.fields = fields
        self.label = label
        super().__init__(model, field=fields[0], **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        # Each resource deep-copies its fields, so this cache lives for one import (preview or confirm): a name
        # repeated on every row is looked up once, not twice a row (uploads are bounded by that work). Imports
        # create no parks, zones or indicators. A zone's name is looked up within the row's park.
        key = (text, str((row or {}).get(getattr(self, "park_column", None)) or "").strip())
        cache = self.__dict__.setdefault("_found", {})
        if key in cache:
            return cache[key]
        for field in self.fields:
            found = list(self.get_queryset(text, row, **kwargs).filter(**{field: text})[:2])
            if len(found) == 1:
                cache[key] = found[0]
                return found[0]
        raise ValueError(_("unknown {label} “{value}”").format(label=label_text(self.label), value=text))

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, self.fields[-1]))


class ChoicesWidget(widgets.Widget):
    """A choice given as its code, its label in Chinese or English (目标 / Target / target), or an alias.

    ``aliases`` maps other words spreadsheets use to a choice value ({"目标": "target"}): the Chinese words
    must work whether or not the translation catalogue is compiled.
    """

    def __init__(self, choices, label, aliases=None, **kwargs):
        self.choices = choices
        self.label = label
        self.aliases = aliases or {}
        super().__init__(**kwargs)

    def _lookup(self):
        # Built once per import (each resource has its own copy of its widgets), not once per cell.
        if "_table" not in self.__dict__:
            self.__dict__["_table"] = self._build_lookup()
        return self.__dict__["_table"]

    def _build_lookup(self):
        table = {}
        for value, label in self.choices.choices:
            table[value.lower()] = value
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    text = str(label).lower()
                table[text] = value
                # "Target (目标)" style labels: each part on its own works too
                for part in text.replace(")", "(").replace("/", "(").split("("):
                    if part.strip():
                        table.setdefault(part.strip(), value)
        for alias, value in self.aliases.items():
            table.setdefault(alias.lower(), value)
        return table

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().lower()
        if not text:
            # "" rather than None: choice columns are not nullable; a required one then says "cannot be blank".
            return ""
        try:
            return self._lookup()[text]
        except KeyError:
            allowed = ", ".join(v for v, _label in self.choices.choices)
            raise ValueError(
                _("unknown {label} “{value}” (use one of: {allowed})").format(
                    label=label_text(self.label), value=value, allowed=allowed
                )
            ) from None

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        try:
            return str(self.choices(value).label)
        except ValueError:
            return str(value)


class NumberWidget(widgets.DecimalWidget):
    """A decimal that says which cell is not a number, and takes spreadsheet floats (7.2) at face value."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float):
            # str() is the shortest repr, 7.2; Decimal(7.2) would carry the float's binary error into 20 digits.
            value = str(value)
        elif isinstance(value, str) and THOUSANDS.match(value.strip()):
            # 1,696 as Excel writes it; the zh-hans number format has no thousands separator to strip.
            value = value.strip().replace(",", "")
        try:
            return super().clean(value, row, **kwargs)
        except (InvalidOperation, TypeError):
            raise ValueError(_("“{value}” is not a number").format(value=value)) from None


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number (a year, a month) that says which cell is not one: 七 or 7.5 is refused, not truncated."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        text = str(value).strip()
        try:
            number = Decimal(text)
        except (InvalidOperation, TypeError, ValueError):
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value() or number.adjusted() > 18:
            raise ValueError(_("“{value}” is not a whole number").format(value=value))
        return int(number)


class SpreadsheetDateWidget(widgets.DateWidget):
    """A date as spreadsheets in China write it: 2023-08-29, 2023/8/29, 2023.8.29 or 2023年8月29日."""

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S")

    def __init__(self, format=None, coerce_to_string=True):
        super().__init__(format=format, coerce_to_string=coerce_to_string)
        if not format:
            self.formats = self.FORMATS

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            # openpyxl reads every date cell as a datetime: compared with the stored date, an unchanged row
            # would look changed, and be saved again with a new history record.
            return value.date()
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(_("“{value}” is not a date (write 2023-08-29)").format(value=value)) from None


class YesNoWidget(widgets.BooleanWidget):
    """Yes or no as the table exports write it (是/否, Yes/No) or as code does (1/0, true/false)."""

    WORDS = {"是": True, "否": False, "yes": True, "no": False, "y": True, "n": False, "√": True, "×": False}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            text = value.strip()
            word = self.WORDS.get(text.lower())
            if word is None:
                for language in ("zh-hans", "en"):
                    with translation.override(language):
                        if text.lower() == str(_("Yes")).lower():
                            word = True
                        elif text.lower() == str(_("No")).lower():
                            word = False
            if word is not None:
                return word
            if not text:
                return None
        return super().clean(value, row, **kwargs)


def normalise_heading(text):
    """A column heading as compared: case, spaces and full-width brackets do not matter."""
    text = str(text or "").strip().lower().replace("（", "(").replace("）", ")")
    return re.sub(r"\s+", " ", text)


class _Unsupported(Exception):
    """A constraint's condition this module cannot evaluate in Python: the database evaluates it."""


_COMPARE = {
    "exact": lambda a, b: a == b,
    "gte": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
    "lte": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
}


def _condition_value(instance, node):
    """The truth of a Q (or a (lookup, value) child) for ``instance``: True, False or None (SQL's unknown)."""
    if isinstance(node, models.Q):
        values = [_condition_value(instance, child) for child in node.children]
        if node.connector == models.Q.AND:
            value = False if False in values else (None if None in values else True)
        else:
            value = True if True in values else (None if None in values else False)
        return (None if value is None else not value) if node.negated else value
    if not isinstance(node, tuple) or len(node) != 2:
        raise _Unsupported(node)
    lookup, expected = node
    name, _sep, operator = lookup.partition("__")
    operator = operator or "exact"
    if "__" in operator:
        raise _Unsupported(lookup)
    try:
        field = instance._meta.get_field(name)
    except Exception:
        raise _Unsupported(lookup) from None
    value = getattr(instance, field.attname)
    if operator == "isnull":
        return (value is None) == bool(expected)
    if isinstance(expected, models.F):
        expected = getattr(instance, instance._meta.get_field(expected.name).attname)
    elif isinstance(expected, models.expressions.Combinable | models.Q):
        raise _Unsupported(lookup)
    if operator not in _COMPARE:
        raise _Unsupported(lookup)
    if value is None or expected is None:
        return None
    try:
        return _COMPARE[operator](value, expected)
    except TypeError:
        raise _Unsupported(lookup) from None


def _condition_fields(node):
    if isinstance(node, models.Q):
        return {name for child in node.children for name in _condition_fields(child)}
    lookup, expected = node
    names = {lookup.split("__")[0]}
    if isinstance(expected, models.F):
        names.add(expected.name)
    return names


def _shallow_copier(instance):
    def shallow_copy(memo):
        clone = copy.copy(instance)
        clone.__dict__.pop("__deepcopy__", None)
        return clone

    return shallow_copy


def _was_read(field, instance):
    """True when the related record cached on ``instance`` for ``field`` came from the database and is the one the
    foreign key names: Django's validation of the key would only read it again."""
    related = field.get_cached_value(instance)
    return (
        related is not None
        and not related._state.adding
        and related.pk is not None
        and getattr(instance, field.attname) == related.pk
    )


def _required_empty(condition):
    """The fields a condition of AND-ed lookups requires to be empty (``zone__isnull=True``)."""
    if not isinstance(condition, models.Q) or condition.negated or condition.connector != models.Q.AND:
        return set()
    return {
        child[0].removesuffix("__isnull")
        for child in condition.children
        if isinstance(child, tuple) and child[0].endswith("__isnull") and child[1] is True
    }


class InPythonConstraint:
    """A model constraint validated without a query where Python can tell: a CheckConstraint of plain lookups is
    evaluated on the instance (as Django's check does it in SQL: an unknown result passes); a conditional
    UniqueConstraint whose condition does not hold for the instance is skipped, one whose condition holds runs the
    plain uniqueness query. Django asks the database a query of each, per row: most of an import's time."""

    def __init__(self, constraint, loader=None):
        self.constraint = constraint
        self.loader = loader

    def __getattr__(self, name):
        return getattr(self.constraint, name)

    def validate(self, model, instance, exclude=None, using=None):
        constraint = self.constraint
        condition = getattr(constraint, "condition", None)
        try:
            if (
                condition is None
                and self.loader is not None
                and isinstance(constraint, models.UniqueConstraint)
                and constraint.fields
                and not (exclude and set(constraint.fields) & set(exclude))
                and self.loader.resolved_unique(instance, constraint)
            ):
                return None
            if condition is None or (exclude and _condition_fields(condition) & set(exclude)):
                raise _Unsupported(condition)
            holds = _condition_value(instance, condition)
        except _Unsupported:
            return constraint.validate(model, instance, exclude=exclude, using=using)
        if isinstance(constraint, models.CheckConstraint):
            if holds is False:
                raise ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
            return None
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and not constraint.expressions:
            if holds is False or (self.loader is not None and self.loader.resolved_unique(instance, constraint)):
                return None
            unconditional = copy.copy(constraint)
            unconditional.condition = None
            return unconditional.validate(model, instance, exclude=exclude, using=using)
        return constraint.validate(model, instance, exclude=exclude, using=using)


def validate_in_python(instance, loader=None):
    """Make ``instance.full_clean()`` validate its model's constraints with :class:`InPythonConstraint`; ``loader``
    (a :class:`PrefetchingInstanceLoader`) may settle unique constraints on the import's key."""
    loader = loader if hasattr(loader, "resolved_unique") else None
    constraints = [
        (model, [InPythonConstraint(constraint, loader) for constraint in model_constraints])
        for model, model_constraints in type(instance).get_constraints(instance)
    ]
    instance.get_constraints = lambda: constraints


class PrefetchingInstanceLoader(instance_loaders.ModelInstanceLoader):
    """Finds the records a file updates with a few queries for the whole file, not one query per row.

    The values of each ``import_id_fields`` column are read from every row first (a cell that does not read is
    left out); the records whose keys are among them are fetched at once, in chunks, and indexed by their key. A
    row whose key is made only of such values is then looked up in the index; any other row (its key changed by
    ``before_import_row``, say) is looked up as django-import-export does, with a query. Each record is handed out
    once: a key repeated further down the file is read again from the database, as the first row saved it.
    """

    CHUNK = 2000

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.fields = [resource.fields[name] for name in resource.get_import_id_fields()]
        self.values = None
        self.index = {}
        model = resource._meta.model
        try:
            self.attnames = [model._meta.get_field(field.attribute).attname for field in self.fields]
        except Exception:
            self.attnames = []

    @staticmethod
    def _key_part(value):
        return value.pk if isinstance(value, models.Model) else value

    def _key(self, row):
        return tuple(self._key_part(field.clean(row)) for field in self.fields)

    def get_queryset(self):
        # The related records the key names come with the record: the preview's diff shows them, which would
        # otherwise read them one query each, for every row.
        model = self.resource._meta.model
        related = [
            field.attribute
            for field in self.fields
            if field.attribute and getattr(model._meta.get_field(field.attribute), "many_to_one", False)
        ]
        return super().get_queryset().select_related(*related)

    def _prefetch(self):
        self.values = [set() for _field in self.fields]
        headers = self.dataset.headers or []
        if any(field.column_name not in headers for field in self.fields):
            return
        for data in self.dataset:
            row = dict(zip(headers, data))
            for values, field in zip(self.values, self.fields):
                with contextlib.suppress(ValueError, ValidationError, TypeError, ArithmeticError):
                    values.add(self._key_part(field.clean(row)))  # a bad cell is the row's error, reported later
        queryset = self.get_queryset()
        for values, field in zip(self.values, self.fields):
            known = [value for value in values if value is not None]
            condition = models.Q(**{field.attribute + "__in": known}) if known else models.Q(pk__in=[])
            if None in values:
                condition |= models.Q(**{field.attribute + "__isnull": True})
            queryset = queryset.filter(condition)
        attnames = self.attnames
        duplicated = set()
        for record in queryset.iterator(chunk_size=self.CHUNK):
            key = tuple(getattr(record, attname) for attname in attnames)
            if key in self.index:
                duplicated.add(key)
            self.index[key] = record
        for key in duplicated:
            del self.index[key]  # the query says which, as django-import-export's loader does

    def get_instance(self, row):
        if self.values is None:
            self._prefetch()
        try:
            key = self._key(row)
        except (ValueError, ValidationError, TypeError, ArithmeticError):
            # A key cell that does not read finds no record; the field's import then reports it on its column.
            self.resolved = None
            return None
        if all(part in values for part, values in zip(key, self.values)):
            record = self.index.pop(key, None)
            if record is not None or key not in self.handed_out:
                self.handed_out.add(key)
                self.resolved = key
                return record
        self.resolved = None
        if self.resource.is_pending(key):
            self.resource.flush_pending_creates()  # a key repeated in the file: the first row's record is stored
        return super().get_instance(row)

    def key_of(self, instance):
        """A record's key as :meth:`get_instance` computes it from a row."""
        return tuple(getattr(instance, attname) for attname in self.attnames) if self.attnames else id(instance)

    def resolved_unique(self, instance, constraint):
        """True when the row just looked up settles ``constraint`` for ``instance``: the constraint's fields (and
        those its condition requires to be empty, and are) are the key this loader looked the row up by, among
        every record of the file's keys, and the instance still holds that key. No other record can then share
        it: the record found (now ``instance``) is excluded, and a key not found belongs to no record."""
        if getattr(self, "resolved", None) is None or not self.attnames:
            return False
        if tuple(getattr(instance, attname) for attname in self.attnames) != self.resolved:
            return False
        model = self.resource._meta.model
        names = {model._meta.get_field(name).attname for name in constraint.fields}
        for name in _required_empty(constraint.condition):
            attname = model._meta.get_field(name).attname
            if getattr(instance, attname) is not None:
                return False
            names.add(attname)
        return names == set(self.attnames)

    @property
    def handed_out(self):
        return self.__dict__.setdefault("_handed_out", set())


class ChangesOnlyDiff(Diff):
    """The preview's cells of a row, read and marked up only when the page shows the row (its first
    ``PREVIEW_ROWS`` new or changed rows), and none for a row the import leaves unchanged (the page does not list
    it). django-import-export reads every field of every row twice and marks each cell up, shown or not.

    The record as it was (a copy made before the row's cells were set) and as it is after the row (the record the
    row saved, which the import does not touch again) are kept; their cells are read when the page asks for them.
    """

    def __init__(self, resource, instance, new):
        self.resource, self.original, self.new = resource, instance, new
        self.instance = None

    def compare_with(self, resource, instance):
        self.instance = instance

    @property
    def left(self):
        return Diff._read_field_values(self.resource, self.original)

    @property
    def right(self):
        return Diff._read_field_values(self.resource, self.instance) if self.instance is not None else []

    def as_html(self):
        return LazyDiffCells(self)


class LazyDiffCells:
    """A row's marked-up cells, made when first read (see :class:`ChangesOnlyDiff`)."""

    def __init__(self, diff):
        self.diff = diff
        self.cells = None

    def _made(self):
        if self.cells is None:
            diff = self.diff
            left, right = diff.left, diff.right
            self.cells = [] if not diff.new and left == right else Diff.as_html(_Sides(left, right, diff.new))
            self.diff = None
        return self.cells

    def __iter__(self):
        return iter(self._made())

    def __len__(self):
        return len(self._made())

    def __bool__(self):
        return True


class _Sides:
    def __init__(self, left, right, new):
        self.left, self.right, self.new = left, right, new


class SpreadsheetResult(Result):
    """Numbers rows as the spreadsheet does: the header is line 1, so the first data row is line 2. Each invalid
    row keeps its cells by column, for the report (:func:`import_report`)."""

    def append_invalid_row(self, number, row, validation_error):
        super().append_invalid_row(number + 1, row, validation_error)
        self.invalid_rows[-1].cells = dict(row)

    def append_error_row(self, number, row, errors):
        super().append_error_row(number + 1, row, errors)

    def row_errors(self):
        return [(number + 1, errors) for number, errors in super().row_errors()]


class RecordRowResult(RowResult):
    """A row's result without the text of its record: django-import-export computes it for every row, for admin log
    entries that Django 5.1 and later write from the record itself (ImportMixin._log_actions)."""

    def add_instance_info(self, instance):
        if instance is not None:
            self.object_id = getattr(instance, "pk", None)


class BaseResource(resources.ModelResource):
    """Validates every row with the model's full_clean(), so constraints and unit rules give row errors.

    The importing ``user`` (None for code) reaches every widget that has a ``user`` attribute, so that lookups can
    be limited to what the user may see.
    """

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "DecimalField": NumberWidget,
        "DateField": SpreadsheetDateWidget,
        **dict.fromkeys(
            (
                "IntegerField",
                "PositiveIntegerField",
                "PositiveSmallIntegerField",
                "SmallIntegerField",
                "BigIntegerField",
                "PositiveBigIntegerField",
            ),
            WholeNumberWidget,
        ),
        "TextField": widgets.CharWidget,
    }

    @classmethod
    def widget_kwargs_for_field(cls, field_name, django_field):
        kwargs = super().widget_kwargs_for_field(field_name, django_field)
        # An empty XLSX cell is None; a blank TextField (notes) must get "" as CharFields do, not NOT NULL errors.
        if isinstance(django_field, models.TextField) and django_field.blank:
            kwargs.update({"coerce_to_string": True, "allow_blank": True})
        return kwargs

    class Meta:
        instance_loader_class = PrefetchingInstanceLoader
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        # Each resource has its own copy of its fields: lookups that know the user search what the user may see.
        for field in self.fields.values():
            if hasattr(field.widget, "user"):
                field.widget.user = user

    def get_result_class(self):
        return SpreadsheetResult

    def get_row_result_class(self):
        return RecordRowResult

    def get_diff_class(self):
        return ChangesOnlyDiff

    def get_import_fields(self):
        # Asked four times a row by django-import-export, and the same for a whole import: worked out once.
        if "_import_fields" not in self.__dict__:
            self.__dict__["_import_fields"] = super().get_import_fields()
        return self.__dict__["_import_fields"]

    def error_headings(self):
        """{key of a row error (a field's name or attribute, a model field's name): the column's heading}."""
        headings = self.field_headings()
        keyed = {}
        for name, field in self.fields.items():
            keyed[name] = headings[name]
            if field.attribute:
                keyed.setdefault(field.attribute, headings[name])
        return keyed

    # --- headings: the table export's (in Chinese or English), the model's labels, the field names --------------

    # The list page's table (a core.tables.BaseTable) whose CSV/XLSX export this import reads back.
    export_table = None
    # Export columns read as a field of this resource: {database path of the column: field name}. A column whose
    # path is a field's name or attribute needs no entry; a column of no field (a category, a source) is ignored.
    export_paths = {}
    # {field: fields the model computes from it}: when a row's cell for the field fails, their constraints are not
    # checked (a figure's value, computed from the value and unit as entered).
    derived_fields = {}
    # Key fields (import_id_fields) a file may leave out as a whole column, read as blank cells: a blank that has a
    # meaning (a figure's zone: the whole park). Never a field that is not a key: its records' values would be cleared.
    optional_columns = ()
    # When a file has two columns for one field (indicator code and indicator name), the column of the path listed
    # first here wins.
    key_paths = ()

    def _field_for_path(self, path):
        if path in self.export_paths:
            return self.export_paths[path]
        for name, field in self.fields.items():
            if path in (name, field.attribute):
                return name
        return None

    def _model_label(self, field_name):
        """The verbose name of the model's field ``field_name``, or None where the model has no such field."""
        try:
            return self._meta.model._meta.get_field(field_name).verbose_name
        except Exception:
            return None

    def _table_columns(self):
        return self.export_table([]).export_columns() if self.export_table is not None else []

    def field_headings(self):
        """{field name: its heading in the active language}: the table export's, else the model's label."""
        headings = {}
        for column in self._table_columns():
            name = self._field_for_path(column.paths[0])
            if name and name not in headings:
                headings[name] = column.header
        for name in self.fields:
            if name not in headings:
                label = self._model_label(self.fields[name].attribute)
                headings[name] = str(label)[:1].upper() + str(label)[1:] if label else self.fields[name].column_name
        return headings

    def heading_map(self):
        """{normalised heading: (field name, rank)} of every heading this import reads, in Chinese and English.

        Rank 0 is a field's own column name (the admin export's headings), rank 1 a key path's column, rank 2 any
        other table export column or model label.
        """
        cache = type(self).__dict__.get("_heading_cache")
        if cache is None:
            cache = {}
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    for column in self._table_columns():
                        name = self._field_for_path(column.paths[0])
                        if name:
                            rank = 1 if column.paths[0] in self.key_paths else 2
                            cache.setdefault(normalise_heading(column.header), (name, rank))
                    for name in self.fields:
                        # The label of the model field it fills, and of the model field it is named after (a
                        # figure's "value" column fills entered_value: 数值 is the heading people write).
                        for label in (self._model_label(self.fields[name].attribute), self._model_label(name)):
                            if label:
                                cache.setdefault(normalise_heading(label), (name, 2))
            for name, field in self.fields.items():
                cache[normalise_heading(field.column_name)] = (name, 0)
            type(self)._heading_cache = cache
        return cache

    def map_headers(self, headers):
        """The file's headers as this import reads them: each heading it knows becomes its field's column name.

        Of two columns for one field the better ranked one is read; the other, and unknown columns, are ignored.
        """
        known = self.heading_map()
        found = [known.get(normalise_heading(header)) if header is not None else None for header in headers]
        best = {}
        for index, match in enumerate(found):
            if match and (match[0] not in best or match[1] < found[best[match[0]]][1]):
                best[match[0]] = index
        mapped = []
        column_names = {field.column_name for field in self.fields.values()}
        for index, header in enumerate(headers):
            match = found[index]
            if match and best[match[0]] == index:
                mapped.append(self.fields[match[0]].column_name)
            elif header in column_names:
                mapped.append(f"{header} (ignored)")
            else:
                mapped.append(header)
        return mapped

    def import_headings(self):
        """The headings of the columns this import reads, in the active language, in the import's order."""
        headings = self.field_headings()
        names = {field.column_name: name for name, field in self.fields.items()}
        return [
            str(headings.get(names.get(field.column_name), field.column_name)) for field in self.get_import_fields()
        ]

    # --- the file's header line and every cell, before import-export reads them -----------------------------------

    def imported_columns(self):
        return [field.column_name for field in self.get_import_fields()]

    def header_problems(self, headers):
        """Sentences about the header line: a header holding control characters, a column the import needs."""
        headers = [header for header in (headers or []) if header is not None]
        problems, named = [], set()
        for number, header in enumerate(headers, 1):
            text = str(header)
            bad = CONTROL_CHARACTERS.search(text)
            name = CONTROL_CHARACTERS.sub("", text).strip()
            if bad:
                named.add(name)
                problems.append(
                    _(
                        "The header of column {number}, “{name}”, holds an invisible "
                        "control character ({code}). Remove "
                        "it (saving the file again as “CSV UTF-8” or .xlsx usually does), then upload the file again."
                    ).format(number=number, name=name, code="U+{:04X}".format(ord(bad.group())))
                )
        headings = self.field_headings()
        needed = [
            (self.fields[field].column_name, headings[field]) if field in self.fields else (field, field)
            for field in self.get_import_id_fields()
        ]
        missing = [heading for column, heading in needed if column not in headers and column not in named]
        if missing:
            problems.append(
                _(
                    "Columns missing from the file: {missing}. The first line must name "
                    "the columns; this import reads: "
                    "{columns}."
                ).format(
                    missing=", ".join(f"“{column}”" for column in missing),
                    columns=", ".join(str(heading) for heading in self.import_headings()),
                )
            )
        return problems

    def after_init_instance(self, instance, new, row, **kwargs):
        # django-import-export deep-copies every record it updates, to compare it afterwards: with its related
        # records (indicator, park, zone) that is most of a row's time. The comparison needs the record's own
        # values only, which a shallow copy (Django's pickling copy, with its own related-object cache) keeps.
        super().after_init_instance(instance, new, row, **kwargs)
        instance.__dict__["__deepcopy__"] = _shallow_copier(instance)

    def import_instance(self, instance, row, **kwargs):
        instance.__dict__.pop("__deepcopy__", None)
        super().import_instance(instance, row, **kwargs)

    def _history(self):
        model = self._meta.model
        name = getattr(model._meta, "simple_history_manager_attribute", None)
        return getattr(model, name) if name else None

    # An import (and its preview, rolled back) inserts its new records together, ``BULK_CREATE`` at a time: one
    # INSERT for many rows rather than one a row. Only where saving a new record is nothing but its INSERT (no
    # save() of the model's own, no signal: the history is written in after_import anyway); a resource opts in
    # with ``bulk_creates``.
    BULK_CREATE = 500
    bulk_creates = False

    def save_instance(self, instance, is_create, row, **kwargs):
        # A preview is rolled back: the history record its save would write is not worth its insert. An import
        # writes the history records of its rows together at its end (after_import), in the same transaction.
        # Only whether the model keeps history: reading the manager (Figure.history) builds a manager class.
        keeps_history = bool(getattr(self._meta.model._meta, "simple_history_manager_attribute", None))
        # A preview inserts as the import does (and is rolled back): what it reports is what the import will do.
        if is_create and self.bulk_creates and (self._is_using_transactions(kwargs) or not kwargs.get("dry_run")):
            self.before_save_instance(instance, row, **kwargs)
            pending = self._pending_creates()
            pending[self._loader.key_of(instance)] = instance
            if len(pending) >= self.BULK_CREATE:
                self.flush_pending_creates()
            self.after_save_instance(instance, row, **kwargs)
        elif not keeps_history:
            return super().save_instance(instance, is_create, row, **kwargs)
        else:
            instance.skip_history_when_saving = True
            try:
                super().save_instance(instance, is_create, row, **kwargs)
            finally:
                del instance.skip_history_when_saving
        if keeps_history and not kwargs.get("dry_run"):
            self.__dict__.setdefault("_unrecorded", {True: [], False: []})[bool(is_create)].append(instance)

    def _pending_creates(self):
        """{key: new record} saved by rows but not inserted yet (bulk_creates)."""
        return self.__dict__.setdefault("_pending", {})

    def is_pending(self, key):
        return key in self.__dict__.get("_pending", ())

    def flush_pending_creates(self):
        """Insert the new records rows have saved so far: before a row looks up a key one of them holds, and at the
        end of the import."""
        pending = self.__dict__.pop("_pending", None)
        if pending:
            self._meta.model.objects.bulk_create(pending.values())

    def after_import(self, dataset, result, **kwargs):
        self.flush_pending_creates()
        super().after_import(dataset, result, **kwargs)
        unrecorded = self.__dict__.pop("_unrecorded", None)
        if unrecorded:
            history = self._history()
            for created, instances in unrecorded.items():
                if instances:
                    history.bulk_history_create(instances, batch_size=500, update=not created, default_user=self.user)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """As django-import-export's, with two queries a row fewer each: a related record the row's widget has just
        read from the database is not looked up again (Django's ForeignKey.validate would), and the model's
        constraints are checked in Python where they can be (:class:`InPythonConstraint`)."""
        errors = dict(import_validation_errors or {})
        if not self._meta.clean_model_instances:
            if errors:
                raise ValidationError(errors)
            return
        found = {
            field.name
            for field in instance._meta.concrete_fields
            if field.many_to_one and field.is_cached(instance) and _was_read(field, instance)
        }
        try:
            instance.full_clean(exclude=[*errors, *found], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        validate_in_python(instance, getattr(self, "_loader", None))
        # A field computed from one that failed holds nothing meaningful: its constraints would only repeat the error.
        derived = [name for failed in errors for name in self.derived_fields.get(failed, ())]
        try:
            for check in (instance.validate_unique if validate_unique else None, instance.validate_constraints):
                if check is None:
                    continue
                try:
                    check(exclude=[*errors, *derived])
                except ValidationError as error:
                    errors = error.update_error_dict(errors)
        finally:
            del instance.get_constraints
        if errors:
            raise ValidationError(errors)

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs):
        keep_rows = kwargs.pop("keep_rows", None)
        if keep_rows is not None:
            keep_rows(dataset)  # as read, before the headings are mapped (the confirm maps them again)
        # Headings in either language (a table export's, the admin export's) are read as the fields they name.
        if dataset.headers:
            dataset.headers = self.map_headers(dataset.headers)
            # A column a file may leave out is read as a column of blank cells (a zone left out: the whole park).
            for name in (name for name in self.optional_columns if name in self.get_import_id_fields()):
                column = self.fields[name].column_name
                if column not in dataset.headers:
                    dataset.append_col([None] * len(dataset), header=column)
        # A missing or garbled column would otherwise be a base error with a traceback, then one error per row.
        problems = self.header_problems(dataset.headers)
        if not problems:
            return super().import_data_inner(
                dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
            )
        if raise_errors:
            raise ImportFileError(problems[0])
        result = self.get_result_class()()
        result.diff_headers = self.get_diff_headers()
        result.total_rows = len(dataset)
        for problem in problems:
            result.append_base_error(self.get_error_result_class()(ImportFileError(problem)))
        return result

    def handle_import_error(self, result, error, raise_errors=False):
        # The import page shows the message of a file-wide error: an unexpected one is logged, and the page says so
        # in a sentence instead of showing Python's words.
        if not isinstance(error, ValueError | ValidationError):
            logger.error("Import failed: %r", error, exc_info=error)
            error = ImportFileError(
                _(
                    "The file could not be imported because of an unexpected error; it has been logged for the "
                    "administrator. Nothing was saved."
                )
            )
        super().handle_import_error(result, error, raise_errors)

    def import_row(self, row, instance_loader, **kwargs):
        """Check and restore every imported text cell first: a control character is a row error (PostgreSQL refuses
        a NUL, SQLite would store it); the quote an export put before a formula-like text is removed."""
        self._loader = instance_loader
        if hasattr(instance_loader, "resolved"):
            instance_loader.resolved = None
        errors = {}
        for column in self.imported_columns():
            value = row.get(column)
            if not isinstance(value, str):
                continue
            bad = CONTROL_CHARACTERS.search(value)
            if bad:
                errors[column] = ValidationError(
                    _(
                        "The “{column}” cell holds an invisible control character ({code}), which cannot be stored. "
                        "Remove it and import again."
                    ).format(column=column, code="U+{:04X}".format(ord(bad.group())))
                )
            else:
                row[column] = restore_neutralised(value)
        if not errors:
            return super().import_row(row, instance_loader, **kwargs)
        row_result = self.get_row_result_class()()
        row_result.import_type = RowResult.IMPORT_TYPE_INVALID
        row_result.validation_error = ValidationError(errors)
        return row_result


# --- the import page's report: what a clerk reads to fix the file ------------------------------------------------

PREVIEW_ROWS = 500


def _cell_text(value):
    """A cell as the page shows it: an empty cell is blank, never “None”."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if not (value.hour or value.minute or value.second) else value.isoformat(" ")
    return str(value)


def _count(number):
    from django.utils.formats import number_format

    return number_format(number, force_grouping=True)


def import_report(result, resource, limit=PREVIEW_ROWS):
    """What the import page shows of ``result``: a summary sentence, the headings of the columns read, and the rows
    to show (at most ``limit``): each row with errors (its line, every problem as “heading: message (value given)”
    and its cells), or else each new or changed row with its cells marked up with the change.
    """
    fields = resource.get_import_fields()
    names = {field.column_name: name for name, field in resource.fields.items()}
    field_headings = resource.field_headings()
    headings = [str(field_headings.get(names.get(field.column_name), field.column_name)) for field in fields]
    keyed = resource.error_headings()
    column_of = {}
    for name, field in resource.fields.items():
        column_of[name] = field.column_name
        if field.attribute:
            column_of.setdefault(field.attribute, field.column_name)
    lines = {}
    for row in result.invalid_rows:
        cells = getattr(row, "cells", {})
        problems = lines.setdefault(row.number, {"cells": cells, "problems": []})["problems"]
        for key, messages in row.error_dict.items():
            heading = str(keyed.get(key, "")) if key != NON_FIELD_ERRORS else ""
            value = _cell_text(cells.get(column_of.get(key))) if key in column_of else None
            for message in messages:
                problems.append({"heading": heading, "message": str(message), "value": value})
    for number, errors in result.row_errors():
        for error in errors:
            entry = lines.setdefault(number, {"cells": dict(error.row or {}), "problems": []})
            exception = error.error
            if isinstance(exception, ValueError | ValidationError):
                message = "; ".join(getattr(exception, "messages", None) or [str(exception)])
            else:
                logger.error("Import row %s failed: %r", number, exception)
                message = _("This row could not be saved because of an unexpected error; it has been logged.")
            entry["problems"].append({"heading": "", "message": message, "value": None})
    total = result.total_rows
    if lines or result.base_errors:
        bad = len(lines)
        if lines:
            summary = _("{ok} rows fine, {bad} rows with errors; nothing was saved.").format(
                ok=_count(max(total - bad, 0)), bad=_count(bad)
            )
        else:  # the file as a whole (its header line): no row was read
            summary = _("The file could not be read as an import: no row was checked and nothing was saved.")
        rows = [
            {
                "line": number,
                "problems": entry["problems"],
                "cells": [_cell_text(entry["cells"].get(field.column_name)) for field in fields],
            }
            for number, entry in sorted(lines.items())[:limit]
        ]
        shown = len(lines)
    else:
        totals = result.totals
        summary = _(
            "{total} rows fine: {new} new, {changed} changed, {unchanged} unchanged. Nothing is saved until you "
            "confirm the import."
        ).format(
            total=_count(total),
            new=_count(totals.get(RowResult.IMPORT_TYPE_NEW, 0)),
            changed=_count(totals.get(RowResult.IMPORT_TYPE_UPDATE, 0)),
            unchanged=_count(totals.get(RowResult.IMPORT_TYPE_SKIP, 0)),
        )
        listed = (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_DELETE)
        changed = [row for row in result.rows if row.import_type in listed]
        # At most ``limit`` rows, in the file's order; rows with plausibility warnings (a figure import:
        # indicators.resources) are chosen first, so that the warnings the import confirms are the ones in sight.
        warned = [number for number, row in enumerate(changed) if getattr(row, "warnings", None)][:limit]
        others = [number for number, row in enumerate(changed) if not getattr(row, "warnings", None)]
        chosen = sorted(warned + others[: limit - len(warned)])
        rows = [
            {
                "type": changed[number].import_type,
                "cells": changed[number].diff or [],
                "warnings": getattr(changed[number], "warnings", []),
            }
            for number in chosen
        ]
        shown = len(changed)
    more = (
        _("The first {limit} of these {count} rows are listed.").format(limit=_count(limit), count=_count(shown))
        if shown > limit
        else ""
    )
    return {"summary": summary, "headings": headings, "rows": rows, "more": more, "has_errors": bool(lines)}
