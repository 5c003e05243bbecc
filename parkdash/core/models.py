"""Shared model bases and field helpers."""

from decimal import Decimal

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0")


class TimeStampedModel(models.Model):
    """Adds created and modified timestamps."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        abstract = True


def amount_field(verbose_name, **kwargs):
    """A decimal amount wide enough for 元-level sums and 4 decimals of 亿元."""
    kwargs.setdefault("max_digits", 20)
    kwargs.setdefault("decimal_places", 4)
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return models.DecimalField(verbose_name, **kwargs)


def non_negative(field, model_label, label=None):
    """A named CheckConstraint: ``field`` is NULL or not negative."""
    return models.CheckConstraint(
        condition=models.Q(**{field + "__isnull": True}) | models.Q(**{field + "__gte": 0}),
        name=f"{model_label}_{field}_not_negative",
        violation_error_message=format_lazy(_("{field} cannot be negative."), field=label or field),
    )
