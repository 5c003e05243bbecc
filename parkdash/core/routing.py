"""Read traffic to a streaming replica, with read-your-writes.

With ``DATABASE_REPLICA_URL`` set, settings add the ``replica`` database, :class:`ReplicaRouter` and
:class:`ReplicaRoutingMiddleware`. The middleware decides, once per request, whether the request's reads may go to
the replica, and keeps the decision in a context variable (one per request, whichever thread or event loop serves
it); the router reads it on every query.

The replica serves only reads for which a moment's staleness is harmless: GET and HEAD requests of the dashboard,
the tables and their exports, the reports and the API. Everything else reads the primary: every write, every read
of a request that writes (POST/PUT/PATCH/DELETE: validation and uniqueness checks must see the primary), and of a
GET request once it has written, the admin, login and logout, management commands and migrations, and the models of
sessions, users and groups, django-axes, content types, the admin log, API tokens and the database cache, whatever
the request (a session or a lockout is never read stale).

Read-your-writes: at the end of a request that writes, the primary's WAL position is kept for the user in the
shared cache (``parkdash:replica-pin:<user id>``, for ``PARKDASH_REPLICA_PIN_SECONDS``). While it is there, the
user's reads go to the replica only once the replica has replayed that position (one query,
``pg_last_wal_replay_lsn()``, after which the pin is dropped). A replica that cannot be reached sends the reads to
the primary, with a warning in the log, for ``REPLICA_RETRY_SECONDS``.
"""

import contextlib
import contextvars
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)

REPLICA = "replica"

# Models whose rows must never be read stale, by app label: sessions, users and groups, lockouts, content types,
# the admin log, API tokens, the database cache (its "model" has this label).
PRIMARY_APP_LABELS = frozenset(
    {"sessions", "auth", "axes", "contenttypes", "admin", "knox", "authtoken", "django_cache", "migrations"}
)
# URL namespaces whose GET and HEAD requests only read (pages, tables, their exports): the replica may serve them.
REPLICA_NAMESPACES = frozenset({"dashboard", "indicators", "projects", "enterprises", "infrastructure", "reports"})
REPLICA_PATH_PREFIXES = ("/api/v1/",)
READ_METHODS = frozenset({"GET", "HEAD"})
# After the replica failed to answer, this process sends reads to the primary for this long before trying again.
REPLICA_RETRY_SECONDS = 10

_replica_down_until = 0.0


def replica_alias():
    """The replica's alias when one is configured, else None (the router and the middleware then do nothing)."""
    alias = getattr(settings, "PARKDASH_READ_REPLICA", None)
    return alias if alias and alias in settings.DATABASES else None


def pin_key(user_id):
    return "parkdash:replica-pin:{}".format(user_id)


@dataclass
class RequestRouting:
    """The routing decision of one request: may its reads go to the replica?"""

    request: object = None
    replica_allowed: bool = False  # by method and URL, before the user's pin and the replica's health are known
    wrote: bool = False
    _usable: bool | None = field(default=None, repr=False)
    _checking: bool = field(default=False, repr=False)

    def reads_from_replica(self, alias):
        if not self.replica_allowed or self.wrote:
            return False
        if self._usable is None:
            if self._checking:  # the check itself reads (the user, the cache): those go to the primary
                return False
            self._checking = True
            try:
                self._usable = replica_usable(alias, _user_id(self.request))
            finally:
                self._checking = False
        return self._usable


_current = contextvars.ContextVar("parkdash_request_routing", default=None)


def current_routing():
    return _current.get()


