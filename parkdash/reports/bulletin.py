"""The city's bulletin (通报): several parks' completion of the key annual targets at a month, each with its rank.

Parks are the rows, the chosen indicators the columns. A cell is the park's completion of its annual target at the
month (completion.row_for: 1-N月 actual ÷ annual target, one decimal, half up) with its 位次 among the parks that
have both a target and an actual for the month; "-" where a park has no target for the year (a target of 0 counts
as none: nothing can be completed of it) or no actual for the month.

Ranks (competition ranking, 1, 2, 2, 4):

* compared on the completion as shown, rounded to one decimal: 86.54 and 86.46 both show 86.5 and share a rank;
* the higher completion first; where lower is better (energy use per unit of output), the lower first;
* a stock or a rate is ranked on the completion of its target too (its level ÷ its target), not on a pace.

The overall score is a park's mean rank (平均位次) over the indicators it is ranked on, to two decimals, half up;
the lower the better, compared as shown. A mean of ranks rather than of completion percentages, because every
indicator then weighs the same whatever its scale, one indicator at 300 % of a small target cannot carry a park,
and a lower-is-better indicator counts the right way round. A park ranked on fewer than half the chosen
indicators has no overall rank (its mean would rest on too little: one first place among two parks would put it on
top) and comes after the parks that have one.

Every park's figures are read in one query (completion.figures_at).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from parkdash.indicators.choices import FigureKind
from parkdash.indicators.models import Figure, Indicator
from parkdash.parks.models import Park

from .completion import CompletionRow, figures_at, row_for

DEFAULT_COLUMNS = 6
SCORE_PLACES = Decimal("0.01")
OVERALL = "overall"

NO_TARGET = "no_target"
NO_ACTUAL = "no_actual"


@dataclass
class Cell:
    """One park's completion of one indicator's annual target, and its rank among the parks (None: not ranked)."""

    row: CompletionRow
    rank: int | None = None

    @property
    def indicator(self) -> Indicator:
        return self.row.indicator

    @property
    def completion(self) -> Decimal | None:
        return self.row.completion

    @property
    def missing(self) -> str | None:
        """Why the cell shows "-": :data:`NO_TARGET` (none for the year, or 0) or :data:`NO_ACTUAL` (a target but
        no actual for the month); None when it has a completion."""
        if self.completion is not None:
            return None
        if self.row.target_value is None or self.row.target_value == 0:
            return NO_TARGET
        return NO_ACTUAL

    @property
    def status(self) -> str:
        """The status of core.progress (ahead, slightly behind, behind, no target, no actual)."""
        return self.row.progress.status


@dataclass
class ParkRow:
    """A park's line of the bulletin: its cells in the order of the columns, its mean rank and overall rank."""

    park: Park
    cells: list[Cell]
    score: Decimal | None = None
    score_rank: int | None = None

    @property
    def ranked(self) -> int:
        """On how many of the indicators the park is ranked."""
        return sum(1 for cell in self.cells if cell.rank is not None)


@dataclass
class Bulletin:
    year: int
    month: int
    indicators: list[Indicator]
    rows: list[ParkRow]
    sort: str = OVERALL
    parks_with_target: dict[int, int] = field(default_factory=dict)  # indicator id -> parks with a target

    @property
    def min_ranked(self) -> int:
        return min_ranked(len(self.indicators))

    @property
    def missing(self) -> dict[str, list[tuple[ParkRow, Cell]]]:
        """The cells shown as "-", by reason, for the notes."""
        found: dict[str, list[tuple[ParkRow, Cell]]] = {NO_TARGET: [], NO_ACTUAL: []}
        for row in self.rows:
            for cell in row.cells:
                if cell.missing:
                    found[cell.missing].append((row, cell))
        return found

    @property
    def unscored(self) -> list[ParkRow]:
        return [row for row in self.rows if row.score_rank is None]

    @property
    def direct(self) -> list[Indicator]:
        """The chosen indicators that are a stock or a rate (ranked on the completion of their target, no pace)."""
        return [indicator for indicator in self.indicators if not indicator.paced]

    @property
    def lower_is_better(self) -> list[Indicator]:
        return [indicator for indicator in self.indicators if not indicator.higher_is_better]


