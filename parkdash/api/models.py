"""API tokens: django-rest-knox's tokens (only a digest stored) under ParkDash's name, for the admin."""

from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken


class APIToken(AuthToken):
    """A token a user's programs authenticate with (``Authorization: Token …``): the user's parks and permissions,
    nothing more. Shown once when created; revoked by deleting it."""

    class Meta:
        proxy = True
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.token_key}… ({self.user})"
