"""Token authentication (django-rest-knox: only a digest of each token is stored) and session authentication."""

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import authentication, exceptions

# When a token was last used, kept in the cache (no write to the database per request); the admin lists it.
LAST_USE_KEY = "parkdash:api:token-used:{}"
LAST_USE_PRECISION = 60  # seconds: the cache is written at most once a minute per token


def last_use_key(digest):
    return LAST_USE_KEY.format(digest)


def note_use(auth_token):
    key = last_use_key(auth_token.digest)
    now = timezone.now()
    seen = cache.get(key)
    if seen is None or (now - seen).total_seconds() >= LAST_USE_PRECISION:
        cache.set(key, now, timeout=None)


def last_uses(digests):
    """{digest: datetime} of the tokens the cache remembers using."""
    found = cache.get_many([last_use_key(digest) for digest in digests])
    return {digest: found[last_use_key(digest)] for digest in digests if last_use_key(digest) in found}


class TokenAuthentication(KnoxTokenAuthentication):
    """``Authorization: Token <token>``. A token deleted in the admin (revoked) or expired is refused at once."""

    def authenticate_credentials(self, token):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        user, auth_token = super().authenticate_credentials(token)
        note_use(auth_token)
        return user, auth_token


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's login session; a write must carry the CSRF token (X-CSRFToken), as every form does."""
