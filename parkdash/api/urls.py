from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import docs, figures, views

app_name = "api"

router = SimpleRouter()
router.register("figures", figures.FigureViewSet, basename="figure")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("parks", views.ParkViewSet, basename="park")
router.register("zones", views.ZoneViewSet, basename="zone")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("works", views.WorkViewSet, basename="work")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.DocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
