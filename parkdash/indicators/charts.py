"""Chart builders for indicators: completion against 序时进度, the monthly pace, the years, the zones."""

from django.db.models import Q
from django.utils.translation import gettext as _

from parkdash.core.charts import cell, chart, dataset, scaled
from parkdash.core.numbers import format_percent, series_unit
from parkdash.core.periods import cumulative_label
from parkdash.core.progress import expected_pct

from .cards import better
from .choices import FigureKind, version_rank
from .models import Figure


def completion_chart(cards):
    """Completion % of every indicator with a target, with the 序时进度 each is judged against.

    A stock or a rate has no 序时进度 (core.progress): no pace mark, and its 序时进度 cell is blank; its gap is the
    distance from the target itself.
    """
    cards = [c for c in cards if c.progress.completion is not None]
    labels = [c.indicator.display_name for c in cards]
    empty_text = _("No indicator has both a target and an actual for this year.")
    if len(cards) == 1:
        # One bar says less than a sentence.
        only = cards[0]
        text = (
            _("{indicator}: {completion} of the annual target, against a time-elapsed pace of {expected}.")
            if only.progress.paced
            else _("{indicator}: {completion} of the annual target.")
        )
        empty_text = text.format(
            indicator=only.indicator.display_name,
            completion=format_percent(only.progress.completion),
            expected=format_percent(only.progress.expected),
        )
    return chart(
        "completion",
        "completion",
        labels,
        [
            dataset(
                _("Completion of annual target"),
                [c.progress.completion for c in cards],
                "status",
                colors=[c.progress.status for c in cards],
            ),
            dataset(
                _("Time-elapsed pace"),
                [c.progress.expected for c in cards],
                "pace",
                type_="line",
                dashed=True,
                gaps=True,
            ),
        ],
        unit="%",
        columns=[_("Indicator"), _("Actual"), _("Target"), _("Completion"), _("Time-elapsed pace"), _("Gap (points)")],
        rows=[
            [
                c.indicator.display_name,
                # actual and target of a row in one unit, the one the larger reads in (or the indicator's own)
                cell(c.actual, c.unit, series_unit([c.actual, c.target], c.unit, c.indicator.display_unit)),
                cell(c.target, c.unit, series_unit([c.actual, c.target], c.unit, c.indicator.display_unit)),
                cell(c.progress.completion, "%"),
                cell(c.progress.expected, "%") if c.progress.paced else "",
                cell(c.progress.gap),
            ]
            for c in cards
        ],
        empty_text=empty_text,
        horizontal=True,
        empty=len(cards) < 2,
    )


def drawn(datasets):
    """The datasets with at least one value: a series without any (no target, no last year) would leave a legend
    entry with nothing drawn. Keeps them all when every one is empty, so that the chart says it is empty."""
    kept = [ds for ds in datasets if any(v is not None for v in ds["data"])]
    return kept or datasets


def _best_by(rows, key):
    """Keep, for each ``key(row)``, the row of the most authoritative version."""
    best = {}
    for row in rows:
        k = key(row)
        if k not in best or version_rank(row["version"]) > version_rank(best[k]["version"]):
            best[k] = row
    return best


def indicator_series(indicator, park):
    """Every whole-park figure of ``indicator`` for ``park``: one query, shared by the year charts."""
    return list(
        Figure.objects.filter(indicator=indicator, park=park, zone__isnull=True)
        .order_by()
        .values("year", "month", "kind", "version", "value", "yoy_pct")
    )


