"""What the API tests share: a token for a user, a client that sends it, the endpoints, the JSON of a response."""

import json

from knox.models import AuthToken

from tests.support import EnglishClient

# Every list endpoint of /api/v1/ and the record of a park (tests.support.World) its detail is filled with.
ENDPOINTS = {
    "figures": "figure",
    "indicators": None,
    "parks": "park",
    "zones": "zone",
    "projects": "project",
    "enterprises": "enterprise",
    "works": "work",
}


def make_token(user, **kwargs):
    """A new token of ``user``: (the AuthToken row, the token string a client sends)."""
    return AuthToken.objects.create(user=user, expiry=kwargs.pop("expiry", None), **kwargs)


def token_client(token, language="en"):
    return EnglishClient(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE=language)


def body(response):
    """The decoded JSON of ``response`` (it must be JSON)."""
    assert response["Content-Type"].startswith("application/json"), (response.status_code, response["Content-Type"])
    return json.loads(response.content)
