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
    path("api/v1/", include("parkdash.api.urls", namespace="api")),
]


# The 400, 403 and 404 pages are Django's views with templates/400.html, 403.html and 404.html (in the site's look,
# translated); the 500 page is rendered without the request or the database, and cannot fail.
# Under /api/ every one of them answers JSON instead (parkdash/api/errors.py hands the others on to those views).
handler400 = "parkdash.api.errors.bad_request"
handler403 = "parkdash.api.errors.permission_denied"
handler404 = "parkdash.api.errors.page_not_found"
handler500 = "parkdash.api.errors.server_error"
