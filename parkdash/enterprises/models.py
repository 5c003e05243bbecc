"""Enterprises in the investment-attraction pipeline (意向 → 评估 → 落户 → 开工 → 投产)."""

from itertools import combinations

from django.db import models
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from parkdash.core.models import amount_field, dates_in_order, non_negative
from parkdash.parks.models import ParkRecord

from .choices import STAGE_DATE_FIELDS, EvaluationOutcome, Stage


def _stage_date_constraints():
    # Every pair, not only neighbours: a missing date in between must not hide a wrong order.
    return [
        dates_in_order(
            first,
            second,
            f"enterprise_{first}_not_after_{second}",
            format_lazy(
                _("The {second} date cannot be before the {first} date."), first=stage_a.label, second=stage_b.label
            ),
        )
        for (stage_a, first), (stage_b, second) in combinations(STAGE_DATE_FIELDS, 2)
    ]


class Enterprise(ParkRecord):
    """An enterprise a park attracts, with the date it reached each stage of the pipeline."""

    name = models.CharField(_("name"), max_length=200)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    is_listed = models.BooleanField(_("listed company (上市)"), default=False)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.INTENT)
    intent_date = models.DateField(_("intent date"), null=True, blank=True)
    evaluation_date = models.DateField(_("evaluation date"), null=True, blank=True)
    settled_date = models.DateField(_("settled date"), null=True, blank=True)
    construction_date = models.DateField(_("construction start date"), null=True, blank=True)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    land_area_mu = amount_field(_("land area (mu)"), unit="亩")
    planned_investment = amount_field(_("planned investment (10k yuan)"), unit="万元")
    evaluation_outcome = models.CharField(
        _("evaluation outcome"), max_length=10, choices=EvaluationOutcome.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        # Served by the unique (park, name) index: the first page of a table never sorts all rows.
        ordering = ["park_id", "name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        default_related_name = "enterprises"
        indexes = [models.Index(fields=["park", "stage"], name="enterprise_park_stage_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "name"],
                name="enterprise_unique_name_per_park",
                violation_error_message=_("This park already has an enterprise with this name."),
            ),
            non_negative("land_area_mu", "enterprise", _("Land area")),
            non_negative("planned_investment", "enterprise", _("Planned investment")),
            *_stage_date_constraints(),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:enterprise_detail", args=[self.pk])

    @property
    def stage_dates(self):
        """(stage, date) for every stage of the pipeline, the date None where not reached or not known."""
        return [(stage, getattr(self, field)) for stage, field in STAGE_DATE_FIELDS]

    def check_rules(self, errors):
        known = [(stage, field, getattr(self, field)) for stage, field in STAGE_DATE_FIELDS if getattr(self, field)]
        for (stage_a, _field_a, date_a), (stage_b, field_b, date_b) in zip(known, known[1:]):
            if date_b < date_a:
                errors[field_b] = _("%(later)s cannot be before %(earlier)s.") % {
                    "later": stage_b.label,
                    "earlier": stage_a.label,
                }
        order = [stage for stage, _field in STAGE_DATE_FIELDS]
        reached = order.index(self.stage) if self.stage in order else 0
        for stage, field in STAGE_DATE_FIELDS[reached + 1 :]:
            if getattr(self, field):
                errors.setdefault(
                    field, _("%(stage)s has a date but the enterprise has not reached it.") % {"stage": stage.label}
                )
