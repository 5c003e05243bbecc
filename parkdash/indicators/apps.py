from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def keep_change_feed_triggers(sender, using, apps=global_apps, **kwargs):
    """The change feed's triggers (changes.py) and its epoch are there after every migrate and flush (a flush sends
    post_migrate without ``apps``: the models as they are).

    Migration 0013 installs them; but SQLite rebuilds a table for most schema changes (a later migration altering the
    figure table), and a rebuilt table has lost its triggers, and its column list in ``AFTER UPDATE OF`` must follow
    the table's columns: they are installed again here, from the model as migrated. PostgreSQL keeps its triggers
    through ALTER TABLE (they name no column): installed only when missing.
    """
    from . import changes

    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    try:
        figure_model = apps.get_model("indicators", "Figure")
    except LookupError:
        return  # migrated back before the figures
    if not any(f.name == "change_seq" for f in figure_model._meta.concrete_fields):
        return  # migrated back before the change feed
    # The feed's epoch, made here (after a migrate, and after a flush: a new one) so that reading the feed does not
    # write; a database emptied and restored from a backup gets a new epoch, and older cursors are refused.
    changes.ensure_epoch(apps.get_model("indicators", "FeedEpoch"), using)
    if connection.vendor == "postgresql" and changes.installed(connection):
        return
    changes.install(connection, figure_model)


class IndicatorsConfig(AppConfig):
    name = "parkdash.indicators"
    verbose_name = _("Indicators")

    def ready(self):
        post_migrate.connect(keep_change_feed_triggers, sender=self, dispatch_uid="parkdash.indicators.change_feed")
