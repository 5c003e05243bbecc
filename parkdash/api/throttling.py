"""Requests per token, per user (a session) and per address (anonymous), counted in Django's default cache
(shared by every server when the cache is Redis). Rates: settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
(PARKDASH_API_RATE, PARKDASH_API_ANONYMOUS_RATE)."""

from django.conf import settings
from knox.models import AuthToken
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class ClientRateThrottle(SimpleRateThrottle):
    """One count per API client: the token of a token request (two tokens of one user count apart), the user of
    a session, the address of an anonymous request."""

    cache_format = "parkdash:api:throttle:%(scope)s:%(ident)s"

    def __init__(self):
        # The rate depends on the request (anonymous or not): chosen in allow_request.
        pass

    def get_rate(self):
        # Read now, not when the module was imported: the settings may have changed (tests, reload).
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.scope = "api" if request.user is not None and request.user.is_authenticated else "api_anonymous"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, AuthToken):
            ident = "token:" + request.auth.digest
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            address = getattr(settings, "AXES_CLIENT_IP_CALLABLE", None)
            ident = "address:" + str((address(request) if callable(address) else None) or self.get_ident(request))
        return self.cache_format % {"scope": self.scope, "ident": ident}
