"""Parks (园区) and their zones (片区 / 园)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalChanges, HistoricalRecords

from parkdash.core.models import TimeStampedModel


class ParkManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Park(TimeStampedModel):
    """An industrial park (产业集聚区 / 开发区) whose figures ParkDash tracks."""

    code = models.SlugField(_("code"), max_length=50, unique=True, help_text=_("Short identifier, e.g. dongbu."))
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Synthetic data generated for demonstration, not real figures.")
    )
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="parks",
        verbose_name=_("members"),
        help_text=_(
            "Users who may see this park (and edit it, if their role allows). The city level sees every "
            "park through the “see every park” permission."
        ),
    )

    history = HistoricalRecords()
    objects = ParkManager()

    class Meta:
        ordering = ["is_demo", "name"]
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        permissions = [("view_all_parks", _("Can see and work on every park (city level)"))]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def get_absolute_url(self):
        return reverse("dashboard:overview") + f"?park={self.pk}"


class ZoneManager(models.Manager):
    def get_by_natural_key(self, park_code, name):
        return self.get(park__code=park_code, name=name)


class Zone(TimeStampedModel):
    """A zone of a park (片区 / 园): a figure belongs to the whole park or to one zone."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="zones", verbose_name=_("park"))
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    history = HistoricalRecords()
    objects = ZoneManager()

    class Meta:
        ordering = ["park__name", "name"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        constraints = [
            models.UniqueConstraint(
                fields=["park", "name"],
                name="zone_unique_name_per_park",
                violation_error_message=_("This park already has a zone with this name."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.pk is None:
            return
        park_id = Zone.objects.filter(pk=self.pk).values_list("park_id", flat=True).first()
        if park_id is None or park_id == self.park_id:
            return
        # Its records would keep their park and point to a zone of another one; moving them along instead would
        # silently change two parks' totals. A zone without records (created in the wrong park) may move.
        records = self.records()
        if records:
            raise ValidationError(
                {
                    "park": _(
                        "This zone cannot move to another park: it has records (%(records)s) "
                        "that belong to its park. Move "
                        "or delete them first, or add a zone of this name to the other park."
                    )
                    % {"records": ", ".join(f"{name}: {count}" for name, count in records)}
                }
            )

    def records(self):
        """[(verbose name plural, count), …] of the records that name this zone (history aside)."""
        counts = []
        for relation in self._meta.get_fields(include_hidden=True):
            model = relation.related_model
            if not (relation.one_to_many and relation.auto_created) or issubclass(model, HistoricalChanges):
                continue
            count = model._base_manager.filter(**{relation.field.name: self}).count()
            if count:
                counts.append((str(model._meta.verbose_name_plural), count))
        return counts

    def natural_key(self):
        return (*self.park.natural_key(), self.name)

    natural_key.dependencies = ["parks.park"]
