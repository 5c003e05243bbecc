from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def keep_roles_in_sync(sender, **kwargs):
    """After every migrate, give the role groups the permissions of models added since their migration."""
    from .roles import sync_roles

    sync_roles(kwargs.get("apps"))


class CoreConfig(AppConfig):
    name = "parkdash.core"
    verbose_name = _("Core")

    def ready(self):
        post_migrate.connect(keep_roles_in_sync, sender=self, dispatch_uid="parkdash_roles")


class ParkDashAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with ParkDash's admin site (parkdash.core.admin.ParkDashAdminSite)."""

    default = False  # CoreConfig is this module's default
    default_site = "parkdash.core.admin.ParkDashAdminSite"
