"""API tokens in the admin: an administrator creates a token for any user, any other staff user for themselves.

The token is shown once, on the page after saving (it waits in the server-side session, never in a cookie); only
its digest is stored (django-rest-knox), and the list shows its first characters, its user, when it was created,
when it expires and when it was last used. Revoking is deleting it (one or several at once): a request with a
revoked token is refused at once (401).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from knox.models import get_digest_token
from knox.settings import CONSTANTS

from .authentication import last_uses
from .models import APIToken

NEW_TOKEN_SESSION_KEY = "parkdash_api_new_token"


def manages_every_token(user):
    """Administrators (who manage users) create and revoke the tokens of every user; others only their own."""
    return user.is_active and (user.is_superuser or user.has_perm("auth.change_user"))


class APITokenForm(forms.ModelForm):
    class Meta:
        model = APIToken
        fields = ["user", "expiry"]
        labels = {"user": capfirst(_("user")), "expiry": capfirst(_("expires"))}
        help_texts = {
            "user": _("The token reads and writes exactly what this user may: their parks, their permissions."),
            "expiry": _("Leave empty for a token that does not expire (revoke it by deleting it)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            self.fields["user"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")

    def clean_expiry(self):
        expiry = self.cleaned_data.get("expiry")
        if expiry is not None and expiry <= timezone.now():
            raise forms.ValidationError(_("The expiry must be in the future."))
        return expiry


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    form = APITokenForm
    list_display = ["prefix", "user", "created", "expiry", "last_used"]
    list_select_related = ["user"]
    search_fields = ["token_key", "user__username"]
    ordering = ["-created"]
    readonly_fields = ["prefix", "user", "created", "expiry", "last_used"]

    # ---- who may do what: every staff user with their own tokens, administrators with everybody's ----------

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def owns(self, request, obj):
        return obj is None or obj.user_id == request.user.pk or manages_every_token(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and self.owns(request, obj)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return False  # a token is created or revoked, never edited

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request) and self.owns(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if manages_every_token(request.user):
            return queryset
        return queryset.filter(user=request.user)

    # ---- the forms --------------------------------------------------------------------------------------

    def get_fields(self, request, obj=None):
        if obj is not None:
            return self.readonly_fields
        return ["user", "expiry"] if manages_every_token(request.user) else ["expiry"]

    def get_changeform_initial_data(self, request):
        # Most tokens are made by their user: an administrator's form starts with themselves chosen.
        return {"user": request.user.pk, **super().get_changeform_initial_data(request)}

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        if not manages_every_token(request.user) or obj.user_id is None:
            obj.user = request.user
        digest, token = get_digest_token()
        obj.digest, obj.token_key = digest, token[: CONSTANTS.TOKEN_KEY_LENGTH]
        obj.save()
        # Shown once, by the next page (changelist_view): kept in the session (server side), not in a cookie.
        request.session[NEW_TOKEN_SESSION_KEY] = token

    def response_add(self, request, obj, post_url_continue=None):
        return self.response_post_save_add(request, obj)

    def changelist_view(self, request, extra_context=None):
        token = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
        if token:
            messages.warning(
                request,
                format_html(
                    "{} <code class='api-token'>{}</code>",
                    gettext("The new API token, shown this once only: copy it now."),
                    token,
                ),
            )
        return super().changelist_view(request, extra_context)

    # ---- columns -------------------------------------------------------------------------------------------

    @admin.display(description=_("token"), ordering="token_key")
    def prefix(self, obj):
        return obj.token_key + "…"

    @admin.display(description=_("last used"))
    def last_used(self, obj):
        uses = getattr(self, "_uses", None)
        if uses is None or obj.digest not in uses:
            uses = last_uses([obj.digest])
        return uses.get(obj.digest)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        self._uses = last_uses([token.digest for token in changelist.result_list])
        return changelist
