"""The change feed: what changed in the figures after a cursor, so that a client can mirror every figure it may see.

A client asks "what changed after cursor C?" again and again and must end with exactly the server's set: no figure
missed, none duplicated, deletions included, while many writers commit concurrently and out of order. A ``modified``
timestamp cannot do it: a transaction that started earlier commits later with an older timestamp, and a client that
already read past that time never sees it.

How it works
------------

Every figure carries ``change_seq``, set BY THE DATABASE (triggers installed by :func:`install`), so that every write
path is covered: ``save()``, ``QuerySet.update()``, ``bulk_create``, ``loaddata`` and restores, imports, the demo
generator's COPY, raw SQL. A deleted figure leaves a :class:`~.models.FigureTombstone` (an AFTER DELETE trigger: a
queryset's ``delete()`` and a park's cascade are covered too), and so does an update that moves a figure to another
park, zone, indicator, period, kind or version (the tombstone holds the old values: a client that filters on them
learns that the figure left its view).

- PostgreSQL (13+): ``change_seq`` is the writing transaction's 64-bit id (``pg_current_xact_id()``, a BEFORE INSERT
  OR UPDATE trigger). The *horizon* is ``pg_snapshot_xmin(pg_current_snapshot())``: every transaction with a smaller
  id has finished (committed or rolled back). A page holds only rows with ``change_seq`` below the horizon; a row
  committed later belongs to a transaction that was running (or not yet started) then, so its id is at or above
  the horizon every client has seen: it comes in a later page, never skipped.
- SQLite: writers are serialised by the database's write lock. The triggers take the next value of a one-row counter
  (``parkdash_change_counter``) inside the writing transaction, so values follow the commit order; the horizon is
  the counter + 1. The triggers fire on the content columns only (``AFTER UPDATE OF …``): their own UPDATE of
  ``change_seq`` never fires them again, whether or not SQLite's ``recursive_triggers`` is on (it is off).

The feed's order is (change_seq, row kind, id), tombstones before figures at the same ``change_seq`` (a figure
deleted and re-created, or moved, in one transaction: the client deletes, then adds). A cursor holds the position
of the last item returned, the feed's epoch and a format version, signed (Django's signing, the SECRET_KEY): a
changed or cut cursor is refused with :class:`InvalidCursor`. A page that is not full moves the cursor up to the
horizon, so that a client polling an idle feed reads no rows again.

Restores: ``change_seq`` is not in a backup (the field is not serialized): a restore stamps every restored figure
afresh. The tombstones and the feed's epoch (:class:`~.models.FeedEpoch`) are not in a backup either: a database
emptied (flush) and restored gets a new epoch, and a cursor of the old one is refused (:class:`StaleCursor`: start
again from the beginning), since the flush deleted figures without tombstones. A PostgreSQL cluster rebuilt from
``pg_dump`` carries the old cluster's transaction ids in ``change_seq`` (and the old epoch): run
``manage.py feed_restart`` after such a restore (:func:`restart`). A replica and ``pg_upgrade`` keep the ids.

For the API: the tombstones are filtered like the figures by ``park_id`` (``scope(tombstones, user,
path="park_id")``), ``indicator_id``/``indicator_code``, ``zone_id``/``zone_name``, ``year``, ``month``, ``kind``
and ``version``; ``figure_id`` is the deleted figure's id. A long-running transaction holds the horizon back: the
feed waits for it (never skips it), so keep transactions short. Tombstones are kept for ever (no pruning yet).
"""

import uuid
from dataclasses import dataclass

from django.core import signing
from django.db import connections, router, transaction
from django.utils.translation import gettext

from .models import FeedEpoch, Figure, FigureTombstone

CURSOR_VERSION = 1
CURSOR_SALT = "parkdash.indicators.changes.cursor"
CURSOR_MAX_LENGTH = 400

# Row kinds, in feed order at the same change_seq: a deletion before a (re-)creation.
TOMBSTONE, FIGURE = 0, 1
KINDS = {FigureTombstone: TOMBSTONE, Figure: FIGURE}

COUNTER_TABLE = "parkdash_change_counter"


class InvalidCursor(ValueError):
    """A cursor the server did not give out, or cannot use; the message says what to do (in the user's language)."""


class StaleCursor(InvalidCursor):
    """A cursor of an earlier state of the database (before a restore from a backup): start again without one."""


