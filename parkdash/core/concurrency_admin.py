"""The admin side of "edits are never lost": change forms (and inline rows) carry the revision their editor saw.

An admin adds :class:`EditConflictAdminMixin` (an inline, the same mixin) before its base class. Its forms get a
hidden ``revision_seen``; on Save, a record changed by someone else since then is not saved: the form comes back
with the fields in conflict (their value now, the value in the form), who changed them and when. Saving again
replaces their values with the editor's, knowingly; reloading the page starts from theirs.

The form's check reads the record; the write is a compare-and-set (:mod:`parkdash.core.concurrency`). A save that
lands between the two makes the write fail: the request's transaction is rolled back and the form is shown again
with that conflict, never saved on a second attempt without the editor seeing it.
"""

from django import forms
from django.contrib.admin.utils import flatten_fieldsets

from .concurrency import EditConflict, RevisionedModel, find_conflict

REVISION_FIELD = "revision_seen"
ATTEMPTS = 3
_form_classes = {}


def is_revisioned(model):
    return issubclass(model, RevisionedModel)


def conflict_key(record):
    return record._meta.label_lower, record.pk


class RevisionCheckedForm:
    """Mixed into a ModelForm of a revisioned model: the revision its editor saw, checked on validation."""

    known_conflicts = {}  # conflict_key -> Conflict met by a write that failed earlier in this request
    # True where the form's record was read by this very request, just before (the admin's change view): a save
    # that saw the revision read then needs no second read of the record to know nobody changed it since. Someone
    # who did, even after that read, makes the compare-and-set write fail, and the form comes back with the
    # conflict (EditConflictAdminMixin), as it does for a save that lands after the check.
    revision_read_is_current = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.edit_conflict = None
        self.edit_conflict_differences = []
        instance = self.instance
        self._revision_read = None
        if instance.pk is not None and not instance._state.adding and getattr(instance, "_history", None) is None:
            self._revision_read = getattr(instance, "revision", None)
        if REVISION_FIELD in self.fields and instance.pk is not None and not instance._state.adding:
            revision = instance.revision
            if getattr(instance, "_history", None) is not None:
                # A version from the history being reverted to: what the editor overwrites is the record as it is.
                revision = (
                    type(instance)._base_manager.filter(pk=instance.pk).values_list("revision", flat=True).first()
                )
            self.fields[REVISION_FIELD].initial = revision

    def _post_clean(self):
        super()._post_clean()
        instance = self.instance
        seen = self.cleaned_data.get(REVISION_FIELD)
        if instance.pk is None or seen is None:
            return  # a new record, or a form from before revisions: saved as read
        conflict = self.known_conflicts.get(conflict_key(instance))
        forced = conflict is not None
        if conflict is None and self.revision_read_is_current and seen == self._revision_read:
            instance.revision = seen
            return
        if conflict is None:
            conflict = find_conflict(type(instance), instance.pk, seen)
        if conflict is None:
            instance.revision = seen
            return
        differences = conflict.differences(instance)
        if not differences and not forced:
            # Their changes are the editor's too: nothing of theirs is overwritten.
            instance.revision = conflict.current
            return
        self.edit_conflict, self.edit_conflict_differences = conflict, differences
        self.add_error(None, conflict.message(differences))
        # Shown again with the revision now stored: a second Save overwrites, knowingly.
        self.data = self.data.copy()
        self.data[self.add_prefix(REVISION_FIELD)] = str(conflict.current)


def revision_checked(form_class, known_conflicts=None):
    """``form_class`` with the hidden revision field and its check (classes cached, but for a request's conflicts)."""
    if known_conflicts:
        base = revision_checked(form_class)
        return type(base.__name__, (base,), {"known_conflicts": known_conflicts})
    if issubclass(form_class, RevisionCheckedForm):
        return form_class
    if form_class not in _form_classes:
        attrs = {REVISION_FIELD: forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)}
        _form_classes[form_class] = type(form_class.__name__, (RevisionCheckedForm, form_class), attrs)
    return _form_classes[form_class]


class EditConflictAdminMixin:
    """For a ModelAdmin or an inline: revision-checked forms; for a ModelAdmin, the conflict page after a failed write.

    Put it before the admin's base class: ``class ProjectAdmin(EditConflictAdminMixin, ImportExportAdmin)``. On a
    ModelAdmin whose own model is not revisioned (the indicator page, whose inlines edit figures) it only catches
    the conflicts of the inlines.
    """

    change_form_template = "admin/edit_conflict_change_form.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if is_revisioned(self.model):
            self.form = revision_checked(self.form)

    def _known_conflicts(self, request):
        return getattr(request, "edit_conflicts", {})

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        known = self._known_conflicts(request)
        form = revision_checked(form, known) if known and is_revisioned(self.model) else form
        if is_revisioned(self.model) and obj is not None and issubclass(form, RevisionCheckedForm):
            # ``obj`` was read by this request (a class of this request's own: modelform_factory's or the above)
            form.revision_read_is_current = True
        return form

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        known = self._known_conflicts(request)
        if known and is_revisioned(self.model):
            formset.form = revision_checked(formset.form, known)
        return formset

    def get_fields(self, request, obj=None):
        # The hidden field goes in the fieldsets below, only where a record is edited.
        return [name for name in super().get_fields(request, obj) if name != REVISION_FIELD]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if (
            not is_revisioned(self.model)
            or REVISION_FIELD in flatten_fieldsets(fieldsets)
            or not self.has_change_permission(request, obj)
        ):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], REVISION_FIELD]}), *rest]

    def _with_conflicts_shown(self, view, request, *args, **kwargs):
        for attempt in range(ATTEMPTS):
            try:
                return view(request, *args, **kwargs)
            except EditConflict as error:
                # The transaction is rolled back; the form comes back with this conflict, whatever the check sees now.
                if attempt == ATTEMPTS - 1:
                    raise
                conflict = error.conflict
                request.edit_conflicts = {**self._known_conflicts(request), conflict_key(conflict.record): conflict}
        raise AssertionError("unreachable")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._with_conflicts_shown(super().changeform_view, request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return self._with_conflicts_shown(super().history_form_view, request, object_id, version_id, extra_context)
