"""django-import-export building blocks: lookups by name, choices by label, clear row errors."""

import logging
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import resources, widgets
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


class SpreadsheetResult(Result):
    """Numbers rows as the spreadsheet does: the header is line 1, so the first data row is line 2."""

    def append_invalid_row(self, number, row, validation_error):
        super().append_invalid_row(number + 1, row, validation_error)

    def append_error_row(self, number, row, errors):
        super().append_error_row(number + 1, row, errors)

    def row_errors(self):
        return [(number + 1, errors) for number, errors in super().row_errors()]


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

    # --- headings: the table export's (in Chinese or English), the model's labels, the field names --------------

    # The list page's table (a core.tables.BaseTable) whose CSV/XLSX export this import reads back.
    export_table = None
    # Export columns read as a field of this resource: {database path of the column: field name}. A column whose
    # path is a field's name or attribute needs no entry; a column of no field (a category, a source) is ignored.
    export_paths = {}
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

    def _model_label(self, name):
        attribute = self.fields[name].attribute
        try:
            return self._meta.model._meta.get_field(attribute).verbose_name
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
                label = self._model_label(name)
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
                        label = self._model_label(name)
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

    def get_diff_headers(self):
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
                    columns=", ".join(str(heading) for heading in self.get_diff_headers()),
                )
            )
        return problems

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs):
        # Headings in either language (a table export's, the admin export's) are read as the fields they name.
        if dataset.headers:
            dataset.headers = self.map_headers(dataset.headers)
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