@dataclass
class FeedPage:
    items: list  # Figure and FigureTombstone instances, in feed order
    cursor: str  # opaque: pass it back to get what changed after this page
    more: bool  # True when more changes are already waiting (ask again at once)


def feed(figures, tombstones, cursor, limit):
    """The changes after ``cursor`` (None or "": from the beginning) among ``figures`` and ``tombstones``.

    ``figures`` is a Figure queryset already scoped to the user's parks and filtered; ``tombstones`` the
    FigureTombstone queryset scoped and filtered the same way (``park_id__in=…``, ``indicator_code=…``). At most
    ``limit`` items (the caller bounds it). Three queries: the feed's state (epoch and horizon), the figures, the
    tombstones, each read in (change_seq, id) order from an index.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    database = figures.db
    epoch, horizon = _state(database)
    if epoch is None:
        epoch = _new_epoch()
    start = decode_cursor(cursor, epoch)
    rows = _after(tombstones, TOMBSTONE, start, horizon, limit + 1) + _after(figures, FIGURE, start, horizon, limit + 1)
    rows.sort(key=position_of)
    items, more = rows[:limit], len(rows) > limit
    # A full page ends at its last item. Otherwise everything below the horizon has been given: the next page starts
    # there (and never goes back, even when this page was read from a replica behind the server that made the cursor).
    end = position_of(items[-1]) if more else max(start or (0, 0, 0), (horizon, TOMBSTONE, 0))
    return FeedPage(items=items, cursor=encode_cursor(epoch, end), more=more)


def position_of(item):
    return (item.change_seq, KINDS[type(item)], item.pk)


def _after(queryset, kind, start, horizon, count):
    """Up to ``count`` rows of ``queryset`` (of row kind ``kind``) after position ``start``, below ``horizon``."""
    rows = queryset.filter(change_seq__lt=horizon)
    if start is not None:
        seq, start_kind, pk = start
        if kind > start_kind:
            rows = rows.filter(change_seq__gte=seq)
        elif kind == start_kind:
            rows = rows.filter(change_seq__gte=seq).exclude(change_seq=seq, pk__lte=pk)
        else:
            rows = rows.filter(change_seq__gt=seq)
    return list(rows.order_by("change_seq", "pk")[:count])


def _state(database):
    """(epoch token or None, horizon) in one query: rows with change_seq below the horizon are all committed."""
    connection = connections[database]
    epoch = f"SELECT token FROM {FeedEpoch._meta.db_table} ORDER BY id LIMIT 1"
    if connection.vendor == "postgresql":
        horizon = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
    elif connection.vendor == "sqlite":
        horizon = f"COALESCE((SELECT value FROM {COUNTER_TABLE} WHERE id = 1), 0) + 1"
    else:
        raise unsupported(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({epoch}), {horizon}")
        token, horizon = cursor.fetchone()
    return token, int(horizon)


def _new_epoch():
    """The epoch of a database that has none (emptied by hand: migrate and flush make one), on the database writes
    go to."""
    return ensure_epoch(FeedEpoch, router.db_for_write(FeedEpoch))


def restart(using="default"):
    """Start the feed afresh on the database ``using``: a new epoch (every client's cursor is refused and the clients
    mirror from the beginning), every figure stamped again, no tombstones.

    For a database whose ``change_seq`` values no longer follow this database's transactions: a PostgreSQL cluster
    restored from ``pg_dump`` (the values are the old cluster's transaction ids, above the new cluster's: the rows
    would stay beyond the horizon), or a SQLite file whose counter was lost. Not needed after ``restore`` (the
    natural-key dump carries no change_seq and the flush before it makes a new epoch), nor on a replica or after
    pg_upgrade (transaction ids carry on). Run it with ``manage.py feed_restart``.
    """
    connection = connections[using]
    with transaction.atomic(using=using):
        FeedEpoch.objects.using(using).all().delete()
        FigureTombstone.objects.using(using).all().delete()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # The counter carries on above every value left in the table.
                cursor.execute(
                    f"UPDATE {COUNTER_TABLE} SET value = max(value, "
                    f"(SELECT COALESCE(max(change_seq), 0) FROM {FIGURE_TABLE}))"
                )
            cursor.execute(f"UPDATE {FIGURE_TABLE} SET revision = revision")
        return ensure_epoch(FeedEpoch, using)


def ensure_epoch(model, using):
    """The token of the feed's epoch in the database ``using``, made (a random one) when there is none.

    A new epoch starts without tombstones: those left are of figures of the emptied database (SQLite's flush deletes
    the figures row by row, firing the delete trigger, and may empty the tombstone table first).
    """
    epoch, created = model.objects.using(using).get_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
    if created:
        model._meta.apps.get_model("indicators", "FigureTombstone").objects.using(using).all().delete()
    return epoch.token


def encode_cursor(epoch, position):
    seq, kind, pk = position
    return signing.dumps({"v": CURSOR_VERSION, "e": epoch, "p": [seq, kind, pk]}, salt=CURSOR_SALT)


def decode_cursor(cursor, epoch):
    """The position a cursor holds, or None for no cursor; :class:`InvalidCursor` when it cannot be used."""
    if cursor is None or cursor == "":
        return None
    if not isinstance(cursor, str) or len(cursor) > CURSOR_MAX_LENGTH:
        raise InvalidCursor(_garbled())
    try:
        data = signing.loads(cursor, salt=CURSOR_SALT)
    except (signing.BadSignature, ValueError, UnicodeError):
        raise InvalidCursor(_garbled()) from None
    if not isinstance(data, dict) or data.get("v") != CURSOR_VERSION:
        raise InvalidCursor(
            gettext("This cursor was made by another version of the server: start again without a cursor.")
        )
    position = data.get("p")
    valid = (
        isinstance(data.get("e"), str)
        and isinstance(position, list)
        and len(position) == 3
        and all(type(part) is int and part >= 0 for part in position)
        and position[1] in (TOMBSTONE, FIGURE)
    )
    if not valid:
        raise InvalidCursor(_garbled())
    if data["e"] != epoch:
        raise StaleCursor(
            gettext(
                "The figures were restored from a backup after this cursor was made: start again without a cursor "
                "to mirror them afresh."
            )
        )
    return tuple(position)


def _garbled():
    return gettext("This cursor is not one the server gave out (it was changed or cut): start again without a cursor.")


def unsupported(connection):
    return NotImplementedError(
        f"The figures' change feed (parkdash.indicators.changes) supports PostgreSQL and SQLite, not "
        f"{connection.vendor}: its triggers are written for those two."
    )


# --- The triggers -------------------------------------------------------------------------------------------------

FIGURE_TABLE = "indicators_figure"
TOMBSTONE_TABLE = "indicators_figuretombstone"
# The figure's columns that decide which clients see it: an update that changes one leaves a tombstone.
SCOPE_COLUMNS = ("id", "park_id", "zone_id", "indicator_id", "year", "month", "kind", "version")


def _tombstone_insert(seq_sql, now_sql):
    """INSERT … SELECT of the tombstone of the figure row OLD (valid in both vendors' trigger bodies)."""
    return (
        f"INSERT INTO {TOMBSTONE_TABLE} (figure_id, park_id, park_code, indicator_id, indicator_code, zone_id, "
        "zone_name, year, month, kind, version, change_seq, deleted_at) "
        "SELECT OLD.id, OLD.park_id, COALESCE((SELECT code FROM parks_park WHERE id = OLD.park_id), ''), "
        "OLD.indicator_id, COALESCE((SELECT code FROM indicators_indicator WHERE id = OLD.indicator_id), ''), "
        "OLD.zone_id, (SELECT name FROM parks_zone WHERE id = OLD.zone_id), OLD.year, OLD.month, OLD.kind, "
        f"OLD.version, {seq_sql}, {now_sql}"
    )


PG_XACT = "pg_current_xact_id()::text::bigint"
PG_INSTALL = [
    f"""
CREATE OR REPLACE FUNCTION parkdash_figure_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_seq := {PG_XACT};
    IF TG_OP = 'UPDATE' AND ({", ".join("OLD." + c for c in SCOPE_COLUMNS)})
            IS DISTINCT FROM ({", ".join("NEW." + c for c in SCOPE_COLUMNS)}) THEN
        {_tombstone_insert(PG_XACT, "now()")};
    END IF;
    RETURN NEW;
END
$$""",
    f"""
CREATE OR REPLACE FUNCTION parkdash_figure_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_tombstone_insert(PG_XACT, "now()")};
    RETURN NULL;
END
$$""",
    f"DROP TRIGGER IF EXISTS parkdash_figure_stamp ON {FIGURE_TABLE}",
    f"CREATE TRIGGER parkdash_figure_stamp BEFORE INSERT OR UPDATE ON {FIGURE_TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION parkdash_figure_stamp()",
    f"DROP TRIGGER IF EXISTS parkdash_figure_tombstone ON {FIGURE_TABLE}",
    f"CREATE TRIGGER parkdash_figure_tombstone AFTER DELETE ON {FIGURE_TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION parkdash_figure_tombstone()",
]
PG_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS parkdash_figure_stamp ON {FIGURE_TABLE}",
    f"DROP TRIGGER IF EXISTS parkdash_figure_tombstone ON {FIGURE_TABLE}",
    "DROP FUNCTION IF EXISTS parkdash_figure_stamp()",
    "DROP FUNCTION IF EXISTS parkdash_figure_tombstone()",
]

