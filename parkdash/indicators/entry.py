"""Entering figures from plain data (another system's JSON): one figure, or a batch keyed by natural key.

:func:`enter_figure` takes a figure as plain values (the indicator, park and zone by natural key, amounts as
numbers) and saves it exactly as the admin's figure form would: the same form (forms.FigureForm, so the same
unit resolution, the model's conversion and constraints, the same messages), the same plausibility warnings
(quality.to_confirm) confirmed by their codes and kept as the admin keeps them (quality.confirm), a history row
naming the user, and the revision check of the admin's change form (core.concurrency_admin): a figure changed by
someone else since the revision the caller read is not saved ("conflict").

:func:`upsert_figures` enters up to :data:`MAX_ITEMS` figures in one transaction, all or nothing. Each item is
keyed by (indicator, park, zone, year, month, kind, version): a stored figure is updated with the fields the item
gives, otherwise a figure is created. An item equal to what is stored is "unchanged": no write, no history row, no
new revision, so that sending the same batch twice changes nothing the second time. Indicators, parks, zones,
the stored figures and their neighbours for the plausibility checks are read for the whole batch at once.

The amount: ``value`` in the indicator's own unit, or ``entered_value`` with ``entered_unit`` (any unit that fits,
shorthand such as 万 or 亿 accepted), converted by the model; both at once must agree; null clears it. Numbers
may come as JSON numbers or as strings (a decimal read back from the API); NaN and Infinity are refused.

Nothing here raises for bad input or a refused permission: every problem is an error in the result, on the field
it is about ("non_field_errors" for the rest), in the active language.
"""

import functools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldError, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint, Q
from django.utils.translation import gettext

from parkdash.core.concurrency import EditConflict, content_fields
from parkdash.core.concurrency_admin import REVISION_FIELD, revision_checked
from parkdash.parks.models import Park, Zone
from parkdash.parks.scoping import sees_all_parks, visible_parks

from . import quality
from .choices import Source, WarningCode
from .forms import FigureForm
from .models import Figure, Indicator, NotSimple, condition_truth

MAX_ITEMS = 1000
CHUNK = 500  # values in one IN (…): within every database's bound on query parameters
NON_FIELD = "non_field_errors"

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
INVALID, WARNINGS, CONFLICT = "invalid", "warnings", "conflict"
SAVED = (CREATED, UPDATED, UNCHANGED)

# A figure given without a version is final (正式), the model's default and the admin form's first choice.
DEFAULT_VERSION = Figure._meta.get_field("version").default
KEY_FIELDS = ("indicator", "park", "zone", "year", "month", "kind", "version")
# What the form validates, by the admin's rules; the indicator, park and zone are looked up here.
FORM_FIELDS = ("year", "month", "kind", "version", "entered_value", "entered_unit", "yoy_pct", "note", "source_quote")
FIELDS = (*KEY_FIELDS, "value", "entered_value", "entered_unit", "yoy_pct", "note", "source_quote")
FIELDS += ("confirm_warnings", "revision")


@dataclass
class EntryResult:
    """What became of one figure: ``status`` is one of created, updated, unchanged (saved, or already stored as
    given), invalid, warnings (plausibility warnings not confirmed), conflict (changed by someone else since the
    revision given). ``figure`` is the saved figure, None when nothing was saved."""

    figure: Figure | None
    status: str
    errors: dict = field(default_factory=dict)  # field name -> [message]; "non_field_errors" for the rest
    warnings: list = field(default_factory=list)  # plausibility.Warning items not confirmed

    @property
    def ok(self):
        return self.status in SAVED


@dataclass
class BulkResult:
    """The result of a batch: ``ok`` when every item was created, updated or unchanged, and then committed. When
    not ok nothing was written: the items in error say why, the others what would have become of them (created or
    updated with figure None; unchanged with the figure as stored)."""

    ok: bool
    items: list


class EntryForm(FigureForm):
    """The admin's figure form for a figure whose indicator, park and zone the service gives it; with the quote."""

    class Meta(FigureForm.Meta):
        fields = FORM_FIELDS


