from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadAccess(BasePermission):
    """Logged in (a token or a session), or a read when the site allows anonymous read-only pages
    (PARKDASH_ANONYMOUS_READ). Which records: parkdash.parks.scoping.scope, in each view's queryset."""

    def has_permission(self, request, view):
        if request.user is not None and request.user.is_authenticated:
            return True
        return settings.PARKDASH_ANONYMOUS_READ and request.method in SAFE_METHODS


class ModelPermission(BasePermission):
    """The model permission a write needs (add, change, delete), as in the admin; the park is checked by the
    scoped queryset (another park's record is 404) and by the entry service (a park one may not edit)."""

    actions = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}

    def has_permission(self, request, view):
        action = self.actions.get(request.method)
        if action is None:
            return True
        opts = view.write_model._meta
        return request.user.is_authenticated and request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
