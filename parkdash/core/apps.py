from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def keep_roles_in_sync(sender, **kwargs):
    """After every migrate, give the role groups the permissions of models added since their migration."""
    from .roles import sync_roles

    sync_roles(kwargs.get("apps"))


def create_cache_table(sender, using, verbosity=1, **kwargs):
    """After every migrate, the database cache's table (settings.CACHES without REDIS_URL): every page reads the
    cache, so a database migrated without ``createcachetable`` (a new deployment, a test or screenshot database)
    would answer 500 everywhere. createcachetable leaves an existing table alone."""
    from django.conf import settings
    from django.core.management import call_command

    if any(cache["BACKEND"].endswith("DatabaseCache") for cache in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=max(0, verbosity - 1))


class CoreConfig(AppConfig):
    name = "parkdash.core"
    verbose_name = _("Core")

    def ready(self):
        post_migrate.connect(keep_roles_in_sync, sender=self, dispatch_uid="parkdash_roles")
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="parkdash_cache_table")


class ParkDashAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with ParkDash's admin site (parkdash.core.admin.ParkDashAdminSite)."""

    default = False  # CoreConfig is this module's default
    default_site = "parkdash.core.admin.ParkDashAdminSite"
