from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("parkdash.dashboard.urls")),
    path("indicators/", include("parkdash.indicators.urls")),
    path("projects/", include("parkdash.projects.urls")),
    path("enterprises/", include("parkdash.enterprises.urls")),
    path("works/", include("parkdash.infrastructure.urls")),
    path("reports/", include("parkdash.reports.urls")),
]


# The 400, 403 and 404 pages are Django's views with templates/400.html, 403.html and 404.html (in the site's look,
# translated); the 500 page is rendered without the request or the database, and cannot fail.
handler500 = "parkdash.core.errors.server_error"
