"""The admin of parks and zones, and the admin bases of every park record: park scoping, history, import/export."""

from collections import OrderedDict
from contextlib import suppress

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, PermissionDenied

from parkdash.core.admin import HistoryAdmin, ImportExportAdmin
from parkdash.core.concurrency_admin import EditConflictAdminMixin

from . import versions
from .models import Park, Zone
from .scoping import may_use_park, scope, sees_all_parks, visible_parks, visible_zones


def park_id_of(obj, path):
    """The id of the park ``obj`` belongs to, following ``path`` ("" for a Park itself, "park", "project__park")."""
    if path == "":
        return obj.pk
    target = obj
    parts = path.split("__")
    for part in parts[:-1]:
        target = getattr(target, part, None)
        if target is None:
            return None
    return getattr(target, parts[-1] + "_id", None)


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """The park (or zone) filter of a changelist: only the parks the user may see, not every park's name."""

    def field_choices(self, field, request, model_admin):
        visible = visible_parks(request.user) if field.related_model is Park else visible_zones(request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, limit_choices_to={"pk__in": visible}, ordering=ordering)


class FormClassCacheMixin:
    """``ModelAdmin.get_form`` with its form class kept and given again for the same inputs.

    Django builds a form class on every add and change request (``modelform_factory``: a form field for each model
    field through ``formfield_for_dbfield``, the park and zone choices scoped to the user, the related-object links
    their permissions allow): a tenth of a figure form's time. What that class depends on is the key: the admin,
    the fields, exclusions and read-only fields Django derives from the request and the record (the user's
    permission on it included), whether it is an add, the other arguments, the language, and the user with the data
    versions of their permissions and parks (``auth``, ``u<id>``, ``parks``, parkdash.parks.versions): a change of
    any of them gives another key, so a class is never used after what it was built from has changed. Each process
    keeps the latest :attr:`FORM_CLASSES_KEPT` classes. Without a versioned user (anonymous, or the versions read
    from a replica the permissions are not read from) the class is built as Django builds it.

    A class keeps the callback it was built with (``formfield_for_dbfield`` bound to the first request); a subclass
    made from it (the edit-conflict page's, concurrency_admin.revision_checked) calls it again: for the same user,
    permissions and parks, which the key guarantees.
    """

    FORM_CLASSES_KEPT = 256
    _form_classes = OrderedDict()

    def get_form(self, request, obj=None, change=False, **kwargs):
        key = self.form_class_key(request, obj, change, kwargs)
        if key is None:
            return super().get_form(request, obj, change=change, **kwargs)
        form = self._form_classes.get(key)
        if form is None:
            form = super().get_form(request, obj, change=change, **kwargs)
            self._form_classes[key] = form
            while len(self._form_classes) > self.FORM_CLASSES_KEPT:
                self._form_classes.popitem(last=False)
        else:
            with suppress(KeyError):  # dropped by another thread meanwhile: it is still the right class
                self._form_classes.move_to_end(key)
        return form

    def form_class_key(self, request, obj, change, kwargs):
        """Everything Django's ``get_form`` reads to build the class (None: not cached)."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not versions.auth_readable():
            return None
        try:
            others = tuple(sorted((name, value) for name, value in kwargs.items() if name != "fields"))
            hash(others)
        except TypeError:
            return None  # an argument that is no key (a dict of widgets …): built as Django builds it
        if "fields" in kwargs:  # given (None: every field, as Django's get_fields asks for the form's own)
            fields = None if kwargs["fields"] is None else tuple(kwargs["fields"])
        else:
            fields = tuple(flatten_fieldsets(self.get_fieldsets(request, obj)))
        excluded = self.get_exclude(request, obj)
        user_versions = versions.for_request(request).get(versions.AUTH, versions.user_key(user.pk), versions.PARKS)
        return (
            id(self),
            self.form,
            fields,
            None if excluded is None else tuple(excluded),
            tuple(self.get_readonly_fields(request, obj)),
            obj is None,
            change,
            change and self.has_change_permission(request, obj),
            others,
            user.pk,
            user_versions,
            versions.language(),
        )


class ParkScopedAdmin(FormClassCacheMixin, HistoryAdmin):
    """A model admin that shows and accepts only records of the parks the user may see, with history."""

    park_path = "park"

    def scope_history(self, request, history):
        # On the historical model the record's own id is a plain field (its primary key is history_id).
        return scope(history, request.user, self.model._meta.pk.attname if self.park_path == "" else self.park_path)

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user, self.park_path)

    def get_list_filter(self, request):
        return [self._scoped_filter(spec) for spec in super().get_list_filter(request)]

    def _scoped_filter(self, spec):
        if not isinstance(spec, str):
            return spec
        try:
            field = get_fields_from_path(self.model, spec)[-1]
        except FieldDoesNotExist:
            return spec
        return (spec, ScopedRelatedFieldListFilter) if field.related_model in (Park, Zone) else spec

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Park:
            kwargs["queryset"] = visible_parks(request.user)
        elif db_field.related_model is Zone:
            kwargs["queryset"] = visible_zones(request.user).select_related("park")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _in_scope(self, request, obj):
        if obj is None or sees_all_parks(request.user):
            return True
        if obj.pk is None and self.park_path == "":
            return False  # only the city level creates parks
        # Asked for each permission check and each field of a form: once a park per request.
        park_id = park_id_of(obj, self.park_path)
        known = request.__dict__.setdefault("_parkdash_parks_in_scope", {})
        if park_id not in known:
            known[park_id] = may_use_park(request.user, park_id)
        return known[park_id]

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def construct_change_message(self, request, form, formsets, add=False):
        # An addition's entry names no fields ([{"added": {}}]), but Django works out the labels of the fields the
        # form changed all the same, every field compared and its label translated: about 800 function calls.
        if add and not formsets:
            return [{"added": {}}]
        return super().construct_change_message(request, form, formsets, add)

    def save_model(self, request, obj, form, change):
        # The form's choices are scoped already; this guards a hand-made POST.
        if not self._in_scope(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class ParkRecordAdmin(EditConflictAdminMixin, ImportExportAdmin, ParkScopedAdmin):
    """The admin of a park record (``ParkRecord``): scoped to the user's parks, with history, import/export of
    ``resource_classes``, and edits that never silently overwrite another's. A domain app's admin adds its
    columns, filters and fieldsets."""

    autocomplete_fields = ("park", "zone")
    list_select_related = ("park", "zone")
    readonly_fields = ("source_quote",)


class ZoneInline(admin.TabularInline):
    model = Zone
    extra = 0
    fields = ("name", "name_en")


@admin.register(Park)
class ParkAdmin(ParkScopedAdmin):
    park_path = ""
    list_display = ("name", "code", "name_en", "is_demo")
    list_filter = ("is_demo",)
    search_fields = ("name", "code", "name_en")
    filter_horizontal = ("members",)
    inlines = (ZoneInline,)


@admin.register(Zone)
class ZoneAdmin(ParkScopedAdmin):
    list_display = ("name", "park", "name_en")
    list_filter = ("park",)
    search_fields = ("name", "name_en", "park__name")
    autocomplete_fields = ("park",)
    list_select_related = ("park",)
