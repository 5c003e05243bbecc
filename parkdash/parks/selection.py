"""The park a page shows, read from ``?park=`` among the parks the user may see, with a safe fallback."""

from typing import NamedTuple

from django.db import router

from parkdash.core.numbers import parse_int

from . import versions
from .models import Park
from .scoping import sees_all_parks, visible_parks

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


def scope_key(user):
    """What decides the parks ``user`` sees, for a cache key: every park, or this user's memberships."""
    if sees_all_parks(user):
        return "all"
    return f"u{user.pk}" if user.is_authenticated else "none"


def visible_park_rows(request):
    """The rows (``PARK_FIELDS``) of every park the request's user may see, cached under the user's scope and the
    ``parks`` version (parks, zones and members: parkdash.parks.versions)."""
    user = request.user
    (epoch, parks) = versions.for_request(request).get(versions.PARKS)
    return versions.cached(
        "park-rows",
        (epoch, parks),
        (scope_key(user),),
        lambda: list(visible_parks(user).values_list(*PARK_FIELDS)),
    )


def choose_park(request):
    """``(options, park)``: every park the user may see as a selector option, and the park of ``?park=`` (else the
    first of them; None when the user sees none). One query, none when cached."""
    # A city may have hundreds of parks: the list is read as rows without the timestamps (a model instance costs
    # 30 µs, a page 7 ms at 250 parks) and only the chosen park becomes a Park, from the same rows, like only().
    wanted = parse_int(request.GET.get("park"), minimum=1)
    rows = visible_park_rows(request)
    options = options_of(rows)
    row = next((r for r in rows if r[_PK] == wanted), rows[0] if rows else None)
    # The database a query of the parks would read (visible_parks(user).db), without making that query set.
    park = Park.from_db(router.db_for_read(Park), PARK_FIELDS, row) if row is not None else None
    return options, park
