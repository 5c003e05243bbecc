"""Completion, 序时进度 (time-elapsed progress) and status: computed here and nowhere else."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

from django.conf import settings

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
    AHEAD = "ahead"  # on or ahead of 序时进度
    SLIGHTLY_BEHIND = "slightly_behind"  # up to N points behind
    BEHIND = "behind"  # further behind
    NO_TARGET = "no_target"


@dataclass
class Progress:
    """Where an actual stands against its annual target at a month."""

    actual: Decimal | None
    target: Decimal | None
    month: int | None
    higher_is_better: bool = True

    @property
    def completion(self):
        return completion_pct(self.actual, self.target)

    @property
    def expected(self):
        return expected_pct(self.month)

    @property
    def gap(self):
        """Completion minus 序时进度 in percentage points; positive is good when higher is better."""
        if self.completion is None or self.expected is None:
            return None
        return self.completion - self.expected

    @property
    def status(self):
        gap = self.gap
        if gap is None:
            return Status.NO_TARGET
        # Where lower is better (energy use, say), being under the pace is the good side.
        shortfall = -gap if self.higher_is_better else gap
        if shortfall <= 0:
            return Status.AHEAD
        if shortfall <= Decimal(getattr(settings, "PARKDASH_BEHIND_THRESHOLD", 10)):
            return Status.SLIGHTLY_BEHIND
        return Status.BEHIND
