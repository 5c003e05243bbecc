"""`make backup`: a natural-key dump of every domain record, restorable into an empty database.

What is in it: every model of the project's apps and the users with their groups and park memberships, with
natural keys (a park by its code, a figure by indicator, park, zone, year, month, kind and version …), so that
the dump does not depend on database ids and loads into SQLite or PostgreSQL alike. The few models without a
natural key (work summaries, candidate figures, project updates) keep their ids, which an empty database takes
as they are; references to them are by id too.

What is left out, and why:
- content types and permissions: `migrate` creates them; the dump refers to them by natural key.
- sessions, the admin's log, django-axes' login records: short-lived, and the admin log points at old ids.
- the change history (simple_history's historical tables): history rows name the records by database id,
  including ids of deleted records, and point at records that no longer exist. A natural-key dump gets new ids
  on restore, so those rows would point at the wrong records or at nothing. The history is kept by the
  database backup (pg_dump, see the README's "Backups"), which keeps every id.
- the figures' change feed (indicators/changes.py): each figure's change_seq (not serialized: the database stamps
  the restored figures afresh), the tombstones of deleted figures and the feed's epoch. A restored database starts
  a new feed: the clients that mirror it start again from the beginning (their old cursors are refused).
"""

import datetime
import gzip
import os
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.core.serializers.json import Serializer as JSONSerializer
from django.db.models import Prefetch
from django.utils import timezone
from simple_history.models import HistoricalChanges

EXCLUDED_APPS = {"contenttypes", "sessions", "admin", "axes"}
# The change feed's bookkeeping (indicators/changes.py): a restored database starts a new feed.
EXCLUDED_MODELS = {"auth.permission", "indicators.figuretombstone", "indicators.feedepoch", "parks.dataversion"}
DEFAULT_DIR = Path(settings.BASE_DIR) / "backups"


def backup_models():
    """Every model the dump holds, in a stable order (loaddata orders them by dependency itself)."""
    chosen = []
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in EXCLUDED_APPS or meta.label_lower in EXCLUDED_MODELS:
            continue
        if issubclass(model, HistoricalChanges) or meta.proxy or not meta.managed:
            continue
        chosen.append(model)
    return sorted(chosen, key=lambda model: model._meta.label_lower)


def default_path(directory=DEFAULT_DIR):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(directory) / f"parkdash-{stamp}.json.gz"


def _natural_key_relations(model, depth=2):
    """The foreign keys to models with a natural key, and theirs, for select_related: without them every
    record costs a query per reference to write its natural key (a minute for ten thousand figures)."""
    names = []
    for field in model._meta.concrete_fields:
        if field.is_relation and hasattr(field.related_model, "natural_key"):
            names.append(field.name)
            if depth > 1:
                names += [f"{field.name}__{name}" for name in _natural_key_relations(field.related_model, depth - 1)]
    return names


def records(model):
    """Every record of ``model`` in id order, as dumpdata --all --natural-foreign writes them, in fewer queries."""
    queryset = model._base_manager.order_by(model._meta.pk.name)
    related = _natural_key_relations(model)
    if related:
        queryset = queryset.select_related(*related)
    prefetch = [
        Prefetch(
            field.name,
            queryset=field.related_model._base_manager.select_related(*_natural_key_relations(field.related_model)),
        )
        for field in model._meta.many_to_many
        if field.remote_field.through._meta.auto_created and hasattr(field.related_model, "natural_key")
    ]
    if prefetch:
        queryset = queryset.prefetch_related(*prefetch)
    return queryset.iterator(chunk_size=2000)


class FullPrecisionSerializer(JSONSerializer):
    """Django's JSON serializer, but times keep their microseconds (its encoder cuts them to milliseconds, so a
    restored record's created and modified times would differ from the original's)."""

    def _value_from_field(self, obj, field):
        value = super()._value_from_field(obj, field)
        if isinstance(value, (datetime.datetime, datetime.time)):
            return value.isoformat()
        return value


def serialize(models, stream):
    """What `dumpdata --natural-foreign --natural-primary --all` writes for ``models``, in dependency order
    (and with times to the microsecond)."""
    by_app = {}
    for model in models:
        by_app.setdefault(apps.get_app_config(model._meta.app_label), []).append(model)
    ordered = serializers.sort_dependencies(by_app.items(), allow_cycles=True)

    def every_record():
        for model in ordered:
            yield from records(model)

    FullPrecisionSerializer().serialize(
        every_record(), stream=stream, use_natural_foreign_keys=True, use_natural_primary_keys=True
    )


def write_backup(path):
    """Dump every domain record to ``path`` (.json, or .json.gz compressed); returns {model label: count}."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    models = backup_models()
    # Written under a temporary name and renamed when complete, so that a failed backup never leaves a
    # truncated file that looks like a good one.
    partial = path.with_name(f".partial-{path.name}")
    # The dump holds password hashes: readable by its owner only, from the moment it is created.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with open(fd, "wb") as raw:
            if path.suffix == ".gz":
                with gzip.open(raw, "wt", encoding="utf-8") as stream:
                    serialize(models, stream)
            else:
                with open(raw.fileno(), "w", encoding="utf-8", closefd=False) as stream:
                    serialize(models, stream)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return {model._meta.label: model._base_manager.count() for model in models}


class Command(BaseCommand):
    help = (
        "Write a natural-key dump of every domain record (parks, zones, indicators, figures, projects and "
        "their updates, enterprises, works, work summaries and candidates, users and groups) to "
        "backups/parkdash-YYYYmmdd-HHMMSS.json.gz. Restore it into an empty database with `restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="The file to write (.json or .json.gz); default: backups/parkdash-<date>-<time>.json.gz.",
        )
        parser.add_argument("--dir", default=str(DEFAULT_DIR), help="The folder for the default file name.")

    def handle(self, *args, output=None, dir=None, **options):
        path = Path(output) if output else default_path(dir)
        counts = write_backup(path)
        if options["verbosity"] >= 2:
            for label, count in counts.items():
                self.stdout.write(f"  {label:<40} {count:>10,}")
        self.stdout.write(
            f"Wrote {sum(counts.values()):,} records of {len(counts)} models to {path} ({path.stat().st_size:,} bytes)."
        )
