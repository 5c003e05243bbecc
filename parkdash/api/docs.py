"""The API's documentation page: Swagger UI from the project's own static files (drf-spectacular-sidecar), in
the split view (the page and its start script are two requests) so that it runs under the Content-Security-Policy,
which allows no inline script or style (tests/browser/test_api_docs.py checks it in Chromium)."""

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny


@method_decorator(never_cache, name="dispatch")
# Swagger UI's stylesheet draws its icons as data: SVG images; on this page only, images may be data: URLs (an
# image runs no script). Scripts and styles stay 'self' only.
@method_decorator(csp_update({"img-src": ["data:"]}), name="dispatch")
class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/docs.html"
    title = "ParkDash API"
    permission_classes = [AllowAny]
