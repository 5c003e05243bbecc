"""Data versions kept by the database, and a cache keyed by them: cached values that are never stale.

How it works
------------

The table ``parks_dataversion`` holds a few counters (:class:`~.models.DataVersion`): ``p<park id>`` for each park
(its figures, projects and their updates, enterprises, works, zones, members, report lines and wordings, and the
park itself), ``catalogue`` (the indicators, and the wordings and report lines of no park), ``parks`` (parks, zones,
members: the park and zone lists), one per kind of record, any park's (``records:figures``, ``records:projects``
with their updates, ``records:enterprises``, ``records:works``: what spans parks, as a table's row count and page),
``u<user id>`` (a user's row, groups, direct permissions and park memberships) and ``auth`` (the groups, their
permissions, the permissions and content types) for the users' cached permissions and parks (parkdash.parks.auth),
and ``epoch``. Triggers installed BY THE DATABASE (:func:`install`, from the migration and again after every migrate
and flush, as the change feed's are) bump them on every INSERT, UPDATE and DELETE of those tables: every write path
is covered — the admin, imports, summary apply, restores, deletes and cascades, the API, ``QuerySet.update()``,
``bulk_create``, raw SQL — with no code to forget.

A page reads the versions it needs in one query (:class:`Versions`, once per request: with ``auth`` and the
logged-in user's key, so that their permissions and parks cost no query of their own) and builds its cache keys from
them (:func:`cached`): a write commits a new version, the next read builds a new key, and the old entry is never read
again (it expires). The versions are in the database, so several application servers see the same ones whatever
the cache backend (local memory, the database, Redis). ``epoch`` is a random number made afresh
(after every migrate and flush, :func:`after_migrate`): counters that restart after a flush and a restore never meet the
keys of values cached before.

Order matters: the versions are read BEFORE the data. A value computed from data newer than its versions is stored
under a key nobody reads any more (harmless); data older than its versions cannot happen. With a read replica the
versions and the data are read from the same database (the router routes this model like the data).

Cost for writers: a bump is an upsert of one row (``… ON CONFLICT (key) DO UPDATE SET n = <new>``, the new value
never taken before: a sequence on PostgreSQL, a random 63-bit number on SQLite, so that a value seen and cached only
inside a transaction that was rolled back is never taken again by the next commit), which holds that row's lock
until the transaction commits. So each counter is split in 16 slots (rows ``p12/0`` … ``p12/15``), a connection
bumping the slot of its PostgreSQL backend (pid modulo 16): two transactions writing records of the same park wait
on each other, from the first write to the commit, only when their connections share a slot (one chance in 16 for
two connections; writers of different parks never do). A version is the tuple of its slots' values: read in one
query all the same. The triggers are
per statement on PostgreSQL (one bump per park a statement touches, in key order, whatever the number of rows) and
per row on SQLite (whose writers are serialised by its database lock anyway).
"""

import hashlib
import pickle
import random
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.db import connections, router
from django.dispatch import receiver
from django.utils.translation import get_language

from parkdash.core.numbers import parse_int

from .models import DataVersion

VERSION_TABLE = DataVersion._meta.db_table
EPOCH, CATALOGUE, PARKS, AUTH = "epoch", "catalogue", "parks", "auth"
CACHE_PREFIX = "parkdash:v1"
_MISSING = object()

# The tables of the parks' records, and the version of each kind of record, any park's (``records:figures`` …): what a
# table page's rows and count depend on besides the catalogue and the parks. A project's updates are its project's.
RECORD_KINDS = {
    "indicators_figure": "records:figures",
    "projects_project": "records:projects",
    "projects_projectupdate": "records:projects",
    "enterprises_enterprise": "records:enterprises",
    "infrastructure_infrastructurework": "records:works",
}