# With the hidden revision field of the admin's change form and its check (core.concurrency_admin).
CheckedEntryForm = revision_checked(EntryForm)


def _invalid(name, message):
    return EntryResult(None, INVALID, {name: [str(message)]})


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


class Lookups:
    """The indicators, parks and zones named by ``items``, and which of the parks ``user`` may use: read once, in a
    few queries, for one figure or a batch. The park rule is scoping's (``may_use_park`` for many parks at once)."""

    def __init__(self, user, items, park_ids=()):
        items = [item for item in items if isinstance(item, dict)]

        def texts(name):
            return {item[name] for item in items if isinstance(item.get(name), str)}

        self.indicators = {}
        for codes in _chunks(texts("indicator")):
            self.indicators.update((i.code, i) for i in Indicator.objects.filter(code__in=codes))
        self.parks = {}
        for codes in _chunks(texts("park")):
            self.parks.update((p.code, p) for p in Park.objects.filter(code__in=codes))
        self.zones = {}
        names = texts("zone")
        if names and self.parks:
            park_pks = [park.pk for park in self.parks.values()]
            for chunk in _chunks(names):
                rows = Zone.objects.filter(park_id__in=park_pks, name__in=chunk)
                self.zones.update(((z.park_id, z.name), z) for z in rows)
        self.all_parks = sees_all_parks(user)
        self.usable = set()
        if not self.all_parks:
            wanted = {park.pk for park in self.parks.values()} | {pk for pk in park_ids if pk is not None}
            for pks in _chunks(wanted):
                self.usable.update(visible_parks(user).filter(pk__in=pks).values_list("pk", flat=True))

    def may_use(self, park_id):
        return park_id is not None and (self.all_parks or park_id in self.usable)

    def key(self, data):
        """The natural key of ``data`` as (indicator id, park id, zone id, year, month, kind, version), or None when
        a part is missing or unknown (the item's own validation says so)."""
        if not isinstance(data, dict):
            return None
        indicator = self.indicators.get(data.get("indicator"))
        park = self.parks.get(data.get("park"))
        if indicator is None or park is None:
            return None
        zone_id = None
        if data.get("zone") not in (None, ""):
            zone = self.zones.get((park.pk, data.get("zone")))
            if zone is None:
                return None
            zone_id = zone.pk
        rest = (data.get("year"), data.get("month"), data.get("kind"), data.get("version", DEFAULT_VERSION))
        if not (isinstance(rest[0], int) and isinstance(rest[1], int) and all(isinstance(v, str) for v in rest[2:])):
            return None
        return (indicator.pk, park.pk, zone_id, *rest)


def _figure_key(figure):
    return (
        figure.indicator_id,
        figure.park_id,
        figure.zone_id,
        figure.year,
        figure.month,
        figure.kind,
        figure.version,
    )


def _integer_error(value):
    if not isinstance(value, int) or isinstance(value, bool):
        return [gettext("A whole number is expected, such as %(example)s.") % {"example": 2023}]
    return []


def _amount_error(value):
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float | Decimal | str)):
        return [gettext("A number is expected, such as 3214 or 20.75.")]
    return []  # a string or a number: the form says whether it is an amount (NaN, Infinity and words are not)


def _text_error(value):
    return [gettext("Text is expected.")] if value is not None and not isinstance(value, str) else []


def _code_error(value):
    return [gettext("A code is expected (text).")] if not isinstance(value, str) else []


def _warning_codes_error(value):
    if not isinstance(value, list | tuple) or not all(isinstance(code, str) for code in value):
        return [gettext("A list of warning codes is expected, such as [“jump”].")]
    return [
        gettext("“%(code)s” is not a warning code; the codes are %(codes)s.")
        % {"code": code, "codes": ", ".join(WarningCode.values)}
        for code in value
        if code not in WarningCode.values
    ]


TYPE_CHECKS = {
    **dict.fromkeys(("indicator", "park"), _code_error),
    **dict.fromkeys(("year", "month", "revision"), _integer_error),
    **dict.fromkeys(("value", "entered_value", "yoy_pct"), _amount_error),
    **dict.fromkeys(("zone", "kind", "version", "entered_unit", "note", "source_quote"), _text_error),
    "confirm_warnings": _warning_codes_error,
}


