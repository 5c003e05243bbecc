from django.views.generic import TemplateView

from parkdash.core.views import ReadAccessMixin


class OverviewView(ReadAccessMixin, TemplateView):
    template_name = "dashboard/overview.html"
