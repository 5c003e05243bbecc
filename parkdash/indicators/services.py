"""Where each indicator stands: the figures the overview and the indicator page read, chosen in one place."""

from dataclasses import dataclass
from decimal import Decimal

from parkdash.core.periods import cumulative_label
from parkdash.core.progress import Progress

from .choices import FigureKind, Version
from .models import Figure, Indicator

# When a period has several versions of a figure, the most authoritative one counts.
VERSION_RANK = {Version.FINAL: 3, Version.PRELIMINARY: 2, Version.ESTIMATE: 1}


def better(row, current):
    """True when figure ``row`` should replace ``current`` for the same indicator and kind."""
    if current is None:
        return True
    if row["month"] != current["month"]:
        return row["month"] > current["month"]
    return VERSION_RANK.get(row["version"], 0) > VERSION_RANK.get(current["version"], 0)


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


def indicator_cards(park, year, indicators=None):
    """Cards for every indicator with an actual or a target for ``park`` in ``year``, in catalogue order."""
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
                ),
            )
        )
    return cards
