from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("quality/", views.QualityView.as_view(), name="quality"),
]
