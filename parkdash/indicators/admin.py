import functools

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import BooleanField, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from parkdash.core.admin import HistoryAdmin
from parkdash.core.concurrency_admin import EditConflictAdminMixin
from parkdash.core.numbers import format_number, format_percent, format_quantity, unit_label
from parkdash.core.progress import completion_pct
from parkdash.core.renderers import cached_media
from parkdash.parks.admin import ParkRecordAdmin
from parkdash.parks.scoping import scope, visible_parks, visible_zones

from . import cache, provenance, quality
from .choices import FigureKind
from .forms import CONFIRM_FIELD, SHOWN_FIELD, FigureForm, PlausibilityConfirmMixin
from .models import Figure, FigureWarning, Indicator
from .resources import FigureResource


class ChosenAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete select, whose one <option> (the record chosen) comes from the form when the form has
    that record already (``chosen``: the form's :meth:`KnownChoicesMixin.chosen`), instead of a query of its own;
    with nothing chosen, there is nothing to look up."""

    chosen = None
    _urls = {}

    def get_url(self):
        """The autocomplete view's URL, reversed once per process (with its URL configuration and script prefix)."""
        key = (self.url_name, self.admin_site.name, get_urlconf(), get_script_prefix())
        url = self._urls.get(key)
        if url is None:
            url = self._urls[key] = super().get_url()
        return url

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        known = self.chosen() if self.chosen is not None and len(selected) == 1 else None
        if selected and (known is None or str(known.pk) not in selected):
            return super().optgroups(name, value, attr)
        # As AutocompleteMixin.optgroups writes them: the blank option of an optional field, then the chosen one
        # (none chosen: Django's widget compiles a query that cannot match, which costs more than the rest).
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        if selected:
            label = self.choices.field.label_from_instance(known)
            options.append(self.create_option(name, known.pk, label, selected, len(options)))
        return [(None, options, 0)]


class LinkedWidgetWrapper(RelatedFieldWidgetWrapper):
    """The admin's select with its add, change and view links, each link's URL reversed once per process (with its
    URL configuration and script prefix), not per field of every page: the same for every user and figure (which
    links a user gets is the wrapper's ``can_*_related``, decided per form class)."""

    _urls = {}

    def get_related_url(self, info, action, *args):
        key = (info, action, args, self.admin_site.name, get_urlconf(), get_script_prefix())
        url = self._urls.get(key)
        if url is None:
            url = self._urls[key] = super().get_related_url(info, action, *args)
        return url


class KnownChoicesMixin:
    """For the figure form: the indicator, park and zone it shows read from the figure being changed (loaded with
    it, FigureAdmin.get_object) or from the form's own validation, not looked up again to write their <option>."""

    CHOSEN = ("indicator", "park", "zone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.CHOSEN:
            widget = getattr(self.fields.get(name), "widget", None)
            widget = getattr(widget, "widget", widget)  # inside the admin's RelatedFieldWidgetWrapper
            if isinstance(widget, ChosenAutocompleteSelect):
                widget.chosen = functools.partial(self.chosen, name)

    def chosen(self, name):
        """The record of field ``name`` this form already holds, or None (the widget then looks it up)."""
        if self.is_bound:
            # Validated: read from the field's own queryset (the choices the user may make).
            chosen = getattr(self, "cleaned_data", {}).get(name)
            return chosen if isinstance(chosen, models.Model) else None
        field = Figure._meta.get_field(name)
        if self.instance.pk is None or not field.is_cached(self.instance):
            return None  # the add form: its initial choices (?indicator=…) are looked up as Django does
        chosen = getattr(self.instance, name)
        if chosen is None:
            return None
        # The figure's own records are the user's to see: FigureAdmin's queryset (the figure) and the fields' (the
        # choices) are scoped to the same parks. The indicators the field offers are known (UnitEntryMixin).
        if name == "indicator" and str(chosen.pk) not in (self.indicator_units or {}):
            return None
        if name == "zone" and chosen.park_id != self.instance.park_id:
            return None
        return chosen


class PlausibleFigureForm(KnownChoicesMixin, PlausibilityConfirmMixin, FigureForm):
    """The figure's change form: plausibility warnings are confirmed before the figure is saved (forms.py)."""


class KindInlineForm(FigureForm):
    kind_value = None

    class Meta(FigureForm.Meta):
        fields = ("park", "zone", "year", "month", "version", "entered_value", "entered_unit", "yoy_pct", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = self.kind_value


class TargetInlineForm(KindInlineForm):
    kind_value = FigureKind.TARGET


class ActualInlineForm(KindInlineForm):
    kind_value = FigureKind.ACTUAL


class FigureInline(EditConflictAdminMixin, admin.TabularInline):
    """Figures of one kind on the indicator page, for the user's parks only."""

    model = Figure
    extra = 0
    autocomplete_fields = ("park", "zone")
    kind = None
    classes = ("collapse",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "park":
            kwargs["queryset"] = visible_parks(request.user)
        elif db_field.name == "zone":
            kwargs["queryset"] = visible_zones(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        # The latest two years only: an indicator may have figures for hundreds of parks and years.
        queryset = super().get_queryset(request).filter(kind=self.kind).select_related("park", "zone", "indicator")
        queryset = scope(queryset, request.user)
        latest = queryset.order_by("-year").values_list("year", flat=True).first()
        return queryset.filter(year__gte=latest - 1) if latest else queryset


class TargetInline(FigureInline):
    form = TargetInlineForm
    kind = FigureKind.TARGET
    verbose_name = _("annual target")
    verbose_name_plural = _("annual targets (latest two years)")


class ActualInline(FigureInline):
    form = ActualInlineForm
    kind = FigureKind.ACTUAL
    verbose_name = _("actual")
    verbose_name_plural = _("actuals (latest two years)")


@admin.register(Indicator)
class IndicatorAdmin(EditConflictAdminMixin, HistoryAdmin):
    list_display = (
        "code",
        "name",
        "name_en",
        "unit",
        "display_unit",
        "category",
        "aggregation",
        "higher_is_better",
        "aliases",
    )
    list_filter = ("category", "aggregation", "higher_is_better", "unit")
    search_fields = ("code", "name", "name_en", "aliases")
    list_editable = ()
    inlines = (TargetInline, ActualInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "name",
                    "name_en",
                    "unit",
                    "display_unit",
                    "category",
                    "aggregation",
                    "higher_is_better",
                    "sort_order",
                )
            },
        ),
        (_("Recognition in work summaries"), {"fields": ("aliases",)}),
    )

    def save_formset(self, request, form, formset, change):
        """Figures saved in the rows of the indicator page are checked as every other way in checks them: a row is
        saved, and its plausibility warnings are said at once and left open on the data-quality page, where a
        person fixes or confirms them (a table row has no room for the figure form's confirm box)."""
        super().save_formset(request, form, formset, change)
        if formset.model is not Figure:
            return
        saved = [*formset.new_objects, *(figure for figure, _fields in formset.changed_objects)]
        done = quality.confirmed(saved)
        for figure, warnings in zip(saved, quality.warnings_of(saved)):
            for warning in quality.unconfirmed(figure, warnings, done):
                url = reverse("dashboard:quality") + "?" + urlencode({"park": figure.park_id, "year": figure.year})
                messages.warning(
                    request,
                    format_html(
                        '{}: {} <a href="{}">{}</a>',
                        figure,
                        warning.message,
                        url,
                        _("Check it on the data-quality page."),
                    ),
                )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        # The figure rows name the indicator's unit beside their value (forms.UnitEntryMixin).
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj is not None and obj.unit:
            kwargs["form_kwargs"] = {**kwargs.get("form_kwargs", {}), "indicator": obj}
        return kwargs


def any_confirmed_warnings():
    """Whether a figure has confirmed warnings, read in the figure's own query: ``EXISTS`` written as SQL, which
    Django's Exists() compiles at the cost of the query it saves (the figure's table is the query's own alias)."""
    warnings, figures = FigureWarning._meta, Figure._meta
    quote = connection.ops.quote_name
    sql = "EXISTS (SELECT 1 FROM {} WHERE {}.{} = {}.{})".format(
        quote(warnings.db_table),
        quote(warnings.db_table),
        quote(warnings.get_field("figure").column),
        quote(figures.db_table),
        quote(figures.pk.column),
    )
    return RawSQL(sql, (), output_field=BooleanField())


class PlausibilityAdminMixin:
    """For the figure admin: the form's "I checked these figures" row, and the warnings it confirmed kept with the
    saved figure (quality.py). Listed before the admin's base class."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if CONFIRM_FIELD in [name for _name, options in fieldsets for name in options["fields"]]:
            return fieldsets
        # On a saved figure, the warnings confirmed so far.
        if obj is not None:
            fieldsets.append((_("Confirmed warnings"), {"fields": ("confirmed_warnings",)}))
        may_save = self.has_change_permission(request, obj) if obj is not None else self.has_add_permission(request)
        if not may_save:
            return fieldsets  # a read-only page (a viewer's, a version in the history) has no form to confirm
        # The checkbox (a hidden row until the form has warnings to confirm) right under the value it is about.
        for index, (name, options) in enumerate(fieldsets):
            fields = list(options["fields"])
            anchor = next((field for field in ("value", "stored_value", "entered_value") if field in fields), None)
            if anchor:
                fields[fields.index(anchor) + 1 : fields.index(anchor) + 1] = [CONFIRM_FIELD, SHOWN_FIELD]
                fieldsets[index] = (name, {**options, "fields": fields})
                return fieldsets
        return [*fieldsets, (None, {"fields": (CONFIRM_FIELD, SHOWN_FIELD)})]

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "confirmed_warnings")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The form's warnings are those not confirmed yet for this value (quality.to_confirm, read in this request's
        # transaction; a new figure has no confirmations): kept without reading the confirmations again.
        warnings = getattr(form, "confirmed_warnings", [])
        if warnings:
            quality.keep([(obj, warning) for warning in warnings], request.user)

    @admin.display(description=_("confirmed warnings"))
    def confirmed_warnings(self, obj):
        """The plausibility warnings people confirmed about this figure: who, when, for which value."""
        if obj is None or obj.pk is None:
            return ""
        if getattr(obj, "any_confirmed_warnings", None) is False:
            return _("none")  # known from the figure's own query (FigureAdmin.get_object)
        # Newest first, as the model orders them; its ordering by figure first would join the figures to sort them.
        rows = obj.warnings.select_related("confirmed_by").order_by("-confirmed_at", "-id")
        return format_html_join(
            "",
            "<p>{} — {} {} ({} {})</p>",
            (
                (
                    w.message,
                    w.confirmed_by or "",
                    localize(localtime(w.confirmed_at)),
                    format_number(w.value),  # the exact value confirmed, in the stored unit
                    obj.indicator.unit,
                )
                for w in rows
            ),
        ) or _("none")


@admin.register(Figure)
class FigureAdmin(PlausibilityAdminMixin, ParkRecordAdmin):
    form = PlausibleFigureForm
    resource_classes = [FigureResource]
    list_display = (
        "indicator",
        "park",
        "zone",
        "period",
        "kind",
        "version",
        "value_with_unit",
        "yoy",
        "completion",
        "source",
    )
    list_filter = ("kind", "version", "year", "source", "indicator__category", "park")
    search_fields = (
        "indicator__name",
        "indicator__code",
        "indicator__aliases",
        "park__name",
        "zone__name",
        "source_quote",
    )
    autocomplete_fields = ("indicator", "park", "zone")
    list_select_related = ("indicator", "park", "zone")
    readonly_fields = ("stored_value", "source", "origin", "source_quote")
    date_hierarchy = None
    fieldsets = (
        (None, {"fields": ("indicator", "park", "zone")}),
        (_("Period"), {"fields": ("year", "month", "kind", "version")}),
        (_("Value"), {"fields": ("entered_value", "entered_unit", "stored_value", "yoy_pct", "note")}),
        (_("Provenance"), {"fields": ("source", "origin", "source_quote")}),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        if type(widget) is RelatedFieldWidgetWrapper:
            widget.__class__ = LinkedWidgetWrapper  # the same wrapper, its links' URLs reversed once
        return formfield

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = cached_media(context["media"])  # the same scripts and styles, written once per process
        return super().render_change_form(request, context, *args, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = ChosenAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        targets = Figure.objects.filter(
            indicator=OuterRef("indicator"),
            park=OuterRef("park"),
            zone__isnull=True,
            year=OuterRef("year"),
            kind=FigureKind.TARGET,
        ).order_by("-month")
        return super().get_queryset(request).annotate(target_value=Subquery(targets.values("value")[:1]))

    def get_object(self, request, object_id, from_field=None):
        """The figure of a change (history, delete) page, with its indicator (the page names its unit and its title
        its name), park and zone (the form's choices, KnownChoicesMixin) and what it came from (its "work summary"
        field, provenance.py), without the changelist's target column."""
        posted = request.method == "POST"
        queryset = super().get_queryset(request)
        if not posted:
            queryset = queryset.select_related("indicator", "park", "zone")
        queryset = provenance.with_origins(queryset)
        if request.method == "GET":  # the page shows the confirmed warnings: none to look up when there are none
            queryset = queryset.annotate(any_confirmed_warnings=any_confirmed_warnings())
        field = Figure._meta.pk if from_field is None else Figure._meta.get_field(from_field)
        try:
            figure = queryset.get(**{field.name: field.to_python(object_id)})
        except (Figure.DoesNotExist, ValidationError, ValueError):
            return None
        if posted:
            # A POST's form gives the figure the indicator, park and zone chosen (read from the cached catalogue and
            # the user's cached parks, forms.KnownRecordsMixin): not joined to the figure (three joins are a third of
            # the query's cost). Until then its indicator (its unit) is the catalogue's; its park and zone are read
            # only if something asks for them.
            indicator = cache.indicator_by_pk(request, figure.indicator_id)
            if indicator is not None:
                Figure._meta.get_field("indicator").set_cached_value(figure, indicator)
        return figure

    @admin.display(description=_("work summary"))
    def origin(self, obj):
        """The record the figure came from, linked (provenance.py): the work summary it was applied from."""
        origin = obj.origin if obj is not None else None
        if origin is None:
            return self.get_empty_value_display()  # a callable's None would read "None"
        return format_html('<a href="{}">{}</a>', origin.get_absolute_url(), origin)

    @admin.display(description=_("period"), ordering="year")
    def period(self, obj):
        return obj.period_label

    @admin.display(description=_("value"))
    def stored_value(self, obj):
        """The value as stored, every digit kept but not the storage scale's zeros (7.6, not 7.6000), in the
        indicator's unit (written in the user's language)."""
        if obj is None or obj.pk is None or obj.value is None:
            return self.get_empty_value_display()
        return "{} {}".format(format_number(obj.value), unit_label(obj.indicator.unit)).strip()

    @admin.display(description=_("value"), ordering="value")
    def value_with_unit(self, obj):
        return format_quantity(obj.value, obj.indicator.unit, obj.indicator.display_unit)

    @admin.display(description=_("YoY"), ordering="yoy_pct")
    def yoy(self, obj):
        if obj.yoy_pct is None:
            return ""
        return ("+" if obj.yoy_pct >= 0 else "") + format_percent(obj.yoy_pct)

    @admin.display(description=_("completion of target"))
    def completion(self, obj):
        if obj.kind != FigureKind.ACTUAL or obj.zone_id:
            return ""
        pct = completion_pct(obj.value, obj.target_value)
        return "" if pct is None else format_percent(pct)
