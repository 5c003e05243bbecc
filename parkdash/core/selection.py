"""The park and year a dashboard page shows, read from the query string with safe fallbacks."""

from dataclasses import dataclass, field
from typing import NamedTuple

from parkdash.indicators.choices import FigureKind
from parkdash.indicators.models import Figure
from parkdash.parks.models import Park

from .models import YEAR_MAX, YEAR_MIN
from .numbers import parse_int
from .scoping import visible_parks

# What the pages read of a park, in the model's field order (which Model.from_db() expects).
PARK_FIELDS = [
    f.attname for f in Park._meta.concrete_fields if f.attname in {"id", "code", "name", "name_en", "is_demo"}
]
_PK, _NAME, _IS_DEMO = (PARK_FIELDS.index(f) for f in ("id", "name", "is_demo"))


class ParkOption(NamedTuple):
    """A park in the park selector."""

    pk: int
    name: str
    is_demo: bool


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
    # A city may have hundreds of parks: the list is read as rows without the timestamps (a model instance costs
    # 30 µs, a page 7 ms at 250 parks) and only the chosen park becomes a Park, from the same query, like only().
    queryset = visible_parks(request.user)
    rows = list(queryset.values_list(*PARK_FIELDS))
    parks = [ParkOption(row[_PK], row[_NAME], row[_IS_DEMO]) for row in rows]
    wanted = parse_int(request.GET.get("park"), minimum=1)
    row = next((r for r in rows if r[_PK] == wanted), rows[0] if rows else None)
    if row is None:
        return Selection(parks=parks, park=None)
    park = Park.from_db(queryset.db, PARK_FIELDS, row)
    rows = Figure.objects.filter(park=park).order_by().values_list("year", "kind").distinct()
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
