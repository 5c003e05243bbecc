"""What the top of the overview says: how many indicators are ahead or behind, the behind ones worst first, and
every card grouped by category. Pure functions over the cards of indicators.cards (no queries)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from parkdash.core.progress import Status
from parkdash.indicators.choices import Category

# The order of the counts at the top; "no actual yet" is listed only when some card is waiting for its figure.
STATUS_ORDER = (Status.AHEAD, Status.SLIGHTLY_BEHIND, Status.BEHIND, Status.NO_TARGET, Status.NO_ACTUAL)
STATUS_COUNT_LABELS = {
    Status.AHEAD: _("ahead"),
    Status.SLIGHTLY_BEHIND: _("slightly behind"),
    Status.BEHIND: _("behind"),
    Status.NO_TARGET: _("without target"),
    Status.NO_ACTUAL: _("no actual figure yet"),
}
BEHIND = (Status.BEHIND, Status.SLIGHTLY_BEHIND)

# The two ways of showing the full set: ?view=cards (the default) or ?view=table.
CARDS, TABLE = "cards", "table"
VIEWS = (CARDS, TABLE)


def read_status(value):
    """The status of ``?status=`` when it names one, else None (a bad value shows every indicator)."""
    return value if value in STATUS_ORDER else None


def read_view(value):
    """``table`` or ``cards`` from ``?view=``; anything else is the cards."""
    return value if value in VIEWS else CARDS


@dataclass
class StatusCount:
    status: str
    label: str
    count: int
    selected: bool = False


def status_counts(cards, selected=None):
    """One :class:`StatusCount` per status, in :data:`STATUS_ORDER`; "no actual yet" only when it counts any."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for card in cards:
        counts[card.progress.status] += 1
    return [
        StatusCount(status, STATUS_COUNT_LABELS[status], count, status == selected)
        for status, count in counts.items()
        if count or status != Status.NO_ACTUAL
    ]


def worst_first(cards):
    """The cards behind or slightly behind, the furthest behind first (ties in catalogue order)."""
    behind = [(i, card) for i, card in enumerate(cards) if card.progress.status in BEHIND]
    behind.sort(key=lambda pair: (-pair[1].shortfall, pair[0]))
    return [card for _i, card in behind]


@dataclass
class Group:
    category: str
    label: str
    cards: list = field(default_factory=list)


def by_category(cards):
    """[:class:`Group`] in the catalogue's category order, each with its cards in catalogue order; an indicator of
    no known category goes under "Other", which comes last."""
    groups = {value: Group(value, label) for value, label in Category.choices}
    for card in cards:
        category = card.indicator.category if card.indicator.category in groups else Category.OTHER
        groups[category].cards.append(card)
    order = [value for value in groups if value != Category.OTHER] + [Category.OTHER]
    return [groups[value] for value in order if groups[value].cards]