def _user_id(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.pk
    return None


def replica_usable(alias, user_id):
    """True when the replica answers and has replayed the user's last write (if one is still pending)."""
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    pending = cache.get(pin_key(user_id)) if user_id is not None else None
    try:
        if pending is None:
            # A kept connection (DATABASE_CONN_MAX_AGE) is checked once a request (CONN_HEALTH_CHECKS), a new one made.
            connections[alias].close_if_health_check_failed()
            connections[alias].ensure_connection()
            return True
        with connections[alias].cursor() as cursor:
            # NULL when the server is not in recovery (a promoted standby, or the primary itself): it has everything.
            cursor.execute(
                "SELECT pg_last_wal_replay_lsn() IS NULL OR pg_last_wal_replay_lsn() >= %s::pg_lsn", [pending]
            )
            caught_up = cursor.fetchone()[0]
    except DatabaseError as error:
        _replica_down_until = time.monotonic() + REPLICA_RETRY_SECONDS
        logger.warning(
            "Read replica %r unreachable, reading from the primary for %ds: %s", alias, REPLICA_RETRY_SECONDS, error
        )
        _close_quietly(alias)
        return False
    if caught_up and cache.get(pin_key(user_id)) == pending:
        cache.delete(pin_key(user_id))
    return caught_up


def _close_quietly(alias):
    with contextlib.suppress(DatabaseError):
        connections[alias].close()


def record_write_position(user_id):
    """Keep the primary's current WAL position as the user's pending write (read-your-writes)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        position = cursor.fetchone()[0]
    cache.set(pin_key(user_id), position, timeout=getattr(settings, "PARKDASH_REPLICA_PIN_SECONDS", 60))


def may_read_from_replica(request):
    """By method and URL: a GET or HEAD of a page, table, export, report or the API."""
    if request.method not in READ_METHODS:
        return False
    path = request.path_info
    if path.startswith(REPLICA_PATH_PREFIXES):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return bool(match.namespaces) and match.namespaces[0] in REPLICA_NAMESPACES


class ReplicaRouter:
    """Reads to the replica where the request's routing allows it; everything else to the primary.

    Returns the primary's alias explicitly (never None): an object read from the replica must be saved, and its
    relations read, on the primary unless the request may read the replica.
    """

    def db_for_read(self, model, **hints):
        alias = replica_alias()
        if alias is None:
            return None
        routing = _current.get()
        if routing is None or model._meta.app_label in PRIMARY_APP_LABELS:
            return DEFAULT_DB_ALIAS
        return alias if routing.reads_from_replica(alias) else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        if replica_alias() is None:
            return None
        routing = _current.get()
        if routing is not None and model._meta.app_label not in PRIMARY_APP_LABELS:
            routing.wrote = True  # from now on this request reads what it wrote: the primary
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        alias = replica_alias()
        if alias is None:
            return None
        # The replica is a copy of the primary: an object read from one may point at an object read from the other.
        same_data = {DEFAULT_DB_ALIAS, alias}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db, app_label, **hints):
        alias = replica_alias()
        if alias is None:
            return None
        return db == DEFAULT_DB_ALIAS


def _stream_in_context(routing, content):
    """A streaming response (a CSV export) is read after the middleware returned: read it with the request's
    routing in force, one chunk at a time."""
    iterator = iter(content)
    while True:
        token = _current.set(routing)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _current.reset(token)
        yield chunk


class ReplicaRoutingMiddleware:
    """Sets the request's routing for the router, and records the user's write position after a write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        alias = replica_alias()
        if alias is None:
            return self.get_response(request)
        routing = RequestRouting(request=request, replica_allowed=may_read_from_replica(request))
        token = _current.set(routing)
        try:
            response = self.get_response(request)
            if routing.wrote or request.method not in READ_METHODS:
                user_id = _user_id(request)
                if user_id is not None:
                    self._record(user_id)
        finally:
            _current.reset(token)
        if response.streaming and routing.replica_allowed:
            response.streaming_content = _stream_in_context(routing, response.streaming_content)
        return response

    @staticmethod
    def _record(user_id):
        try:
            record_write_position(user_id)
        except DatabaseError:
            # The write itself succeeded; without its position the user's next reads may be stale for a moment.
            logger.warning("Could not record the primary's WAL position for user %s", user_id, exc_info=True)
