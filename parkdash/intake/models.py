"""Work summaries (工作总结) uploaded for import; each figure applied from one links back here."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parkdash.core.models import TimeStampedModel
from parkdash.parks.models import Park


class WorkSummary(TimeStampedModel):
    """A narrative work summary, decoded to text, from which figures are proposed and applied."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="summaries", verbose_name=_("park"))
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("The year the achievements part reports on."))
    month = models.PositiveSmallIntegerField(
        _("reporting month"), help_text=_("Actual figures are cumulative from January through this month.")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("uploaded by")
    )
    applied_at = models.DateTimeField(_("last applied"), null=True, blank=True)

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
