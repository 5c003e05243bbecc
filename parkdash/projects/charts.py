"""Chart builders for projects."""

from django.db.models import Count
from django.utils.translation import gettext as _

from parkdash.core.charts import cell, chart, dataset, register_notes

from .choices import Phase
from .models import Project

# The catalogue indicator whose annual target plans, and whose actual reports, the number of projects in each phase.
PHASE_TARGETS = {
    Phase.PREPARATION: "projects_in_approval",
    Phase.NEW_START: "projects_new_start",
    Phase.CONTINUING: "projects_continuing",
    Phase.COMPLETED: "projects_completed",
}


def phase_chart(park, year, planned, reported=None):
    """Projects by phase: the count planned for ``year`` against the project register.

    ``planned`` maps the indicator codes of ``PHASE_TARGETS`` to the park's annual targets of ``year``, and
    ``reported`` (optional) to its latest actuals of ``year`` (the dashboard reads both from the indicators app).
    A year without any planned count draws the register alone (no legend for an empty series); where the register
    holds fewer projects than were reported, the chart's notes say so.
    """
    reported = reported or {}
    actual = dict(Project.objects.filter(park=park).values_list("phase").annotate(n=Count("id")).order_by())
    labels = [phase.label for phase in Phase]
    planned_values = [planned.get(PHASE_TARGETS[phase]) for phase in Phase]
    actual_values = [actual.get(phase.value, 0) for phase in Phase]
    reported_values = [reported.get(PHASE_TARGETS[phase]) for phase in Phase]
    planned_label = _("Planned for %(year)s") % {"year": year}
    datasets = [dataset(_("In the project register"), actual_values, "actual")]
    if any(v is not None for v in planned_values):
        datasets.insert(0, dataset(planned_label, planned_values, "target"))
    columns = [_("Phase"), planned_label, _("In the project register")]
    rows = [[label, cell(p), cell(a)] for label, p, a in zip(labels, planned_values, actual_values)]
    if any(v is not None for v in reported_values):
        columns.append(_("Reported for %(year)s") % {"year": year})
        for row, value in zip(rows, reported_values):
            row.append(cell(value))
    nothing = not any(actual_values) and not any(v is not None for v in planned_values)
    return chart(
        "project_phases",
        "bar",
        labels,
        datasets,
        unit="个",  # a measure word: core.charts writes it in the user's language
        integer=True,
        columns=columns,
        rows=[] if nothing else rows,
        empty_text=_("No projects or project targets for this park."),
        empty=nothing,
        notes=register_notes(labels, actual_values, reported_values),
    )
