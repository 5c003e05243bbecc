"""The park and year a dashboard page shows, read from the query string with safe fallbacks."""

from dataclasses import dataclass, field

from parkdash.core.models import YEAR_MAX, YEAR_MIN
from parkdash.core.numbers import parse_int
from parkdash.parks.models import Park
from parkdash.parks.selection import choose_park

from .cache import year_kinds
from .choices import FigureKind


@dataclass
class Selection:
    parks: list
    park: Park | None
    years: list = field(default_factory=list)
    year: int | None = None

    def querystring(self):
        parts = []
        if self.park:
            parts.append(f"park={self.park.pk}")
        if self.year:
            parts.append(f"year={self.year}")
        return "&".join(parts)


def select(request):
    """Park from ``?park=`` (else the first visible park); year from ``?year=`` (else the latest year with actuals).

    An unknown park or year falls back to the default instead of failing.
    """
    parks, park = choose_park(request)
    if park is None:
        return Selection(parks=parks, park=None)
    rows = year_kinds(request, park)
    years_with = {}
    for year, kind in rows:
        years_with.setdefault(year, set()).add(kind)
    years = sorted(years_with, reverse=True)
    wanted_year = parse_int(request.GET.get("year"), minimum=YEAR_MIN, maximum=YEAR_MAX)
    if wanted_year in years_with:
        year = wanted_year
    else:
        with_actuals = [y for y in years if FigureKind.ACTUAL in years_with[y]]
        year = with_actuals[0] if with_actuals else (years[0] if years else None)
    return Selection(parks=parks, park=park, years=years, year=year)
