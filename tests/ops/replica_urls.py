"""ParkDash's URLs and an API-like read under /api/v1/, for tests/ops/test_replica.py (the API itself is its own
app: the replica serves any GET under /api/v1/)."""

from django.http import JsonResponse
from django.urls import path

from parkdash.indicators.models import Figure
from parkdash.urls import handler500  # noqa: F401
from parkdash.urls import urlpatterns as parkdash_urlpatterns


def figure_values(request):
    return JsonResponse(
        {"values": [str(value) for value in Figure.objects.order_by("pk").values_list("value", flat=True)]}
    )


urlpatterns = [path("api/v1/replica-test-figures/", figure_values), *parkdash_urlpatterns]
