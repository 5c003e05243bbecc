"""The park, year and month a report is for, read strictly from the query string.

The dashboard pages fall back to a default on a bad ``?park=``; a report is a document someone files or sends, so
asking for a park that does not exist (or that the user may not see), month 13 or year "abc" is answered with a
4xx saying so, never with another park's or another month's figures. Left out, each has a default: the user's
first park, the latest year with actual figures, the latest month of that year with actual figures.
"""

from dataclasses import dataclass, field

from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from parkdash.core.models import YEAR_MAX, YEAR_MIN
from parkdash.core.numbers import parse_int
from parkdash.indicators.choices import FigureKind
from parkdash.indicators.models import Figure
from parkdash.parks.models import Park
from parkdash.parks.scoping import visible_parks

MONTHS = range(1, 13)


@dataclass
class Period:
    """A report's year and month (1-``month``月累计), with the years and months that have figures, for the
    selectors."""

    year: int
    month: int
    years: list[int] = field(default_factory=list)
    months: list[int] = field(default_factory=list)


def bounded(request, name, minimum, maximum):
    """The integer query parameter ``name`` (None when absent or empty); BadRequest when it is not an integer in
    [minimum, maximum]."""
    raw = request.GET.get(name)
    if raw is None or raw.strip() == "":
        return None
    value = parse_int(raw, minimum=minimum, maximum=maximum)
    if value is None:
        raise BadRequest(
            _("%(name)s must be a whole number from %(minimum)s to %(maximum)s, not “%(value)s”.")
            % {"name": name, "minimum": minimum, "maximum": maximum, "value": raw[:20]}
        )
    return value


def read_park(request) -> Park:
    """The park of ``?park=`` (its number or its code) among those the user may see; the first of them when left
    out. 404 for a park that does not exist or is not the user's (the same answer: a report does not say which)."""
    parks = visible_parks(request.user)
    raw = (request.GET.get("park") or "").strip()
    if not raw:
        park = parks.first()
    elif raw.isascii() and raw.isdigit():
        park = parks.filter(pk=int(raw)).first() if len(raw) < 10 else None
    else:
        park = parks.filter(code=raw).first()
    if park is None:
        raise Http404(_("No such park, or not one of yours."))
    return park


def read_period(request, parks) -> Period:
    """The year and month of ``?year=`` and ``?month=`` (BadRequest when malformed or out of range), defaulting to
    the latest year and month with actual figures of ``parks`` (a queryset or list of parks)."""
    year = bounded(request, "year", YEAR_MIN, YEAR_MAX)
    month = bounded(request, "month", 1, 12)
    rows = Figure.objects.filter(park__in=parks).order_by().values_list("year", "kind").distinct()
    years_with: dict[int, set[str]] = {}
    for row_year, kind in rows:
        years_with.setdefault(row_year, set()).add(kind)
    years = sorted(years_with, reverse=True)
    if year is None:
        with_actuals = [y for y in years if FigureKind.ACTUAL in years_with[y]]
        year = (with_actuals or years or [timezone.localdate().year])[0]
    actual_months = (
        Figure.objects.filter(park__in=parks, year=year, kind=FigureKind.ACTUAL)
        .order_by("month")
        .values_list("month", flat=True)
        .distinct()
    )
    months = list(actual_months)
    if month is None:
        month = months[-1] if months else 12
    return Period(year=year, month=month, years=years, months=months)
