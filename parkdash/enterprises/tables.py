import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from parkdash.core.export import column
from parkdash.core.tables import DateColumn, NumberColumn
from parkdash.parks.tables import ParkRecordTable

from .choices import EvaluationOutcome, Stage
from .models import Enterprise


def yes_no(value):
    return str(_("Yes")) if value else str(_("No"))


class EnterpriseTable(ParkRecordTable):
    export_name = _("Enterprises")
    export_slug = "enterprises"

    # An enterprise's page (Enterprise.get_absolute_url), named so that the rows' links are made without a reverse()
    # each.
    name = tables.Column(verbose_name=_("Name"), linkify=("enterprises:enterprise_detail", [tables.A("pk")]))

    industry = tables.Column(verbose_name=_("Industry"))
    is_listed = tables.BooleanColumn(verbose_name=_("Listed"))
    stage = tables.Column(verbose_name=_("Stage"))
    land_area_mu = NumberColumn(verbose_name=_("Land (mu)"))
    planned_investment = NumberColumn(verbose_name=_("Planned investment (10k yuan)"), key=True)
    production_date = DateColumn(verbose_name=_("In production since"), short=True)

    class Meta(ParkRecordTable.Meta):
        model = Enterprise
        fields = ()
        sequence = (
            "name",
            "park",
            "zone",
            "industry",
            "is_listed",
            "stage",
            "land_area_mu",
            "planned_investment",
            "production_date",
        )

    def export_columns(self):
        return [
            *self.place_columns(),
            column(_("Industry"), "industry"),
            column(_("Listed"), "is_listed", render=yes_no),
            column(_("Stage"), "stage", choices=Stage.choices),
            column(_("Intent date"), "intent_date"),
            column(_("Evaluation date"), "evaluation_date"),
            column(_("Settled date"), "settled_date"),
            column(_("Construction start date"), "construction_date"),
            column(_("Production date"), "production_date"),
            column(_("Land (mu)"), "land_area_mu", numeric=True),
            column(_("Planned investment (10k yuan)"), "planned_investment", numeric=True),
            column(_("Evaluation"), "evaluation_outcome", choices=EvaluationOutcome.choices),
        ]
