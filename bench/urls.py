"""The app's URLs plus the benchmark's baseline: a trivial view (no query, tiny template)."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

TINY = engines["django"].from_string("<p>{{ word }}</p>")


def trivial(request):
    return HttpResponse(TINY.render({"word": "ok"}))


urlpatterns = [path("bench/trivial/", trivial), path("", include("parkdash.urls"))]
