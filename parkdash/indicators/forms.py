"""Entry of a figure's value and unit: the unit is always in sight, chosen from the units that fit the indicator.

A value typed with the unit left blank is in the indicator's own unit. That is right only if the person saw which
unit that is: 3214 typed for 3214 万元 of a 亿元 indicator would be stored as 3214 亿元. So the form shows the unit
next to the value, and offers the units that fit (core.units) in a select whose empty choice names the
indicator's unit. On the add form the indicator is chosen on the page: static/js/unit-entry.js keeps the unit and
the select in step with it; without the script, the server refuses a blank unit it could not show (see
:meth:`UnitEntryMixin.check_unit_was_shown`).

Plausibility warnings a person confirms before a figure is saved: :class:`PlausibilityConfirmMixin`.
"""

import functools
import json
import math
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models import CheckConstraint, UniqueConstraint, lookups
from django.db.models.expressions import Col
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from parkdash.core import units
from parkdash.core.export import plain_decimal
from parkdash.core.renderers import escaped_text as escape
from parkdash.parks.auth import current_request
from parkdash.parks.models import Park
from parkdash.parks.selection import PARK_FIELDS, visible_park_rows

from . import cache, quality
from .models import Figure

# The hidden input, next to the unit select, that carries the unit the form showed for a blank choice.
SHOWN_SUFFIX = "__shown"

DIMENSION_LABELS = {
    "money": _("Money (RMB)"),
    "money_usd": _("Money (US dollars)"),
    "money_hkd": _("Money (Hong Kong dollars)"),
    "area": _("Area"),
    "length": _("Length"),
    "mass": _("Mass"),
    "volume": _("Volume"),
    "power": _("Power"),
    "energy": _("Electricity"),
    "coal_equivalent": _("Energy use (standard coal)"),
    "coal_per_money": _("Energy use per 万元"),
    "percent": _("Percentage"),
}


def dimension_label(dimension):
    if dimension.startswith("count:"):
        return gettext("Count (%(unit)s)") % {"unit": dimension.removeprefix("count:")}
    return str(DIMENSION_LABELS.get(dimension, dimension))


def known_unit(symbol):
    """``symbol`` as the canonical symbol of a unit ParkDash knows, or None."""
    try:
        return units.get_unit(symbol).symbol
    except units.UnitError:
        return None


def blank_label(unit):
    """The empty choice: the indicator's unit, named when it is known."""
    if unit:
        return gettext("%(unit)s (the indicator's unit)") % {"unit": unit}
    return gettext("The indicator's unit (choose the indicator first)")


@functools.cache
def entry_groups():
    """core.units.entry_groups(), worked out once: the units are the code's own."""
    return tuple((dimension, tuple(symbols)) for dimension, symbols in units.entry_groups())


_unit_groups = {}  # (language, dimension, symbols) -> the group's HTML with no option selected


def unit_group(dimension, symbols, selected=None, language=None):
    """The <optgroup> of ``symbols`` (units of ``dimension``), ``selected`` chosen. The units are the code's own, so a
    group without a choice is built once per process and language (``language``: the active one, when known)."""
    if selected is None:
        key = (language or get_language(), dimension, symbols)
        html = _unit_groups.get(key)
        if html is None:
            html = _unit_groups[key] = _unit_group(dimension, symbols, None)
        return html
    return _unit_group(dimension, symbols, selected)


def _unit_group(dimension, symbols, selected):
    # As format_html() writes them, without its lazy-argument wrappers: every value escaped.
    dimension_ = escape(dimension)
    options = [
        '<option value="'
        + escape(symbol)
        + '" data-dimension="'
        + dimension_
        + ('" selected>' if symbol == selected else '">')
        + escape(symbol)
        + "</option>"
        for symbol in symbols
    ]
    return mark_safe(
        '<optgroup label="'
        + escape(dimension_label(dimension))
        + '" data-dimension="'
        + dimension_
        + '">'
        + "".join(options)
        + "</optgroup>"
    )