def _check_types(data):
    """{field: [message]} for the values of ``data`` of the wrong type (a string for a year, a list for a note …)."""
    errors = {}
    for name, value in data.items():
        messages = TYPE_CHECKS[name](value)
        if messages:
            errors[name] = messages
    return errors


def _form_value(value):
    """A plain value as the form reads it (a float by its shortest exact spelling: 0.1, not 0.1000000000000000055)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _stored(figure):
    """The figure's content as stored: what an "unchanged" item is compared with."""
    return {name: getattr(figure, figure._meta.get_field(name).attname) for name in content_fields(figure)}


def validate_constraints_in_batch(figure, exclude=None):
    """Figure.validate_constraints for a figure of a batch, without a query a constraint.

    Check constraints are read in memory (models.condition_truth, NULL passing as in Django's Coalesce(condition,
    True)); one it cannot read goes to the database as Django sends it. The unique constraints are not queried: an
    item of a batch names its stored figure by the very fields they are on (it is that figure, updated) or names
    none (a new figure whose key nobody has), and a batch names a figure once; a figure created by someone else
    meanwhile is refused by the database itself (reported, the batch rolled back). The messages are the constraints'
    own.
    """
    if getattr(figure, "_entry_rejected", False):
        exclude = {*(exclude or ()), "value"}  # as Figure.validate_constraints does
    errors = {}
    for model, constraints in figure.get_constraints():
        for constraint in constraints:
            if not isinstance(constraint, CheckConstraint):
                continue
            try:
                if condition_truth(Q(constraint.condition), figure, exclude) is False:
                    errors = ValidationError(
                        constraint.get_violation_error_message(), code=constraint.violation_error_code
                    ).update_error_dict(errors)
            except FieldError:
                pass
            except NotSimple:
                try:
                    constraint.validate(model, figure, exclude=exclude)
                except ValidationError as error:
                    errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


