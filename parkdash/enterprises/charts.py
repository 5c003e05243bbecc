"""Chart builders for enterprises."""

from django.db.models import Count
from django.utils.translation import gettext as _

from parkdash.core.charts import cell, chart, dataset

from .choices import Stage
from .models import Enterprise


def stage_chart(park):
    """How many of the park's enterprises are at each stage of the pipeline."""
    counts = dict(Enterprise.objects.filter(park=park).values_list("stage").annotate(n=Count("id")).order_by())
    labels = [stage.label for stage in Stage]
    values = [counts.get(stage.value, 0) for stage in Stage]
    return chart(
        "enterprise_stages",
        "bar",
        labels,
        [dataset(_("Enterprises"), values, "actual")],
        unit="家",  # a measure word: core.charts writes it in the user's language
        integer=True,
        columns=[_("Stage"), _("Enterprises")],
        rows=[[label, cell(value)] for label, value in zip(labels, values)],
        empty_text=_("No enterprises recorded for this park."),
        empty=not any(values),
    )