def monthly_chart(indicator, rows, year):
    """Cumulative monthly actual of ``year`` against the target's pace (target × m/12) and last year.

    A stock or a rate is not a running total: its line is drawn against the target itself (a flat line), with no
    pace.
    """
    actuals = _best_by([r for r in rows if r["kind"] == FigureKind.ACTUAL], lambda r: (r["year"], r["month"]))
    targets = _best_by([r for r in rows if r["kind"] == FigureKind.TARGET and r["year"] == year], lambda r: r["year"])
    target = targets[year]["value"] if year in targets else None
    months = list(range(1, 13))
    this_year = [actuals[(year, m)]["value"] if (year, m) in actuals else None for m in months]
    last_year = [actuals[(year - 1, m)]["value"] if (year - 1, m) in actuals else None for m in months]
    if indicator.paced:
        pace = [target * expected_pct(m) / 100 if target is not None else None for m in months]
        pace_label, pace_color = _("Target pace"), "pace"
    else:
        # No pace: the level is compared with the target itself, drawn flat.
        pace = [target for _m in months]
        pace_label, pace_color = _("Annual target"), "target"
    labels = [cumulative_label(m) for m in months]
    # Drawn in one unit, the one the largest value reads in (or the indicator's display unit).
    _all, unit = scaled(this_year + pace + last_year, indicator.unit, indicator.display_unit)
    this_year, pace, last_year = (scaled(v, indicator.unit, unit)[0] for v in (this_year, pace, last_year))
    return chart(
        "monthly",
        "line",
        labels,
        drawn(
            [
                dataset(_("%(year)s actual") % {"year": year}, this_year, "actual", type_="line"),
                dataset(pace_label, pace, pace_color, type_="line", dashed=True),
                dataset(_("%(year)s actual") % {"year": year - 1}, last_year, "lastyear", type_="line"),
            ]
        ),
        unit=unit,
        columns=[
            _("Period"),
            _("%(year)s actual") % {"year": year},
            pace_label,
            _("%(year)s actual") % {"year": year - 1},
        ],
        rows=[
            [labels[i], cell(this_year[i], unit, unit), cell(pace[i], unit, unit), cell(last_year[i], unit, unit)]
            for i in range(12)
            if this_year[i] is not None or last_year[i] is not None or pace[i] is not None
        ],
        empty_text=_("No monthly figures for this year yet."),
    )


def years_chart(indicator, rows):
    """Annual target against the actual at each year's latest month, over all years with figures."""
    actual_rows = [r for r in rows if r["kind"] == FigureKind.ACTUAL]
    latest = {}
    for (year, month), row in _best_by(actual_rows, lambda r: (r["year"], r["month"])).items():
        if year not in latest or month > latest[year]["month"]:
            latest[year] = row
    targets = _best_by([r for r in rows if r["kind"] == FigureKind.TARGET], lambda r: r["year"])
    years = sorted(set(latest) | set(targets))
    actual_values = [latest[y]["value"] if y in latest else None for y in years]
    target_values = [targets[y]["value"] if y in targets else None for y in years]
    _all, unit = scaled(actual_values + target_values, indicator.unit, indicator.display_unit)
    actual_values, target_values = (scaled(v, indicator.unit, unit)[0] for v in (actual_values, target_values))
    return chart(
        "years",
        "bar",
        [str(y) for y in years],
        drawn([dataset(_("Target"), target_values, "target"), dataset(_("Actual"), actual_values, "actual")]),
        unit=unit,
        columns=[_("Year"), _("Target"), _("Actual"), _("Through month")],
        rows=[
            [
                str(y),
                cell(target, unit, unit),
                cell(actual, unit, unit),
                str(latest[y]["month"]) if y in latest else "—",
            ]
            for y, target, actual in zip(years, target_values, actual_values)
        ],
        empty_text=_("No targets or actuals recorded yet."),
    )


def indicator_rows(indicator, park, year):
    """``(series, zone_rows)`` in one query: :func:`indicator_series` and the zones' actuals of ``year`` that
    :func:`zones_chart` reads."""
    rows = (
        Figure.objects.filter(indicator=indicator, park=park)
        .filter(Q(zone__isnull=True) | Q(year=year, kind=FigureKind.ACTUAL))
        .order_by()
        .values("zone_id", "zone__name", "year", "month", "kind", "version", "value", "yoy_pct")
    )
    series, zone_rows = [], []
    for row in rows:
        (series if row["zone_id"] is None else zone_rows).append(row)
    return series, zone_rows


def zones_chart(indicator, park, year, rows=None):
    """The latest actual of ``year`` split by zone (``rows``: those :func:`indicator_rows` read, else a query)."""
    if rows is None:
        rows = (
            Figure.objects.filter(indicator=indicator, park=park, year=year, kind=FigureKind.ACTUAL, zone__isnull=False)
            .order_by()
            .values("zone__name", "month", "version", "value")
        )
    latest = {}
    for row in rows:
        if better(row, latest.get(row["zone__name"])):
            latest[row["zone__name"]] = row
    zones = sorted(latest)
    values, unit = scaled([latest[z]["value"] for z in zones], indicator.unit, indicator.display_unit)
    return chart(
        "zones",
        "bar",
        zones,
        [dataset(_("Actual"), values, "actual")],
        unit=unit,
        columns=[_("Zone"), _("Actual"), _("Through month")],
        rows=[[z, cell(value, unit, unit), str(latest[z]["month"])] for z, value in zip(zones, values)],
        empty_text=_("No zone breakdown for this year."),
    )
