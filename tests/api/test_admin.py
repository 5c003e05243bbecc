"""API tokens in the admin: an administrator creates one for any user, a staff user for themselves only; the token
is shown once, after saving, and only its digest is stored; revoking (deleting, one or in bulk) refuses it at once."""

import re

from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse
from knox.crypto import hash_token

from parkdash.api.models import APIToken
from tests.support import EnglishTestCase, World

from .helpers import body, make_token, token_client

CHANGELIST = reverse("admin:api_apitoken_changelist")
ADD = reverse("admin:api_apitoken_add")
PROJECTS = reverse("api:project-list")
SHOWN = re.compile(r"<code class=.api-token.>([0-9a-f]{64})</code>")


@override_settings(PARKDASH_ANONYMOUS_READ=False)
class TokenAdminTests(World, EnglishTestCase):
    def create(self, user, data):
        """Log in as ``user``, add a token with ``data``; (the page after saving, the token it shows or None)."""
        self.client.force_login(user)
        response = self.client.post(ADD, {"expiry_0": "", "expiry_1": "", **data}, follow=True)
        found = SHOWN.search(response.content.decode())
        return response, found and found.group(1)

    def test_an_administrator_creates_a_token_for_another_user_shown_once_and_stored_as_a_digest(self):
        response, token = self.create(self.administrator, {"user": self.editor_b.pk})
        self.assertEqual(response.status_code, 200)
        self.assertIsNotNone(token, "the token is shown on the page after saving")
        row = APIToken.objects.get()
        self.assertEqual(row.user, self.editor_b)
        self.assertEqual(row.digest, hash_token(token))
        self.assertNotIn(token, [str(value) for value in APIToken.objects.values_list("digest", "token_key")[0]])
        # Never again: not on the list, not on the token's own page.
        self.assertNotContains(self.client.get(CHANGELIST), token)
        self.assertNotContains(self.client.get(reverse("admin:api_apitoken_change", args=[row.pk])), token)
        self.assertContains(self.client.get(CHANGELIST), row.token_key + "…")
        # The token reads as editor_b.
        results = body(token_client(token).get(PROJECTS))["results"]
        self.assertEqual([project["name"] for project in results], ["乙污水处理厂"])

    def test_an_administrators_add_form_starts_with_themselves_chosen(self):
        self.client.force_login(self.administrator)
        form = self.client.get(ADD).context["adminform"].form
        self.assertEqual(form["user"].value(), self.administrator.pk)
        self.assertEqual(str(form.fields["user"].label), "User")

    def test_the_token_never_travels_in_a_cookie(self):
        self.client.force_login(self.administrator)
        response = self.client.post(ADD, {"user": self.editor_a.pk, "expiry_0": "", "expiry_1": ""})
        self.assertEqual(response.status_code, 302)
        row = APIToken.objects.get()
        cookies = " ".join(morsel.value for morsel in response.cookies.values())
        self.assertNotIn(row.token_key, cookies)
        self.assertEqual([str(m) for m in get_messages(response.wsgi_request) if row.token_key in str(m)], [])

    def test_a_staff_user_creates_a_token_for_themselves_only(self):
        _response, token = self.create(self.editor_a, {"user": self.editor_b.pk})
        self.assertIsNotNone(token)
        self.assertEqual(APIToken.objects.get().user, self.editor_a)
        self.assertNotContains(self.client.get(ADD), 'name="user"')

    def test_a_staff_user_sees_and_revokes_only_their_own_tokens(self):
        mine, _token = make_token(self.editor_a)
        theirs, _token = make_token(self.editor_b)
        self.client.force_login(self.editor_a)
        page = self.client.get(CHANGELIST)
        self.assertContains(page, mine.token_key)
        self.assertNotContains(page, theirs.token_key)
        self.assertEqual(self.client.get(reverse("admin:api_apitoken_delete", args=[theirs.pk])).status_code, 302)
        self.client.post(
            CHANGELIST, {"action": "delete_selected", "post": "yes", "_selected_action": [mine.pk, theirs.pk]}
        )
        self.assertEqual(list(APIToken.objects.all()), [theirs])

    def test_a_user_without_staff_status_has_no_token_admin(self):
        self.client.force_login(self.viewer_a)
        self.assertEqual(self.client.get(CHANGELIST).status_code, 302)
        self.assertFalse(APIToken.objects.exists())

    def test_revoking_in_the_admin_refuses_the_token_at_once(self):
        row, token = make_token(self.editor_a)
        client = token_client(token)
        self.assertEqual(client.get(PROJECTS).status_code, 200)
        self.client.force_login(self.administrator)
        response = self.client.post(reverse("admin:api_apitoken_delete", args=[row.pk]), {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(client.get(PROJECTS).status_code, 401)

    def test_bulk_revoke_refuses_every_selected_token(self):
        rows = [make_token(user) for user in (self.editor_a, self.editor_b, self.viewer_a)]
        self.client.force_login(self.administrator)
        self.client.post(
            CHANGELIST,
            {"action": "delete_selected", "post": "yes", "_selected_action": [row.pk for row, _t in rows[:2]]},
        )
        statuses = [token_client(token).get(PROJECTS).status_code for _row, token in rows]
        self.assertEqual(statuses, [401, 401, 200])

    def test_the_list_shows_when_a_token_was_last_used(self):
        row, token = make_token(self.editor_a)
        self.client.force_login(self.administrator)
        self.assertContains(self.client.get(CHANGELIST), '<td class="field-last_used">-</td>', html=False)
        token_client(token).get(PROJECTS)
        page = self.client.get(CHANGELIST).content.decode()
        self.assertNotIn('<td class="field-last_used">-</td>', page)

    def test_knoxs_own_token_admin_is_replaced_by_ours(self):
        from django.contrib import admin
        from knox.models import AuthToken

        self.assertFalse(admin.site.is_registered(AuthToken))
        self.assertTrue(admin.site.is_registered(APIToken))

    def test_an_expiry_in_the_past_is_refused(self):
        self.client.force_login(self.administrator)
        response = self.client.post(ADD, {"user": self.editor_a.pk, "expiry_0": "2020-01-01", "expiry_1": "00:00"})
        self.assertContains(response, "The expiry must be in the future.")
        self.assertFalse(APIToken.objects.exists())
