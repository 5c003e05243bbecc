"""The user's permissions and parks, cached under data versions: the fixed cost of a logged-in request, never stale.

Every logged-in request asks whether its user may see every park (``user.has_perm``, from
:func:`parkdash.parks.scoping.sees_all_parks`) and what they may do (the admin and the navigation): Django's
``ModelBackend`` reads the user's direct permissions and their groups' permissions, two queries a request, and the
parks the user is a member of are read (often twice) by the scoped queries.

:class:`CachedModelBackend` keeps the permissions, and :func:`member_park_ids` the ids of the user's parks, in the
shared cache under the data versions (parkdash.parks.versions) ``auth`` and ``u<user id>``, which database triggers bump
on every write to what they depend on: the user's groups and direct permissions, their park memberships, the groups'
permissions, the groups, the permissions and the content types — whatever the path (the admin, ``QuerySet.update()``,
m2m changes, raw SQL, another server) — and under the user's ``is_superuser``, read with their row. The request
reads those versions in its one versions query (:func:`parkdash.parks.versions.for_request`), then the values under
them: a grant, a revoke or a deactivation is seen by the very next request.

The user's row is cached too (:meth:`CachedModelBackend.get_user`), under ``u<user id>``, which every write to the
row bumps (``is_active``, ``is_superuser``, the password, a login's ``last_login``): a deactivated user is logged
out, a changed password ends the other sessions, at the next request. The values cached from the row's other
tables are also keyed by ``is_superuser``.

The backend reaches the request through :class:`CurrentRequestMiddleware` (a context variable, one per request).
Outside a request (management commands, tests calling ``has_perm`` directly), and when the versions would be read
from a read replica that could lag behind the primary (:func:`parkdash.parks.versions.auth_readable`), it reads the
permissions from the database as ``ModelBackend`` does.
"""

import contextvars

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import router

from . import versions

BACKEND_PATH = "parkdash.parks.auth.CachedModelBackend"
# Sessions logged in before this backend replaced ModelBackend name it; they are moved to this one, not logged out.
FORMER_BACKEND_PATH = "django.contrib.auth.backends.ModelBackend"

_current_request = contextvars.ContextVar("parkdash_current_request", default=None)


class CurrentRequestMiddleware:
    """Makes the request known to :class:`CachedModelBackend` and :func:`member_park_ids` while it is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        move_former_backend(request)
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def move_former_backend(request):
    """A session logged in through ``ModelBackend`` (before this backend) goes on through this one."""
    session = getattr(request, "session", None)
    if session is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return
    if session.get(BACKEND_SESSION_KEY) == FORMER_BACKEND_PATH and BACKEND_PATH in settings.AUTHENTICATION_BACKENDS:
        session[BACKEND_SESSION_KEY] = BACKEND_PATH


def current_request():
    return _current_request.get()


def user_versions(user):
    """The versions (epoch, ``auth``, ``u<id>``) the values cached for ``user`` are keyed by, read with the request's
    other versions; None outside a request, for an anonymous user, or when they cannot be read safely."""
    request = current_request()
    if request is None or not user.is_authenticated or user.pk is None or not versions.auth_readable():
        return None
    return versions.for_request(request).get(versions.AUTH, versions.user_key(user.pk))


def cached_for_user(name, user, compute):
    """``compute()`` for ``user``, from the cache under the user's versions when there are some. The key holds
    ``is_superuser`` (read with the user's row every request, as ``is_active`` is): the values depend on nothing else
    of the row."""
    key_versions = user_versions(user)
    if key_versions is None:
        return compute()
    return versions.cached(name, key_versions, (user.pk, bool(user.is_superuser)), compute)


class CachedModelBackend(ModelBackend):
    """``ModelBackend`` whose user rows and permissions come from the shared cache, keyed by the user's versions."""

    def get_user(self, user_id):
        """The session's user, their row from the cache under ``u<id>`` (bumped by every write to their row, a login's
        ``last_login`` included): an inactive user, a changed password (the session's hash no longer matches) or a
        deleted user is seen by the next request."""
        request = current_request()
        if request is None or not versions.auth_readable():
            return super().get_user(user_id)
        User = get_user_model()
        fields = [f.attname for f in User._meta.concrete_fields]
        key_versions = versions.for_request(request).get(versions.user_key(user_id))
        row = versions.cached(
            "user-row",
            key_versions,
            (user_id,),
            lambda: User._default_manager.filter(pk=user_id).values_list(*fields).first(),
        )
        if row is None:
            return None
        user = User.from_db(router.db_for_read(User), fields, row)
        return user if self.user_can_authenticate(user) else None

    def _load_permissions(self, user_obj):
        if hasattr(user_obj, "_user_perm_cache") and hasattr(user_obj, "_group_perm_cache"):
            return
        user_perms, group_perms = cached_for_user("permissions", user_obj, lambda: self._read_permissions(user_obj))
        user_obj._user_perm_cache = set(user_perms)
        user_obj._group_perm_cache = set(group_perms)

    def _read_permissions(self, user_obj):
        """(the user's own permissions, their groups' permissions), sorted lists of ``app_label.codename``."""
        if user_obj.is_superuser:
            everything = sorted(_names(Permission.objects.all()))
            return everything, everything
        return sorted(_names(self._get_user_permissions(user_obj))), sorted(
            _names(self._get_group_permissions(user_obj))
        )

    def get_user_permissions(self, user_obj, obj=None):
        if user_obj.is_active and not user_obj.is_anonymous and obj is None:
            self._load_permissions(user_obj)
        return super().get_user_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None):
        if user_obj.is_active and not user_obj.is_anonymous and obj is None:
            self._load_permissions(user_obj)
        return super().get_group_permissions(user_obj, obj)


def _names(permissions):
    return {
        f"{app_label}.{codename}"
        for app_label, codename in permissions.values_list("content_type__app_label", "codename").order_by()
    }


def member_park_ids(user):
    """The ids of the parks ``user`` is a member of (a sorted list), from the cache under the user's versions; None
    when they are not cached (outside a request: the caller then filters by membership in SQL)."""
    from .models import Park

    if user_versions(user) is None:
        return None
    return cached_for_user(
        "member-parks", user, lambda: sorted(Park.objects.filter(members=user).values_list("pk", flat=True))
    )


def member_of_most_parks(user, ids):
    """True when ``ids`` (``member_park_ids(user)``) are at least 9 in 10 of all the parks; cached under the user's
    versions and the ``parks`` version (a park created or deleted bumps it), never stale; False outside a request.

    Whether :func:`parkdash.parks.scoping.scope` selects a member's records by a subquery of their memberships
    rather than by their ids: PostgreSQL plans the subquery the same for any user, and for the first page of a table
    ordered by park it then reads the park index from its start to the user's first park (137 ms for a member of 3
    parks of 51 at demo scale 20, 0.15 ms by the ids); for a member of (almost) every park that is at once."""
    from .models import Park

    request = current_request()
    if request is None or user_versions(user) is None:
        return False
    key_versions = versions.for_request(request).get(versions.PARKS, versions.AUTH, versions.user_key(user.pk))
    return versions.cached(
        "most-parks", key_versions, (user.pk, len(ids)), lambda: len(ids) * 10 >= Park.objects.count() * 9
    )
