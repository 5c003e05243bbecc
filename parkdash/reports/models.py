"""What a park chooses about its reports: the indicators of its completion table, in its own order."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parkdash.indicators.models import Indicator
from parkdash.parks.models import Park


class ReportLine(models.Model):
    """One indicator of a park's completion table (主要经济指标完成情况表) and summary draft, at its place.

    A park without lines gets every indicator it has figures for, in the catalogue's order.
    """

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="report_lines", verbose_name=_("park"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", verbose_name=_("indicator"))
    position = models.PositiveSmallIntegerField(_("position"), default=10, help_text=_("Smaller comes first."))
    label = models.CharField(
        _("name in the table"),
        max_length=100,
        blank=True,
        help_text=_("The park's own name for this line of its completion table; empty for the indicator's name."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["park", "position", "id"]
        verbose_name = _("report line")
        verbose_name_plural = _("report lines")
        constraints = [
            models.UniqueConstraint(
                fields=["park", "indicator"],
                name="report_line_unique_indicator_per_park",
                violation_error_message=_("This indicator is already a line of this park's report."),
            )
        ]

    def __str__(self):
        return f"{self.park} · {self.indicator}"
