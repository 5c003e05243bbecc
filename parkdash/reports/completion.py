"""The rows of a park's completion table (主要经济指标完成情况表) at a month: what every report is made of.

One row per indicator: the annual target, the actual cumulative through the month (1-N月累计), its year-on-year
growth, the completion of the annual target, 序时进度 and the gap to it. A stock or a rate has no 序时进度: it is
compared with its target itself (core.progress). Figures are the whole park's; of several versions of a period, the
most authoritative counts (indicators.cards.better).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from parkdash.core.progress import Progress
from parkdash.indicators.cards import better
from parkdash.indicators.choices import FigureKind
from parkdash.indicators.models import Figure, Indicator
from parkdash.parks.models import Park

from .models import ReportLine

FIELDS = ("id", "indicator_id", "kind", "month", "version", "value", "yoy_pct")


@dataclass
class CompletionRow:
    """One indicator of the completion table. ``actual`` and ``target`` are the figures' rows (``id``, ``value``,
    ``yoy_pct``, ``version``, ``month``) or None; ``progress`` judges the one against the other at the month."""

    indicator: Indicator
    month: int
    actual: dict | None
    target: dict | None
    progress: Progress
    label: str = ""  # the park's own name for the line (ReportLine.label), if it gave one

    @property
    def name(self) -> str:
        """The line's name: the park's own, else the indicator's in the active language."""
        return self.label or self.indicator.display_name

    @property
    def actual_value(self) -> Decimal | None:
        return self.actual["value"] if self.actual else None

    @property
    def target_value(self) -> Decimal | None:
        return self.target["value"] if self.target else None

    @property
    def yoy_pct(self) -> Decimal | None:
        return self.actual["yoy_pct"] if self.actual else None

    @property
    def completion(self) -> Decimal | None:
        return self.progress.completion

    @property
    def expected(self) -> Decimal | None:
        """序时进度 at the month; None for a stock or a rate."""
        return self.progress.expected

    @property
    def gap(self) -> Decimal | None:
        """Points ahead of (positive) or behind (negative) 序时进度, for a running total with a target and an actual;
        None otherwise (a stock or a rate is compared with the target, not with a pace)."""
        return self.progress.gap if self.progress.paced else None


def figures_at(parks: Iterable[Park], year: int, month: int) -> dict[tuple[int, int], dict[str, dict | None]]:
    """{(park id, indicator id): {"actual": row, "target": row}}: each park's whole-park actual of exactly ``month``
    and annual target of ``year``, the most authoritative version of each. One query for all the parks."""
    rows = Figure.objects.filter(park__in=parks, year=year, zone__isnull=True).filter(
        Q(kind=FigureKind.TARGET) | Q(kind=FigureKind.ACTUAL, month=month)
    )
    chosen: dict[tuple[int, int], dict[str, dict | None]] = {}
    for row in rows.order_by().values("park_id", *FIELDS):
        slot = chosen.setdefault((row["park_id"], row["indicator_id"]), {"actual": None, "target": None})
        key = "target" if row["kind"] == FigureKind.TARGET else "actual"
        if better(row, slot[key]):
            slot[key] = row
    return chosen


def report_lines(park: Park, present: Iterable[int]) -> list[tuple[Indicator, str]]:
    """``[(indicator, label), …]``: the lines of ``park``'s table, its report lines in their order when it has any;
    else every indicator in ``present`` (those with a figure), in the catalogue's order, without a label."""
    lines = list(ReportLine.objects.filter(park=park).select_related("indicator").order_by("position", "id"))
    if lines:
        return [(line.indicator, line.label) for line in lines]
    return [(indicator, "") for indicator in Indicator.objects.filter(pk__in=set(present))]


def completion_rows(park: Park, year: int, month: int) -> list[CompletionRow]:
    """The completion table of ``park`` at ``month`` of ``year``, one row per line of its table."""
    chosen = figures_at([park], year, month)
    lines = report_lines(park, [indicator_id for _park, indicator_id in chosen])
    return [row_for(indicator, month, chosen.get((park.pk, indicator.pk)), label) for indicator, label in lines]


def row_for(indicator: Indicator, month: int, slot: dict | None, label: str = "") -> CompletionRow:
    """The row of ``indicator`` from its figures ``slot`` (``{"actual": row, "target": row}``, or None)."""
    actual = slot["actual"] if slot else None
    target = slot["target"] if slot else None
    progress = Progress(
        actual=actual["value"] if actual else None,
        target=target["value"] if target else None,
        month=month,
        higher_is_better=indicator.higher_is_better,
        aggregation=indicator.aggregation,
    )
    return CompletionRow(indicator=indicator, month=month, actual=actual, target=target, progress=progress, label=label)