def records_key(model):
    """The version of ``model``'s records, any park's (``RECORD_KINDS``); LookupError for another model."""
    try:
        return RECORD_KINDS[model._meta.db_table]
    except KeyError:
        raise LookupError(f"{model._meta.label} has no data version of its records (versions.RECORD_KINDS)") from None


def park_key(park_id):
    return f"p{park_id}"


def user_key(user_id):
    """The version of what is cached of one user (parkdash.parks.auth): their row, groups, direct permissions and
    park memberships."""
    return f"u{user_id}"


# --- Reading versions and caching ---------------------------------------------------------------------------------


class Versions:
    """The data versions one request reads: each key read once, the first keys asked for with ``epoch``,
    ``catalogue``, ``parks`` and each kind of record's in ONE query."""

    GLOBAL = (EPOCH, CATALOGUE, PARKS, *dict.fromkeys(RECORD_KINDS.values()))

    def __init__(self, also=()):
        self._known = {}
        self._also = tuple(also)  # read with the first keys asked for (the park of ``?park=``)

    def get(self, *keys):
        """The versions of ``keys`` (a tuple, ``epoch`` first), reading those not read yet in one query."""
        wanted = [k for k in dict.fromkeys((*self.GLOBAL, *self._also, *keys)) if k not in self._known]
        if wanted:
            found = {}
            for name, slot, n in read_rows(wanted):
                found.setdefault(name, []).append((slot, n))
            for key in wanted:
                self._known[key] = tuple(sorted(found.get(key, ())))
        return tuple(self._known[k] for k in (EPOCH, *keys))


def read_rows(names):
    """The (name, key, n) rows of the versions ``names``: what ``DataVersion.objects.filter(name__in=names)
    .values_list("name", "key", "n")`` reads, from the same database (the router's), written as SQL: every request
    asks it, and building the ORM's query cost more than running it."""
    connection = connections[router.db_for_read(DataVersion)]
    quote = connection.ops.quote_name
    sql = "SELECT {}, {}, {} FROM {} WHERE {} IN ({})".format(
        quote("name"), quote("key"), quote("n"), quote(VERSION_TABLE), quote("name"), ", ".join(["%s"] * len(names))
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(names))
        return cursor.fetchall()


def for_request(request):
    """The :class:`Versions` of ``request`` (made on first use). The first query also reads the park of ``?park=``
    and, for a logged-in session, ``auth`` and the user's key: their permissions and parks
    (parkdash.parks.auth) cost no query of their own."""
    versions = getattr(request, "_parkdash_versions", None)
    if versions is None:
        wanted = parse_int(request.GET.get("park"), minimum=1)
        also = [park_key(wanted)] if wanted else []
        user_id = session_user_id(request)
        if user_id is not None and auth_readable():
            also += [AUTH, user_key(user_id)]
        versions = request._parkdash_versions = Versions(also=also)
    return versions


def session_user_id(request):
    """The id of the user logged in ``request``'s session, or None (reading the session, not the user)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    from django.contrib.auth import SESSION_KEY, get_user_model

    raw = session.get(SESSION_KEY)
    if raw is None:
        return None
    try:
        return get_user_model()._meta.pk.to_python(raw)
    except ValidationError:
        return None


def auth_readable():
    """True when the versions are read from the database the users and permissions are read from: with a read
    replica serving this request's reads, a version read there could lag behind a revoked permission on the primary,
    so the user's permissions and parks are then read from the primary as before (parkdash.parks.auth)."""
    from django.contrib.auth.models import Permission

    return router.db_for_read(DataVersion) == router.db_for_read(Permission)


def cache_key(name, versions, parts):
    """The cache key of value ``name`` at ``versions`` for ``parts`` (park, year, language, scope …)."""
    raw = repr((versions, parts))
    digest = hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()
    return f"{CACHE_PREFIX}:{name}:{digest}"


