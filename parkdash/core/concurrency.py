"""Edits are never lost: a save based on an older reading of a record is detected, not silently applied.

Each record that people edit (a figure, a project, an enterprise, an infrastructure work) carries ``revision``, a
counter every save increments. A save is a compare-and-set in the UPDATE itself::

    UPDATE … SET …, revision = n + 1 WHERE id = … AND revision = n

where n is the revision the instance was read at; a form sets it to the revision its editor saw. When another
save came in between, no row matches, nothing is written, and :class:`EditConflict` is raised with what changed,
who changed it and when. Any caller (the admin forms, a future API) gets the same check from ``save()``.

A counter rather than the ``modified`` timestamp: two saves can fall on the same clock tick, SQLite and PostgreSQL
keep timestamps at different precisions, and a form would have to carry one back to the microsecond. A counter
never collides and round-trips as a plain integer.

``QuerySet.update()`` and bulk writes bypass ``save()``: they neither check nor increment the revision.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .numbers import format_number

# Bookkeeping, not content: never reported as a change.
NOT_CONTENT = {"revision", "created", "modified", "change_seq"}


@dataclass
class FieldChange:
    """One field in conflict: its value in the record now, and the value the editor's form would write."""

    name: str
    label: str
    now: str
    yours: str


@dataclass
class Conflict:
    """What happened to a record since the revision an editor read.

    ``changed`` lists the fields other people changed since then (None when the change history does not reach
    back to that revision); ``edits`` the history records of those saves, oldest first (who, when).
    """

    record: models.Model
    seen: int
    changed: list | None = None
    edits: list = field(default_factory=list)

    @property
    def current(self):
        return self.record.revision

    @property
    def last_edit(self):
        return self.edits[-1] if self.edits else None

    def differences(self, yours):
        """The fields where ``yours`` (the instance about to be saved) would overwrite somebody else's change.

        Without the history of the revision read, every field where ``yours`` differs from the record now.
        """
        names = self.changed if self.changed is not None else content_fields(self.record)
        result = []
        for name in names:
            model_field = self.record._meta.get_field(name)
            now, mine = getattr(self.record, model_field.attname), getattr(yours, model_field.attname)
            if now != mine:
                result.append(
                    FieldChange(
                        name,
                        str(model_field.verbose_name),
                        display(self.record, model_field),
                        display(yours, model_field),
                    )
                )
        return result

    def who_and_when(self):
        """ "bob at 2025-06-01 10:20 (after alice)": the latest save, and who saved before; "someone" when unknown."""
        last = self.last_edit
        if last is None:
            return gettext("someone")
        who = name_of(last)
        when = date_format(timezone.localtime(last.history_date), "DATETIME_FORMAT")
        text = gettext("%(who)s at %(when)s") % {"who": who, "when": when}
        earlier = list(dict.fromkeys(name_of(edit) for edit in self.edits[:-1]))
        if earlier:
            text += " " + gettext("(after %(names)s)") % {"names": ", ".join(earlier)}
        return text

    def message(self, differences=None):
        """The sentence an editor reads: who changed the record, when, which fields, and what to do."""
        opts = self.record._meta
        params = {"model": opts.verbose_name, "who_and_when": self.who_and_when()}
        text = gettext("This %(model)s was changed by %(who_and_when)s, after you opened it.") % params
        if differences:
            text += (
                " "
                + "; ".join(
                    gettext("%(field)s is now %(now)s (your form: %(yours)s)")
                    % {"field": d.label, "now": d.now, "yours": d.yours}
                    for d in differences
                )
                + "."
            )
        text += " " + gettext("Save again to replace their values with yours, or reload the page to start from theirs.")
        return text


class EditConflict(ValidationError):
    """A save based on an older revision of a record than the one stored: nothing was written.

    A ValidationError, so that callers that report validation errors (an import, a service) report this one too.
    """

    def __init__(self, conflict):
        self.conflict = conflict
        super().__init__(conflict.message(), code="edit_conflict")


def name_of(edit):
    return str(edit.history_user) if edit.history_user_id else gettext("someone")


def content_fields(record):
    """Names of the fields that hold the record's content: every concrete field but the id and bookkeeping."""
    return [f.name for f in record._meta.concrete_fields if not f.primary_key and f.name not in NOT_CONTENT]


def display(obj, model_field):
    """A field's value as a person reads it: the choice label, the related record's name, a localized number."""
    value = getattr(obj, model_field.attname)
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        related = getattr(obj, model_field.name, None)
        return str(related) if related is not None else str(value)
    if isinstance(model_field, models.DecimalField):
        return format_number(value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, str):
        return "“{}”".format(value if len(value) <= 80 else value[:79] + "…")
    return str(localize(value))


def find_conflict(model, pk, seen):
    """The :class:`Conflict` between revision ``seen`` of a record and the record now; None when there is none.

    None too when the record no longer exists: a deletion is not an edit to compare with.
    """
    record = model._base_manager.filter(pk=pk).first()
    if record is None or record.revision == seen:
        return None
    conflict = Conflict(record=record, seen=seen)
    history = getattr(model, "history", None)
    if history is None:
        return conflict
    mine = history.filter(**{model._meta.pk.attname: pk})
    conflict.edits = list(mine.filter(revision__gt=seen).select_related("history_user").order_by("history_date"))
    read = mine.filter(revision=seen).order_by("-history_date").first()
    if read is not None:
        conflict.changed = [
            name
            for name in content_fields(record)
            if getattr(read, record._meta.get_field(name).attname)
            != getattr(record, record._meta.get_field(name).attname)
        ]
    return conflict


class RevisionedModel(models.Model):
    """A record whose saves are checked against the revision it was read at (see the module docstring)."""

    revision = models.PositiveIntegerField(
        _("revision"),
        default=1,
        editable=False,
        help_text=_("Counts the saves of this record; a save based on an older revision is refused."),
    )

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        revision_field = self._meta.get_field("revision")
        seen = self.revision
        values = [(f, model, value) for f, model, value in values if f is not revision_field]
        values.append((revision_field, None, seen + 1))
        if base_qs.filter(pk=pk_val, revision=seen)._update(values) > 0:
            self.revision = seen + 1
            return True
        conflict = find_conflict(type(self), pk_val, seen)
        if conflict is None:
            # The row is gone (or was never there): as Django does, the save inserts it.
            return False
        raise EditConflict(conflict)
