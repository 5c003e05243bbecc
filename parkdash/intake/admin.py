from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parkdash.core.admin import ParkScopedAdmin

from . import services
from .forms import UploadForm, candidate_formset
from .models import CandidateStatus, WorkSummary

CONTEXT_CHARS = 80


@admin.register(WorkSummary)
class WorkSummaryAdmin(ParkScopedAdmin):
    """Upload a work summary, review the figures found in it, apply them as indicator figures."""

    list_display = ("__str__", "park", "year", "month", "file_name", "uploaded_by", "created", "applied_at",
                    "review_link")
    list_filter = ("park", "year")
    search_fields = ("title", "file_name", "text")
    autocomplete_fields = ("park",)
    list_select_related = ("park", "uploaded_by")
    readonly_fields = ("park", "file_name", "encoding", "uploaded_by", "applied_at", "review_link", "text")
    fields = ("park", "title", "year", "month", "plan_year", "file_name", "encoding", "uploaded_by", "applied_at",
              "review_link", "text")

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = UploadForm
            kwargs["fields"] = None
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("park", "upload", "pasted", "year", "month", "plan_year", "title")
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    @admin.display(description=gettext_lazy("candidates"))
    def review_link(self, obj):
        if obj.pk is None:
            return ""
        return format_html('<a href="{}">{}</a>', reverse("admin:intake_worksummary_review", args=[obj.pk]),
                           _("Review and apply the figures found"))

    def save_model(self, request, obj, form, change):
        if not change:
            data = form.cleaned_data
            obj.text, obj.encoding, obj.file_name = data["text"], data["encoding"], data["file_name"]
            obj.year = data["year"]
            obj.title = obj.title or obj.file_name or _("Pasted summary")
            obj.uploaded_by = request.user
            obj.plan_year = obj.plan_year or services.default_plan_year(obj.text, obj.year, obj.month)
        super().save_model(request, obj, form, change)
        if not change:
            found = services.propose(obj)
            messages.info(request, _("%(count)s figures found; review them below.") % {"count": len(found)})

    def response_add(self, request, obj, post_url_continue=None):
        return HttpResponseRedirect(reverse("admin:intake_worksummary_review", args=[obj.pk]))

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [path("<int:pk>/review/", review, name="intake_worksummary_review")] + super().get_urls()

    def review_view(self, request, pk):
        summary = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, summary):
            raise PermissionDenied
        can_apply = self.has_change_permission(request, summary) and request.user.has_perm("indicators.add_figure")
        formset = candidate_formset(summary, request.POST if request.method == "POST" else None)
        if request.method == "POST":
            if not can_apply:
                raise PermissionDenied
            if formset.is_valid():
                formset.save()
                if "_apply" in request.POST:
                    result = services.apply(summary, user=request.user)
                    messages.success(request, result.message())
                    for candidate in result.clashes:
                        messages.warning(request, "{} {} {}: {}".format(
                            candidate.label, candidate.value if candidate.value is not None else "",
                            candidate.unit, candidate.message))
                else:
                    messages.success(request, _("Your choices are saved."))
                return HttpResponseRedirect(request.path)
            messages.error(request, _("Please correct the errors below."))
        sections = []
        for form in formset.forms:
            candidate = form.instance
            if not sections or sections[-1]["title"] != candidate.section:
                sections.append({"title": candidate.section, "rows": []})
            before = summary.text[max(0, candidate.start - CONTEXT_CHARS):candidate.start]
            after = summary.text[candidate.end:candidate.end + CONTEXT_CHARS]
            sections[-1]["rows"].append({"form": form, "candidate": candidate, "before": before, "after": after})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Review the figures of “%(summary)s”") % {"summary": summary},
            "summary": summary,
            "formset": formset,
            "sections": sections,
            "can_apply": can_apply,
            "statuses": dict(CandidateStatus.choices),
        }
        return TemplateResponse(request, "admin/intake/worksummary/review.html", context)
