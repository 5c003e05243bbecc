from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.FigureListView.as_view(), name="figure_list"),
    path("<slug:code>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
]
