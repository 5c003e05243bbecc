"""The admin's sidebar (templates/admin/nav_sidebar.html), its list of apps and models cached under the data versions
of the user's permissions and parks."""

from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from parkdash.parks import versions

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_app_list(context):
    """The sidebar's list of apps and models (Django's admin/app_list.html, as admin/nav_sidebar.html includes it),
    cached for the user, the language and the app and model of the page, under the data versions of the user's
    permissions and parks (``u<id>``, ``auth``, ``parks``): a change of any of them gives a new key. Listing the
    apps asks every model admin for the user's permissions, and the list is most of the rows of a form page."""
    request = context["request"]
    user_id = versions.session_user_id(request)
    if user_id is None or not versions.auth_readable():
        return app_list_html(context)
    keys = (versions.AUTH, versions.user_key(user_id), versions.PARKS)
    parts = (user_id, versions.language(), current_place(request))
    html = versions.cached(
        "nav-app-list", versions.for_request(request).get(*keys), parts, lambda: app_list_html(context)
    )
    return mark_safe(html)


def app_list_html(context):
    """Django's admin/app_list.html as its admin/nav_sidebar.html includes it: ``{% include 'admin/app_list.html' with
    app_list=available_apps show_changelinks=False %}``."""
    with context.push(app_list=context["available_apps"], show_changelinks=False):
        return context.template.engine.get_template("admin/app_list.html").render(context)


def current_place(request):
    """What of the page's path decides which app and model app_list.html marks as current (``app_url in
    request.path|urlencode``, ``admin_url in …``): the admin's URLs are the index's URL followed by ``<app>/`` or
    ``<app>/<model>/``, so when the path holds the index's URL once, at its start, only its next two segments
    matter (``indicators/figure/`` for every page of a figure); otherwise the whole path."""
    path = quote(request.path, safe="/")
    index = reverse("admin:index", current_app=getattr(request, "current_app", None))
    if not path.startswith(index) or path.count(index) != 1:
        return path
    parts = path[len(index) :].split("/", 2)
    return "/".join(parts[:2]) + ("/" if len(parts) == 3 else "")
