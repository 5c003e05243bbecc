"""Who may see which park: the one rule every page, table, export, admin list and import applies.

A user sees the parks they are a member of (Park.members). The city level — superusers and holders of the
``parks.view_all_parks`` permission — sees every park. When the site allows an anonymous read-only dashboard,
anonymous visitors see every park, read-only.

The permissions and the ids of a user's parks come from the cache during a request (parkdash.parks.auth, never
stale): :func:`may_use_park` answers without a query. The scoped querysets (:func:`scope`) select a member's records
by their membership in SQL (a subquery of their memberships) rather than by the list of their parks' ids:
Django prepares an ``IN`` list value by value as it builds the queryset, about 6,000 calls for an editor of 251
parks on every table page and admin form, where the subquery costs the same for 1 park or 251.
"""

from django.conf import settings

from .auth import member_park_ids
from .models import Park, Zone

ALL_PARKS_PERMISSION = "parks.view_all_parks"


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
    return queryset.filter(**{lookup: memberships(user)})


def memberships(user):
    """The ids of ``user``'s parks as a subquery of their memberships: ``park_id IN (SELECT park_id FROM
    parks_park_members WHERE user_id = …)``. The databases read it as they read the list of ids (SQLite: the same
    index, the rows in the order of that index), where a join of the memberships made SQLite sort a million figures
    for a table's first page (2.4 s rather than 13 ms at demo scale 100)."""
    return Park.members.through.objects.filter(user_id=user.pk).values("park_id")


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
