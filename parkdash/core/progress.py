"""Completion, 序时进度 (time-elapsed progress) and status: computed here and nowhere else.

How an actual is judged depends on how its indicator adds up over the year (its aggregation kind):

* cumulative: a running total from January, judged against 序时进度 (m/12 of the annual target by month m);
* stock: a level at a date (enterprises above designated size, projects under way), compared with the target
  itself, with no pace;
* rate: a ratio (energy per 万元 of value added), compared with the target itself; where lower is better, under
  the target is the good side.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import cached_property

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# The aggregation kinds (the values of indicators.choices.Aggregation; core cannot import the indicators app).
CUMULATIVE = "cumulative"
STOCK = "stock"
RATE = "rate"

HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")


def completion_pct(actual: Decimal | int | None, target: Decimal | int | None) -> Decimal | None:
    """``actual`` as a percentage of ``target``, one decimal; None when either is missing or the target is 0."""
    if actual is None or target is None or Decimal(target) == 0:
        return None
    ratio = Decimal(actual) / Decimal(target) * HUNDRED
    if not ratio.is_finite():
        return None
    # Precision for every integer digit: a value stored out of range (1E+30) must not raise in the default 28.
    return ratio.quantize(ONE_DECIMAL, ROUND_HALF_UP, context=Context(prec=max(28, ratio.adjusted() + 2)))


def expected_pct(month: int | None, months: int = 12) -> Decimal | None:
    """序时进度: by the end of ``month``, month/12 of an annual target is expected."""
    if month is None:
        return None
    return (Decimal(month) / Decimal(months) * HUNDRED).quantize(ONE_DECIMAL, ROUND_HALF_UP)


class Status:
    AHEAD = "ahead"  # on or ahead of 序时进度 (stock, rate: the target met)
    SLIGHTLY_BEHIND = "slightly_behind"  # up to N points behind
    BEHIND = "behind"  # further behind
    NO_TARGET = "no_target"
    NO_ACTUAL = "no_actual"  # a target, and no actual figure yet: nothing to judge, but not "no target" either


# What a status means in words: against the pace for a running total, against the target itself otherwise.
PACED_LABELS = {
    Status.AHEAD: _("On or ahead of pace"),
    Status.SLIGHTLY_BEHIND: _("Slightly behind pace"),
    Status.BEHIND: _("Behind pace"),
    Status.NO_TARGET: _("No target"),
    Status.NO_ACTUAL: _("No actual figure yet"),
}
DIRECT_LABELS = {
    Status.AHEAD: _("Target met"),
    Status.SLIGHTLY_BEHIND: _("Slightly short of target"),
    Status.BEHIND: _("Short of target"),
    Status.NO_TARGET: _("No target"),
    Status.NO_ACTUAL: _("No actual figure yet"),
}


@dataclass(frozen=True)
class Progress:
    """Where an actual stands against its annual target at a month (frozen: what is worked out from it, once, stays
    true).

    ``aggregation`` says how the indicator adds up (:data:`CUMULATIVE`, :data:`STOCK` or :data:`RATE`): only a
    cumulative one has a 序时进度; a stock or a rate is compared with its target directly.
    """

    actual: Decimal | None
    target: Decimal | None
    month: int | None
    higher_is_better: bool = True
    aggregation: str = CUMULATIVE

    @property
    def paced(self):
        """True when the actual is a running total judged against 序时进度."""
        return self.aggregation not in (STOCK, RATE)

    @cached_property
    def completion(self):
        return completion_pct(self.actual, self.target)

    @cached_property
    def expected(self):
        """序时进度 at the month; None for a stock or a rate, which have no pace."""
        return expected_pct(self.month) if self.paced else None

    @cached_property
    def reference(self):
        """The completion the actual is judged against: 序时进度, or 100 % (the target itself) without a pace."""
        return self.expected if self.paced else HUNDRED

    @cached_property
    def gap(self):
        """Completion minus the reference (序时进度, or the target itself) in percentage points; positive is good
        when higher is better."""
        if self.completion is None or self.reference is None:
            return None
        return self.completion - self.reference

    @cached_property
    def status(self):
        gap = self.gap
        if gap is None:
            # A target without an actual is waiting for its figure: saying "no target" beside the target contradicts it.
            if self.actual is None and self.target is not None and Decimal(self.target) != 0:
                return Status.NO_ACTUAL
            return Status.NO_TARGET
        # Where lower is better (energy use, say), being under the pace or the target is the good side.
        shortfall = -gap if self.higher_is_better else gap
        if shortfall <= 0:
            return Status.AHEAD
        if shortfall <= Decimal(getattr(settings, "PARKDASH_BEHIND_THRESHOLD", 10)):
            return Status.SLIGHTLY_BEHIND
        return Status.BEHIND

    @property
    def label(self):
        """The status in words: against the pace (cumulative) or against the target (stock, rate)."""
        return (PACED_LABELS if self.paced else DIRECT_LABELS)[self.status]
