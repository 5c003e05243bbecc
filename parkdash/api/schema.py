"""The OpenAPI description of what the views do not say themselves: the two ways to authenticate and the error
answers every endpoint may give (shared components)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "parkdash.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        definition = build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")
        definition["description"] = (
            "A token an administrator (or the user, for themselves) creates in the admin under API tokens: "
            "`Authorization: Token <token>`."
        )
        return definition


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "parkdash.api.authentication.SessionAuthentication"
    name = "sessionAuth"
    priority = -1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "The browser's login session; a write also sends the CSRF token in X-CSRFToken.",
        }


Detail = inline_serializer("Error", {"detail": serializers.CharField()})

FIELD_ERRORS = {
    "type": "object",
    "description": "The parameters or fields in error, each with its messages (non_field_errors: the others).",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"year": ["Ensure this value is greater than or equal to 1949."]},
}


def error(description, schema=None):
    return OpenApiResponse(response=schema or Detail, description=description)


BAD_REQUEST = error("A parameter or field that does not fit, by name.", FIELD_ERRORS)
NOT_AUTHENTICATED = error("No credentials, or a token that is unknown, revoked or expired.")
FORBIDDEN = error("The user lacks the permission (or, for a session, the CSRF token).")
NOT_FOUND = error("No such record among the user's parks (another park's record is 404 too).")
THROTTLED = error("Too many requests: the Retry-After header says in how many seconds to try again.")

READ_ERRORS = {401: NOT_AUTHENTICATED, 429: THROTTLED}


def listing(serializer):
    return {200: serializer(many=True), 400: BAD_REQUEST, **READ_ERRORS}


def detail(serializer):
    return {200: serializer, 404: NOT_FOUND, **READ_ERRORS}
