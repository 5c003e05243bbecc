from django.views.generic import TemplateView

from parkdash.core.views import ReadAccessMixin


class CompletionView(ReadAccessMixin, TemplateView):
    """Placeholder: built by the issue-15 work on this page."""

    template_name = "reports/completion.html"
