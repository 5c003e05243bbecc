"""What a park chooses about its reports: the indicators of its completion table, in its own order."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parkdash.indicators.models import Indicator
from parkdash.parks.models import Park

from .choices import Pattern, WordingLanguage


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


class Wording(models.Model):
    """A sentence pattern of the summary draft written in the admin: a Django template that replaces the file
    templates/reports/wording/<language>/<name>, for one park or (park empty) for every park.

    The order a pattern is looked for: the park's own here, the park's own file, every park's here, the default
    file. The text must compile and render against sample values (:func:`wording.check`).
    """

    park = models.ForeignKey(
        Park,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="wordings",
        verbose_name=_("park"),
        help_text=_("Leave empty for every park (administrators only)."),
    )
    name = models.CharField(_("sentence pattern"), max_length=40, choices=Pattern.choices)
    language = models.CharField(
        _("language"), max_length=2, choices=WordingLanguage.choices, default=WordingLanguage.ZH
    )
    text = models.TextField(
        _("text"),
        help_text=_(
            "A Django template: {{ value }} prints a value, {% if yoy %}…{% endif %} writes words only when it is "
            "known. The values each pattern gets are listed in its default file."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["park", "name", "language"]
        verbose_name = _("wording")
        verbose_name_plural = _("wordings")
        constraints = [
            models.UniqueConstraint(
                fields=["park", "name", "language"],
                condition=Q(park__isnull=False),
                name="wording_unique_per_park",
                violation_error_message=_("This park already has its own wording of this pattern in this language."),
            ),
            models.UniqueConstraint(
                fields=["name", "language"],
                condition=Q(park__isnull=True),
                name="wording_unique_for_every_park",
                violation_error_message=_(
                    "There is already a wording of this pattern in this language for every park."
                ),
            ),
        ]

    def __str__(self):
        return "{} · {} · {}".format(self.park or _("every park"), self.get_name_display(), self.language)

    def clean(self):
        super().clean()
        if self.name and self.language and self.text:
            from . import wording

            problem = wording.check(self.name, self.language, self.text)
            if problem:
                raise ValidationError({"text": problem})
