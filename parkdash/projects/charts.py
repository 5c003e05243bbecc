"""Chart builders for projects."""

from django.db.models import Count
from django.utils.translation import gettext as _

from parkdash.core.charts import cell, chart, dataset

from .choices import Phase
from .models import Project

# The catalogue indicator whose annual target plans the number of projects in each phase.
PHASE_TARGETS = {
    Phase.PREPARATION: "projects_in_approval",
    Phase.NEW_START: "projects_new_start",
    Phase.CONTINUING: "projects_continuing",
    Phase.COMPLETED: "projects_completed",
}


def phase_chart(park, year, planned):
    """Projects by phase: the count planned for ``year`` against the project register.

    ``planned`` maps the indicator codes of ``PHASE_TARGETS`` to the park's annual targets of ``year`` (the
    dashboard reads them from the indicators app).
    """
    actual = dict(Project.objects.filter(park=park).values_list("phase").annotate(n=Count("id")).order_by())
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
        unit="个",  # a measure word: core.charts writes it in the user's language
        integer=True,
        columns=[_("Phase"), _("Planned for %(year)s") % {"year": year}, _("In the project register")],
        rows=[[label, cell(p), cell(a)] for label, p, a in zip(labels, planned_values, actual_values)],
        empty_text=_("No projects or project targets for this park."),
        empty=not any(actual_values) and not any(v is not None for v in planned_values),
    )
