from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def keep_change_feed_triggers(sender, using, apps=None, **kwargs):
    """The change feed's triggers (changes.py) are there after every migrate (and flush).

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
        figure_model = apps.get_model("indicators", "Figure") if apps is not None else None
    except LookupError:
        return  # migrated back before the figures
    if figure_model is None or not any(f.name == "change_seq" for f in figure_model._meta.concrete_fields):
        return  # migrated back before the change feed
    if connection.vendor == "postgresql" and changes.installed(connection):
        return
    changes.install(connection, figure_model)


class IndicatorsConfig(AppConfig):
    name = "parkdash.indicators"
    verbose_name = _("Indicators")

    def ready(self):
        post_migrate.connect(keep_change_feed_triggers, sender=self, dispatch_uid="parkdash.indicators.change_feed")