def cached(name, versions, parts, compute):
    """``compute()``'s value for ``name``, ``versions`` and ``parts``, from this process's copy (:class:`LocalCopies`)
    or the cache when they hold it.

    The value must be plain, picklable data (dicts, lists, tuples, numbers, strings, Decimals), never model instances
    nor anything of one user unless ``parts`` holds that user's scope.
    """
    key = cache_key(name, versions, parts)
    copies = local_copies()
    value = copies.get(key)
    if value is _MISSING:
        value = cache.get(key, _MISSING)
        if value is _MISSING:
            value = compute()
            cache.set(key, value)
        copies.set(key, value)
    return value


class LocalCopies:
    """This process's copies of the values :func:`cached` read from the shared cache (or wrote to it), in front of it.

    A key names a value at given data versions, and every write moves the versions: a copy is exactly as fresh as the
    shared entry it copies, whichever process wrote what. A page that reads the user's permissions, the park lists or
    the catalogue again is spared the round trip to Redis (or the database cache) and the client's work around it.

    - The copies are pickled, as the shared cache keeps its values: each read gets a value of its own to change.
    - A copy lives no longer than its shared entry would (the cache's default timeout).
    - At most ``max_bytes`` of pickles are kept; the least recently used go first, and a value larger than a
      sixteenth of that is not kept.
    """

    def __init__(self, max_bytes, timeout):
        self.max_bytes = max_bytes
        self.timeout = timeout  # seconds, or None: as long as the process
        self._entries = OrderedDict()  # key -> (expires or None, pickle)
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return _MISSING
            expires, data = entry
            if expires is not None and expires <= time.monotonic():
                self._remove(key)
                return _MISSING
            self._entries.move_to_end(key)
        return pickle.loads(data)

    def set(self, key, value):
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        if len(data) > self.max_bytes // 16:
            return
        expires = None if self.timeout is None else time.monotonic() + self.timeout
        with self._lock:
            if key in self._entries:
                self._remove(key)
            self._entries[key] = (expires, data)
            self._size += len(data)
            while self._size > self.max_bytes:
                self._remove(next(iter(self._entries)))

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._size = 0

    def _remove(self, key):
        _expires, data = self._entries.pop(key)
        self._size -= len(data)


def kept_copy(key):
    """This process's copy kept under ``key`` by :func:`keep_copy` (or :func:`cached`), or None."""
    value = local_copies().get(key)
    return None if value is _MISSING else value


def keep_copy(key, value):
    """Keep ``value`` (not None) under ``key`` in this process's copies only, not in the shared cache: for values
    large and many (a table page's HTML, per query string), which every process can write again at the same
    versions. Nothing is kept when the copies are off (``PARKDASH_LOCAL_CACHE_MB = 0``)."""
    local_copies().set(key, value)


class NoCopies:
    """No local copies (``PARKDASH_LOCAL_CACHE_MB = 0``): every read goes to the cache."""

    def get(self, key):
        return _MISSING

    def set(self, key, value):
        pass

    def clear(self):
        pass


_copies = None


def local_copies():
    """This process's :class:`LocalCopies` (settings.PARKDASH_LOCAL_CACHE_MB), or :class:`NoCopies`."""
    global _copies
    if _copies is None:
        megabytes = getattr(settings, "PARKDASH_LOCAL_CACHE_MB", 0)
        _copies = LocalCopies(int(megabytes * 1024 * 1024), cache.default_timeout) if megabytes > 0 else NoCopies()
    return _copies


@receiver(setting_changed)
def _forget_copies(setting, **kwargs):
    """A test that changes the setting or the caches gets copies made afresh."""
    global _copies
    if setting in ("PARKDASH_LOCAL_CACHE_MB", "CACHES"):
        _copies = None


def language():
    """The active language, a part of the key of every value holding translated text."""
    return get_language() or ""


# --- The triggers -------------------------------------------------------------------------------------------------

