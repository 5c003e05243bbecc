"""Data quality: the plausibility warnings of figures, read against their neighbours in the database, and the
confirmations that keep a checked warning with its figure (FigureWarning).

The checks themselves are pure (``plausibility.py``); this module finds each figure's neighbours, one query per
park, choosing among the versions of a period the way the dashboard does (the most authoritative wins).
"""

import bisect
from collections import defaultdict

from django.db import router

from .choices import FigureKind, version_rank
from .models import NEIGHBOUR_FIELDS, Figure, FigureWarning
from .plausibility import Neighbour, Neighbours, check

CHUNK = 2000


def _better(row, current):
    # Of two figures of one version, the later one: a figure being checked replaces its stored self.
    return current is None or version_rank(row.version) >= version_rank(current.version)


def _neighbour(row):
    return Neighbour(row.value, row.year, row.month) if row is not None else None


class FigureIndex:
    """The figures of one park, indexed by period, the most authoritative version of each period kept."""

    def __init__(self, rows):
        self.best = {}  # (indicator, zone, year, month, kind) -> row
        self.targets = {}  # (indicator, zone, year) -> the latest, most authoritative target
        self.months = defaultdict(set)  # (indicator, zone, year, kind) -> months with a figure
        self.zones = defaultdict(dict)  # (indicator, year, month, kind) -> {zone id: row}
        for row in rows:
            key = (row.indicator_id, row.zone_id, row.year, row.month, row.kind)
            if _better(row, self.best.get(key)):
                self.best[key] = row
        for (indicator, zone, year, month, kind), row in self.best.items():
            self.months[indicator, zone, year, kind].add(month)
            if zone is not None:
                self.zones[indicator, year, month, kind][zone] = row
            if kind == FigureKind.TARGET:
                current = self.targets.get((indicator, zone, year))
                if current is None or (row.month, version_rank(row.version)) > (
                    current.month,
                    version_rank(current.version),
                ):
                    self.targets[indicator, zone, year] = row
        self.sorted_months = {key: sorted(months) for key, months in self.months.items()}

    def neighbours(self, figure):
        indicator, zone, year, month, kind = (
            figure.indicator_id,
            figure.zone_id,
            figure.year,
            figure.month,
            figure.kind,
        )
        months = self.sorted_months.get((indicator, zone, year, kind), [])
        position = bisect.bisect_left(months, month)
        previous = self.best[indicator, zone, year, months[position - 1], kind] if position else None
        return Neighbours(
            previous=_neighbour(previous),
            last_year=_neighbour(self.best.get((indicator, zone, year - 1, month, kind))),
            target=_neighbour(self.targets.get((indicator, zone, year))) if kind == FigureKind.ACTUAL else None,
            park=_neighbour(self.best.get((indicator, None, year, month, kind))) if zone is not None else None,
            other_zones={
                other: row.value
                for other, row in self.zones.get((indicator, year, month, kind), {}).items()
                if other != zone
            },
        )


def _neighbour_rows(park_id, indicator_ids, years, exclude=()):
    rows = Figure.objects.filter(park_id=park_id, indicator_id__in=indicator_ids, year__in=years).order_by()
    if exclude:
        rows = rows.exclude(pk__in=exclude)
    return rows.only(*NEIGHBOUR_FIELDS)


def warnings_of(figures):
    """[[Warning]] of each of ``figures`` (saved or not, their indicators loaded), in order, each read against the
    stored figures around it (an unsaved or edited figure against the others, not its stored self). One query a
    park."""
    figures = list(figures)
    by_park = defaultdict(list)
    for figure in figures:
        by_park[figure.park_id].append(figure)
    found = {}
    for park_id, group in by_park.items():
        # One figure whose unique check read its neighbours already (Figure.stored_around): those rows.
        kept = group[0].stored_around_kept(router.db_for_read(Figure, instance=group[0])) if len(group) == 1 else None
        if kept is not None:
            stored = kept
        else:
            indicators = {figure.indicator_id for figure in group}
            years = {year for figure in group for year in (figure.year - 1, figure.year)}
            stored = list(_neighbour_rows(park_id, indicators, years))
        # Figures being checked replace their stored selves (an edit); unsaved ones join in (an import, a summary).
        checked_pks = {figure.pk for figure in group if figure.pk}
        index = FigureIndex([row for row in stored if row.pk not in checked_pks] + group)
        for figure in group:
            found[id(figure)] = check(figure, index.neighbours(figure))
    return [found[id(figure)] for figure in figures]


