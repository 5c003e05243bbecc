"""Indicators (指标) and their figures: annual targets and year-to-date actuals."""

import contextlib
import operator
import re

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, FieldError, ValidationError
from django.db import models, router
from django.db.models import CheckConstraint, Q, UniqueConstraint
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parkdash.core import units
from parkdash.core.models import (
    TimeStampedModel,
    amount_field,
    non_negative,
    percent_field,
    validate_unit,
    year_in_range,
)
from parkdash.core.numbers import format_number
from parkdash.core.periods import period_label
from parkdash.parks.models import ParkRecord, Zone

from . import provenance
from .choices import Aggregation, Category, FigureKind, Source, Version, WarningCode

ALIAS_SEPARATORS = re.compile(r"[\n,，、;；]+")


class IndicatorManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Indicator(TimeStampedModel):
    """An economic, land or construction indicator with a canonical unit and the aliases summaries use."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("Chinese name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=150)
    unit = models.CharField(
        _("canonical unit"),
        max_length=20,
        validators=[validate_unit],
        help_text=_("Figures are stored in this unit; entries in compatible units are converted."),
    )
    display_unit = models.CharField(
        _("display unit"),
        max_length=20,
        blank=True,
        validators=[validate_unit],
        help_text=_(
            "The unit pages show this indicator in. Leave empty to choose by size: money below 1 亿 in 万元, "
            "from 1 亿 up in 亿元; other units as stored."
        ),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    aggregation = models.CharField(
        _("aggregation"),
        max_length=12,
        choices=Aggregation.choices,
        default=Aggregation.CUMULATIVE,
        help_text=_(
            "Cumulative: a running total from January, judged against the time-elapsed pace. Stock: a level at a date "
            "(enterprises, projects under way), compared with the target directly. Rate: a ratio (energy per 10k "
            "yuan), compared with the target directly, in the direction of “higher is better”."
        ),
    )
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_("Other names work summaries use for this indicator, separated by commas, 、 or new lines."),
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=100)

    history = HistoricalRecords()
    objects = IndicatorManager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.display_name

    def natural_key(self):
        return (self.code,)

    def get_absolute_url(self):
        return reverse("indicators:indicator_detail", args=[self.code])

    @property
    def paced(self):
        """True when the indicator's actuals are running totals judged against 序时进度."""
        return self.aggregation == Aggregation.CUMULATIVE

    @property
    def display_name(self):
        """The name in the active language (English falls back to Chinese)."""
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def alias_list(self):
        return [a.strip() for a in ALIAS_SEPARATORS.split(self.aliases or "") if a.strip()]

    # The extractor reads catalogue entries with these attribute names.
    @property
    def name_zh(self):
        return self.name

    def clean(self):
        super().clean()
        known = self.display_unit and self.unit and units.is_known(self.display_unit) and units.is_known(self.unit)
        if known and not units.compatible(self.display_unit, self.unit):
            raise ValidationError(
                {
                    "display_unit": _("%(display)s cannot show a value in %(unit)s.")
                    % {"display": self.display_unit, "unit": self.unit}
                }
            )
        if self.pk and self.unit:
            old = Indicator.objects.filter(pk=self.pk).values_list("unit", flat=True).first()
            if old and old != self.unit and self.figures.exists():
                raise ValidationError(
                    {
                        "unit": _("This indicator already has figures in %(unit)s; the unit cannot change.")
                        % {"unit": old}
                    }
                )


class NotSimple(Exception):
    """A constraint's condition the in-memory check does not read: the database checks it, as Django does."""


