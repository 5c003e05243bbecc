"""Filter base: a free-text ``q`` over ``search_fields``, quick selects, and year lookups that cannot overflow.

The filters and the form class of a FilterSet are made once per class, not per request (django-filter deep-copies
every filter, builds each one's form field, makes a new form class, and the form deep-copies the fields again: a
fifth of a table page's calls). What depends on the request is set on each request's own objects:

- each request's filters are copies of the class's (:func:`_fresh`), each with its own ``parent``, ``model``,
  ``extra`` and filter method;
- the form class is kept per FilterSet class, language and model (a filter without a label of its own is labelled
  in the language of the request, as a string): the querysets of its model choice fields (``?park=``, ``?zone=``,
  the indicators: querysets that may be callables of the request, the user's parks) are not in it but set on each
  form's own copy of the field (:attr:`BaseFilterSet.form`);
- a form copies only its model choice fields (whose querysets and choices each request sets); the other fields,
  whose kinds are known never to change as a form validates or renders (:data:`_SHARED_FIELDS`), are the class's.
  Nothing may change a form's field but a model choice field's.

A filter or a field of another kind is copied per request as django-filter copies it, and a FilterSet with a
filter of a kind not known here (:func:`_is_plain`) builds its form class per request, as django-filter does.
"""

import copy
import functools
from collections import OrderedDict

import django_filters
from django import forms
from django.core.signals import setting_changed
from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from django_filters import filters

from .widgets import QuickSelect

# The filters whose state is their attributes (set by __init__, never changed in place but ``extra``, which each
# copy has its own of): a shallow copy is as good as django-filter's deep one. A subclass that changes nothing but
# the field class is one of them (parks.filters.VisibleParkFilter).
_PLAIN_FILTERS = {
    filters.Filter,
    filters.CharFilter,
    filters.BooleanFilter,
    filters.ChoiceFilter,
    filters.NumberFilter,
    filters.ModelChoiceFilter,
    filters.QuerySetRequestMixin,
}
_CLASS_ONLY = {"__module__", "__qualname__", "__doc__", "__slotnames__", "field_class"}  # copyreg caches __slotnames__

# The form fields a form may share with every other form of its class: validating or rendering them changes
# nothing of them or of their widgets (unless localized: BoundField.as_widget then marks the widget).
_SHARED_FIELDS = {
    forms.CharField,
    forms.DecimalField,
    forms.IntegerField,
    forms.NullBooleanField,
    filter_fields.ChoiceField,
}

_templates = {}  # FilterSet class -> its filters, to copy (_Templates)
_form_classes = {}  # (FilterSet class, language, model) -> form class


@receiver(setting_changed)
def _forget(setting, **kwargs):
    """django-filter reads its FILTERS_* settings as it makes the fields, and the shared fields' selects keep their
    translated options (widgets.QuickSelect.texts): tests that change them or the translations get new ones."""
    if setting.startswith("FILTERS_") or setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):
        _templates.clear()
        _form_classes.clear()


@functools.cache
def _is_plain(kind):
    return all(
        k in _PLAIN_FILTERS or set(vars(k)) <= _CLASS_ONLY
        for k in kind.__mro__
        if issubclass(k, (filters.Filter, filters.QuerySetRequestMixin))
    )


def _fresh(template):
    """A request's copy of a filter: what ``copy.deepcopy`` gives (django-filter's ``BaseFilterSet.__init__``), for
    the filters it is known to be the same for, without walking their labels, choices and widgets."""
    if not _is_plain(type(template)):
        return copy.deepcopy(template)
    new = object.__new__(type(template))
    new.__dict__.update(template.__dict__)
    new.extra = template.extra.copy()
    if template.method is not None:
        new.method = template.method  # a FilterMethod of the copy's, which finds the method on the copy's parent
    queryset = template.__dict__.get("queryset")
    if isinstance(queryset, QuerySet):  # never evaluated in the class's: each request its own, as a deep copy
        new.queryset = queryset.all()
        if template.extra.get("queryset") is queryset:
            new.extra["queryset"] = new.queryset
    return new