def flat_attrs(attrs):
    """Django's ``flatatt(attrs)`` (the attributes with a value sorted by name, then the true booleans by name;
    False and None left out), every value escaped, without format_html_join's wrappers."""
    valued = sorted((name, value) for name, value in attrs.items() if value is not None and not isinstance(value, bool))
    bare = sorted(name for name, value in attrs.items() if value is True)
    return "".join([" " + escape(name) + '="' + escape(value) + '"' for name, value in valued]) + "".join(
        [" " + escape(name) for name in bare]
    )


class UnitSelect(forms.Widget):
    """A unit chosen from the units that fit the indicator; the empty choice is the indicator's own unit.

    ``unit`` is the indicator's unit when the server knows it (a change form, an inline, a form shown again after
    an error): the fitting units come first, and in an inline they are the only ones. Where the indicator is
    chosen on the form (``indicator_units``: indicator id → unit), every unit is there, grouped by what it
    measures, and the script keeps only the groups that fit the chosen indicator. A value outside the list (typed
    shorthand, an old spelling) is kept as an option of its own.
    """

    template_name = ""  # rendered in Python, below

    class Media:
        js = ["js/unit-entry.js"]
        css = {"all": ["css/admin.css"]}

    def __init__(self, attrs=None, unit=None, indicator_units=None, indicator_field=None, follow_page_unit=False):
        super().__init__(attrs)
        self.unit = unit
        self.indicator_units = indicator_units
        self.indicator_field = indicator_field
        self.follow_page_unit = follow_page_unit  # an inline of an indicator being added: its "unit" field

    def format_value(self, value):
        return "" if value is None else str(value)

    def groups(self):
        if not self.unit:
            return entry_groups()
        dimension = units.get_unit(self.unit).dimension
        fitting = [(dimension, units.entry_units(self.unit))]
        if self.indicator_units is None:
            return fitting
        # The indicator can still be changed on this form: the other units stay, after the fitting ones, for the
        # script to offer once another indicator is chosen (it hides them meanwhile).
        return fitting + [group for group in entry_groups() if group[0] != dimension]

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        attrs = self.build_attrs(self.attrs, attrs)
        attrs.update(
            {
                "data-unit-select": "",
                "data-blank-known": gettext("%(unit)s (the indicator's unit)"),
                "data-blank-unknown": blank_label(None),
                "data-unit": self.unit or "",
            }
        )
        if self.follow_page_unit:
            attrs["data-inline-unit"] = ""
        if self.indicator_units is not None:
            attrs["data-indicator-units"] = json.dumps(self.indicator_units, ensure_ascii=False)
        if self.indicator_field:
            attrs["data-indicator-field"] = self.indicator_field
        offered = set()
        language = get_language()
        blank = escape(blank_label(self.unit))
        body = ['<option value=""' + ("" if value else " selected") + ">" + blank + "</option>"]
        for dimension, symbols in self.groups():
            offered.update(symbols)
            body.append(unit_group(dimension, tuple(symbols), value if value in symbols else None, language))
        if value and value not in offered:
            dimension = units.get_unit(value).dimension if units.is_known(value) else ""
            typed = escape(value)
            option = '<option value="' + typed + '" data-dimension="' + escape(dimension) + '" selected>' + typed
            body.insert(1, option + "</option>")
        return mark_safe(
            "<select"
            + flat_attrs({"name": name, **attrs})
            + ">"
            + "".join(body)
            + '</select><input type="hidden" name="'
            + escape(name + SHOWN_SUFFIX)
            + '" value="'
            + escape(self.unit or "")
            + '" data-unit-shown>'
        )

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class AmountInput(forms.NumberInput):
    """The value's input with its unit written next to it (the chosen unit, or the indicator's)."""

    def __init__(self, attrs=None, unit=None, unit_field=None):
        super().__init__(attrs)
        self.unit = unit
        self.unit_field = unit_field

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        return format_html(
            '{} <span class="unit-suffix" data-unit-suffix-for="{}" aria-live="polite">{}</span>',
            html,
            self.unit_field or "",
            self.unit or "",
        )


