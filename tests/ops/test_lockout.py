"""Login protection (django-axes): repeated failed logins lock the user name out, on both login forms, and many
user names tried from one address lock that address out."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests.support import EnglishTestCase

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
PASSWORD = "correct horse battery staple"


class LoginTestCase(EnglishTestCase):
    """Two users, and helpers that log in and check the outcome."""

    @classmethod
    def setUpTestData(cls):
        User = get_user_model()
        cls.victim = User.objects.create_user("victim", password=PASSWORD, is_staff=True)
        cls.bystander = User.objects.create_user("bystander", password=PASSWORD, is_staff=True)

    def log_in(self, username, password, url=LOGIN, address="127.0.0.1"):
        return self.client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)

    def fail(self, times, username="victim", url=LOGIN, address="127.0.0.1", already=0):
        """``times`` failed logins; the one that reaches the limit (5) already answers with the lockout page."""
        for attempt in range(already, already + times):
            response = self.log_in(username, f"wrong-{attempt}", url, address)
            if attempt + 1 < 5:
                self.assertEqual(response.status_code, 200, f"failed attempt {attempt + 1}: the form again")
                self.assertContains(response, 'name="password"')  # the form again, with its error
            else:
                self.assert_locked_out(response)
            self.assertNotIn("_auth_user_id", self.client.session)

    def assert_locked_out(self, response):
        self.assertIn(response.status_code, (403, 429))
        self.assertTemplateUsed(response, "registration/locked_out.html")
        self.assertContains(response, "Too many failed logins", status_code=response.status_code)
        self.assertContains(response, "60 minutes", status_code=response.status_code)
        self.assertNotIn("_auth_user_id", self.client.session)

    def assert_logged_in(self, response, user):
        self.assertEqual(response.status_code, 302, response.content[:500])
        self.assertEqual(self.client.session["_auth_user_id"], str(user.pk))
        self.client.logout()


class LockoutTestCase(LoginTestCase):
    def test_five_failures_lock_the_user_out_even_with_the_right_password(self):
        self.fail(5)
        self.assert_locked_out(self.log_in("victim", PASSWORD))

    def test_four_failures_do_not_and_a_success_resets_the_count(self):
        self.fail(4)
        self.assert_logged_in(self.log_in("victim", PASSWORD), self.victim)
        self.fail(4)
        self.assert_logged_in(self.log_in("victim", PASSWORD), self.victim)

    def test_another_user_and_another_address_are_not_affected(self):
        self.fail(5)
        self.assert_logged_in(self.log_in("bystander", PASSWORD), self.bystander)
        # Lockout is per user name *and* address: the victim can still log in from elsewhere.
        self.assert_logged_in(self.log_in("victim", PASSWORD, address="10.0.0.7"), self.victim)
        self.assert_locked_out(self.log_in("victim", PASSWORD))

    def test_the_admin_login_is_protected_too(self):
        self.fail(5, url=ADMIN_LOGIN)
        self.assert_locked_out(self.log_in("victim", PASSWORD, url=ADMIN_LOGIN))
        # The same count covers both forms.
        self.assert_locked_out(self.log_in("victim", PASSWORD, url=LOGIN))

    def test_failures_on_both_forms_add_up(self):
        self.fail(3, url=LOGIN)
        self.fail(2, url=ADMIN_LOGIN, already=3)
        self.assert_locked_out(self.log_in("victim", PASSWORD))

    def test_axes_reset_unlocks(self):
        self.fail(5)
        self.assert_locked_out(self.log_in("victim", PASSWORD))
        call_command("axes_reset", verbosity=0)
        self.assert_logged_in(self.log_in("victim", PASSWORD), self.victim)

    def test_axes_reset_username_unlocks_one_user(self):
        self.fail(5)
        call_command("axes_reset_username", "victim", verbosity=0)
        self.assert_logged_in(self.log_in("victim", PASSWORD), self.victim)

    def test_the_lock_lifts_after_the_cool_off_time(self):
        from datetime import timedelta

        from axes.models import AccessAttempt

        self.fail(5)
        self.assert_locked_out(self.log_in("victim", PASSWORD))
        AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(hours=2))
        self.assert_logged_in(self.log_in("victim", PASSWORD), self.victim)

    @override_settings(PARKDASH_CLIENT_IP_HEADER="X-Real-IP")
    def test_behind_the_proxy_the_proxy_header_names_the_address(self):
        # Every request comes from the proxy (REMOTE_ADDR 127.0.0.1); the proxy's header tells the clients apart.
        for attempt in range(5):
            self.client.post(
                LOGIN, {"username": "victim", "password": f"wrong-{attempt}"}, HTTP_X_REAL_IP="203.0.113.9"
            )
        self.assert_locked_out(
            self.client.post(LOGIN, {"username": "victim", "password": PASSWORD}, HTTP_X_REAL_IP="203.0.113.9")
        )
        # Another client behind the same proxy is not locked out.
        self.assert_logged_in(
            self.client.post(LOGIN, {"username": "victim", "password": PASSWORD}, HTTP_X_REAL_IP="198.51.100.4"),
            self.victim,
        )


class PasswordSprayingTestCase(LoginTestCase):
    """Many user names tried from one address: each stays under the per-user limit, the address as a whole not."""

    ADDRESS_LIMIT = 20

    def spray(self, names, address="203.0.113.66"):
        """One failed login for each user name; returns the last response."""
        response = None
        for name in names:
            response = self.log_in(name, "Summer2024!", address=address)
        return response

    @pytest.mark.subprocess
    def test_the_address_limit_is_higher_than_the_per_user_limit_and_configurable(self):
        from django.conf import settings

        from .test_deploy import PRODUCTION, manage

        self.assertEqual(settings.PARKDASH_LOGIN_ADDRESS_FAILURE_LIMIT, self.ADDRESS_LIMIT)
        self.assertGreater(settings.PARKDASH_LOGIN_ADDRESS_FAILURE_LIMIT, settings.AXES_FAILURE_LIMIT)
        result = manage(
            "shell",
            "-c",
            "from django.conf import settings; print(settings.PARKDASH_LOGIN_ADDRESS_FAILURE_LIMIT)",
            **PRODUCTION,
            PARKDASH_LOGIN_ADDRESS_FAILURE_LIMIT="50",
        )
        self.assertEqual(result.stdout.split()[-1:], ["50"], result.stderr)

    def test_failures_across_many_user_names_lock_the_address_out(self):
        names = [f"guess{i}" for i in range(self.ADDRESS_LIMIT - 1)]
        response = self.spray(names)
        self.assertEqual(response.status_code, 200, "one short of the limit: the form again")
        self.assert_locked_out(self.spray(["guess-last"]))
        # Now even a real user with the right password is refused from that address …
        response = self.log_in("victim", PASSWORD, address="203.0.113.66")
        self.assert_locked_out(response)
        self.assertContains(response, "from your address, for several user names", status_code=429)
        # … while the same user from another address logs in.
        self.assert_logged_in(self.log_in("victim", PASSWORD, address="198.51.100.4"), self.victim)

    def test_the_address_limit_covers_both_login_forms(self):
        self.spray([f"guess{i}" for i in range(10)])
        for i in range(10, self.ADDRESS_LIMIT):
            self.log_in(f"guess{i}", "x", url=ADMIN_LOGIN, address="203.0.113.66")
        self.assert_locked_out(self.log_in("victim", PASSWORD, url=ADMIN_LOGIN, address="203.0.113.66"))

    def test_a_colleagues_successful_login_does_not_reset_the_address_count(self):
        self.spray([f"guess{i}" for i in range(self.ADDRESS_LIMIT - 1)])
        self.assert_logged_in(self.log_in("bystander", PASSWORD, address="203.0.113.66"), self.bystander)
        self.assert_locked_out(self.spray(["guess-last"]))

    def test_a_users_own_typos_are_forgiven_by_their_successful_login(self):
        # An office behind one address: the victim mistypes four times, then logs in; those four no longer count.
        self.fail(4, address="203.0.113.66")
        self.assert_logged_in(self.log_in("victim", PASSWORD, address="203.0.113.66"), self.victim)
        response = self.spray([f"guess{i}" for i in range(self.ADDRESS_LIMIT - 1)])
        self.assertEqual(response.status_code, 200)
        self.assert_logged_in(self.log_in("bystander", PASSWORD, address="203.0.113.66"), self.bystander)

    def test_the_per_user_lockout_still_comes_first(self):
        self.fail(5, address="203.0.113.66")
        self.assert_locked_out(self.log_in("victim", PASSWORD, address="203.0.113.66"))
        response = self.log_in("bystander", PASSWORD, address="203.0.113.66")
        self.assert_logged_in(response, self.bystander)

    def test_axes_reset_ip_unlocks_the_address(self):
        self.spray([f"guess{i}" for i in range(self.ADDRESS_LIMIT)])
        self.assert_locked_out(self.log_in("victim", PASSWORD, address="203.0.113.66"))
        call_command("axes_reset_ip", "203.0.113.66", verbosity=0)
        self.assert_logged_in(self.log_in("victim", PASSWORD, address="203.0.113.66"), self.victim)

    @override_settings(PARKDASH_LOGIN_ADDRESS_FAILURE_LIMIT=0)
    def test_zero_turns_the_address_limit_off(self):
        self.spray([f"guess{i}" for i in range(self.ADDRESS_LIMIT * 2)])
        self.assert_logged_in(self.log_in("victim", PASSWORD, address="203.0.113.66"), self.victim)

    @override_settings(PARKDASH_CLIENT_IP_HEADER="X-Real-IP")
    def test_behind_the_proxy_each_client_address_has_its_own_count(self):
        for i in range(self.ADDRESS_LIMIT):
            self.client.post(LOGIN, {"username": f"guess{i}", "password": "x"}, HTTP_X_REAL_IP="203.0.113.9")
        self.assert_locked_out(
            self.client.post(LOGIN, {"username": "victim", "password": PASSWORD}, HTTP_X_REAL_IP="203.0.113.9")
        )
        self.assert_logged_in(
            self.client.post(LOGIN, {"username": "victim", "password": PASSWORD}, HTTP_X_REAL_IP="198.51.100.4"),
            self.victim,
        )
