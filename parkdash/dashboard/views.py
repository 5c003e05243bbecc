from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from parkdash.core import export
from parkdash.core.views import EXPORTERS, ReadAccessMixin
from parkdash.enterprises.charts import stage_chart
from parkdash.indicators import cache as indicator_cache
from parkdash.indicators import quality
from parkdash.indicators.charts import completion_chart
from parkdash.indicators.choices import FigureKind
from parkdash.indicators.models import Figure
from parkdash.indicators.selection import select
from parkdash.infrastructure.charts import works_chart
from parkdash.parks import versions
from parkdash.parks.scoping import may_use_park, scope
from parkdash.projects.charts import PHASE_TARGETS, phase_chart

from .summary import STATUS_COUNT_LABELS, TABLE, by_category, read_status, read_view, status_counts, worst_first
from .tables import OverviewTable, card_row, need_text

# The behind ones listed at the top of the overview; the rest are one link away (the table sorted by status).
BEHIND_LISTED = 10


class OverviewView(ReadAccessMixin, TemplateView):
    """For a park and a year: how many indicators are ahead or behind, the behind ones worst first, then every
    indicator by category (as cards, or ``?view=table`` as a sortable table exported with ``?_export=``), and the
    pipeline charts. ``?status=`` shows the indicators of one status only."""

    template_name = "dashboard/overview.html"

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("_export")
        if fmt is not None and fmt not in EXPORTERS:
            return HttpResponseBadRequest(gettext("Unknown export format. Use csv or xlsx."))
        context = self.get_context_data(**kwargs)
        if fmt and "table" in context:
            return self.export(fmt, context)
        return self.render_to_response(context)

    def export(self, fmt, context):
        """The table's rows (the status filter applied) as a CSV or XLSX file named after the park and the year."""
        table, selection = context["table"], context["selection"]
        parts = [str(table.export_name), selection.park.name, str(selection.year)]
        ascii_parts = [table.export_slug, selection.park.code, str(selection.year)]
        if context["status"]:
            parts.append(str(STATUS_COUNT_LABELS[context["status"]]))
            ascii_parts.append(context["status"])
        options = {"sheet_title": str(table.export_name)} if fmt == "xlsx" else {}
        try:
            return EXPORTERS[fmt](
                list(table.data.data), table.export_columns(), "-".join(parts), "-".join(ascii_parts), **options
            )
        except export.ExportFailed as failure:
            messages.error(self.request, str(failure))
            query = self.request.GET.copy()
            query.pop("_export", None)
            return HttpResponseRedirect(self.request.path + "?" + query.urlencode())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        selection = select(self.request)
        context.update(selection=selection, title=_("Overview"))
        if selection.park is None or selection.year is None:
            return context
        park, year = selection.park, selection.year
        request = self.request
        status = read_status(request.GET.get("status"))
        view = read_view(request.GET.get("view"))
        exporting = request.GET.get("_export") in EXPORTERS
        cards = indicator_cache.cards(request, park, year)
        with_target = [c for c in cards if c.target is not None]
        shown = [c for c in cards if c.progress.status == status] if status else cards
        base = selection.querystring()
        context.update(
            # The cards and charts as HTML, cached (templates/dashboard/overview.html) under what they show: the data
            # versions, park, year, status and language (the links in them carry the park and year only).
            fragment_key=versions.cache_key(
                "overview-html",
                indicator_cache.park_versions(request, park),
                (park.pk, year, status, versions.language(), settings.PARKDASH_BEHIND_THRESHOLD),
            ),
            cards=cards,
            shown=shown,
            status=status,
            view=view,
            # The query strings of the links: a status keeps the view, a view keeps the status.
            status_query=base + ("&view=table" if view == TABLE else ""),
            view_query=base + ("&status=" + status if status else ""),
            no_targets=not with_target,
            # Read only when the charts' fragment is not cached already (templates/dashboard/overview.html).
            charts=[] if exporting else SimpleLazyObject(lambda: self.charts(park, year, cards)),
        )
        if with_target:
            behind = worst_first(cards)
            context.update(
                counts=status_counts(cards, status),
                behind=[
                    (card, need_text(card.need, card.unit, card.indicator.display_unit or None))
                    for card in behind[:BEHIND_LISTED]
                ],
                behind_more=max(0, len(behind) - BEHIND_LISTED),
                nothing_judged=all(c.actual is None for c in with_target),
            )
        else:
            context.update(target_years=self.target_years(park), add_targets_url=self.add_targets_url(park, year))
        if view == TABLE or exporting:
            table = OverviewTable([card_row(c) for c in shown], querystring=base)
            RequestConfig(request, paginate=False).configure(table)
            context["table"] = table
        else:
            context["groups"] = by_category(shown)
        return context

    def charts(self, park, year, cards):
        """The pipeline charts (plain dicts), cached per park, year, language and behind threshold (the completion
        chart's colours are the statuses) by the park's and the catalogue's data versions."""
        return versions.cached(
            "overview-charts",
            indicator_cache.park_versions(self.request, park),
            (park.pk, year, versions.language(), settings.PARKDASH_BEHIND_THRESHOLD),
            lambda: self.build_charts(park, year, cards),
        )

    @staticmethod
    def build_charts(park, year, cards):
        reported = {c.indicator.code: c.actual for c in cards if c.actual is not None}
        # The phases' annual targets are the cards' (the whole park's, the chosen figure of each): no query.
        phase_codes = set(PHASE_TARGETS.values())
        planned = {
            c.indicator.code: c.target for c in cards if c.target is not None and c.indicator.code in phase_codes
        }
        return [
            completion_chart(cards),
            phase_chart(park, year, planned, reported),
            stage_chart(park, reported),
            works_chart(park, year),
        ]

    @staticmethod
    def target_years(park):
        """The years for which the park has annual targets (newest first), to point to from a year without any."""
        rows = Figure.objects.filter(park=park, kind=FigureKind.TARGET).order_by("-year")
        return list(rows.values_list("year", flat=True).distinct())

    def add_targets_url(self, park, year):
        """The admin page that adds an annual target of ``park`` for ``year``, for a user who may add figures."""
        if not self.request.user.has_perm("indicators.add_figure"):
            return ""
        query = urlencode({"park": park.pk, "year": year, "month": 12, "kind": FigureKind.TARGET})
        return reverse("admin:indicators_figure_add") + "?" + query


