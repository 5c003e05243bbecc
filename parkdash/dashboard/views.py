from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from parkdash.core.views import ReadAccessMixin
from parkdash.enterprises.charts import stage_chart
from parkdash.indicators import quality
from parkdash.indicators.cards import annual_targets, indicator_cards
from parkdash.indicators.charts import completion_chart
from parkdash.indicators.models import Figure
from parkdash.indicators.selection import select
from parkdash.infrastructure.charts import works_chart
from parkdash.parks.scoping import may_use_park, scope
from parkdash.projects.charts import PHASE_TARGETS, phase_chart


class OverviewView(ReadAccessMixin, TemplateView):
    """For a park and a year: every indicator against its target and 序时进度, and the pipeline charts."""

    template_name = "dashboard/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        selection = select(self.request)
        context.update(selection=selection, title=_("Overview"))
        if selection.park is None or selection.year is None:
            return context
        park, year = selection.park, selection.year
        cards = indicator_cards(park, year)
        context.update(
            cards=cards,
            charts=[
                completion_chart(cards),
                phase_chart(park, year, annual_targets(park, year, PHASE_TARGETS.values())),
                stage_chart(park),
                works_chart(park, year),
            ],
        )
        return context


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