class Entry:
    """One figure going through validation, the plausibility check and the save (see :func:`enter_figure`)."""

    def __init__(self, user, data, lookups, instance=None, partial=False, batch=False, source=Source.MANUAL):
        self.user = user
        self.source = source
        self.batch = batch
        self.instance = instance
        self.figure = None
        self.form = None
        self.before = None
        self.pending = []  # the warnings it is saved with (all confirmed by the caller)
        self.result = self._validate(data, lookups, partial)

    # Validation ---------------------------------------------------------------------------------------------------

    def _validate(self, data, lookups, partial):
        """None when the figure may go on to the plausibility check, else its EntryResult."""
        refused = self._refusal(data, lookups)
        if refused is not None:
            return refused
        errors = {}
        related = self._related(data, lookups, partial, errors)
        if isinstance(related, EntryResult):
            return related
        if "value" in data and "entered_value" not in data and data.get("entered_unit") not in (None, ""):
            errors.setdefault(NON_FIELD, []).append(
                gettext(
                    "“value” is in the indicator's own unit: give “value” alone, or “entered_value” with its "
                    "“entered_unit”."
                )
            )
        instance = self.instance
        # A new figure records how it came in (an API client's, a person's); a changed one keeps its source.
        figure = instance if instance is not None else Figure(source=self.source)
        self.before = _stored(instance) if instance is not None else None
        figure.indicator, figure.park, figure.zone = related
        if "value" in data or "entered_value" in data:
            # The amount is given (or cleared): the model converts it afresh, rather than keep the stored value.
            figure.value = None
        if self.batch:
            # This figure's constraints checked in memory (the form asks twice, the model once a constraint).
            figure.validate_constraints = functools.partial(validate_constraints_in_batch, figure)
        form = CheckedEntryForm(data=self._form_data(data, figure, partial), instance=figure, indicator=related[0])
        valid = form.is_valid()
        self.form, self.figure = form, form.instance
        figure.__dict__.pop("validate_constraints", None)
        given_as_value = "value" in data and "entered_value" not in data
        for name, messages in form.errors.items():
            name = {NON_FIELD_ERRORS: NON_FIELD, REVISION_FIELD: "revision"}.get(name, name)
            if name == "entered_value" and given_as_value:
                name = "value"  # the caller gave the value in the indicator's unit
            errors.setdefault(name, []).extend(str(message) for message in messages)
        if valid and not errors and data.get("value") is not None and "entered_value" in data:
            errors.update(self._check_value_matches(data["value"]))
        if errors:
            return EntryResult(None, CONFLICT if form.edit_conflict is not None else INVALID, errors)
        self.confirmed_codes = set(data.get("confirm_warnings") or ())
        if self.before is not None and _stored(self.figure) == self.before:
            return EntryResult(instance, UNCHANGED)
        return None

    def _refusal(self, data, lookups):
        """The EntryResult refusing ``data`` before any lookup (not an object, unknown fields, values of the wrong
        type, no permission), or None."""
        if not isinstance(data, dict):
            return _invalid(NON_FIELD, gettext("A figure is given as an object of named fields."))
        errors = {}
        unknown = sorted(str(name) for name in data if name not in FIELDS)
        if unknown:
            errors[NON_FIELD] = [
                gettext("Unknown fields: %(unknown)s. The fields are: %(fields)s.")
                % {"unknown": ", ".join(unknown), "fields": ", ".join(FIELDS)}
            ]
        errors.update(_check_types({name: value for name, value in data.items() if name in FIELDS}))
        if errors:
            return EntryResult(None, INVALID, errors)
        instance = self.instance
        if instance is None and not self.user.has_perm("indicators.add_figure"):
            return _invalid(NON_FIELD, gettext("You may not add figures."))
        if instance is not None and not self.user.has_perm("indicators.change_figure"):
            return _invalid(NON_FIELD, gettext("You may not change figures."))
        if instance is not None and not lookups.may_use(instance.park_id):
            return _invalid("park", gettext("This figure belongs to a park you may not change."))
        return None

    def _related(self, data, lookups, partial, errors):
        """(indicator, park, zone) named by ``data`` (on a partial update, the figure's own where not given), their
        errors added to ``errors``; or the EntryResult refusing a park the user may not use."""
        instance = self.instance
        own = instance is not None and partial
        required = str(forms.Field.default_error_messages["required"])  # the admin form's word for it
        indicator = park = zone = None
        if data.get("park", "") != "":
            park = lookups.parks.get(data["park"])
            if park is None or not lookups.may_use(park.pk):
                # One message for a park that does not exist and one the user may not use: nothing is revealed of the
                # parks of others.
                message = gettext("There is no park “%(code)s” you may enter figures for.") % {"code": data["park"]}
                return _invalid("park", message)
        elif own and "park" not in data:
            park = instance.park
        else:
            errors["park"] = [required]
        if data.get("indicator", "") != "":
            indicator = lookups.indicators.get(data["indicator"])
            if indicator is None:
                message = gettext("There is no indicator with the code “%(code)s”.") % {"code": data["indicator"]}
                errors["indicator"] = [message]
        elif own and "indicator" not in data:
            indicator = instance.indicator
        else:
            errors["indicator"] = [required]
        if data.get("zone") not in (None, "") and park is not None:
            zone = lookups.zones.get((park.pk, data["zone"]))
            if zone is None:
                message = gettext("The park “%(park)s” has no zone “%(zone)s”.")
                errors["zone"] = [message % {"park": park.code, "zone": data["zone"]}]
        elif "zone" not in data and own:
            zone = instance.zone  # in another park than a new one given, the model says so
        return indicator, park, zone

    def _form_data(self, data, figure, partial):
        values = {}
        if figure.pk is not None and partial:
            values = {name: _form_value(getattr(figure, name)) for name in FORM_FIELDS}
        else:
            values["version"] = DEFAULT_VERSION  # as the admin's form starts: 正式 unless said otherwise
        for name in FORM_FIELDS:
            if name in data:
                values[name] = _form_value(data[name])
        if "value" in data and "entered_value" not in data:
            # The value in the indicator's own unit: entered as it is, as the admin would with its unit left blank.
            values["entered_value"] = _form_value(data["value"])
            values["entered_unit"] = ""
        if data.get("revision") is not None:
            values[REVISION_FIELD] = str(data["revision"])
        return values

    def _check_value_matches(self, value):
        try:
            given = Decimal(_form_value(value))
        except InvalidOperation:
            given = None
        if given is not None and given == self.figure.value:
            return {}
        figure = self.figure
        return {
            "value": [
                gettext(
                    "“value” (%(value)s) is not “entered_value” in %(unit)s (%(converted)s): give one of them, or "
                    "both the same."
                )
                % {"value": _form_value(value), "unit": figure.indicator.unit, "converted": figure.value}
            ]
        }

    # Plausibility -------------------------------------------------------------------------------------------------

    def check_warnings(self, pending):
        """Given the warnings to confirm before the figure is saved: None when the caller confirmed every one of
        them by its code, else the EntryResult that says which are not (nothing is saved)."""
        self.pending = pending
        unconfirmed = [warning for warning in pending if warning.code not in self.confirmed_codes]
        if not unconfirmed:
            return None
        codes = ", ".join(sorted({warning.code for warning in pending}))
        messages = [warning.message for warning in unconfirmed]
        messages.append(
            gettext(
                "Nothing was saved. If the figures are right, send them again with %(codes)s in “confirm_warnings”; "
                "the warnings are then kept with the figure."
            )
            % {"codes": codes}
        )
        return EntryResult(None, WARNINGS, {"confirm_warnings": messages}, unconfirmed)

    # Saving -------------------------------------------------------------------------------------------------------

    def save(self):
        """Save the figure, with its history row naming the user (in a batch: the batch writes the rows, see
        :func:`_save_batch`); the caller keeps its confirmed warnings."""
        figure = self.figure
        figure._history_user = self.user
        if self.batch:
            figure.skip_history_when_saving = True
        try:
            self.form.save()
        finally:
            del figure._history_user
            figure.__dict__.pop("skip_history_when_saving", None)
        return EntryResult(figure, UPDATED if self.instance is not None else CREATED)

    def conflict(self, error):
        conflict = error.conflict
        return EntryResult(None, CONFLICT, {NON_FIELD: [conflict.message(conflict.differences(self.figure))]})


