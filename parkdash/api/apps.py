from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "parkdash.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from django.contrib import admin
        from knox.models import AuthToken

        from . import schema  # noqa: F401  (the OpenAPI extensions register themselves)

        # knox registers its own token admin (showing digests, creating tokens for anyone): ours replaces it.
        if admin.site.is_registered(AuthToken):
            admin.site.unregister(AuthToken)
