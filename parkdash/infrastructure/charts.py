"""Chart builders for infrastructure works."""

from django.utils.translation import gettext as _

from parkdash.core.charts import cell, chart, dataset, drawable
from parkdash.core.numbers import format_number, format_percent, format_quantity, unit_label
from parkdash.core.progress import completion_pct

from .models import InfrastructureWork


def works_chart(park, year):
    """Each work of ``year``: completed against planned quantity, as a percentage of the plan.

    Works are measured in different units (公里, 万吨, 座 …), so the bars compare completion, and the table
    gives the quantities with their units. One planned work, or planned works none of which has made progress,
    make a sentence rather than a chart of one bar or of zeros.
    """
    works = list(
        InfrastructureWork.objects.filter(park=park, year=year)
        .order_by("kind", "name")
        .values_list("name", "unit", "planned_quantity", "completed_quantity")[:40]
    )
    planned = [w for w in works if w[2]]
    labels = [f"{name} ({unit_label(unit)})" if unit_label(unit) else name for name, unit, _p, _c in planned]
    completion = [completion_pct(done or 0, plan) for _n, _u, plan, done in planned]
    if not planned:
        empty_text = _("No planned quantities for this year.")
    elif len(planned) == 1:
        name, unit, plan, done = planned[0]
        empty_text = _("{work}: {done} of {planned} completed ({completion}).").format(
            work=name,
            done=format_number(done or 0),
            planned=format_quantity(plan, unit, unit),
            completion=format_percent(completion[0]),
        )
    else:
        empty_text = _("None of the {count} planned works has a completed quantity yet.").format(
            count=format_number(len(planned))
        )
    return chart(
        "works",
        "completion",
        labels,
        [dataset(_("Completion of planned quantity (%)"), completion, "actual")],
        unit="%",
        columns=[_("Work"), _("Planned"), _("Completed"), _("Completion")],
        rows=[
            [name, cell(plan, unit), cell(done, unit), cell(completion_pct(done, plan), "%")]
            for name, unit, plan, done in works
        ],
        empty_text=empty_text,
        horizontal=True,
        empty=not drawable(completion),
    )
