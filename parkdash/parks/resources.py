"""Import resources of park records: the park by code or name, the zone within it, both among the user's parks."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from parkdash.core.resources import BaseResource, NamedForeignKeyWidget

from .models import Park, Zone
from .scoping import may_use_park, scope, visible_parks, visible_zones


class ParkWidget(NamedForeignKeyWidget):
    """A park by code or name, among the parks the importing ``user`` may use (set by the resource).

    A park the user may not use is unknown, with the very message of a park that does not exist: the row is
    refused before the record it names is looked up, so nothing of another park is shown, compared or revealed.
    """

    user = None

    def __init__(self, **kwargs):
        super().__init__(Park, ("code", "name"), "park", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        return Park.objects.all() if self.user is None else visible_parks(self.user)


class ZoneWidget(NamedForeignKeyWidget):
    """A zone by name, within the park named in the same row, among the zones the importing ``user`` may use."""

    user = None

    def __init__(self, park_column="park", **kwargs):
        self.park_column = park_column
        super().__init__(Zone, ("name",), "zone", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        park = str((row or {}).get(self.park_column) or "").strip()
        zones = Zone.objects.all() if self.user is None else visible_zones(self.user)
        return zones.filter(park__code=park) | zones.filter(park__name=park)


class ParkRecordResource(BaseResource):
    """The import and export of a park record: ``park`` and ``zone`` columns, looked up among the importing user's
    parks. A row for a park the user may not work on is a row error, and only the user's records are updated. A
    domain app's resource adds its columns in ``Meta.fields``."""

    park = fields.Field("park", "park", widget=ParkWidget())
    zone = fields.Field("zone", "zone", widget=ZoneWidget())

    export_paths = {"park__name": "park", "park__code": "park", "zone__name": "zone"}
    key_paths = ("park__code",)

    def get_queryset(self):
        # The records an import may find and update: the user's parks' only (every record for code, user None).
        queryset = super().get_queryset()
        return queryset if self.user is None else scope(queryset, self.user)

    def _may_use_park(self, park_id):
        # Asked once per park and import, not once per row.
        allowed = self.__dict__.setdefault("_parks_allowed", {})
        if park_id not in allowed:
            allowed[park_id] = may_use_park(self.user, park_id)
        return allowed[park_id]

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        park_id = getattr(instance, "park_id", None)
        if self.user is not None and park_id is not None and not self._may_use_park(park_id):
            errors["park"] = ValidationError(_("You may not import records for this park."))
        super().validate_instance(instance, errors, validate_unique)
