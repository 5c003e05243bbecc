"""Quantity-based public works (基础设施): roads, bridges, greening, fill, excavation, reclamation."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parkdash.core import units
from parkdash.core.models import amount_field, non_negative, validate_unit, year_in_range
from parkdash.parks.models import ParkRecord

from .choices import WorkKind


class InfrastructureWork(ParkRecord):
    """A work measured in quantities: planned for a year and completed to date (道路路基 56.5 公里 …)."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=WorkKind.choices, default=WorkKind.OTHER)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, validators=[validate_unit])
    planned_quantity = amount_field(_("planned quantity"))
    completed_quantity = amount_field(_("completed to date"))
    notes = models.TextField(_("notes"), blank=True)

    natural_key_fields = ("park__code", "year", "name")

    class Meta:
        # Served by the index below: the first page of a table never sorts all rows.
        ordering = ["park_id", "-year", "kind", "name"]
        verbose_name = _("infrastructure work")
        verbose_name_plural = _("infrastructure works")
        default_related_name = "works"
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

    def get_absolute_url(self):
        return reverse("infrastructure:work_list") + f"?park={self.park_id}&year={self.year}"

    @property
    def completion_pct(self):
        from parkdash.core.progress import completion_pct

        return completion_pct(self.completed_quantity, self.planned_quantity)

    def check_rules(self, errors):
        # One error at a time: the zone's, else the unit's.
        if not errors and self.unit and not units.is_known(self.unit):
            errors["unit"] = _("Unknown unit.")
