from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parkdash.parks.views import UNSHOWN, ParkRecordDetailView, ParkRecordListView, shown

from .filters import EnterpriseFilterSet
from .models import Enterprise
from .tables import EnterpriseTable


class EnterpriseListView(ParkRecordListView):
    queryset = Enterprise.objects.select_related("park", "zone").defer(*UNSHOWN, "source_quote", "notes")
    table_class = EnterpriseTable
    filterset_class = EnterpriseFilterSet
    title = gettext_lazy("Enterprises")


class EnterpriseDetailView(ParkRecordDetailView):
    """An enterprise: its stage in the pipeline and the date it reached each, its land and investment."""

    queryset = Enterprise.objects.select_related("park", "zone").defer(*UNSHOWN, "source_quote", "notes")
    facts_title = gettext_lazy("Pipeline")

    def get_subtitle(self, enterprise):
        return shown(enterprise.industry)

    def get_badges(self, enterprise):
        return [_("Listed")] if enterprise.is_listed else []

    def get_facts(self, enterprise):
        return [
            (_("Stage"), format_html("<strong>{}</strong>", enterprise.get_stage_display())),
            *[(stage.label, shown(date)) for stage, date in enterprise.stage_dates],
            (_("Land area"), shown(enterprise.land_area_mu, "亩")),
            (_("Planned investment"), shown(enterprise.planned_investment, "万元")),
            (_("Evaluation"), shown(enterprise.get_evaluation_outcome_display())),
        ]

    def get_text(self, enterprise):
        return enterprise.notes