# table: the key expressions of a row (``{r}`` the row: NEW, OLD or a transition table's alias). A NULL key is skipped.
PARK_ROW = "'p' || {r}.park_id"
TRIGGERED = {
    "parks_park": ["'p' || {r}.id", f"'{PARKS}'"],
    "parks_zone": [PARK_ROW, f"'{PARKS}'"],
    "parks_park_members": [PARK_ROW, f"'{PARKS}'"],
    "indicators_indicator": [f"'{CATALOGUE}'"],
    "indicators_figure": [PARK_ROW],
    "projects_project": [PARK_ROW],
    "projects_projectupdate": ["'p' || (SELECT park_id FROM projects_project WHERE id = {r}.project_id)"],
    "enterprises_enterprise": [PARK_ROW],
    "infrastructure_infrastructurework": [PARK_ROW],
    "reports_reportline": [f"COALESCE({PARK_ROW}, '{CATALOGUE}')"],
    "reports_wording": [f"COALESCE({PARK_ROW}, '{CATALOGUE}')"],
}
# A project update whose project is gone already bumps ``parks`` (a NULL key would be skipped).
TRIGGERED["projects_projectupdate"] = [f"COALESCE({TRIGGERED['projects_projectupdate'][0]}, '{PARKS}')"]
# Each kind of record's version: what spans parks, as a table's count and page.
for _table, _key in RECORD_KINDS.items():
    TRIGGERED[_table] = [*TRIGGERED[_table], f"'{_key}'"]
# What a user's cached row, permissions and parks depend on (parkdash.parks.auth): ``u<user id>`` for the user's
# row, groups, direct permissions and park memberships; ``auth`` for what many users share (the groups' permissions,
# the groups, the permissions and the content types that name them).
USER_ROW = "'u' || {r}.user_id"
TRIGGERED["parks_park_members"] = [*TRIGGERED["parks_park_members"], USER_ROW]
TRIGGERED.update(
    {
        "auth_user": ["'u' || {r}.id"],
        "auth_user_groups": [USER_ROW],
        "auth_user_user_permissions": [USER_ROW],
        "auth_group": [f"'{AUTH}'"],
        "auth_group_permissions": [f"'{AUTH}'"],
        "auth_permission": [f"'{AUTH}'"],
        "django_content_type": [f"'{AUTH}'"],
    }
)

# A bump sets a value never taken before, not n + 1: a value a rolled-back transaction took (which only that
# transaction could see, and cache under) is not taken again by the next commit. PostgreSQL: a sequence (not
# transactional, never reset by a flush); SQLite: a random 63-bit number.
PG_SEQUENCE = "parkdash_data_version_seq"
NEW_VALUE = {"postgresql": f"nextval('{PG_SEQUENCE}')", "sqlite": "abs(random())"}
# Each counter has SLOTS rows (``p12/0`` … ``p12/15``); a writer bumps the slot of its connection (PostgreSQL: the
# backend's pid modulo SLOTS; SQLite, whose writers take turns anyway: slot 0). Two transactions writing the same park
# thus wait on each other only when their connections share a slot, and a version is the tuple of its slots' values.
SLOTS = 16
SLOT = {"postgresql": f"(pg_backend_pid() % {SLOTS})", "sqlite": "0"}
UPSERT = f"INSERT INTO {VERSION_TABLE} (key, name, n) {{rows}} ON CONFLICT (key) DO UPDATE SET n = excluded.n"


def _name(table, op=""):
    return f"parkdash_version_{table}{op}"


def _sqlite_statements(table, keys):
    statements = []
    for op, rows in (("insert", ("NEW",)), ("update", ("OLD", "NEW")), ("delete", ("OLD",))):
        bumps = " ".join(
            UPSERT.format(
                rows=f"SELECT k || '/' || {SLOT['sqlite']}, k, {NEW_VALUE['sqlite']} "
                f"FROM (SELECT {key.format(r=r)} AS k) WHERE k IS NOT NULL"
            )
            + ";"
            for r in rows
            for key in keys
            # A key naming no row (``'records:figures'``) is bumped once, not for OLD and NEW both.
            if r == rows[0] or "{r}" in key
        )
        statements += [
            f"DROP TRIGGER IF EXISTS {_name(table, '_' + op)}",
            f"CREATE TRIGGER {_name(table, '_' + op)} AFTER {op.upper()} ON {table} FOR EACH ROW BEGIN {bumps} END",
        ]
    return statements


