"""Error views: the 500 page that cannot fail, and a CSRF failure page that says what to do.

The 400, 403 and 404 pages are Django's own views with ParkDash's templates (templates/400.html …); see
parkdash/urls.py for the handlers and settings.CSRF_FAILURE_VIEW.
"""

import logging

from django.http import HttpResponseForbidden, HttpResponseServerError
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

# When even templates/500.html cannot be rendered: both languages, nothing to load.
PLAIN_SERVER_ERROR = """<!DOCTYPE html>
<html lang="zh-hans"><head><meta charset="utf-8"><title>服务器错误 · Server error (500) · ParkDash</title></head>
<body><h1>服务器错误 · Server error (500)</h1>
<p>服务器出现了问题，请稍后重试。 · Something went wrong on our side; please try again in a moment.</p>
<p><a href="/">返回总览 · Back to the overview</a></p></body></html>
"""


def server_error(request):
    """templates/500.html, rendered without the request (no context processor, no database); a plain page if
    that fails too, never a traceback or an empty answer."""
    try:
        return defaults.server_error(request)
    except Exception:
        logger.exception("templates/500.html could not be rendered")
        return HttpResponseServerError(PLAIN_SERVER_ERROR)


def csrf_failure(request, reason=""):
    """templates/403_csrf.html, telling a missing cookie (allow cookies) from an expired token (reload)."""
    body = loader.render_to_string("403_csrf.html", {"no_cookie": reason == REASON_NO_CSRF_COOKIE}, request)
    return HttpResponseForbidden(body)