def enter_figure(user, data, *, instance=None, partial=False, source=Source.MANUAL) -> EntryResult:
    """Validate ``data`` (plain values, see the module docstring) and save it as a new figure, or into ``instance``;
    ``partial``: only the fields given change. The figure is validated and saved as the admin's figure form would:
    see the module docstring. ``instance`` is changed in place when the figure is saved."""
    lookups = Lookups(user, [data], park_ids=[instance.park_id] if instance is not None else ())
    entry = Entry(user, data, lookups, instance=instance, partial=partial, source=source)
    if entry.result is not None:
        return entry.result
    refused = entry.check_warnings(quality.to_confirm(entry.figure))
    if refused is not None:
        return refused
    try:
        with transaction.atomic():
            result = entry.save()
            quality.confirm(entry.figure, entry.pending, user)  # as the admin's save_model keeps them
    except EditConflict as error:
        return entry.conflict(error)
    except IntegrityError:
        # The same figure created by someone else between the check of its constraints and its write.
        message = gettext("This figure was saved by someone else at the same time; nothing was saved. Send it again.")
        return EntryResult(None, CONFLICT, {NON_FIELD: [message]})
    return result


def _stored_figures(lookups, keys):
    """{natural key: stored figure} of the figures ``keys`` name, their indicator, park and zone attached from
    ``lookups`` (no query each). A query for every :data:`CHUNK` parks."""
    keys = set(keys)
    if not keys:
        return {}
    indicators = {indicator.pk: indicator for indicator in lookups.indicators.values()}
    parks = {park.pk: park for park in lookups.parks.values()}
    zones = {zone.pk: zone for zone in lookups.zones.values()}
    found = {}
    for park_ids in _chunks({key[1] for key in keys}):
        rows = Figure.objects.filter(
            park_id__in=park_ids,
            indicator_id__in={key[0] for key in keys},
            year__in={key[3] for key in keys},
            month__in={key[4] for key in keys},
        ).order_by()
        for figure in rows:
            key = _figure_key(figure)
            if key in keys:
                figure.indicator, figure.park = indicators[figure.indicator_id], parks[figure.park_id]
                figure.zone = zones.get(figure.zone_id) if figure.zone_id else None
                found[key] = figure
    return found


