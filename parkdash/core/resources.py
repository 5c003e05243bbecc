"""django-import-export building blocks: lookups by name, choices by label, clear row errors."""

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import resources, widgets

from parkdash.parks.models import Park, Zone

from .scoping import may_use_park


class NamedForeignKeyWidget(widgets.ForeignKeyWidget):
    """Looks a related record up by any of ``fields`` (e.g. code or name) and says clearly when it is unknown."""

    def __init__(self, model, fields, label, **kwargs):
        self.fields = fields
        self.label = label
        super().__init__(model, field=fields[0], **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        for field in self.fields:
            found = list(self.get_queryset(text, row, **kwargs).filter(**{field: text})[:2])
            if len(found) == 1:
                return found[0]
        raise ValueError(f"unknown {self.label} “{text}”")

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, self.fields[-1]))


class ParkWidget(NamedForeignKeyWidget):
    def __init__(self, **kwargs):
        super().__init__(Park, ("code", "name"), "park", **kwargs)


class ZoneWidget(NamedForeignKeyWidget):
    """A zone by name, within the park named in the same row."""

    def __init__(self, park_column="park", **kwargs):
        self.park_column = park_column
        super().__init__(Zone, ("name",), "zone", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        park = str((row or {}).get(self.park_column) or "").strip()
        return Zone.objects.filter(park__code=park) | Zone.objects.filter(park__name=park)


class ChoicesWidget(widgets.Widget):
    """A choice given as its code or as its label in Chinese or English (目标 / Target / target)."""

    def __init__(self, choices, label, **kwargs):
        self.choices = choices
        self.label = label
        super().__init__(**kwargs)

    def _lookup(self):
        table = {}
        for value, label in self.choices.choices:
            table[value.lower()] = value
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    text = str(label).lower()
                table[text] = value
                # "Target (目标)" style labels: each part on its own works too
                for part in text.replace(")", "(").replace("/", "(").split("("):
                    if part.strip():
                        table.setdefault(part.strip(), value)
        return table

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().lower()
        if not text:
            return None
        try:
            return self._lookup()[text]
        except KeyError:
            allowed = ", ".join(v for v, _label in self.choices.choices)
            raise ValueError(f"unknown {self.label} “{value}” (use one of: {allowed})") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(self.choices(value).label)


class BaseResource(resources.ModelResource):
    """Validates every row with the model's full_clean(), so constraints and unit rules give row errors.

    Given the importing ``user``, a row for a park the user may not work on is a row error.
    """

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        park_id = getattr(instance, "park_id", None)
        if self.user is not None and park_id is not None and not may_use_park(self.user, park_id):
            errors["park"] = ValidationError(_("You may not import records for this park."))
        super().validate_instance(instance, errors, validate_unique)