SQLITE_NEXT = (
    f"INSERT OR IGNORE INTO {COUNTER_TABLE} (id, value) VALUES (1, 0); "
    f"UPDATE {COUNTER_TABLE} SET value = value + 1 WHERE id = 1;"
)
SQLITE_SEQ = f"(SELECT value FROM {COUNTER_TABLE} WHERE id = 1)"
SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
SQLITE_TRIGGERS = ("parkdash_figure_insert", "parkdash_figure_update", "parkdash_figure_delete")


def _sqlite_install(columns):
    moved = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in SCOPE_COLUMNS)
    stamp = f"UPDATE {FIGURE_TABLE} SET change_seq = {SQLITE_SEQ} WHERE id = NEW.id;"
    return [
        f"CREATE TABLE IF NOT EXISTS {COUNTER_TABLE} (id integer NOT NULL PRIMARY KEY CHECK (id = 1), "
        "value integer NOT NULL)",
        f"INSERT OR IGNORE INTO {COUNTER_TABLE} (id, value) VALUES (1, 0)",
        *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
        f"CREATE TRIGGER parkdash_figure_insert AFTER INSERT ON {FIGURE_TABLE} FOR EACH ROW BEGIN "
        f"{SQLITE_NEXT} {stamp} END",
        # Not on change_seq itself: the stamp's own UPDATE must not fire it again.
        f"CREATE TRIGGER parkdash_figure_update AFTER UPDATE OF {', '.join(columns)} ON {FIGURE_TABLE} "
        f"FOR EACH ROW BEGIN {SQLITE_NEXT} "
        f"{_tombstone_insert(SQLITE_SEQ, SQLITE_NOW)} WHERE {moved}; {stamp} END",
        f"CREATE TRIGGER parkdash_figure_delete AFTER DELETE ON {FIGURE_TABLE} FOR EACH ROW BEGIN "
        f"{SQLITE_NEXT} {_tombstone_insert(SQLITE_SEQ, SQLITE_NOW)}; END",
    ]


