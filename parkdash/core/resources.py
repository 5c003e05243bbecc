"""django-import-export building blocks: lookups by name, choices by label, clear row errors."""

import re
from datetime import datetime
from decimal import InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.results import Result

from parkdash.parks.models import Park, Zone

from .scoping import may_use_park

THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


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
        raise ValueError(f"unknown {self.label} “{text}”")

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, self.fields[-1]))


class ParkWidget(NamedForeignKeyWidget):
    def __init__(self, **kwargs):
        super().__init__(Park, ("code", "name"), "park", **kwargs)


class ZoneWidget(NamedForeignKeyWidget):
    """A zone by name, within the park named in the same row."""

    def __init__(self, park_column="park", **kwargs):
        self.park_column = park_column
        super().__init__(Zone, ("name",), "zone", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        park = str((row or {}).get(self.park_column) or "").strip()
        return Zone.objects.filter(park__code=park) | Zone.objects.filter(park__name=park)


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
            raise ValueError(f"unknown {self.label} “{value}” (use one of: {allowed})") from None

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
            raise ValueError(f"“{value}” is not a number") from None


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
            raise ValueError(f"“{value}” is not a date (write 2023-08-29)") from None


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

    Given the importing ``user``, a row for a park the user may not work on is a row error.
    """

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "DecimalField": NumberWidget,
        "DateField": SpreadsheetDateWidget,
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

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        park_id = getattr(instance, "park_id", None)
        if self.user is not None and park_id is not None and not may_use_park(self.user, park_id):
            errors["park"] = ValidationError(_("You may not import records for this park."))
        super().validate_instance(instance, errors, validate_unique)

    def get_result_class(self):
        return SpreadsheetResult
