import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from parkdash.core.export import column
from parkdash.core.tables import DateColumn, NumberColumn, PercentColumn
from parkdash.parks.tables import ParkRecordTable

from .choices import Phase, ProjectCategory
from .models import Project


class ProjectTable(ParkRecordTable):
    export_name = _("Projects")
    export_slug = "projects"

    # A project's page (Project.get_absolute_url), named so that the rows' links are made without a reverse() each.
    name = tables.Column(verbose_name=_("Name"), linkify=("projects:project_detail", [tables.A("pk")]))

    category = tables.Column(verbose_name=_("Category"))
    phase = tables.Column(verbose_name=_("Phase"))
    planned_start = DateColumn(verbose_name=_("Planned start"), short=True)
    planned_finish = DateColumn(verbose_name=_("Planned finish"), short=True)
    total_investment = NumberColumn(verbose_name=_("Total investment (10k yuan)"), key=True)
    ytd_investment = NumberColumn(verbose_name=_("Invested this year (10k yuan)"))
    progress_pct = PercentColumn(verbose_name=_("Progress"))
    responsible_unit = tables.Column(verbose_name=_("Responsible unit"))

    class Meta(ParkRecordTable.Meta):
        model = Project
        fields = ()
        sequence = (
            "name",
            "park",
            "zone",
            "category",
            "phase",
            "planned_start",
            "planned_finish",
            "total_investment",
            "ytd_investment",
            "progress_pct",
            "responsible_unit",
        )

    def export_columns(self):
        return [
            *self.place_columns(),
            column(_("Category"), "category", choices=ProjectCategory.choices),
            column(_("Phase"), "phase", choices=Phase.choices),
            column(_("Planned start"), "planned_start"),
            column(_("Planned finish"), "planned_finish"),
            column(_("Actual start"), "actual_start"),
            column(_("Actual finish"), "actual_finish"),
            column(_("Total investment (10k yuan)"), "total_investment", numeric=True),
            column(_("Invested this year (10k yuan)"), "ytd_investment", numeric=True),
            column(_("Progress %"), "progress_pct", numeric=True),
            column(_("Responsible unit"), "responsible_unit"),
        ]