class _Templates(OrderedDict):
    """A FilterSet class's filters, as django-filter's ``__init__`` deep-copies them: each copy a :func:`_fresh`
    one."""

    def __deepcopy__(self, memo):
        return OrderedDict([(name, _fresh(filter_)) for name, filter_ in self.items()])


class _SharedFields(dict):
    """A form class's ``base_fields``, as a form deep-copies them into its ``fields``: the fields of the kinds in
    :data:`_SHARED_FIELDS` are the class's, the others copies of their own."""

    def __deepcopy__(self, memo):
        return {
            name: field if type(field) in _SHARED_FIELDS and not field.localize else copy.deepcopy(field, memo)
            for name, field in self.items()
        }


def _request_queryset(filter_):
    """Whether ``filter_`` gives its field a queryset (possibly one of the request, by a callable)."""
    return isinstance(filter_, filters.QuerySetRequestMixin)


class BaseFilterSet(django_filters.FilterSet):
    """Adds ``q``, searching ``search_fields``; choice filters render as QuickSelects."""

    search_fields = ()

    q = django_filters.CharFilter(method="search", label=_("Search"), widget=forms.TextInput(attrs={"type": "search"}))

    def __init__(self, *args, **kwargs):
        # django-filter's __init__ deep-copies self.base_filters into self.filters: it is given the class's
        # templates for the time of the call, which copy themselves as cheaply as they can (_Templates).
        self.base_filters = self.filter_templates()
        try:
            super().__init__(*args, **kwargs)
        finally:
            del self.base_filters

    @classmethod
    def filter_templates(cls):
        """``base_filters`` with this class's defaults, once per class."""
        templates = _templates.get(cls)
        if templates is None:
            templates = _Templates(copy.deepcopy(cls.base_filters))
            for filter_ in templates.values():
                cls.set_defaults(filter_)
            _templates[cls] = templates
        return templates

    @staticmethod
    def set_defaults(filter_):
        # isinstance: a subclass (parks.filters.VisibleParkFilter, the park list of every table) is one select.
        if isinstance(filter_, (django_filters.ChoiceFilter, django_filters.ModelChoiceFilter)):
            filter_.extra.setdefault("widget", QuickSelect)
        if isinstance(filter_, django_filters.NumberFilter) and filter_.field_name.split("__")[-1] == "year":
            # A year lookup on a date becomes a date range computed in Python: ?year=1e30 would overflow (a 500).
            filter_.extra.setdefault("min_value", 1)
            filter_.extra.setdefault("max_value", 9999)

    def get_form_class(self):
        """The form class of this FilterSet class, language and model, made once (see the module's docstring)."""
        if not all(_is_plain(type(filter_)) for filter_ in self.filters.values()):
            return super().get_form_class()
        model = self.queryset.model
        key = (type(self), get_language(), model)
        form_class = _form_classes.get(key)
        if form_class is None:
            form_class = _form_classes[key] = self.make_form_class(model)
        return form_class

    @classmethod
    def make_form_class(cls, model):
        filters_ = copy.deepcopy(cls.filter_templates())
        fields = {}
        for name, filter_ in filters_.items():
            filter_.model = model
            if _request_queryset(filter_):
                # Set on each form's copy of the field (form): never one request's queryset in the class.
                filter_.queryset = None
                filter_.extra["queryset"] = None
            fields[name] = filter_.field
        form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
        form_class.base_fields = _SharedFields(form_class.base_fields)
        return form_class

    @property
    def form(self):
        made = hasattr(self, "_form")
        form = super().form
        if not made and isinstance(type(form).base_fields, _SharedFields):
            for name, filter_ in self.filters.items():
                if _request_queryset(filter_) and name in form.fields:
                    form.fields[name].queryset = filter_.get_queryset(self.request)
        return form

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{field + "__icontains": value})
        return queryset.filter(condition)
