from import_export import fields

from parkdash.core.resources import BaseResource, ChoicesWidget, ParkWidget, ZoneWidget

from .choices import Phase, ProjectCategory
from .models import Project


class ProjectResource(BaseResource):
    park = fields.Field("park", "park", widget=ParkWidget())
    zone = fields.Field("zone", "zone", widget=ZoneWidget())
    category = fields.Field("category", "category", widget=ChoicesWidget(ProjectCategory, "category"))
    phase = fields.Field("phase", "phase", widget=ChoicesWidget(Phase, "phase"))

    class Meta(BaseResource.Meta):
        model = Project
        fields = ("park", "zone", "name", "category", "phase", "planned_start", "planned_finish", "actual_start",
                  "actual_finish", "total_investment", "ytd_investment", "progress_pct", "responsible_unit",
                  "description")
        import_id_fields = ("park", "name")
