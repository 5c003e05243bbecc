"""The park and year a dashboard page shows, read from the query string with safe fallbacks."""

from dataclasses import dataclass, field

from parkdash.indicators.choices import FigureKind
from parkdash.indicators.models import Figure
from parkdash.parks.models import Park

from .scoping import visible_parks


def parse_int(value, minimum=None, maximum=None):
    """``value`` as an int within bounds, or None for anything else (``abc``, ``-1`` when minimum is 0 …)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return None
    return number


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
    parks = list(visible_parks(request.user))
    wanted = parse_int(request.GET.get("park"), minimum=1)
    park = next((p for p in parks if p.pk == wanted), parks[0] if parks else None)
    if park is None:
        return Selection(parks=parks, park=None)
    rows = Figure.objects.filter(park=park).order_by().values_list("year", "kind").distinct()
    years_with = {}
    for year, kind in rows:
        years_with.setdefault(year, set()).add(kind)
    years = sorted(years_with, reverse=True)
    wanted_year = parse_int(request.GET.get("year"), minimum=1949, maximum=2100)
    if wanted_year in years_with:
        year = wanted_year
    else:
        with_actuals = [y for y in years if FigureKind.ACTUAL in years_with[y]]
        year = with_actuals[0] if with_actuals else (years[0] if years else None)
    return Selection(parks=parks, park=park, years=years, year=year)