def min_ranked(columns: int) -> int:
    """The indicators a park must be ranked on to get an overall rank: half the columns, rounded up (at least 1)."""
    return max(1, math.ceil(columns / 2))


def competition_ranks(values: dict, lower_first: bool = False) -> dict:
    """``{key: rank}`` of ``values`` (``{key: comparable}``): the best is 1, equal values share a rank and the next
    rank skips as many places (1, 2, 2, 4). Best is the highest, or the lowest with ``lower_first``."""
    first: dict = {}  # value -> 1 + how many values are strictly better
    for place, value in enumerate(sorted(values.values(), reverse=not lower_first), start=1):
        first.setdefault(value, place)
    return {key: first[value] for key, value in values.items()}


def mean_rank(ranks: Sequence[int]) -> Decimal:
    """The mean of ``ranks``, two decimals, half up: the overall score as shown and compared."""
    return (Decimal(sum(ranks)) / Decimal(len(ranks))).quantize(SCORE_PLACES, ROUND_HALF_UP)


def targets_by_indicator(parks: Sequence[Park], year: int) -> dict[int, int]:
    """``{indicator id: number of parks}`` with a whole-park annual target of ``year``, in one query."""
    rows = (
        Figure.objects.filter(park__in=parks, year=year, kind=FigureKind.TARGET, zone__isnull=True)
        .order_by()
        .values("indicator_id")
        .annotate(parks=Count("park_id", distinct=True))
    )
    return {row["indicator_id"]: row["parks"] for row in rows}


def default_indicators(counts: dict[int, int], limit: int = DEFAULT_COLUMNS) -> list[Indicator]:
    """The indicators the most parks have a target for (``counts``: :func:`targets_by_indicator`), at most ``limit``,
    in the catalogue's order; of equally common ones, those earlier in the catalogue."""
    catalogue = list(Indicator.objects.filter(pk__in=[pk for pk, n in counts.items() if n]))
    position = {indicator.pk: i for i, indicator in enumerate(catalogue)}
    chosen = sorted(catalogue, key=lambda i: (-counts[i.pk], position[i.pk]))[:limit]
    return sorted(chosen, key=lambda i: position[i.pk])


def build(
    parks: Sequence[Park],
    year: int,
    month: int,
    indicators: Sequence[Indicator],
    sort: str = OVERALL,
    parks_with_target: dict[int, int] | None = None,
) -> Bulletin:
    """The bulletin of ``parks`` (the user's, already scoped) for ``indicators`` at ``month`` of ``year``, its rows
    sorted by the overall rank (``sort`` = :data:`OVERALL`) or by the rank of the indicator whose code is ``sort``.
    """
    parks = list(parks)
    indicators = list(indicators)
    chosen = figures_at(parks, year, month)
    rows = []
    for park in parks:
        cells = [Cell(row_for(indicator, month, chosen.get((park.pk, indicator.pk)))) for indicator in indicators]
        rows.append(ParkRow(park, cells))
    for column, indicator in enumerate(indicators):
        cells = {i: row.cells[column] for i, row in enumerate(rows) if row.cells[column].completion is not None}
        ranks = competition_ranks(
            {i: cell.completion for i, cell in cells.items()}, lower_first=not indicator.higher_is_better
        )
        for i, rank in ranks.items():
            cells[i].rank = rank
    needed = min_ranked(len(indicators))
    for row in rows:
        ranks = [cell.rank for cell in row.cells if cell.rank is not None]
        row.score = mean_rank(ranks) if ranks else None
    scored = {i: row.score for i, row in enumerate(rows) if row.score is not None and row.ranked >= needed}
    for i, rank in competition_ranks(scored, lower_first=True).items():
        rows[i].score_rank = rank
    order = {park.pk: i for i, park in enumerate(parks)}  # the parks' own order (real parks, then by name)

    def overall(row):
        # The overall rank; without one, the park ranked on more indicators first; then the parks' order.
        return (row.score_rank is None, row.score_rank or 0, -row.ranked, order[row.park.pk])

    key = overall
    if sort and sort != OVERALL:
        column = next(i for i, indicator in enumerate(indicators) if indicator.code == sort)

        def key(row):
            rank = row.cells[column].rank
            return (rank is None, rank or 0, *overall(row))
    else:
        sort = OVERALL

    rows.sort(key=key)
    return Bulletin(year, month, indicators, rows, sort, parks_with_target or {})
