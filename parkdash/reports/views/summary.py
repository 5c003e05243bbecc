"""The summary draft page (工作总结草稿) and its .docx."""

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from parkdash.core.views import ReadAccessMixin

from ..docx import docx_response
from ..draft import build_draft
from ..params import read_park, read_period
from . import bad_request, period_form_context

EXPORTS = ("docx",)


class SummaryView(ReadAccessMixin, TemplateView):
    """The draft of a park's work summary at a month: paragraphs under headings, every number a link to the record
    it came from; ``?_export=docx`` for the Word document."""

    template_name = "reports/summary.html"

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("_export")
        if fmt is not None and fmt not in EXPORTS:
            raise BadRequest(_("Unknown export format. Use docx."))
        park = read_park(request)
        try:
            period = read_period(request, [park])
        except BadRequest as error:
            return bad_request(request, error)
        draft = build_draft(park, period.year, period.month, user=request.user)
        if fmt == "docx":
            return docx_response(draft)
        context = self.get_context_data(
            title=_("Summary draft"), draft=draft, park=park, **period_form_context(request.user, park, period)
        )
        return self.render_to_response(context)