def upsert_figures(user, items, *, source=Source.MANUAL) -> BulkResult:
    """Create or update the figures ``items`` (see the module docstring) in one transaction, all or nothing.

    An item that names a stored figure (by its natural key) changes only the fields it gives, as a partial update;
    the others are new figures. Up to :data:`MAX_ITEMS` items; each is validated, checked for plausibility
    (against the stored figures and the batch's others) and reported, so that a client can fix every item at once.
    """
    items = list(items)
    if len(items) > MAX_ITEMS:
        message = gettext("A batch holds at most %(limit)s figures; this one has %(count)s. Send it in parts.") % {
            "limit": MAX_ITEMS,
            "count": len(items),
        }
        return BulkResult(False, [_invalid(NON_FIELD, message) for _item in items])
    with transaction.atomic():
        results, entries = _validate_batch(user, items, source)
        # Plausibility, for the batch at once: each figure against the stored ones and the batch's others.
        for (index, entry), warnings in zip(entries, quality.to_confirm_all(entry.figure for _i, entry in entries)):
            results[index] = entry.check_warnings(warnings)
        ok = all(result is None or result.ok for result in results)
        if ok:
            ok = _save_batch(user, results, entries)
        if not ok:
            transaction.set_rollback(True)
            for index, entry in entries:
                if results[index] is None or results[index].status in (CREATED, UPDATED):
                    # Nothing was written: what would have become of it.
                    results[index] = EntryResult(None, UPDATED if entry.instance is not None else CREATED)
    return BulkResult(ok, results)


def _validate_batch(user, items, source):
    """[EntryResult or None] of each item (None: valid and to be written), and [(index, Entry)] of those to write."""
    lookups = Lookups(user, items)
    keys = [lookups.key(data) for data in items]
    stored = _stored_figures(lookups, [key for key in keys if key is not None])
    results, entries, first = [], [], {}
    for index, (data, key) in enumerate(zip(items, keys, strict=True)):
        if key is not None and key in first:
            message = gettext(
                "The batch names this figure (indicator, park, zone, year, month, kind and version) already, as item "
                "%(index)s (counted from 0): a batch names a figure once."
            )
            results.append(_invalid(NON_FIELD, message % {"index": first[key]}))
            continue
        if key is not None:
            first[key] = index
        instance = stored.get(key)
        entry = Entry(user, data, lookups, instance=instance, partial=instance is not None, batch=True, source=source)
        results.append(entry.result)
        if entry.result is None:
            entries.append((index, entry))
    return results, entries


def _save_batch(user, results, entries):
    """Write the batch's figures and the warnings confirmed with them; False (nothing written) when one cannot be."""
    current = None
    try:
        with transaction.atomic():
            for index, entry in entries:
                current = index, entry
                results[index] = entry.save()
            current = None
            # The history rows of the batch's figures, naming the user: one INSERT for many, as the signal would
            # have written them one by one.
            for status in (CREATED, UPDATED):
                saved = [results[index].figure for index, _entry in entries if results[index].status == status]
                Figure.history.bulk_history_create(saved, update=status == UPDATED, default_user=user)
            quality.keep([(entry.figure, warning) for _index, entry in entries for warning in entry.pending], user)
    except EditConflict as error:
        # Changed by someone else between the batch's reading and its write.
        index, entry = current
        results[index] = entry.conflict(error)
        return False
    except IntegrityError:
        if current is None:
            raise
        # The same figure created by another writer between the batch's reading and its write.
        index, entry = current
        message = gettext(
            "This figure was saved by someone else while the batch was being saved; nothing was saved. Send the "
            "batch again."
        )
        results[index] = EntryResult(None, CONFLICT, {NON_FIELD: [message]})
        return False
    return True