class AmountField(forms.DecimalField):
    """A decimal amount that says what it refuses: NaN and Infinity are not amounts, words are not numbers."""

    def to_python(self, value):
        text = "" if value is None else str(value).strip()
        try:
            number = float(text) if text else None
        except ValueError:
            number = None
        if number is not None and not math.isfinite(number):
            raise ValidationError(
                _("“%(value)s” is not an amount: type the value in figures, such as 3214 or 20.75."),
                code="invalid",
                params={"value": text},
            )
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                _("“%(value)s” is not a number: type the value in figures, such as 3214 or 20.75."),
                code="invalid",
                params={"value": text},
            ) from None


def offered_units(queryset):
    """``{str(indicator id): unit}`` of the indicators ``queryset`` offers, in its order: during a request, from the
    cached catalogue (parkdash.indicators.cache, never stale) when it offers every indicator, as the admin's field
    does; otherwise a query."""
    request = current_request()
    if request is not None and cache.is_every_indicator(queryset):
        return cache.indicator_units(request)
    return {str(pk): symbol for pk, symbol in queryset.values_list("pk", "unit")}


class UnitEntryMixin:
    """For a ModelForm of Figure: the value with its unit in sight, the unit chosen from those that fit.

    The unit field holds what the person chose or typed; :meth:`clean_entered_unit` turns shorthand into the real
    unit (亿 → 亿元), refuses a unit that does not fit with the list of those that do, and refuses a blank unit the
    form could not show (the add form without its script).
    """

    def __init__(self, *args, indicator=None, **kwargs):
        # ``indicator``: the parent of an inline (IndicatorAdmin.get_formset_kwargs); the formset sets it on the
        # figure only after the form is made.
        self.parent_indicator = indicator
        super().__init__(*args, **kwargs)
        # An amount reads as it was typed (7.6), not in the storage scale (7.6000).
        for name in ("entered_value", "value", "yoy_pct"):
            if isinstance(self.initial.get(name), Decimal):
                self.initial[name] = plain_decimal(self.initial[name])
        choosing = "indicator" in self.fields
        indicator_units = None
        if choosing:
            indicator_units = offered_units(self.fields["indicator"].queryset)
        self.indicator_units = indicator_units  # also the indicators the field offers (admin.KnownChoicesMixin)
        unit = self.indicator_unit(indicator_units)
        unit_id = self.auto_id % self.add_prefix("entered_unit") if self.auto_id else ""
        if "entered_unit" in self.fields:
            self.fields["entered_unit"].widget = UnitSelect(
                unit=unit,
                indicator_units=indicator_units,
                indicator_field=(self.auto_id % self.add_prefix("indicator")) if choosing and self.auto_id else None,
                follow_page_unit=not choosing and unit is None,
            )
        if "entered_value" in self.fields:
            old = self.fields["entered_value"]
            self.fields["entered_value"] = AmountField(
                required=old.required,
                label=old.label,
                help_text=old.help_text,
                max_digits=old.max_digits,
                decimal_places=old.decimal_places,
                widget=AmountInput(attrs=dict(old.widget.attrs), unit=unit, unit_field=unit_id),
            )

    def indicator_unit(self, indicator_units=None):
        """The indicator's unit when this form knows the indicator (bound data, initial data or its instance).

        ``indicator_units`` (indicator id → unit, of the indicator field's choices) answers without a query."""
        indicator = None
        if "indicator" in self.fields:
            key = self.add_prefix("indicator")
            raw = self.data.get(key) if self.is_bound else self.initial.get("indicator")
            if raw not in (None, ""):
                raw = str(getattr(raw, "pk", raw))
                if indicator_units is not None:
                    unit = indicator_units.get(raw) if raw.isdigit() else None
                    if unit is not None:
                        return known_unit(unit) if unit else None
                elif raw.isdigit():
                    indicator = self.fields["indicator"].queryset.filter(pk=raw).first()
        if indicator is None:
            indicator = self.parent_indicator
        if indicator is None and _has_indicator(self.instance):
            indicator = self.instance.indicator
        return known_unit(indicator.unit) if indicator is not None and indicator.unit else None

    def clean_entered_unit(self):
        text = (self.cleaned_data.get("entered_unit") or "").strip()
        indicator = self.cleaned_data.get("indicator") if "indicator" in self.fields else None
        if "indicator" not in self.fields:
            indicator = self.parent_indicator or (self.instance.indicator if _has_indicator(self.instance) else None)
        canonical = known_unit(indicator.unit) if indicator is not None and indicator.unit else None
        if not text and canonical is not None:
            self.check_unit_was_shown(indicator, canonical)
        return resolve_entered_unit(text, indicator)

    def check_unit_was_shown(self, indicator, canonical):
        """Refuse a value typed with a blank unit when the form showed another unit than the indicator's (or none).

        Only where the indicator is chosen on the form: an inline sits under its indicator's own unit field. A post
        without the hidden input (a script, a test) is not checked.
        """
        if "indicator" in self.fields:
            shown = self.data.get(self.add_prefix("entered_unit") + SHOWN_SUFFIX)
            typed = self.data.get(self.add_prefix("entered_value"))
            if shown is not None and shown != canonical and typed not in (None, ""):
                raise ValidationError(
                    _(
                        "The value of %(indicator)s is in %(unit)s when no unit is chosen, and the form did not "
                        "show that unit when the value was typed. Check the value, then choose its unit: %(units)s."
                    ),
                    code="unit_not_shown",
                    params={
                        "indicator": indicator.name,
                        "unit": canonical,
                        "units": "、".join(units.entry_units(canonical)),
                    },
                )


