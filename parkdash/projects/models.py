"""Construction and investment projects (项目 / 工程) and their dated progress updates."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parkdash.core.models import amount_field, dates_in_order, non_negative
from parkdash.parks.models import ParkRecord

from .choices import Phase, ProjectCategory


class Project(ParkRecord):
    """A construction project of a park, in one phase; every phase or progress change is kept as an update."""

    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(
        _("category"), max_length=20, choices=ProjectCategory.choices, default=ProjectCategory.OTHER
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.PREPARATION)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_finish = models.DateField(_("planned finish"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_finish = models.DateField(_("actual finish"), null=True, blank=True)
    total_investment = amount_field(_("total investment (10k yuan)"), unit="万元")
    ytd_investment = amount_field(_("investment this year (10k yuan)"), unit="万元")
    progress_pct = models.DecimalField(_("progress %"), max_digits=5, decimal_places=1, default=0)
    responsible_unit = models.CharField(_("responsible unit"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        # Served by the unique (park, name) index: the first page of a table never sorts all rows.
        ordering = ["park_id", "name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        default_related_name = "projects"
        indexes = [models.Index(fields=["park", "phase"], name="project_park_phase_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "name"],
                name="project_unique_name_per_park",
                violation_error_message=_("This park already has a project with this name."),
            ),
            models.CheckConstraint(
                condition=Q(progress_pct__gte=0) & Q(progress_pct__lte=100),
                name="project_progress_0_to_100",
                violation_error_message=_("Progress must be between 0 and 100 %%."),
            ),
            non_negative("total_investment", "project", _("Total investment")),
            non_negative("ytd_investment", "project", _("Investment this year")),
            dates_in_order(
                "planned_start",
                "planned_finish",
                "project_planned_start_before_finish",
                _("The planned finish cannot be before the planned start."),
            ),
            dates_in_order(
                "actual_start",
                "actual_finish",
                "project_actual_start_before_finish",
                _("The actual finish cannot be before the actual start."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    def check_rules(self, errors):
        # One error at a time: the zone's, else the first of these.
        if errors:
            return
        if self.ytd_investment and self.total_investment and self.ytd_investment > self.total_investment:
            errors["ytd_investment"] = _("This year's investment cannot exceed the total investment.")
        elif self.phase == Phase.COMPLETED and self.progress_pct is not None and self.progress_pct < 100:
            errors["progress_pct"] = _("A completed project has progress 100 %.")

    def save(self, *args, **kwargs):
        """Save, and record a dated update when the phase or the progress changed."""
        previous = None
        if self.pk:
            previous = Project.objects.filter(pk=self.pk).values("phase", "progress_pct").first()
        super().save(*args, **kwargs)
        if previous is None or previous["phase"] != self.phase or previous["progress_pct"] != self.progress_pct:
            user = getattr(self, "_change_user", None)
            self.updates.create(
                date=timezone.localdate(),
                phase=self.phase,
                progress_pct=self.progress_pct,
                note=getattr(self, "_change_note", "") or "",
                created_by=user,
            )


class ProjectUpdate(models.Model):
    """A dated record of a project's phase and progress."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates", verbose_name=_("project"))
    date = models.DateField(_("date"), default=timezone.localdate)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    progress_pct = models.DecimalField(_("progress %"), max_digits=5, decimal_places=1, default=0)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("by")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("project update")
        verbose_name_plural = _("project updates")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_pct__gte=0) & Q(progress_pct__lte=100),
                name="projectupdate_progress_0_to_100",
                violation_error_message=_("Progress must be between 0 and 100 %%."),
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.date} {self.get_phase_display()}"
