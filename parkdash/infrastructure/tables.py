import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from parkdash.core.export import column
from parkdash.core.tables import NumberColumn, PercentColumn
from parkdash.parks.tables import ParkRecordTable

from .choices import WorkKind
from .models import InfrastructureWork


class WorkTable(ParkRecordTable):
    export_name = _("Works")
    export_slug = "works"

    name = tables.Column(verbose_name=_("Name"))  # a work has no page of its own
    year = tables.Column(verbose_name=_("Year"))
    kind = tables.Column(verbose_name=_("Kind"))
    planned_quantity = NumberColumn(verbose_name=_("Planned"))
    completed_quantity = NumberColumn(verbose_name=_("Completed"))
    unit = tables.Column(verbose_name=_("Unit"))
    completion = PercentColumn(accessor="completion_pct", verbose_name=_("Completion"), orderable=False, key=True)

    class Meta(ParkRecordTable.Meta):
        model = InfrastructureWork
        fields = ()
        sequence = (
            "name",
            "park",
            "zone",
            "year",
            "kind",
            "planned_quantity",
            "completed_quantity",
            "unit",
            "completion",
        )

    def export_columns(self):
        return [
            *self.place_columns(),
            column(_("Year"), "year", numeric=True),
            column(_("Kind"), "kind", choices=WorkKind.choices),
            column(_("Planned (in the unit column)"), "planned_quantity", numeric=True),
            column(_("Completed (in the unit column)"), "completed_quantity", numeric=True),
            column(_("Unit"), "unit"),
        ]
