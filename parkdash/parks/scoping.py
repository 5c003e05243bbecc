"""Who may see which park: the one rule every page, table, export, admin list and import applies.

A user sees the parks they are a member of (Park.members). The city level — superusers and holders of the
``parks.view_all_parks`` permission — sees every park. When the site allows an anonymous read-only dashboard,
anonymous visitors see every park, read-only.

The permissions and the ids of a user's parks come from the cache during a request (parkdash.parks.auth, never
stale): :func:`may_use_park` answers without a query. The scoped querysets (:func:`scope`) select a member's records by
those ids, or for a member of (almost) every park by a subquery of their memberships (see FEW_PARKS).
"""

import functools

from django.conf import settings

from .auth import member_of_most_parks, member_park_ids
from .models import Park, Zone

ALL_PARKS_PERMISSION = "parks.view_all_parks"

# A member's records are selected by the list of their parks' ids (cached, see parkdash.parks.auth), but those of a
# member of more than FEW_PARKS parks and of at least 9 in 10 of all the parks (the demo's editor of every park) by a
# subquery of their memberships (:func:`memberships_query`), as they are outside a request (no ids at hand). The ids
# cost about 25 calls each as Django writes them into the query (6,000 for 251 parks), the subquery 460 whatever the
# number; but PostgreSQL plans the subquery the same for every user, without the ids: a sequential scan of the figures
# to count a few parks' rows (4 ms by the ids, 165-250 ms at demo scale 20), and for a first page ordered by park the
# park index read from its start to the user's first park (137 ms rather than 0.15 for 3 parks of 51); for a member of
# (almost) every park the ids are read the same way. The rows are the same either way.
FEW_PARKS = 16


def sees_all_parks(user):
    if user.is_authenticated:
        return user.is_active and (user.is_superuser or user.has_perm(ALL_PARKS_PERMISSION))
    return settings.PARKDASH_ANONYMOUS_READ


def visible_parks(user):
    """The parks ``user`` may see, as a queryset."""
    if sees_all_parks(user):
        return Park.objects.all()
    if not user.is_authenticated:
        return Park.objects.none()
    ids = member_park_ids(user)
    if ids is not None:
        return Park.objects.filter(pk__in=ids)
    return Park.objects.filter(members=user)


def visible_zones(user):
    return Zone.objects.filter(park__in=visible_parks(user))


def scope(queryset, user, path="park"):
    """``queryset`` restricted to the parks ``user`` may see; ``path`` leads from its model to the Park (``""``: the
    model is Park), or names a field holding a park's id (``FigureTombstone.park_id``)."""
    if sees_all_parks(user):
        return queryset
    lookup = "pk__in" if path == "" else path + "__in"
    if not user.is_authenticated:
        return queryset.filter(**{lookup: visible_parks(user)})
    ids = member_park_ids(user)
    if ids is None or (len(ids) > FEW_PARKS and member_of_most_parks(user, ids)):
        return queryset.filter(**{lookup: memberships_query(user.pk)})
    return queryset.filter(**{lookup: ids})


@functools.lru_cache(maxsize=1024)
def memberships_query(user_id):
    """The ids of the parks of the user ``user_id`` as a subquery of their memberships: ``park_id IN (SELECT park_id
    FROM parks_park_members WHERE user_id = …)``. The databases read it as they read the list of ids (SQLite: the same
    index, the rows in the order of that index), where a join of the memberships made SQLite sort a million figures
    for a table's first page (2.4 s rather than 13 ms at demo scale 100).

    SQL, not data: never stale, so made once per user and worker (300 calls a use). A filter copies the query it is
    given (``Query.resolve_expression``), never changes it."""
    return Park.members.through.objects.filter(user_id=user_id).values("park_id").query


def may_use_park(user, park_id):
    """True when ``user`` may see (and, with the model permission, change) records of the park ``park_id``."""
    if park_id is None:
        return False
    if sees_all_parks(user):
        return True
    ids = member_park_ids(user) if user.is_authenticated else None
    if ids is not None:
        try:
            return int(park_id) in ids
        except (TypeError, ValueError):
            pass
    return visible_parks(user).filter(pk=park_id).exists()