def _pg_statements(table, keys):
    statements = [f"CREATE SEQUENCE IF NOT EXISTS {PG_SEQUENCE}"]
    for op, tables in (("insert", ("new_rows",)), ("update", ("old_rows", "new_rows")), ("delete", ("old_rows",))):
        selects = " UNION ".join(f"SELECT {key.format(r='r')} AS k FROM {t} r" for t in tables for key in keys)
        body = UPSERT.format(
            rows=f"SELECT k || '/' || {SLOT['postgresql']}, k, {NEW_VALUE['postgresql']} "
            f"FROM (SELECT DISTINCT k FROM ({selects}) u) s "
            "WHERE k IS NOT NULL ORDER BY k"
        )
        referencing = " ".join(f"{'NEW' if t == 'new_rows' else 'OLD'} TABLE AS {t}" for t in tables)
        function = _name(table, "_" + op)
        statements += [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {body}; RETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS {function} ON {table}",
            f"CREATE TRIGGER {function} AFTER {op.upper()} ON {table} REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        ]
    return statements


def _existing_tables(connection):
    return set(connection.introspection.table_names())


def install(connection):
    """Create (or replace) the version triggers on every triggered table that exists on ``connection``."""
    if connection.vendor == "postgresql":
        build = _pg_statements
    elif connection.vendor == "sqlite":
        build = _sqlite_statements
    else:
        raise NotImplementedError(
            f"The data versions (parkdash.parks.versions) support PostgreSQL and SQLite, not {connection.vendor}."
        )
    existing = _existing_tables(connection)
    with connection.cursor() as cursor:
        for table, keys in TRIGGERED.items():
            if table in existing:
                for statement in build(table, keys):
                    cursor.execute(statement)


def uninstall(connection):
    with connection.cursor() as cursor:
        for table in TRIGGERED:
            for op in ("_insert", "_update", "_delete"):
                if connection.vendor == "postgresql":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {_name(table, op)} ON {table}")
                    cursor.execute(f"DROP FUNCTION IF EXISTS {_name(table, op)}()")
                elif connection.vendor == "sqlite":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {_name(table, op)}")


def installed_count(connection):
    """How many version triggers exist on ``connection``."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE %s", ["parkdash_version_%"])
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", ["parkdash_version_%"]
            )
        return cursor.fetchone()[0]


def expected_count(connection):
    existing = _existing_tables(connection)
    return 3 * sum(1 for table in TRIGGERED if table in existing)


def new_epoch(model=DataVersion, using=None):
    """A new random epoch: every value cached before is never read again."""
    using = using or router.db_for_write(model)
    model.objects.using(using).filter(name=EPOCH).delete()
    model.objects.using(using).create(key=f"{EPOCH}/0", name=EPOCH, n=random.SystemRandom().randrange(1, 2**62))


def before_migrate(connection):
    """Before a migrate on SQLite: the triggers go (SQLite refuses to rebuild a table a trigger of another table
    names, as the project updates' names the projects); :func:`after_migrate` puts them back."""
    if connection.vendor == "sqlite" and VERSION_TABLE in _existing_tables(connection):
        uninstall(connection)


def after_migrate(connection, model=DataVersion):
    """After migrate and flush: every trigger (installed again when some are missing: SQLite's are dropped before a
    migrate), and a new epoch, since a migration may have written data while they were away."""
    if installed_count(connection) != expected_count(connection):
        install(connection)
    new_epoch(model, connection.alias)
