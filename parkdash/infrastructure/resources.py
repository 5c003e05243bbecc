from import_export import fields

from parkdash.core.resources import ChoicesWidget
from parkdash.parks.resources import ParkRecordResource

from .choices import WorkKind
from .models import InfrastructureWork
from .tables import WorkTable

KIND_ALIASES = {
    "道路路基": WorkKind.ROAD_BASE,
    "路基": WorkKind.ROAD_BASE,
    "路面": WorkKind.PAVEMENT,
    "道路": WorkKind.ROAD,
    "桥梁": WorkKind.BRIDGE,
    "绿化": WorkKind.GREENING,
    "填筑土石方": WorkKind.EARTH_FILL,
    "土石方": WorkKind.EARTH_FILL,
    "河湖开挖": WorkKind.EXCAVATION,
    "开挖": WorkKind.EXCAVATION,
    "造地": WorkKind.RECLAMATION,
    "土地整理": WorkKind.RECLAMATION,
    "管网": WorkKind.PIPE_NETWORK,
    "苗圃": WorkKind.NURSERY,
    "其他": WorkKind.OTHER,
}


class WorkResource(ParkRecordResource):
    kind = fields.Field("kind", "kind", widget=ChoicesWidget(WorkKind, "kind", KIND_ALIASES))

    export_table = WorkTable

    class Meta(ParkRecordResource.Meta):
        model = InfrastructureWork
        fields = ("park", "zone", "year", "kind", "name", "unit", "planned_quantity", "completed_quantity", "notes")
        import_id_fields = ("park", "year", "name")