def resolve_entered_unit(text, indicator):
    """The unit a figure of ``indicator`` is entered in, from what was typed or sent: shorthand completed (亿 → 亿元
    for a money indicator, 万 → 万亩 for one in 亩), an alias made the unit's symbol; "" (the indicator's own unit)
    for a blank. A unit that does not fit the indicator raises ValidationError with the list of those that do.

    Without an indicator (its own error says so) or with an indicator whose unit is not known yet, ``text`` is
    returned as it is: the model judges it. The figure form and the entry service (entry.py) both use this.
    """
    text = (text or "").strip()
    canonical = known_unit(indicator.unit) if indicator is not None and indicator.unit else None
    if canonical is None or not text:
        return text
    try:
        return units.resolve(text, canonical)
    except units.UnitError:
        raise ValidationError(
            _("“%(unit)s” does not fit %(canonical)s, the unit of %(indicator)s; use one of %(units)s."),
            code="unit_does_not_fit",
            params={
                "unit": text,
                "canonical": canonical,
                "indicator": indicator.name,
                "units": "、".join(units.entry_units(canonical)),
            },
        ) from None


def pk_choices(queryset):
    """The ids ``queryset`` is restricted to, read from its query: None for every record (no filter at all), a
    frozenset for a single ``pk__in=[…]`` of plain values (scoping.visible_parks' filter), NOT_SIMPLE for anything
    else (a join, a slice, DISTINCT, extra SQL, another lookup: the caller then asks the database)."""
    query = queryset.query
    if query.is_sliced or query.distinct or query.extra or query.combinator or len(query.alias_map) > 1:
        return NOT_SIMPLE
    children = query.where.children
    if not children:
        return None if not query.where.negated else NOT_SIMPLE
    if len(children) != 1 or query.where.negated:
        return NOT_SIMPLE
    (lookup,) = children
    if (
        type(lookup) is lookups.In
        and isinstance(lookup.lhs, Col)
        and lookup.lhs.target is queryset.model._meta.pk
        and isinstance(lookup.rhs, (list, tuple, set, frozenset))
        and all(type(pk) is int for pk in lookup.rhs)
    ):
        return frozenset(lookup.rhs)
    return NOT_SIMPLE


NOT_SIMPLE = object()


def _known_or_queried(field, known, value):
    """ModelChoiceField.to_python, the record taken from ``known(field, pk)`` when it has it (None: the query, with
    Django's own message for a choice that is not offered)."""
    if value not in field.empty_values:
        text = str(value)
        if text.isascii() and text.isdigit():
            record = known(field, int(text))
            if record is not None:
                return record
    return forms.ModelChoiceField.to_python(field, value)


