"""The API's documentation page: Swagger UI from the project's own static files (drf-spectacular-sidecar), in
the split view (the page and its start script are two requests) so that it runs under the Content-Security-Policy,
which allows no inline script or style."""

from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny


@method_decorator(never_cache, name="dispatch")
class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/docs.html"
    title = "ParkDash API"
    permission_classes = [AllowAny]
