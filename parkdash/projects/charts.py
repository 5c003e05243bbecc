"""Chart builders for projects."""

from django.db.models import Count
from django.utils.translation import gettext as _

from parkdash.core.charts import cell, chart, dataset
from parkdash.indicators.choices import FigureKind
from parkdash.indicators.models import Figure

from .choices import Phase
from .models import Project

# The catalogue indicator whose annual target plans the number of projects in each phase.
PHASE_TARGETS = {
    Phase.PREPARATION: "projects_in_approval",
    Phase.NEW_START: "projects_new_start",
    Phase.CONTINUING: "projects_continuing",
    Phase.COMPLETED: "projects_completed",
}


def phase_chart(park, year):
    """Projects by phase: the count planned for ``year`` (annual targets) against the project register."""
    actual = dict(Project.objects.filter(park=park).values_list("phase").annotate(n=Count("id")).order_by())
    planned = {}
    rows = (
        Figure.objects.filter(
            park=park, year=year, kind=FigureKind.TARGET, zone__isnull=True, indicator__code__in=PHASE_TARGETS.values()
        )
        .order_by()
        .values_list("indicator__code", "value")
    )
    for code, value in rows:
        planned[code] = value
    labels = [phase.label for phase in Phase]
    planned_values = [planned.get(PHASE_TARGETS[phase]) for phase in Phase]
    actual_values = [actual.get(phase.value, 0) for phase in Phase]
    return chart(
        "project_phases",
        "bar",
        labels,
        [
            dataset(_("Planned for %(year)s") % {"year": year}, planned_values, "target"),
            dataset(_("In the project register"), actual_values, "actual"),
        ],
        unit=_("个"),
        integer=True,
        columns=[_("Phase"), _("Planned for %(year)s") % {"year": year}, _("In the project register")],
        rows=[[label, cell(p), cell(a)] for label, p, a in zip(labels, planned_values, actual_values)],
        empty_text=_("No projects or project targets for this park."),
        empty=not any(actual_values) and not any(v is not None for v in planned_values),
    )
