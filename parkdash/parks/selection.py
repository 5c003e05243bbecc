"""The park a page shows, read from ``?park=`` among the parks the user may see, with a safe fallback."""

from typing import NamedTuple

from parkdash.core.numbers import parse_int

from .models import Park
from .scoping import visible_parks

# What the pages read of a park, in the model's field order (which Model.from_db() expects).
PARK_FIELDS = [
    f.attname for f in Park._meta.concrete_fields if f.attname in {"id", "code", "name", "name_en", "is_demo"}
]
_PK, _NAME, _IS_DEMO, _CODE = (PARK_FIELDS.index(f) for f in ("id", "name", "is_demo", "code"))


class ParkOption(NamedTuple):
    """A park in the park selector."""

    pk: int
    name: str
    is_demo: bool
    code: str = ""


def options_of(rows):
    """The selector options of park rows read with ``values_list(*PARK_FIELDS)``."""
    return [ParkOption(row[_PK], row[_NAME], row[_IS_DEMO], row[_CODE]) for row in rows]


def park_options(user):
    """Every park ``user`` may see as a selector option, read as rows (one query, no model instances)."""
    return options_of(visible_parks(user).values_list(*PARK_FIELDS))


def choose_park(request):
    """``(options, park)``: every park the user may see as a selector option, and the park of ``?park=`` (else the
    first of them; None when the user sees none). One query."""
    # A city may have hundreds of parks: the list is read as rows without the timestamps (a model instance costs
    # 30 µs, a page 7 ms at 250 parks) and only the chosen park becomes a Park, from the same query, like only().
    queryset = visible_parks(request.user)
    rows = list(queryset.values_list(*PARK_FIELDS))
    options = options_of(rows)
    wanted = parse_int(request.GET.get("park"), minimum=1)
    row = next((r for r in rows if r[_PK] == wanted), rows[0] if rows else None)
    park = Park.from_db(queryset.db, PARK_FIELDS, row) if row is not None else None
    return options, park
