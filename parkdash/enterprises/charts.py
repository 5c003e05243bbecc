"""Chart builders for enterprises."""

from django.db.models import Count
from django.utils.translation import gettext as _

from parkdash.core.charts import cell, chart, dataset, drawable, register_notes
from parkdash.core.numbers import format_number

from .choices import Stage
from .models import Enterprise

# The catalogue indicator that reports, for a year, how many enterprises reached a stage.
STAGE_FIGURES = {
    Stage.EVALUATION: "enterprises_evaluated",
    Stage.SETTLED: "enterprises_admitted",
    Stage.CONSTRUCTION: "enterprises_started",
    Stage.PRODUCTION: "enterprises_in_production",
}


def stage_chart(park, reported=None):
    """How many of the park's enterprises are at each stage of the pipeline.

    ``reported`` (optional) maps indicator codes to the park's latest actuals of the year: where the register holds
    fewer enterprises at a stage than were reported for it, the chart's notes say so. Enterprises at one stage
    only make a sentence, not a one-bar chart.
    """
    reported = reported or {}
    counts = dict(Enterprise.objects.filter(park=park).values_list("stage").annotate(n=Count("id")).order_by())
    labels = [stage.label for stage in Stage]
    values = [counts.get(stage.value, 0) for stage in Stage]
    reported_values = [reported.get(STAGE_FIGURES.get(stage)) for stage in Stage]
    notes = register_notes(labels, values, reported_values)
    empty_text = _("No enterprises recorded for this park.")
    if any(values) and not drawable([v or None for v in values]):
        label, value = next((label, value) for label, value in zip(labels, values) if value)
        empty_text = _("Every enterprise of the register ({count}) is at one stage: {stage}.").format(
            count=format_number(value), stage=label
        )
    return chart(
        "enterprise_stages",
        "bar",
        labels,
        [dataset(_("Enterprises"), values, "actual")],
        unit="家",  # a measure word: core.charts writes it in the user's language
        integer=True,
        columns=[_("Stage"), _("Enterprises")],
        rows=[[label, cell(value)] for label, value in zip(labels, values)] if any(values) else [],
        empty_text=empty_text,
        empty=not drawable([v or None for v in values]),
        notes=notes,
    )