def warnings_for(figure):
    """The warnings about one figure (saved or not), read against the stored figures around it."""
    return warnings_of([figure])[0]


def confirmed(figures):
    """{(figure id, code, value)} of the confirmations of ``figures``."""
    ids = [figure.pk for figure in figures if figure.pk]
    found = set()
    for start in range(0, len(ids), CHUNK):  # a large import: within every database's bound on query parameters
        # .order_by(): a set needs no order, and the model's (by figure first) joins the figures to sort
        rows = FigureWarning.objects.filter(figure_id__in=ids[start : start + CHUNK]).order_by()
        found.update(rows.values_list("figure_id", "code", "value"))
    return found


def unconfirmed(figure, warnings, done=None):
    """``warnings`` about ``figure`` that nobody has confirmed for its current value."""
    done = confirmed([figure]) if done is None else done
    return [warning for warning in warnings if (figure.pk, warning.code, figure.value) not in done]


def to_confirm_all(figures):
    """[[Warning]] of each of ``figures`` (about to be saved: new or edited, their indicators loaded) that a person
    must confirm before it is saved: its warnings, but those already confirmed for its value. The figure form and
    the entry service (entry.py) ask this: one query a park, and one for the confirmations of the saved figures with
    warnings."""
    figures = list(figures)
    found = warnings_of(figures)
    # Confirmations are read only for saved figures with warnings (most have none).
    done = confirmed([figure for figure, warnings in zip(figures, found) if warnings and figure.pk is not None])
    return [
        unconfirmed(figure, warnings, done) if figure.pk is not None else warnings
        for figure, warnings in zip(figures, found)
    ]


def to_confirm(figure):
    """The warnings about ``figure`` (about to be saved) that a person must confirm first (:func:`to_confirm_all`)."""
    return to_confirm_all([figure])[0]


def keep(pairs, user=None):
    """Store [(figure, Warning)] as confirmed by ``user``, in one query (the figures saved, the pairs unconfirmed)."""
    FigureWarning.objects.bulk_create(
        FigureWarning(figure=figure, code=w.code, message=w.message, value=figure.value, confirmed_by=user)
        for figure, w in pairs
    )


def confirm(figure, warnings, user=None):
    """Keep ``warnings`` (about a saved ``figure``) as confirmed by ``user``; already confirmed ones once."""
    if not warnings:
        return []  # a figure saved without warnings to confirm (most are): nothing to read or keep
    new = unconfirmed(figure, warnings)
    keep([(figure, w) for w in new], user)
    return new


def confirm_all(figures, user=None):
    """Compute the warnings of saved ``figures`` and keep them as confirmed by ``user`` (a summary applied after
    its review). Returns {figure: [Warning]} of the ones newly confirmed."""
    figures = list({figure.pk: figure for figure in figures if figure is not None and figure.pk}.values())
    done = confirmed(figures)
    kept = {}
    for figure, warnings in zip(figures, warnings_of(figures)):
        new = unconfirmed(figure, warnings, done)
        if new:
            kept[figure] = new
    keep([(figure, w) for figure, new in kept.items() for w in new], user)
    return kept


def open_warnings(park, year=None):
    """[(figure, [Warning])] of the park's figures (of ``year``, or all) with warnings nobody has confirmed, in the
    order of the figures table. Two queries and the checks in memory."""
    rows = Figure.objects.filter(park=park).select_related("indicator", "zone")
    if year is not None:
        rows = rows.filter(year__in=(year - 1, year))
    rows = list(rows)
    index = FigureIndex(rows)
    done = confirmed(rows)
    found = []
    for figure in rows:
        if year is not None and figure.year != year:
            continue
        warnings = unconfirmed(figure, check(figure, index.neighbours(figure)), done)
        if warnings:
            found.append((figure, warnings))
    return found
