"""Work summaries (工作总结) uploaded for import; each figure applied from one links back here."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parkdash.core.models import TimeStampedModel, amount_field, percent_field
from parkdash.indicators.choices import FigureKind, Version
from parkdash.indicators.models import Figure
from parkdash.parks.models import Park

from .choices import FLAG_LABELS, SUSPECT_FLAGS, CandidateStatus, RecordKind


class WorkSummary(TimeStampedModel):
    """A narrative work summary, decoded to text, from which figures are proposed and applied."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="summaries", verbose_name=_("park"))
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("The year the achievements part reports on."))
    month = models.PositiveSmallIntegerField(
        _("reporting month"), help_text=_("Actual figures are cumulative from January through this month.")
    )
    plan_year = models.PositiveSmallIntegerField(
        _("plan year"),
        null=True,
        blank=True,
        help_text=_("The year the targets of the plan part (工作思路, 计划) are for; usually the next year."),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("uploaded by")
    )
    applied_at = models.DateTimeField(_("last applied"), null=True, blank=True)
    # Figures point at nothing above them: the link from a figure to its summary lives here (SummaryFigure).
    figures = models.ManyToManyField(
        "indicators.Figure",
        through="SummaryFigure",
        related_name="summaries",
        related_query_name="summary",
        blank=True,
        verbose_name=_("figures applied"),
    )

    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["-created"]
        verbose_name = _("work summary")
        verbose_name_plural = _("work summaries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__gte=1) & models.Q(month__lte=12),
                name="worksummary_month_1_to_12",
                violation_error_message=_("The month must be between 1 and 12."),
            ),
        ]

    def __str__(self):
        return self.title or f"{self.park} {self.year}"

    def get_absolute_url(self):
        return reverse("admin:intake_worksummary_change", args=[self.pk])


class SummaryFigureManager(models.Manager):
    def get_by_natural_key(self, *figure_key):
        return self.get(figure=Figure.objects.get_by_natural_key(*figure_key))


class SummaryFigure(models.Model):
    """A figure applied from a work summary: the indicator page links each such figure to its summary (the
    sentence it came from is the figure's ``source_quote``). A figure has at most one; deleting the summary
    deletes the link, not the figure."""

    summary = models.ForeignKey(
        WorkSummary, on_delete=models.CASCADE, related_name="figure_links", verbose_name=_("work summary")
    )
    figure = models.OneToOneField(
        "indicators.Figure", on_delete=models.CASCADE, related_name="summary_link", verbose_name=_("figure")
    )

    history = HistoricalRecords()
    objects = SummaryFigureManager()

    class Meta:
        verbose_name = _("figure applied from a summary")
        verbose_name_plural = _("figures applied from summaries")

    def __str__(self):
        return str(self.summary)

    def natural_key(self):
        return self.figure.natural_key()

    natural_key.dependencies = ["indicators.figure"]


def summary_of(figure):
    """The work summary ``figure`` was applied from, or None (read with ``summary_link__summary``)."""
    link = getattr(figure, "summary_link", None)  # a missing reverse one-to-one raises an AttributeError subclass
    return link.summary if link is not None else None


class Candidate(models.Model):
    """A figure the extractor proposed from a summary, reviewed by a person before it is applied.

    ``start``/``end`` are character offsets into the summary's text: ``summary.text[start:end] == quote``.
    """

    summary = models.ForeignKey(
        WorkSummary, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("work summary")
    )
    position = models.PositiveIntegerField(_("position"))
    section = models.CharField(_("section"), max_length=200, blank=True)
    label = models.CharField(_("label as written"), max_length=200, blank=True)
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indicator"),
    )
    value = amount_field(_("value as written"))
    unit = models.CharField(_("unit as written"), max_length=20, blank=True)
    yoy_pct = percent_field(_("year-on-year growth %"))
    period = models.CharField(_("period"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=FigureKind.choices)
    version = models.CharField(
        _("version"),
        max_length=12,
        choices=Version.choices,
        blank=True,
        help_text=_("Estimate for 预计 figures; empty lets the import decide."),
    )
    zone = models.ForeignKey(
        "parks.Zone", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("zone")
    )
    zone_name = models.CharField(_("zone as written"), max_length=100, blank=True)
    share_pct = percent_field(_("share %"))
    start = models.PositiveIntegerField(_("start offset"))
    end = models.PositiveIntegerField(_("end offset"))
    quote = models.TextField(_("quote"))
    flags = models.JSONField(_("flags"), default=list, blank=True)
    selected = models.BooleanField(_("apply"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.PENDING
    )
    message = models.CharField(_("message"), max_length=255, blank=True)
    figure = models.ForeignKey(
        "indicators.Figure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
        verbose_name=_("figure"),
    )
    record_kind = models.CharField(
        _("record named"),
        max_length=12,
        blank=True,
        choices=RecordKind.choices,
    )
    record_name = models.CharField(_("record name"), max_length=200, blank=True)
    apply_record = models.BooleanField(_("also record it there"), default=False)

    class Meta:
        ordering = ["summary", "position"]
        verbose_name = _("candidate figure")
        verbose_name_plural = _("candidate figures")
        constraints = [
            models.UniqueConstraint(fields=["summary", "position"], name="candidate_unique_position"),
            models.CheckConstraint(condition=models.Q(start__lte=models.F("end")), name="candidate_start_before_end"),
        ]

    def __str__(self):
        return "{} {} {}".format(self.label, self.value if self.value is not None else "", self.unit).strip()

    def drop_out_of_range_numbers(self):
        """Empty a number too large to be stored exactly (a run of digits read as one), flag it, uncheck it.

        The quote still shows what was written; the reviewer types the right number, or leaves it out.
        """
        dropped = False
        for name in ("value", "yoy_pct", "share_pct"):
            if not self._meta.get_field(name).in_range(getattr(self, name)):
                setattr(self, name, None)
                dropped = True
        if dropped:
            self.flags = [*self.flags, "out_of_range"]
            self.selected = False
        return dropped

    @property
    def flag_labels(self):
        """(code, readable label) for each flag."""
        return [(flag, FLAG_LABELS.get(flag, flag)) for flag in self.flags]

    @property
    def is_suspect(self):
        return bool(SUSPECT_FLAGS.intersection(self.flags))
