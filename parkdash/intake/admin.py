import logging

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parkdash.indicators.choices import Category
from parkdash.parks.admin import ParkScopedAdmin

from . import services
from .choices import CandidateStatus, RecordKind
from .forms import CandidateForm, UploadForm, candidate_formset
from .models import Candidate, WorkSummary

CONTEXT_CHARS = 80
logger = logging.getLogger(__name__)


@admin.register(WorkSummary)
class WorkSummaryAdmin(ParkScopedAdmin):
    """Upload a work summary, review the figures found in it, apply them as indicator figures."""

    list_display = (
        "__str__",
        "park",
        "year",
        "month",
        "file_name",
        "uploaded_by",
        "created",
        "applied_at",
        "review_link",
    )
    list_filter = ("park", "year")
    search_fields = ("title", "file_name", "text")
    autocomplete_fields = ("park",)
    list_select_related = ("park", "uploaded_by")
    readonly_fields = ("park", "file_name", "encoding", "uploaded_by", "applied_at", "review_link", "text")
    fields = (
        "park",
        "title",
        "year",
        "month",
        "plan_year",
        "file_name",
        "encoding",
        "uploaded_by",
        "applied_at",
        "review_link",
        "text",
    )

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
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:intake_worksummary_review", args=[obj.pk]),
            _("Review and apply the figures found"),
        )

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # An upload: stored, and its figures proposed, by the service the import is tested through.
        data = form.cleaned_data
        obj.text, obj.encoding, obj.file_name = data["text"], data["encoding"], data["file_name"]
        obj.year = data["year"]
        obj.title = obj.title or obj.file_name or _("Pasted summary")
        obj.uploaded_by = request.user
        if not self._in_scope(request, obj):  # the park list is scoped already; this guards a hand-made POST
            raise PermissionDenied
        obj._history_user = request.user
        found = services.store_summary(obj, found=getattr(form, "found", None))
        messages.info(request, _("%(count)s figures found; review them below.") % {"count": len(found)})

    def get_deleted_objects(self, objs, request):
        """Each summary to delete, with the number of its candidate figures rather than every one of them.

        Django's list loads the summary again, text and all, for every candidate it lists: 500 candidates of a
        200,000-character summary made 300 MB, and a summary stored before the bounds killed the worker. The
        candidates are all a summary takes with it (its figures stay, without the link to it).
        """
        summaries = list(objs)
        counts = dict(
            Candidate.objects.filter(summary__in=summaries)
            .values("summary")
            .annotate(n=Count("pk"))
            .values_list("summary", "n")
        )
        opts, candidate_opts = WorkSummary._meta, Candidate._meta
        deleted, perms_needed = [], set()
        for summary in summaries:
            deleted.append(
                format_html(
                    '{}: <a href="{}">{}</a>',
                    capfirst(opts.verbose_name),
                    reverse("admin:intake_worksummary_change", args=[summary.pk]),
                    summary,
                )
            )
            if counts.get(summary.pk):
                deleted.append(["{}: {}".format(capfirst(candidate_opts.verbose_name_plural), counts[summary.pk])])
            if not self.has_delete_permission(request, summary):
                perms_needed.add(opts.verbose_name)
        model_count = {opts.verbose_name_plural: len(summaries)}
        if sum(counts.values()):
            model_count[candidate_opts.verbose_name_plural] = sum(counts.values())
        return deleted, model_count, perms_needed, []

    def response_add(self, request, obj, post_url_continue=None):
        return HttpResponseRedirect(reverse("admin:intake_worksummary_review", args=[obj.pk]))

    def response_change(self, request, obj):
        """After "Save", back to the summary's review (where its month or year is corrected from), not to the list
        of summaries; "Save and continue editing" and the others behave as everywhere in the admin."""
        if any(key in request.POST for key in ("_continue", "_addanother", "_saveasnew", IS_POPUP_VAR)):
            return super().response_change(request, obj)
        # Django's own message (translated by Django), without its link to the change form just left.
        messages.success(
            request, _("The {name} “{obj}” was changed successfully.").format(name=obj._meta.verbose_name, obj=obj)
        )
        return HttpResponseRedirect(reverse("admin:intake_worksummary_review", args=[obj.pk]))

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [path("<int:pk>/review/", review, name="intake_worksummary_review")] + super().get_urls()

    def review_view(self, request, pk):
        summary = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, summary):
            raise PermissionDenied
        can_apply = self.has_change_permission(request, summary) and request.user.has_perm("indicators.add_figure")
        count = summary.candidates.count()
        if count > settings.PARKDASH_SUMMARY_MAX_CANDIDATES:
            # Uploaded before the bound: a page of thousands of forms would take minutes and hundreds of MB.
            messages.error(
                request,
                _(
                    "%(count)s figures were found in this summary; one review page shows at most %(max)s. Delete this "
                    "summary and upload it again in parts, for instance one chapter at a time."
                )
                % {"count": count, "max": settings.PARKDASH_SUMMARY_MAX_CANDIDATES},
            )
            return HttpResponseRedirect(reverse("admin:intake_worksummary_change", args=[summary.pk]))
        formset = candidate_formset(summary, request.POST if request.method == "POST" else None)
        duplicates = []
        if request.method == "POST":
            if not can_apply:
                raise PermissionDenied
            if formset.is_valid():
                response, duplicates = self._save_and_apply(request, summary, formset)
                if response is not None:
                    return response
            elif formset.non_form_errors():
                # Forms added or turned into new ones by hand: show the summary's candidates as they are.
                for error in formset.non_form_errors():
                    messages.error(request, error)
                formset = candidate_formset(summary)
            else:
                messages.error(request, _("Please correct the errors below."))
        try:
            warnings = services.candidate_warnings(summary, [form.instance for form in formset.forms])
        except OperationalError:
            # Advisory only: SQLite's "database is locked" while another apply writes must not take the page down.
            logger.warning("review of summary %s: plausibility warnings not read", summary.pk, exc_info=True)
            warnings = {}
        rows = review_rows(summary, formset, warnings)
        candidates = [row["candidate"] for row in rows]
        unreadable = sum("suspect_period" in c.flags for c in candidates)
        proposed_month = services.propose_month(candidates)
        if proposed_month is None:
            # No period of the text can be read: said once, above the figures, rather than on every row. (When
            # only some are unreadable, their rows keep the badge: those are the ones to look at.)
            for row in rows:
                row["flags"] = [(code, label) for code, label in row["flags"] if code != "suspect_period"]
        sections = review_sections(rows)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Review the figures of “%(summary)s”") % {"summary": summary},
            "summary": summary,
            "formset": formset,
            "sections": sections,
            "checked_count": sum(row["checked"] for row in rows),
            "candidate_count": len(rows),
            "period_unreadable": bool(candidates) and (proposed_month is None or unreadable > 0),
            "unreadable_count": unreadable,
            "proposed_month": proposed_month,
            "can_apply": can_apply,
            "statuses": dict(CandidateStatus.choices),
            "duplicates": duplicates,
            "duplicates_confirm": ",".join(d.key for d in duplicates),
        }
        return TemplateResponse(request, "admin/intake/worksummary/review.html", context)

    def _save_and_apply(self, request, summary, formset):
        """Save the choices, and apply them on "Apply", in one transaction: (a redirect, []), or (None, duplicates)
        to show the page again with the choices as posted (nothing saved) and, when applying would store figures a
        second time (:func:`services.duplicates_of`), the list of them to confirm (a second POST that carries
        ``confirm_duplicates``), or the reason on the candidate that stopped it."""
        applying = "_apply" in request.POST or "confirm_duplicates" in request.POST
        confirmed = set(filter(None, request.POST.get("confirm_duplicates", "").split(",")))
        try:
            with transaction.atomic():
                # Saving and applying one summary take turns (PostgreSQL; SQLite serialises writers itself).
                list(WorkSummary.objects.select_for_update().filter(pk=summary.pk).values_list("pk", flat=True))
                # Only the changed fields of the changed candidates (a page may hold hundreds, most untouched).
                for form in formset.initial_forms:
                    if form.has_changed() and form.instance.pk is not None:
                        form.save(commit=False).save(
                            update_fields=[name for name in form.changed_data if name in CandidateForm.Meta.fields]
                        )
                result = None
                if applying:
                    duplicates = services.duplicates_of(summary)
                    if not {d.key for d in duplicates} <= confirmed:
                        raise _NotConfirmed(duplicates)  # rolls the choices back: nothing is written before
                    result = services.apply(summary, user=request.user)
        except _NotConfirmed as exc:
            messages.warning(request, _("Nothing was applied yet: confirm or change the figures listed below."))
            return None, exc.duplicates
        except services.ApplyError as exc:
            messages.error(request, exc.message())
            for form in formset.forms:
                if form.instance.pk == exc.candidate.pk:
                    form.add_error(None, exc.reason)
            return None, []
        except (IntegrityError, OperationalError):
            # A figure written meanwhile by someone else (a unique violation), or SQLite's "database is locked".
            logger.warning("review of summary %s: concurrent change", summary.pk, exc_info=True)
            messages.error(
                request,
                _(
                    "Someone else saved or applied this summary, or one of its figures, at the same moment, so nothing "
                    "of yours was saved. Your choices are still on this page: save or apply them again."
                ),
            )
            return None, []
        self._report(request, result)
        return HttpResponseRedirect(request.path), []

    @staticmethod
    def _report(request, result):
        """The messages after a save (``result`` None) or an apply: counts, confirmed warnings, clashes."""
        if result is None:
            messages.success(request, _("Your choices are saved."))
            return
        messages.success(request, result.message())
        for figure, warnings in result.warnings.items():
            for warning in warnings:
                messages.warning(
                    request,
                    _("Confirmed by applying: {figure}: {warning}").format(figure=figure, warning=warning.message),
                )
        for candidate in result.clashes:
            messages.warning(
                request,
                "{} {} {}: {}".format(
                    candidate.label,
                    candidate.value if candidate.value is not None else "",
                    candidate.unit,
                    candidate.message,
                ),
            )


