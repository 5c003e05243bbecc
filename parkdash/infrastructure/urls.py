from django.urls import path

from . import views

app_name = "infrastructure"
urlpatterns = [
    path("", views.WorkListView.as_view(), name="work_list"),
]