COMPARISONS = {"exact": operator.eq, "gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}


def condition_truth(node, figure, exclude):
    """A CheckConstraint's condition on ``figure``'s own values, as SQL reads it: True, False or None (unknown, a
    NULL compared). Lookups exact, gt, gte, lt, lte and isnull against plain values, joined by AND/OR, negated or
    not; anything else raises NotSimple. A field in ``exclude`` raises FieldError, as in Django's check."""
    if isinstance(node, Q):
        values = [condition_truth(child, figure, exclude) for child in node.children]
        if node.connector == Q.AND:
            result = False if False in values else (None if None in values else True)
        elif node.connector == Q.OR:
            result = True if True in values else (None if None in values else False)
        else:
            raise NotSimple
        return result if result is None or not node.negated else not result
    path, target = node
    name, _sep, lookup = path.rpartition("__") if "__" in path else (path, "", "exact")
    if "__" in name or hasattr(target, "resolve_expression"):
        raise NotSimple
    if exclude and name in exclude:
        raise FieldError(name)
    try:
        value = getattr(figure, figure._meta.get_field(name).attname)
    except FieldDoesNotExist:
        raise NotSimple from None
    if lookup == "isnull":
        return (value is None) == bool(target)
    if lookup not in COMPARISONS:
        raise NotSimple
    return None if value is None or target is None else COMPARISONS[lookup](value, target)


class Figure(ParkRecord):
    """One value of an indicator: an annual target, or an actual cumulative year-to-date through a month.

    ``value`` is in the indicator's canonical unit. ``entered_value`` and ``entered_unit`` keep what was
    typed or written in the source; ``clean()`` converts them (万元 → 亿元, 公顷 → 亩 …).
    """

    # The composite indexes below start with indicator and park: no separate single-column index needed.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="figures", verbose_name=_("indicator"), db_index=False
    )
    # A zone with figures cannot be deleted by accident: its figures would go with it.
    zone = models.ForeignKey(
        Zone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("zone"),
        help_text=_("Leave empty for a figure of the whole park."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(
        _("month"),
        default=12,
        help_text=_("Actuals: cumulative from January through this month. Annual targets: 12."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=FigureKind.choices, default=FigureKind.ACTUAL)
    version = models.CharField(_("version"), max_length=12, choices=Version.choices, default=Version.FINAL)
    value = amount_field(_("value"), help_text=_("In the indicator's canonical unit."))
    entered_value = amount_field(_("value as entered"))
    entered_unit = models.CharField(
        _("unit as entered"),
        max_length=20,
        blank=True,
        validators=[validate_unit],
        help_text=_("Leave empty to use the indicator's unit."),
    )
    yoy_pct = percent_field(_("year-on-year growth %"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    source_quote = models.TextField(_("source quote"), blank=True, help_text=_("The sentence the figure came from."))
    note = models.CharField(_("note"), max_length=255, blank=True)
    # Where the figure's latest write sits in the change feed (changes.py): set by the database's triggers on every
    # insert and update, whatever the write path; never by Django, never copied by a backup or by the history.
    change_seq = models.BigIntegerField(_("change sequence"), null=True, editable=False, serialize=False)

    natural_key_fields = ("indicator__code", "park__code", "zone__name", "year", "month", "kind", "version")
    history_excluded_fields = ("change_seq",)

    class Meta:
        # Park by park, newest year first, actuals then targets, by indicator, newest month first. No join: the
        # index below serves this order, so the first page of the figures table reads 25 rows, not a million.
        ordering = ["park_id", "-year", "kind", "indicator_id", "-month", "id"]
        verbose_name = _("indicator figure")
        verbose_name_plural = _("indicator figures")
        default_related_name = "figures"
        indexes = [
            models.Index(
                fields=["park", "-year", "kind", "indicator", "-month", "id"], name="figure_park_year_kind_idx"
            ),
            models.Index(fields=["indicator", "park", "kind", "year"], name="figure_indicator_series_idx"),
            # The change feed's order (changes.py).
            models.Index(fields=["change_seq", "id"], name="figure_change_seq_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "park", "year", "month", "kind", "version"],
                condition=Q(zone__isnull=True),
                name="figure_unique_per_period_whole_park",
                violation_error_message=_(
                    "There is already a figure for this indicator, park, year, month, kind and version."
                ),
            ),
            models.UniqueConstraint(
                fields=["indicator", "park", "zone", "year", "month", "kind", "version"],
                condition=Q(zone__isnull=False),
                name="figure_unique_per_period_zone",
                violation_error_message=_(
                    "There is already a figure for this indicator, zone, year, month, kind and version."
                ),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="figure_month_1_to_12",
                violation_error_message=_("The month must be between 1 and 12."),
            ),
            year_in_range("figure_year_plausible"),
            non_negative("value", "figure", _("The value")),
            non_negative("entered_value", "figure", _("The value as entered")),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(yoy_pct__isnull=False),
                name="figure_has_value_or_growth",
                violation_error_message=_("Give a value, a year-on-year growth, or both."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.period_label} {self.get_kind_display()}"

    def natural_key(self):
        return super().natural_key()

    natural_key.dependencies = ["indicators.indicator", "parks.zone"]

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()

    @property
    def period_label(self):
        if self.kind == FigureKind.TARGET and self.month == 12:
            return _("%(year)s full year") % {"year": self.year}
        return period_label(self.year, self.month)

    @property
    def unit(self):
        return self.indicator.unit

    @property
    def origin(self):
        """The record this figure came from (the work summary it was applied from), or None (provenance.py)."""
        return provenance.origin_of(self)

    def clean_fields(self, exclude=None):
        self.complete_shorthand_unit()
        # Relations a form has just read from its choices (FigureForm) exist: no query each to check it again.
        verified = getattr(self, "_verified_relations", ())
        super().clean_fields(exclude={*(exclude or ()), *verified} if verified else exclude)

    def complete_shorthand_unit(self):
        """A multiplier typed alone as the unit (亿, 万) becomes the real unit, completed from the indicator's:
        万 is 万元 for a 亿元 indicator, 万亩 for one in 亩 (core.units.resolve). Anything else is left for the
        field's validator and :meth:`convert_entered_value` to judge."""
        if not self.entered_unit or units.is_known(self.entered_unit) or not self.indicator_id:
            return
        with contextlib.suppress(units.UnitError):
            self.entered_unit = units.resolve(self.entered_unit, self.indicator.unit)

    def check_rules(self, errors):
        self._entry_rejected = False
        # ``self.indicator`` rather than ``indicator_id``: a figure added inline with a new indicator has it unsaved.
        try:
            has_indicator = self.indicator is not None
        except Indicator.DoesNotExist:
            has_indicator = False
        if has_indicator:
            self.convert_entered_value(errors)

    def convert_entered_value(self, errors):
        """Fill ``value`` from ``entered_value``/``entered_unit``, converting to the canonical unit."""
        if self.entered_value is None:
            if self.value is not None and not self.entered_unit:
                self.entered_value = self.value
            return
        unit = self.entered_unit or self.indicator.unit
        if not units.is_known(unit):
            # The field's own validator says "unknown unit"; "cannot be converted" would only repeat it.
            self._entry_rejected = True
            return
        if not self.entered_value.is_finite():
            self._entry_rejected = True
            errors["entered_value"] = _("%(value)s is not a plausible amount.") % {"value": self.entered_value}
            return
        if not self._meta.get_field("entered_value").in_range(self.entered_value):
            # The field's validator says so, with the bound.
            self._entry_rejected = True
            return
        try:
            self.value = units.convert(self.entered_value, unit, self.indicator.unit)
        except units.UnitError:
            self._entry_rejected = True
            errors["entered_unit"] = _("%(unit)s cannot be converted to %(canonical)s, the unit of %(indicator)s.") % {
                "unit": unit,
                "canonical": self.indicator.unit,
                "indicator": self.indicator.name,
            }
            return
        value_field = self._meta.get_field("value")
        if not value_field.in_range(self.value):
            self._entry_rejected = True
            errors["entered_value"] = _(
                "In %(canonical)s, the unit of %(indicator)s, this is %(value)s %(canonical)s; a figure must be "
                "below %(limit)s (10^%(power)s) %(canonical)s."
            ) % {
                "canonical": self.indicator.unit,
                "indicator": self.indicator.name,
                "value": format_number(self.value),
                "limit": format_number(value_field.limit),
                "power": value_field.whole_digits,
            }
            return
        if self.value < 0:
            self._entry_rejected = True
            errors["entered_value"] = _("A %(indicator)s figure cannot be negative.") % {
                "indicator": self.indicator.name
            }

    def validate_constraints(self, exclude=None):
        """Django's check of the constraints, with the same messages and codes, at the cost of one query at most.

        Django sends every constraint with a condition to the database: a query a check constraint (month 1–12, a
        value or a growth …) and one a conditional unique constraint, whose condition it asks the database too.
        Here the conditions are read on the figure's own values in memory (:func:`condition_truth`, a NULL
        passing as in Django's Coalesce(condition, True)), and only the unique constraint that applies (whole
        park, or zone) is looked up. A condition the memory check does not read goes to Django, as before.
        """
        # When the entered value or unit was rejected, ``value`` holds nothing meaningful: its constraints
        # ("give a value", "cannot be negative") would repeat the entry error in words that confuse.
        if getattr(self, "_entry_rejected", False):
            exclude = {*(exclude or ()), "value"}
        using = router.db_for_write(type(self), instance=self)
        errors = {}
        for model, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    self._validate_constraint(model, constraint, exclude, using)
                except ValidationError as error:
                    errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _validate_constraint(self, model, constraint, exclude, using):
        try:
            if isinstance(constraint, CheckConstraint):
                violated = condition_truth(Q(constraint.condition), self, exclude) is False
            elif isinstance(constraint, UniqueConstraint) and constraint.fields and not constraint.expressions:
                violated = self._violates_unique(model, constraint, exclude, using)
            else:
                raise NotSimple
        except FieldError:
            return  # a condition on an excluded field: not checked, as in Django
        except NotSimple:
            constraint.validate(model, self, exclude=exclude, using=using)
            return
        if violated:
            raise ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)

    def _violates_unique(self, model, constraint, exclude, using):
        """True when another stored figure has this one's values of ``constraint``'s fields (and meets its
        condition, read on this figure's values: a condition this figure does not meet needs no query)."""
        if any(name in constraint.fields for name in exclude or ()):
            return False  # a field excluded: not checked, as in Django
        if constraint.nulls_distinct is False:
            raise NotSimple
        if constraint.condition is not None:
            applies = condition_truth(Q(constraint.condition), self, exclude)
            if applies is None:
                raise NotSimple  # a NULL compared: Django's Coalesce(…, True) asks the database
            if not applies:
                return False  # the constraint is not about this figure (the zone one, for a whole-park figure)
        lookup = {}
        for name in constraint.fields:
            field = model._meta.get_field(name)
            if field.generated:
                raise NotSimple
            value = getattr(self, field.attname)
            if value is None:
                return False  # NULL != NULL: a value missing cannot collide
            lookup[field.name] = value
        if self.read_around and model is Figure and set(lookup) >= AROUND_FIELDS:
            return self._collides_around(model, constraint, lookup, using)
        queryset = model._default_manager.using(using).filter(**lookup)
        if constraint.condition is not None:
            queryset = queryset.filter(constraint.condition)
        if not self._state.adding and self._is_pk_set(model._meta):
            queryset = queryset.exclude(pk=self._get_pk_val(model._meta))
        return queryset.exists()

    def _collides_around(self, model, constraint, lookup, using):
        """:meth:`_violates_unique` answered from :meth:`stored_around` (which holds every stored figure that could
        collide: the constraint names the park, the indicator and the year), as the database answers its query."""
        fields = [model._meta.get_field(name) for name in lookup]
        wanted = [(field.attname, field.to_python(value)) for field, value in zip(fields, lookup.values())]
        own = self._get_pk_val(model._meta) if not self._state.adding and self._is_pk_set(model._meta) else None
        condition = Q(constraint.condition) if constraint.condition is not None else None
        for row in self.stored_around(using):
            if own is not None and row.pk == own:
                continue
            if any(getattr(row, attname) != value for attname, value in wanted):
                continue
            if condition is None or condition_truth(condition, row, None) is True:
                return True
        return False

    # Set by a form that goes on to read the figure's neighbours (forms.PlausibilityConfirmMixin): its unique check
    # reads them (:meth:`stored_around`) instead of a query of its own, and the plausibility check reads them again.
    read_around = False

    def around_key(self, using):
        return (using, self.park_id, self.indicator_id, self.year)

    def stored_around(self, using=None):
        """The stored figures (:data:`NEIGHBOUR_FIELDS` only) of this figure's park and indicator, in its year and the
        year before, from database ``using`` (the router's for reads by default): what the plausibility checks read
        (quality.py) and what can collide with it. One query, kept on the figure while its park, indicator and year
        stay the same."""
        using = using or router.db_for_read(Figure, instance=self)
        key = self.around_key(using)
        kept = getattr(self, "_stored_around", None)
        if kept is None or kept[0] != key:
            rows = Figure._default_manager.using(using).filter(
                park_id=self.park_id, indicator_id=self.indicator_id, year__in=(self.year - 1, self.year)
            )
            kept = self._stored_around = (key, list(rows.order_by().only(*NEIGHBOUR_FIELDS)))
        return kept[1]

    def stored_around_kept(self, using):
        """The rows :meth:`stored_around` read from ``using`` for the figure's current park, indicator and year, or
        None when it has not read them."""
        kept = getattr(self, "_stored_around", None)
        return kept[1] if kept is not None and kept[0] == self.around_key(using) else None


# What the plausibility checks read of a neighbouring figure (quality.py), and the fields of the unique constraints.
NEIGHBOUR_FIELDS = ("id", "indicator_id", "park_id", "zone_id", "year", "month", "kind", "version", "value")
# The fields :meth:`Figure.stored_around` reads by: a unique constraint naming them all collides only in its rows.
AROUND_FIELDS = frozenset({"indicator", "park", "year"})


class FigureWarning(models.Model):
    """A plausibility warning about a figure that a person confirmed: the figure is right as it is.

    One row per confirmation, kept with the figure (who, when, the value it was about, the warning as it was
    shown). A confirmation holds for the figure's value it names: a later change of the value asks again.
    """

    figure = models.ForeignKey(Figure, on_delete=models.CASCADE, related_name="warnings", verbose_name=_("figure"))
    code = models.CharField(_("warning"), max_length=20, choices=WarningCode.choices)
    message = models.TextField(_("message"))
    value = amount_field(_("value confirmed"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    class Meta:
        ordering = ["figure", "-confirmed_at", "-id"]
        verbose_name = _("confirmed warning")
        verbose_name_plural = _("confirmed warnings")
        indexes = [models.Index(fields=["figure", "code"], name="figurewarning_figure_code_idx")]

    def __str__(self):
        return "{}: {}".format(self.get_code_display(), self.message)

    def get_absolute_url(self):
        return self.figure.get_absolute_url()


class FigureTombstone(models.Model):
    """A deleted figure, as the change feed (changes.py) tells a mirroring client about it.

    Written by the database (a trigger on the figure table, whatever deleted the figure: a page, a queryset, a park's
    cascade, raw SQL), never by Django. Also written when an update moves a figure out of what a client may have
    filtered on (another park, zone, indicator, period, kind or version): the tombstone carries the old values.

    Plain values, no foreign keys: a park's deletion deletes its figures first, and their tombstones must neither
    block it nor go with it. ``park_id`` is what scoping filters on (``park_id__in=visible_parks(user)``).
    """

    figure_id = models.BigIntegerField(_("figure id"))
    park_id = models.BigIntegerField(_("park id"), db_index=True)
    park_code = models.CharField(_("park"), max_length=50, blank=True)
    indicator_id = models.BigIntegerField(_("indicator id"))
    indicator_code = models.CharField(_("indicator"), max_length=60, blank=True)
    zone_id = models.BigIntegerField(_("zone id"), null=True)
    zone_name = models.CharField(_("zone"), max_length=100, null=True)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    kind = models.CharField(_("kind"), max_length=10)
    version = models.CharField(_("version"), max_length=12)
    change_seq = models.BigIntegerField(_("change sequence"), null=True)
    deleted_at = models.DateTimeField(_("deleted at"))

    class Meta:
        ordering = ["change_seq", "id"]
        verbose_name = _("deleted figure")
        verbose_name_plural = _("deleted figures")
        indexes = [models.Index(fields=["change_seq", "id"], name="figuretombstone_change_seq_idx")]

    def __str__(self):
        return f"{self.indicator_code} {self.park_code} {self.year}-{self.month:02d} {self.kind} {self.version}"


class FeedEpoch(models.Model):
    """One row: the identity of this database's change feed. A cursor names the epoch it was made in; a database
    emptied and restored from a backup gets a new epoch (the row goes with the flush and is not in backups), so that
    a client's old cursor is refused rather than silently missing the deletions the restore did not record."""

    token = models.CharField(max_length=32)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("change feed epoch")
        verbose_name_plural = _("change feed epochs")

    def __str__(self):
        return self.token
