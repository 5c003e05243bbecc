"""Logging in: every page needs it, and the login form leads to the overview."""

from urllib.parse import parse_qs, urlparse

import pytest

from .conftest import USERNAME, log_in

pytestmark = pytest.mark.browser


def test_logging_in_through_the_form_lands_on_the_overview(page, dashboard, live_server, browsing):
    log_in(page)
    assert page.url == live_server.url + "/"
    assert page.inner_text(".topbar .user") == USERNAME
    assert page.locator("article.card").count() > 0
    assert browsing.problems() == []


def test_an_anonymous_visit_to_the_overview_redirects_to_the_login_page(page, dashboard, browsing):
    response = page.goto("/")
    url = urlparse(page.url)
    assert url.path == "/accounts/login/"
    assert parse_qs(url.query)["next"] == ["/"]
    assert response.request.redirected_from is not None  # a redirect, not a login form served at /
    assert page.locator("#id_username").is_visible()
    assert page.locator("article.card").count() == 0
    assert browsing.problems() == []


def test_a_wrong_password_stays_on_the_login_page(page, dashboard):
    log_in(page, password="not-the-password")
    assert urlparse(page.url).path == "/accounts/login/"
    assert page.locator(".login-card .error").is_visible()