def review_rows(summary, formset, warnings):
    """One row per candidate of the review: its form, the text around its quote, its warnings and flags, the month
    it is stored under when its period is not the summary's (else None), and whether its box is checked."""
    rows = []
    for form in formset.forms:
        candidate = form.instance
        rows.append(
            {
                "form": form,
                "candidate": candidate,
                "before": summary.text[max(0, candidate.start - CONTEXT_CHARS) : candidate.start],
                "after": summary.text[candidate.end : candidate.end + CONTEXT_CHARS],
                "warnings": warnings.get(candidate.pk, []),
                "flags": candidate.flag_labels,
                "other_period": (
                    services.month_of(candidate.period, summary.month)
                    if services.period_differs(summary, candidate)
                    else None
                ),
                "checked": _checked(form),
            }
        )
    return rows


def _checked(form):
    """Whether a candidate's box is checked on the page as it is shown (as posted, when the page comes back)."""
    if form.is_bound:
        return bool(form["selected"].value())
    return bool(form.instance.selected)


# The order of the review's sections: the indicator categories, then figures about one record, then the rest.
_SECTION_ORDER = [value for value, _label in Category.choices] + [RecordKind.PROJECT, RecordKind.ENTERPRISE, ""]


def review_sections(rows):
    """The review's rows grouped into sections, in document order within each: a figure that names a project or is
    about one enterprise in a section of those, any other under its indicator's category, and those without an
    indicator last. Each section: key, title, rows, count, checked (the number checked) and folded."""
    groups = {}
    for row in rows:
        candidate = row["candidate"]
        if candidate.record_kind:
            key = candidate.record_kind
        elif candidate.indicator is not None:
            key = candidate.indicator.category
        else:
            key = ""
        groups.setdefault(key, []).append(row)
    titles = {
        **dict(Category.choices),
        # Not "Projects"/"Enterprises": the indicator categories have an "Enterprises" of their own.
        RecordKind.PROJECT: gettext_lazy("Figures naming a project"),
        RecordKind.ENTERPRISE: gettext_lazy("Figures about one enterprise"),
        "": gettext_lazy("No matching indicator"),
    }
    sections = []
    for key in sorted(groups, key=lambda k: _SECTION_ORDER.index(k) if k in _SECTION_ORDER else len(_SECTION_ORDER)):
        section_rows = groups[key]
        checked = sum(row["checked"] for row in section_rows)
        quiet = not any(row["warnings"] or row["form"].errors or row["other_period"] for row in section_rows)
        sections.append(
            {
                "key": key or "none",
                "title": titles.get(key, key),
                "rows": section_rows,
                "count": len(section_rows),
                "checked": checked,
                # Folded when nothing there needs a look: every figure checked, or (the figures of no indicator)
                # none checked; unless a warning, an error or another period is to be read.
                "folded": quiet and (checked == len(section_rows) or (key == "" and checked == 0)),
            }
        )
    return sections


class _NotConfirmed(Exception):
    """Applying would store figures a second time and the person has not confirmed them (yet)."""

    def __init__(self, duplicates):
        super().__init__()
        self.duplicates = duplicates
