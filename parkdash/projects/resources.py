from import_export import fields

from parkdash.core.resources import ChoicesWidget
from parkdash.parks.resources import ParkRecordResource

from .choices import Phase, ProjectCategory
from .models import Project
from .tables import ProjectTable

PHASE_ALIASES = {
    "筹备/报批": Phase.PREPARATION,
    "筹备报批": Phase.PREPARATION,
    "前期": Phase.PREPARATION,
    "开工": Phase.NEW_START,
    "在建": Phase.CONTINUING,
    "竣工": Phase.COMPLETED,
}
CATEGORY_ALIASES = {
    "道路": ProjectCategory.ROAD,
    "桥梁": ProjectCategory.BRIDGE,
    "绿化": ProjectCategory.GREENING,
    "水系": ProjectCategory.WATER,
    "学校": ProjectCategory.SCHOOL,
    "市政": ProjectCategory.UTILITY,
    "公用设施": ProjectCategory.UTILITY,
    "公共建筑": ProjectCategory.PUBLIC_BUILDING,
    "厂房": ProjectCategory.FACTORY,
    "标准厂房": ProjectCategory.FACTORY,
    "住房及配套": ProjectCategory.HOUSING,
    "其他": ProjectCategory.OTHER,
}


class ProjectResource(ParkRecordResource):
    category = fields.Field("category", "category", widget=ChoicesWidget(ProjectCategory, "category", CATEGORY_ALIASES))
    phase = fields.Field("phase", "phase", widget=ChoicesWidget(Phase, "phase", PHASE_ALIASES))

    export_table = ProjectTable

    class Meta(ParkRecordResource.Meta):
        model = Project
        fields = (
            "park",
            "zone",
            "name",
            "category",
            "phase",
            "planned_start",
            "planned_finish",
            "actual_start",
            "actual_finish",
            "total_investment",
            "ytd_investment",
            "progress_pct",
            "responsible_unit",
            "description",
        )
        import_id_fields = ("park", "name")

    def before_save_instance(self, instance, row, **kwargs):
        # The dated update Project.save() records names who imported the change, as the admin form does.
        instance._change_user = self.user
