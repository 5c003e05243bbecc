from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from parkdash.core.views import ReadAccessMixin
from parkdash.enterprises.charts import stage_chart
from parkdash.indicators.cards import annual_targets, indicator_cards
from parkdash.indicators.charts import completion_chart
from parkdash.indicators.selection import select
from parkdash.infrastructure.charts import works_chart
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
