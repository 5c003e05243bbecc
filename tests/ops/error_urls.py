"""ParkDash's URLs, its error handlers, and views that fail in each way, for tests/ops/test_error_pages.py."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from parkdash.urls import handler500  # noqa: F401
from parkdash.urls import urlpatterns as parkdash_urlpatterns


def bad_request(request):
    raise SuspiciousOperation("internal detail: a tampered value")


def forbidden(request):
    raise PermissionDenied("internal detail: rule 42")


def crash(request):
    raise RuntimeError("internal detail: the database password is hunter2")


urlpatterns = [
    path("test-errors/400/", bad_request),
    path("test-errors/403/", forbidden),
    path("test-errors/500/", crash),
    *parkdash_urlpatterns,
]