SQLITE_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    f"DROP TABLE IF EXISTS {COUNTER_TABLE}",
]


def content_columns(figure_model=Figure):
    """The figure table's columns whose update is a change (every one but change_seq)."""
    return [field.column for field in figure_model._meta.concrete_fields if field.column != "change_seq"]


def install(connection, figure_model=Figure):
    """Create (or replace) the triggers that keep ``change_seq`` and the tombstones, on ``connection``'s vendor."""
    if connection.vendor == "postgresql":
        if connection.pg_version < 130000:
            raise NotImplementedError("The figures' change feed needs PostgreSQL 13 or later (pg_current_xact_id).")
        statements = PG_INSTALL
    elif connection.vendor == "sqlite":
        statements = _sqlite_install(content_columns(figure_model))
    else:
        raise unsupported(connection)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection):
    if connection.vendor == "postgresql":
        statements = PG_UNINSTALL
    elif connection.vendor == "sqlite":
        statements = SQLITE_UNINSTALL
    else:
        raise unsupported(connection)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def backfill(connection):
    """Stamp the figures that have no change_seq yet (those written before the triggers): an update fires them."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {FIGURE_TABLE} SET revision = revision WHERE change_seq IS NULL")


def installed(connection):
    """True when the triggers exist on ``connection`` (all of them)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname IN "
                "('parkdash_figure_stamp', 'parkdash_figure_tombstone')",
                [FIGURE_TABLE],
            )
            return cursor.fetchone()[0] == 2
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s AND name IN (%s, %s, %s)",
                [FIGURE_TABLE, *SQLITE_TRIGGERS],
            )
            return cursor.fetchone()[0] == len(SQLITE_TRIGGERS)
    return False