class KnownRecordsMixin:
    """For a bound ModelForm of Figure: the indicator and the park chosen taken from what the request holds already,
    not from a query each (ModelChoiceField.to_python's ``queryset.get(pk=…)``), when that answers exactly what the
    query would: the field offers every indicator (the cached catalogue, never stale: parkdash.indicators.cache); or
    it offers every park, or the parks of a list of ids (scoping.visible_parks' queryset), and the park is one of
    them and among the parks the user sees (their rows cached under the ``parks`` version and the user's scope,
    parkdash.parks.selection: it exists). Any other park or queryset is asked of the database as before: an editor
    of one park is refused another in Django's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound or current_request() is None:
            return
        for name, known in (("indicator", self._known_indicator), ("park", self._known_park)):
            field = self.fields.get(name)
            if (
                isinstance(field, forms.ModelChoiceField)
                and field.to_field_name in (None, field.queryset.model._meta.pk.name)
                and type(field).to_python is forms.ModelChoiceField.to_python
            ):
                # The field is this form's own copy (Form.__init__ deep-copies the class's fields).
                field.to_python = functools.partial(_known_or_queried, field, known)

    def _known_indicator(self, field, pk):
        request = current_request()
        if request is None or not cache.is_every_indicator(field.queryset):
            return None
        return cache.indicator_by_pk(request, pk)

    def _known_park(self, field, pk):
        # A park is one of the field's choices when the field's query keeps it (every park, or the ids it lists: the
        # user's, scoping.visible_parks) and it exists: it is among the parks the user sees, read under the ``parks``
        # version (parkdash.parks.selection), which every write to the parks and their members changes.
        request = current_request()
        if request is None or getattr(request, "user", None) is None or field.queryset.model is not Park:
            return None
        ids = pk_choices(field.queryset)
        if ids is NOT_SIMPLE or (ids is not None and pk not in ids) or field.queryset.db != router.db_for_read(Park):
            return None
        pk_at = PARK_FIELDS.index("id")
        row = next((row for row in visible_park_rows(request) if row[pk_at] == pk), None)
        if row is None:
            return None  # not among the parks the user sees: the query says whether it is a choice
        # The park of the figure being changed, read with it by this request (FigureAdmin.get_object): the whole row.
        instance, relation = self.instance, Figure._meta.get_field("park")
        if getattr(instance, "_history", None) is None and relation.is_cached(instance):
            park = relation.get_cached_value(instance)
            if park is not None and park.pk == pk:
                return park
        return Park.from_db(field.queryset.db, PARK_FIELDS, row)


class FigureForm(KnownRecordsMixin, UnitEntryMixin, forms.ModelForm):
    """Entry form: the value is typed in any compatible unit (chosen beside it) and converted to the canonical one.

    The admin's figure form and inline rows, and the entry service (entry.py), which gives the figure its indicator,
    park and zone itself."""

    class Meta:
        model = Figure
        fields = (
            "indicator",
            "park",
            "zone",
            "year",
            "month",
            "kind",
            "version",
            "entered_value",
            "entered_unit",
            "yoy_pct",
            "note",
        )

    def _post_clean(self):
        # The indicator, park and zone chosen were read from the fields' querysets: the model need not look each
        # up again to see that it exists (Figure.clean_fields).
        self.instance._verified_relations = {
            name
            for name in ("indicator", "park", "zone")
            if name in self.fields and isinstance(self.cleaned_data.get(name), models.Model)
        }
        try:
            super()._post_clean()
        finally:
            self.instance._verified_relations = ()
        # A ModelForm skips every constraint naming a field it does not show: ``value`` (computed by the model's
        # clean()) and, in the inlines, ``kind`` and ``indicator``. Unchecked, a figure with neither value nor
        # growth, or a second target for the same year, reaches the database and is a 500. The instance is
        # complete now, so check them all; only when the form is otherwise valid, so no message shows twice.
        # The unique constraints the ModelForm checked already (all their fields on the form) are not looked up
        # a second time.
        if not self.errors:
            try:
                self.instance.validate_constraints(exclude=self._constraints_checked())
            except ValidationError as error:
                self._update_errors(error)

    def _constraints_checked(self):
        """Fields to exclude so that the constraints ModelForm._post_clean checked already are not checked again:
        the fields only unique constraints name, when every unique constraint was checked (none of its fields
        excluded from the ModelForm's validation). None: check them all."""
        excluded = self._get_validation_exclusions() | {
            name for name, field in self.fields.items() if isinstance(field, forms.models.InlineForeignKeyField)
        }
        if any(name in excluded for name in UNIQUE_FIELDS):
            return None
        return UNIQUE_ONLY_FIELDS


UNIQUE_FIELDS = {
    name
    for constraint in Figure._meta.constraints
    if isinstance(constraint, UniqueConstraint)
    for name in constraint.fields
}
# Named by the unique constraints and by no other: excluding them skips exactly the unique constraints.
UNIQUE_ONLY_FIELDS = frozenset(
    set.intersection(*(set(c.fields) for c in Figure._meta.constraints if isinstance(c, UniqueConstraint)))
    - {
        name
        for c in Figure._meta.constraints
        if isinstance(c, CheckConstraint)
        for name in c.condition.referenced_base_fields
    }
)


def _has_indicator(instance):
    """True when the figure has an indicator object attached (an inline's parent, saved or not)."""
    try:
        return instance.indicator is not None
    except instance._meta.get_field("indicator").related_model.DoesNotExist:
        return False


CONFIRM_FIELD = "confirm_warnings"
SHOWN_FIELD = "warnings_shown"


def signature(warnings, value):
    """What a confirmation is about: the warnings' codes and the value they were shown for."""
    return ",".join(sorted({warning.code for warning in warnings})) + "@" + ("" if value is None else str(value))


class PlausibilityConfirmMixin(forms.Form):
    """Mixed into a figure's ModelForm before it: a valid figure with plausibility warnings (plausibility.py) is not
    saved; the form comes back with them and an "I checked these figures" checkbox. Saved with the box ticked for
    exactly the warnings shown, the warnings are kept as confirmed (``confirmed_warnings``, for the admin to keep
    once the figure is saved)."""

    confirm_warnings = forms.BooleanField(
        label=_("I checked these figures"),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("Tick this box and save again to keep the figure with these warnings:"),
    )
    warnings_shown = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plausibility_warnings = []
        self.confirmed_warnings = []

    def _post_clean(self):
        # The unique check reads the figure's neighbours (Figure.stored_around), which the warnings below read
        # again: one query for both.
        self.instance.read_around = True
        try:
            self._check_plausibility()
        finally:
            self.instance.read_around = False
            self.instance._stored_around = None

    def _check_plausibility(self):
        super()._post_clean()
        if self.errors:
            return
        instance = self.instance
        warnings = quality.to_confirm(instance)
        if not warnings:
            return
        self.plausibility_warnings = warnings
        shown = self.cleaned_data.get(SHOWN_FIELD) or ""
        if self.cleaned_data.get(CONFIRM_FIELD) and shown == signature(warnings, instance.value):
            self.confirmed_warnings = warnings
            return
        self.add_error(
            None,
            ValidationError(
                [warning.message for warning in warnings]
                + [
                    gettext(
                        "Nothing was saved. If the figures are right, tick “I checked these figures” below and save "
                        "again; the warnings are then kept with the figure."
                    )
                ]
            ),
        )
        # Shown again with the checkbox, unticked, for exactly these warnings, repeated under it (the admin shows a
        # help text unescaped: escaped here).
        confirm = self.fields[CONFIRM_FIELD]
        confirm.widget = forms.CheckboxInput()
        confirm.help_text = format_html(
            '{}<ul class="plausibility-warnings">{}</ul>',
            confirm.help_text,
            format_html_join("", "<li>{}</li>", ((warning.message,) for warning in warnings)),
        )
        self._bound_fields_cache.pop(CONFIRM_FIELD, None)  # bound before: it would keep the hidden input and text
        self.data = self.data.copy()
        self.data.pop(self.add_prefix(CONFIRM_FIELD), None)
        self.data[self.add_prefix(SHOWN_FIELD)] = signature(warnings, instance.value)
