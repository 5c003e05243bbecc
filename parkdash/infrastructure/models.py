"""Quantity-based public works (基础设施): roads, bridges, greening, fill, excavation, reclamation."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parkdash.core import units
from parkdash.core.concurrency import RevisionedModel
from parkdash.core.models import TimeStampedModel, amount_field, non_negative, validate_unit, year_in_range
from parkdash.parks.models import Park, Zone

from .choices import WorkKind


class WorkManager(models.Manager):
    def get_by_natural_key(self, park_code, year, name):
        return self.get(park__code=park_code, year=year, name=name)


class InfrastructureWork(RevisionedModel, TimeStampedModel):
    """A work measured in quantities: planned for a year and completed to date (道路路基 56.5 公里 …)."""

    # Indexed by the unique constraint below, which starts with park.
    park = models.ForeignKey(
        Park, on_delete=models.CASCADE, related_name="works", verbose_name=_("park"), db_index=False
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.SET_NULL, null=True, blank=True, related_name="works", verbose_name=_("zone")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=WorkKind.choices, default=WorkKind.OTHER)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, validators=[validate_unit])
    planned_quantity = amount_field(_("planned quantity"))
    completed_quantity = amount_field(_("completed to date"))
    notes = models.TextField(_("notes"), blank=True)
    source_quote = models.TextField(_("source quote"), blank=True)

    history = HistoricalRecords()
    objects = WorkManager()

    class Meta:
        # Served by the index below: the first page of a table never sorts all rows.
        ordering = ["park_id", "-year", "kind", "name"]
        verbose_name = _("infrastructure work")
        verbose_name_plural = _("infrastructure works")
        indexes = [models.Index(fields=["park", "-year", "kind", "name"], name="work_park_year_kind_name_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "year", "name"],
                name="work_unique_name_per_park_year",
                violation_error_message=_("This park already has a work with this name in this year."),
            ),
            non_negative("planned_quantity", "work", _("Planned quantity")),
            non_negative("completed_quantity", "work", _("Completed quantity")),
            year_in_range("work_year_plausible"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (*self.park.natural_key(), self.year, self.name)

    natural_key.dependencies = ["parks.park"]

    def get_absolute_url(self):
        return reverse("infrastructure:work_list") + f"?park={self.park_id}&year={self.year}"

    @property
    def completion_pct(self):
        from parkdash.core.progress import completion_pct

        return completion_pct(self.completed_quantity, self.planned_quantity)

    def clean(self):
        super().clean()
        if self.zone_id and self.park_id and self.zone.park_id != self.park_id:
            raise ValidationError({"zone": _("This zone belongs to another park.")})
        if self.unit and not units.is_known(self.unit):
            raise ValidationError({"unit": _("Unknown unit.")})
