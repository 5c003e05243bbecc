"""The admin of a park's report lines: which indicators its completion table shows, in which order, under which name.

Scoped to the user's parks like every park record. A park starts from the default (its indicators with figures, in
the catalogue's order) with one button on the list, then reorders them by their position, edited in the list.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponseRedirect
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from parkdash.core.numbers import parse_int
from parkdash.core.widgets import options_html
from parkdash.indicators.models import Figure, Indicator
from parkdash.parks.admin import ParkScopedAdmin
from parkdash.parks.scoping import sees_all_parks, visible_parks

from .models import ReportLine, Wording

# The name of the changelist form's button that adds a park's default lines.
ADD_DEFAULTS = "_add_default_lines"
STEP = 10
POSITION_MAX = 32767  # PositiveSmallIntegerField


def add_default_lines(park, user=None) -> int:
    """Give ``park`` a line for each indicator it has whole-park figures of and no line for yet, in the catalogue's
    order, after its existing lines (positions 10, 20, 30 … on from its last). Returns how many were added."""
    with transaction.atomic():
        existing = ReportLine.objects.filter(park=park)
        present = set(existing.values_list("indicator_id", flat=True))
        last = existing.aggregate(last=Max("position"))["last"] or 0
        with_figures = Figure.objects.filter(park=park, zone__isnull=True).values("indicator_id")
        indicators = Indicator.objects.filter(pk__in=with_figures).exclude(pk__in=present)
        lines = [
            ReportLine(park=park, indicator=indicator, position=min(POSITION_MAX, last + STEP * number))
            for number, indicator in enumerate(indicators, 1)
        ]
        if lines:
            bulk_create_with_history(lines, ReportLine, default_user=user)
    return len(lines)


@admin.register(ReportLine)
class ReportLineAdmin(ParkScopedAdmin):
    list_display = ("indicator", "label", "position", "park")
    list_display_links = ("indicator",)
    list_editable = ("position",)
    list_filter = ("park",)
    list_per_page = 200
    autocomplete_fields = ("park", "indicator")
    list_select_related = ("park", "indicator")
    search_fields = ("indicator__name", "indicator__name_en", "label", "park__name")
    change_list_template = "admin/reports/reportline/change_list.html"

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and ADD_DEFAULTS in request.POST:
            return self.add_defaults(request)
        extra_context = {**(extra_context or {}), "add_defaults": ADD_DEFAULTS}
        if self.has_add_permission(request):
            extra_context["default_park_options"] = self.park_options(request)
        return super().changelist_view(request, extra_context)

    def park_options(self, request):
        """The parks the user may add lines to, the one the list is filtered on chosen."""
        chosen = parse_int(request.GET.get("park__id__exact"))
        return options_html((park.pk, park.name, park.pk == chosen) for park in visible_parks(request.user))

    def add_defaults(self, request):
        """Add the lines of the park in ``park`` from its indicators with figures (add permission and the park's
        membership needed), then back to the list of that park's lines."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        park_id = parse_int(request.POST.get("park"), minimum=1)
        park = visible_parks(request.user).filter(pk=park_id).first() if park_id else None
        back = request.path
        if park is None:
            messages.error(request, gettext("No such park, or not one of yours."))
            return HttpResponseRedirect(back)
        added = add_default_lines(park, request.user)
        if added:
            messages.success(
                request,
                gettext(
                    "Lines added to %(park)s: %(count)s, its indicators with figures in the catalogue's order. "
                    "Change their positions to reorder them."
                )
                % {"park": park.name, "count": added},
            )
        else:
            messages.info(
                request,
                gettext("%(park)s already has a line for each of its indicators with figures.") % {"park": park.name},
            )
        return HttpResponseRedirect(back + "?park__id__exact={}".format(park.pk))


@admin.register(Wording)
class WordingAdmin(ParkScopedAdmin):
    """The draft's sentence patterns a park writes for itself; only the city level writes those of every park."""

    list_display = ("name", "language", "park")
    list_filter = ("name", "language", "park")
    list_select_related = ("park",)
    search_fields = ("text", "park__name")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "park" in form.base_fields and not sees_all_parks(request.user):
            # A park's editor writes the park's own wording: "every park" is the administrators'.
            form.base_fields["park"].required = True
            form.base_fields["park"].empty_label = None
        return form
