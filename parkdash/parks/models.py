"""Parks (园区) and their zones (片区 / 园)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalChanges, HistoricalRecords

from parkdash.core.concurrency import RevisionedModel
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

    @property
    def display_name(self):
        """The name in the active language: the English name on an English page, when the park has one."""
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


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


class ParkRecordQuerySet(models.QuerySet):
    def get_by_natural_key(self, *key):
        """The record whose ``natural_key()`` is ``key``; an empty part (a figure of the whole park) is a null."""
        lookups = {}
        for path, value in zip(self.model.natural_key_fields, key, strict=True):
            if value is None and "__" in path:
                lookups[path.split("__")[0] + "__isnull"] = True
            else:
                lookups[path] = value
        return self.get(**lookups)


class ManagerClassKeptDescriptor(HistoryDescriptor):
    """simple_history's ``record.history`` whose manager class is made once, not on every access: its
    ``Manager.from_queryset`` builds a new class each time, inspecting every method of the queryset (about 1,100
    function calls), and every save asks for it to write the historical row (``create_historical_record``). The class
    made is the same each time (the same manager and queryset classes): only its making is saved."""

    def __get__(self, instance, owner):
        manager_class = self.__dict__.get("kept_manager_class")
        if manager_class is None:
            manager_class = self.kept_manager_class = self.manager_class.from_queryset(self.queryset_class)
        return manager_class(self.model, instance)


class ParkRecordHistory(HistoricalRecords):
    """The change history of a park's records; a model leaves fields out of it with ``history_excluded_fields``
    (bookkeeping the database maintains, which a historical copy would only hold stale)."""

    def fields_included(self, model):
        excluded = getattr(model, "history_excluded_fields", ())
        return [field for field in super().fields_included(model) if field.name not in excluded]

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        descriptor = sender.__dict__.get(self.manager_name)
        if type(descriptor) is HistoryDescriptor:  # registered just now, on this model
            kept = ManagerClassKeptDescriptor(descriptor.model, descriptor.manager_class, descriptor.queryset_class)
            setattr(sender, self.manager_name, kept)


class ParkRecord(RevisionedModel, TimeStampedModel):
    """What every record of a park is (a figure, a project, an enterprise, an infrastructure work): a park's, in one
    of its zones or none, with the sentence of a work summary it came from, its change history, a revision that
    keeps edits from overwriting each other, and a natural key for backups and fixtures.

    A subclass sets ``Meta.default_related_name`` (the park's and the zone's name for its records: ``park.projects``)
    and ``natural_key_fields`` (database paths; the park's code and the record's name by default), and adds its own
    rules in :meth:`check_rules`.
    """

    # Not indexed alone: each subclass's unique constraint or ordering index starts with the park.
    park = models.ForeignKey(Park, on_delete=models.CASCADE, verbose_name=_("park"), db_index=False)
    zone = models.ForeignKey(Zone, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("zone"))
    source_quote = models.TextField(_("source quote"), blank=True)

    history = ParkRecordHistory(inherit=True)
    objects = ParkRecordQuerySet.as_manager()

    natural_key_fields = ("park__code", "name")

    class Meta:
        abstract = True

    def natural_key(self):
        return tuple(self._follow(path) for path in self.natural_key_fields)

    natural_key.dependencies = ["parks.park"]

    def _follow(self, path):
        value = self
        for name in path.split("__"):
            value = getattr(value, name)
            if value is None:
                return None
        return value

    def clean(self):
        """The zone must be one of the record's park; :meth:`check_rules` adds the model's own rules."""
        super().clean()
        errors = {}
        if self.zone_id and self.park_id and self.zone.park_id != self.park_id:
            errors["zone"] = _("This zone belongs to another park.")
        self.check_rules(errors)
        if errors:
            raise ValidationError(errors)

    def check_rules(self, errors):
        """Add ``{field: message}`` for each rule of the model this record breaks (``errors`` may hold the zone's)."""


class DataVersion(models.Model):
    """A counter of changes, bumped BY THE DATABASE (triggers, parkdash.parks.versions) on every write to the data
    it names: ``p<park id>`` (a park's records), ``catalogue`` (indicators), ``parks`` (parks, zones, members),
    ``epoch`` (a random number made afresh after every migrate and flush). Each is split in slots (one row each,
    ``key`` "p12/3") so that concurrent writers rarely wait on one row. Never edited by code; not in backups."""

    key = models.CharField(max_length=40, primary_key=True)  # the name and the slot: "p12/3"
    name = models.CharField(max_length=30, db_index=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")
        default_permissions = ()

    def __str__(self):
        return f"{self.key}={self.n}"
