from import_export import fields

from parkdash.core.resources import BaseResource, ChoicesWidget, ParkWidget, ZoneWidget

from .choices import WorkKind
from .models import InfrastructureWork


class WorkResource(BaseResource):
    park = fields.Field("park", "park", widget=ParkWidget())
    zone = fields.Field("zone", "zone", widget=ZoneWidget())
    kind = fields.Field("kind", "kind", widget=ChoicesWidget(WorkKind, "kind"))

    class Meta(BaseResource.Meta):
        model = InfrastructureWork
        fields = ("park", "zone", "year", "kind", "name", "unit", "planned_quantity", "completed_quantity", "notes")
        import_id_fields = ("park", "year", "name")
