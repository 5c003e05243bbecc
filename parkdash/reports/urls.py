from django.urls import path

from .views import bulletin, completion, summary

app_name = "reports"
urlpatterns = [
    path("completion/", completion.CompletionView.as_view(), name="completion"),
    path("bulletin/", bulletin.BulletinView.as_view(), name="bulletin"),
    path("summary/", summary.SummaryView.as_view(), name="summary"),
]
