"""The overview's compact table: one row per indicator card, sortable, exported like every table."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from parkdash.core.export import column
from parkdash.core.numbers import format_quantity
from parkdash.core.progress import Status
from parkdash.core.tables import BaseTable, NumberColumn, PercentColumn
from parkdash.core.templatetags.parkdash import signed

# The order of a sort by status: the worst first.
RANK = {
    status: i
    for i, status in enumerate(
        (Status.BEHIND, Status.SLIGHTLY_BEHIND, Status.AHEAD, Status.NO_ACTUAL, Status.NO_TARGET)
    )
}


def need_text(need, unit, chosen=None):
    """What a running total needs per remaining month, in words and the user's units (core.numbers); "" for a stock
    or a rate (no need). ``chosen``: the indicator's display unit, if it has one."""
    if need is None:
        return ""
    if need.reached:
        return gettext("Target reached")
    if need.per_month is None:
        return gettext("Year ended {amount} short").format(amount=format_quantity(need.remaining, unit, chosen))
    return ngettext(
        "{amount} a month for the {months} month left",
        "{amount} a month for {months} months",
        need.months_left,
    ).format(amount=format_quantity(need.per_month, unit, chosen), months=need.months_left)


def card_row(card):
    """A card as a row of plain values (the table and its export read the same row)."""
    progress, need = card.progress, card.need
    status = progress.status
    return {
        "code": card.indicator.code,
        "indicator": card.indicator.display_name,
        "category": card.indicator.get_category_display(),
        "status": str(progress.label),
        "status_key": status,
        # Sorting by status puts the furthest behind first, then the nearer, ahead, and no judgement last.
        "status_rank": (RANK.get(status, len(RANK)), -(card.shortfall or 0)),
        "period": card.period_label,
        "actual": card.actual,
        "unit": card.unit,
        "target": card.target,
        "completion": progress.completion,
        "expected": progress.expected,
        "gap": progress.gap,
        "need": need.per_month if need and need.per_month is not None else None,
        "need_text": need_text(need, card.unit, card.indicator.display_unit or None),
        "yoy_pct": card.yoy_pct,
    }


class SignedColumn(NumberColumn):
    def render(self, value):
        return signed(value)


class OverviewTable(BaseTable):
    """Every indicator of a park and a year: actual, target, completion, 序时进度, gap and what is needed."""

    export_name = _("Overview")
    export_slug = "overview"

    indicator = tables.Column(verbose_name=_("Indicator"), attrs={"td": {"class": "name"}})
    category = tables.Column(verbose_name=_("Category"))
    status = tables.Column(verbose_name=_("Progress status"), order_by=("status_rank",))
    period = tables.Column(verbose_name=_("Period"), orderable=False)
    actual = NumberColumn(verbose_name=_("Actual"), key=True)
    unit = tables.Column(verbose_name=_("Unit"), orderable=False)
    target = NumberColumn(verbose_name=_("Annual target"))
    completion = PercentColumn(verbose_name=_("Completion"))
    expected = PercentColumn(verbose_name=_("Time-elapsed pace"))
    gap = SignedColumn(verbose_name=_("Gap (points)"))
    need = NumberColumn(verbose_name=_("Needed per remaining month"))
    yoy_pct = SignedColumn(verbose_name=_("YoY %"))

    class Meta(BaseTable.Meta):
        attrs = {"class": "data-table overview-table"}
        empty_text = _("No indicator has this status.")

    def __init__(self, data, querystring="", **kwargs):
        self.querystring = querystring
        super().__init__(data, **kwargs)

    def render_indicator(self, value, record):
        url = reverse("indicators:indicator_detail", args=[record["code"]])
        return format_html('<a href="{}?{}">{}</a>', url, self.querystring, value)

    def render_status(self, value, record):
        return format_html('<span class="status-tag status-{}">{}</span>', record["status_key"], value)

    def render_need(self, value, record):
        return record["need_text"] or "—"

    def export_columns(self):
        return [
            column(_("Indicator code"), "code"),
            column(_("Indicator"), "indicator"),
            column(_("Category"), "category"),
            column(_("Progress status"), "status"),
            column(_("Period"), "period"),
            column(_("Actual"), "actual", numeric=True),
            column(_("Unit"), "unit"),
            column(_("Annual target"), "target", numeric=True),
            column(_("Completion %"), "completion", numeric=True),
            column(_("Time-elapsed pace %"), "expected", numeric=True),
            column(_("Gap (points)"), "gap", numeric=True),
            column(_("Needed per remaining month"), "need", numeric=True),
            column(_("Needed per remaining month (in words)"), "need_text"),
            column(_("YoY %"), "yoy_pct", numeric=True),
        ]
