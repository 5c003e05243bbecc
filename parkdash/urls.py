from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from parkdash.core.admin import view_on_site

urlpatterns = [
    # Ahead of the admin's own "view on site" shortcut, which checks no permission (admin:view_on_site links here).
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("parkdash.dashboard.urls")),
    path("indicators/", include("parkdash.indicators.urls")),
    path("projects/", include("parkdash.projects.urls")),
    path("enterprises/", include("parkdash.enterprises.urls")),
    path("works/", include("parkdash.infrastructure.urls")),
]

admin.site.site_header = _("ParkDash administration")
admin.site.site_title = "ParkDash"
admin.site.index_title = _("Data entry")

# The 400, 403 and 404 pages are Django's views with templates/400.html, 403.html and 404.html (in the site's look,
# translated); the 500 page is rendered without the request or the database, and cannot fail.
handler500 = "parkdash.core.errors.server_error"