CONFIRM_PERMISSION = "indicators.change_figure"


def may_confirm(user, park_id):
    """Whether ``user`` may confirm the warnings of a park's figures: an editor (change figure) of that park."""
    return user.is_authenticated and user.has_perm(CONFIRM_PERMISSION) and may_use_park(user, park_id)


class QualityView(ReadAccessMixin, TemplateView):
    """Data quality of a park and a year: every plausibility warning nobody has confirmed (indicators.quality), with
    a link to fix the figure and, for the park's editors, a button that confirms the warning."""

    template_name = "dashboard/quality.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        selection = select(self.request)
        context.update(selection=selection, title=_("Data quality"), rows=[])
        if selection.park is None or selection.year is None:
            return context
        user = self.request.user
        can_fix = user.has_perm(CONFIRM_PERMISSION)
        context.update(
            rows=[
                {
                    "figure": figure,
                    "warnings": warnings,
                    "fix_url": reverse("admin:indicators_figure_change", args=[figure.pk]) if can_fix else "",
                }
                for figure, warnings in quality.open_warnings(selection.park, selection.year)
            ],
            can_confirm=may_confirm(user, selection.park.pk),
        )
        return context

    def post(self, request, *args, **kwargs):
        """Confirm one warning (``code``) of one figure (``figure``): the park's editors only; a figure of a park
        the user may not see does not exist."""
        figure_id = request.POST.get("figure", "")
        if not figure_id.isascii() or not figure_id.isdigit():
            raise Http404
        figure = scope(Figure.objects.select_related("indicator"), request.user).filter(pk=int(figure_id)).first()
        if figure is None:
            raise Http404
        if not may_confirm(request.user, figure.park_id):
            raise PermissionDenied
        code = request.POST.get("code", "")
        warnings = [w for w in quality.unconfirmed(figure, quality.warnings_for(figure)) if w.code == code]
        if warnings:
            quality.confirm(figure, warnings, request.user)
            messages.success(
                request,
                gettext("Confirmed: {figure}. {warning}").format(figure=figure, warning=warnings[0].message),
            )
        else:
            messages.info(request, gettext("This warning is already confirmed, or no longer applies."))
        query = urlencode({"park": figure.park_id, "year": figure.year})
        return HttpResponseRedirect(reverse("dashboard:quality") + "?" + query)
