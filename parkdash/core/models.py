"""Shared model bases and field helpers."""

import decimal
from decimal import Decimal

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import units

# The years a figure, a work or a summary may be for: from the People's Republic's first year to far beyond any plan.
YEAR_MIN, YEAR_MAX = 1949, 2100
YEAR_MESSAGE = format_lazy(_("The year must be between {first} and {last}."), first=YEAR_MIN, last=YEAR_MAX)

# SQLite stores a DecimalField as REAL, a double: 15 significant digits come back exactly, a 16th may not (and
# Django's SQLite converter then fails on the whole row). PostgreSQL's numeric holds more; 15 suits both.
EXACT_DIGITS = 15
# Precision for reading a stored value back: enough for any double (up to about 1.8e308, with the decimals), so
# that a value stored out of range before the bound existed (or by a path that skips validation) is read, never
# an error that takes the page down with it.
READ_PRECISION = 340


class TimeStampedModel(models.Model):
    """Adds created and modified timestamps."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        abstract = True


@deconstructible
class AmountBoundValidator:
    """Refuses a number too large to be stored exactly (or with too many decimals), saying what the bound is."""

    def __init__(self, decimal_places, whole_digits, unit=""):
        self.decimal_places = decimal_places
        self.whole_digits = whole_digits
        self.unit = unit

    @property
    def limit(self):
        return Decimal(10) ** self.whole_digits

    def __call__(self, value):
        if value is None or not isinstance(value, Decimal) or not value.is_finite():
            return  # not a number: the field's own "must be a decimal number" says so
        if abs(value) >= self.limit:
            params = {
                "limit": number_format(self.limit, force_grouping=True),
                "power": self.whole_digits,
                "unit": (" " + str(self.unit)) if self.unit else "",
                "value": value,
            }
            if value < 0:
                raise ValidationError(
                    _("The value must be above -%(limit)s (-10^%(power)s)%(unit)s."), code="out_of_range", params=params
                )
            raise ValidationError(
                _("The value must be below %(limit)s (10^%(power)s)%(unit)s."), code="out_of_range", params=params
            )
        validators.DecimalValidator(None, self.decimal_places)(value)

    def __eq__(self, other):
        return (
            isinstance(other, AmountBoundValidator)
            and self.decimal_places == other.decimal_places
            and self.whole_digits == other.whole_digits
            and self.unit == other.unit
        )


class BoundedDecimalField(models.DecimalField):
    """A DecimalField that accepts only what both SQLite and PostgreSQL store exactly, and reads anything.

    Validation (forms, imports, ``full_clean()``) refuses a value of ``EXACT_DIGITS - decimal_places`` whole
    digits or more (10^11 for 4 decimals), with a message that names the bound (and ``unit``, when given). The
    database column is the plain DecimalField's (``max_digits`` unchanged, no migration, nothing stored is
    altered); a value stored before the bound existed is read back without an error (SQLite's converter
    quantizes with this field's context, here wide enough for any double) and shown as it is.
    """

    def __init__(self, verbose_name=None, name=None, unit="", **kwargs):
        self.unit = unit
        super().__init__(verbose_name, name, **kwargs)

    @property
    def whole_digits(self):
        return min(self.max_digits, EXACT_DIGITS) - self.decimal_places

    @property
    def limit(self):
        """The smallest size refused: 10^11 for 4 decimals."""
        return Decimal(10) ** self.whole_digits

    def in_range(self, value):
        """True when ``value`` (a Decimal, or None) can be stored exactly."""
        if value is None:
            return True
        value = value if isinstance(value, Decimal) else Decimal(str(value))
        return value.is_finite() and abs(value) < self.limit

    @cached_property
    def validators(self):
        # Field.validators, not DecimalField's: its DecimalValidator would add "no more than 16 digits before the
        # decimal point" to the bound's own, clearer message.
        own = [AmountBoundValidator(self.decimal_places, self.whole_digits, self.unit)]
        return [*models.Field.validators.func(self), *own]

    @cached_property
    def context(self):
        return decimal.Context(prec=READ_PRECISION)

    def to_python(self, value):
        if isinstance(value, float):
            # As DecimalField does, at the field's own precision: the wide reading context would carry the float's
            # binary error into dozens of digits.
            value = decimal.Context(prec=self.max_digits).create_decimal_from_float(value)
        return super().to_python(value)

    def formfield(self, **kwargs):
        # The form field checks the decimals only; the model's validator gives the bound in words.
        return super().formfield(**{"max_digits": None, **kwargs})

    def deconstruct(self):
        # For migrations this is a DecimalField: the column is the same, and the bound is validation only.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


def amount_field(verbose_name, unit="", **kwargs):
    """A decimal amount: 4 decimals (of 亿元, say), below 10^11, so exact on SQLite and PostgreSQL alike."""
    kwargs.setdefault("max_digits", 20)
    kwargs.setdefault("decimal_places", 4)
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return BoundedDecimalField(verbose_name, unit=unit, **kwargs)


def percent_field(verbose_name, **kwargs):
    """A percentage with 2 decimals (a growth rate, a share), bounded like an amount."""
    kwargs.setdefault("max_digits", 9)
    kwargs.setdefault("decimal_places", 2)
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return BoundedDecimalField(verbose_name, unit="%", **kwargs)


def non_negative(field, model_label, label=None):
    """A named CheckConstraint: ``field`` is NULL or not negative."""
    return models.CheckConstraint(
        condition=models.Q(**{field + "__isnull": True}) | models.Q(**{field + "__gte": 0}),
        name=f"{model_label}_{field}_not_negative",
        violation_error_message=format_lazy(_("{field} cannot be negative."), field=label or field),
    )


def dates_in_order(first, second, name, message):
    """A named CheckConstraint: the date ``first`` is not after ``second`` (either may be empty)."""
    return models.CheckConstraint(
        condition=(
            Q(**{first + "__isnull": True}) | Q(**{second + "__isnull": True}) | Q(**{first + "__lte": F(second)})
        ),
        name=name,
        violation_error_message=message,
    )


def year_in_range(name, field="year"):
    """A named CheckConstraint: ``field`` lies between YEAR_MIN and YEAR_MAX."""
    return models.CheckConstraint(
        condition=Q(**{field + "__gte": YEAR_MIN}) & Q(**{field + "__lte": YEAR_MAX}),
        name=name,
        violation_error_message=YEAR_MESSAGE,
    )


def validate_unit(symbol):
    """A field validator: ``symbol`` is a unit ParkDash knows (core.units)."""
    if not units.is_known(symbol):
        raise ValidationError(_("Unknown unit “%(unit)s”."), params={"unit": symbol}, code="unknown_unit")
