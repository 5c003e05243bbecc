"""Every answer under /api/ is JSON, errors included: DRF's exceptions through :func:`exception_handler`, and
Django's own 400, 403, 404 and 500 (a URL the API does not have, an error outside a view) through the handlers
parkdash/urls.py names, which give the site's HTML pages everywhere else.

Shapes: ``{"detail": "…"}`` (401, 403, 404, 405, 409, 429, 500), ``{"field": ["…"]}`` (400). Messages are in the
request's language (Accept-Language: zh-hans by default, en).
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from django.views import defaults
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from parkdash.core.errors import server_error as site_server_error

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def is_api(request):
    return request is not None and request.path.startswith(API_PREFIX)


def exception_handler(exc, context):
    """DRF's handler, with Django's 404 and 403 in DRF's translated words (not "No Figure matches the given
    query."), and a validation error that is not about fields named ``non_field_errors``."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError) and isinstance(response.data, list):
        response.data = {"non_field_errors": response.data}
    return response


def json_error(status, message):
    return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})


def bad_request(request, exception, template_name="400.html"):
    if is_api(request):
        return json_error(400, gettext("Bad request."))
    return defaults.bad_request(request, exception)


def permission_denied(request, exception, template_name="403.html"):
    if is_api(request):
        return json_error(403, gettext("You do not have permission to perform this action."))
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception, template_name="404.html"):
    if is_api(request):
        return json_error(404, gettext("Not found."))
    return defaults.page_not_found(request, exception)


def server_error(request, template_name="500.html"):
    """JSON under /api/ (no template, no database: it cannot fail), the site's 500 page elsewhere."""
    if is_api(request):
        try:
            return json_error(500, gettext("A server error occurred."))
        except Exception:  # pragma: no cover - translation machinery broken
            logger.exception("the API's 500 answer could not be built")
            return JsonResponse({"detail": "A server error occurred."}, status=500)
    return site_server_error(request)
