"""Indicator cards: where each indicator stands for a park and a year, from the figures chosen in one place.

The overview shows one card per indicator; :func:`better` is the rule every reader of figures applies when a
period has several (the latest month, then the most authoritative version).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from parkdash.core.periods import cumulative_label
from parkdash.core.progress import Progress

from .choices import FigureKind, version_rank
from .models import Figure, Indicator


def better(row, current):
    """True when figure ``row`` should replace ``current`` for the same indicator and kind."""
    if current is None:
        return True
    return (row["month"], version_rank(row["version"])) > (current["month"], version_rank(current["version"]))


MONTHS = 12
CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Need:
    """What a running total still needs to reach its annual target by December, in the indicator's unit.

    ``reached``: the target is met already. Otherwise ``remaining`` is the shortfall, and ``per_month`` that
    shortfall spread over the ``months_left`` after the actual's month (None in December: no month is left).
    """

    reached: bool
    remaining: Decimal
    months_left: int
    per_month: Decimal | None


@dataclass
class IndicatorCard:
    """One overview card: an indicator's latest actual this year against its annual target."""

    indicator: Indicator
    actual: Decimal | None
    month: int | None
    yoy_pct: Decimal | None
    target: Decimal | None
    target_yoy_pct: Decimal | None
    progress: Progress

    @property
    def unit(self):
        return self.indicator.unit

    @property
    def period_label(self):
        return cumulative_label(self.month) if self.month else ""

    @property
    def shortfall(self):
        """Points on the bad side of the reference (序时进度, or the target itself); negative when ahead."""
        gap = self.progress.gap
        if gap is None:
            return None
        return -gap if self.indicator.higher_is_better else gap

    @property
    def need(self):
        """:class:`Need` for a running total with a target and an actual, judged against 序时进度; else None.

        A stock or a rate is a level, not a sum of months, so nothing is "needed per month"; neither for an
        indicator where lower is better, whose target is a ceiling.
        """
        if not self.progress.paced or not self.indicator.higher_is_better:
            return None
        if self.actual is None or self.target is None or not self.month or self.target <= 0:
            return None
        remaining = self.target - self.actual
        if remaining <= 0:
            return Need(reached=True, remaining=Decimal(0), months_left=MONTHS - self.month, per_month=None)
        months_left = max(0, MONTHS - self.month)
        per_month = (remaining / months_left).quantize(CENTS, ROUND_HALF_UP) if months_left else None
        return Need(reached=False, remaining=remaining, months_left=months_left, per_month=per_month)


def latest_figures(park, year, zone=None):
    """{indicator_id: {"actual": row, "target": row}} for the whole park (or one zone) in ``year``.

    One query; the latest month and the best version win.
    """
    rows = Figure.objects.filter(park=park, year=year)
    rows = rows.filter(zone=zone) if zone else rows.filter(zone__isnull=True)
    latest = {}
    for row in rows.order_by().values("indicator_id", "kind", "month", "version", "value", "yoy_pct"):
        slot = latest.setdefault(row["indicator_id"], {"actual": None, "target": None})
        key = "target" if row["kind"] == FigureKind.TARGET else "actual"
        if better(row, slot[key]):
            slot[key] = row
    return latest


def indicator_cards(park, year, indicators=None, latest=None):
    """Cards for every indicator with an actual or a target for ``park`` in ``year``, in catalogue order
    (``indicators``: the catalogue, or those to show; ``latest``: :func:`latest_figures` when read already)."""
    if latest is None:
        latest = latest_figures(park, year)
    if indicators is None:
        indicators = Indicator.objects.filter(pk__in=latest.keys())
    cards = []
    for indicator in indicators:
        slot = latest.get(indicator.pk)
        if not slot:
            continue
        actual, target = slot["actual"], slot["target"]
        month = actual["month"] if actual else None
        cards.append(
            IndicatorCard(
                indicator=indicator,
                actual=actual["value"] if actual else None,
                month=month,
                yoy_pct=actual["yoy_pct"] if actual else None,
                target=target["value"] if target else None,
                target_yoy_pct=target["yoy_pct"] if target else None,
                progress=Progress(
                    actual=actual["value"] if actual else None,
                    target=target["value"] if target else None,
                    month=month,
                    higher_is_better=indicator.higher_is_better,
                    aggregation=indicator.aggregation,
                ),
            )
        )
    return cards


def annual_targets(park, year, codes):
    """{indicator code: value} of the park's whole-park annual targets of ``year`` for the indicators ``codes``."""
    rows = (
        Figure.objects.filter(
            park=park, year=year, kind=FigureKind.TARGET, zone__isnull=True, indicator__code__in=codes
        )
        .order_by()
        .values_list("indicator__code", "value")
    )
    return dict(rows)
