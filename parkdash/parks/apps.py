from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


def keep_version_triggers(sender, using, apps=global_apps, **kwargs):
    """The data versions' triggers (versions.py) and epoch are there after every migrate and flush, whichever app's
    tables a migration rebuilt (SQLite drops a rebuilt table's triggers) or created since. post_migrate is sent once
    every migration has run: every table exists."""
    from . import versions

    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    try:
        model = apps.get_model("parks", "DataVersion")
    except LookupError:
        return  # migrated back before the data versions
    versions.after_migrate(connection, model)


def drop_version_triggers(sender, using, **kwargs):
    from . import versions

    versions.before_migrate(connections[using])


class ParksConfig(AppConfig):
    name = "parkdash.parks"
    verbose_name = _("Parks and zones")

    def ready(self):
        pre_migrate.connect(drop_version_triggers, sender=self, dispatch_uid="parkdash.parks.data_versions")
        post_migrate.connect(keep_version_triggers, sender=self, dispatch_uid="parkdash.parks.data_versions")
