"""Redis down is a slower site, not a broken one: with the production settings for REDIS_URL and nothing listening
there, every page still answers (each value computed from the database), a logged-in user stays logged in (the
session is kept in the database), a figure is saved, and each failed cache call is logged."""

import logging
from decimal import Decimal

import pytest

from parkdash.indicators.models import Figure
from tests.ops.test_scale import free_port, read_settings
from tests.support import make_admin, make_figure, make_indicator, make_park
from tests.support.admin import admin_form_data, admin_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(monkeypatch, settings):
    production = read_settings(monkeypatch, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    for name in ("CACHES", "SESSION_ENGINE", "DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS"):
        setattr(settings, name, production[name])
    settings.PARKDASH_LOCAL_CACHE_MB = production["PARKDASH_LOCAL_CACHE_MB"]


@pytest.fixture
def world():
    indicator = make_indicator("fixed_asset_investment")
    park = make_park()
    figure = make_figure(indicator, park, year=2023, month=6, value=Decimal("12"))
    return indicator, park, figure


def test_every_page_answers_and_a_figure_is_saved_while_redis_is_down(redis_down, world, client, caplog):
    indicator, park, figure = world
    client.force_login(make_admin())
    for url in (
        "/",
        f"/?park={park.pk}&year=2023",
        f"/indicators/{indicator.code}/?park={park.pk}",
        "/indicators/",
        f"/projects/?park={park.pk}",
        "/enterprises/",
        "/works/",
        "/admin/",
        admin_url(Figure, "change", figure.pk),
    ):
        assert client.get(url).status_code == 200, url
    url = admin_url(Figure, "change", figure.pk)
    response = client.post(url, admin_form_data(client.get(url), entered_value="12.5", value="12.5"))
    assert response.status_code == 302
    assert Figure.objects.get(pk=figure.pk).value == Decimal("12.5")
    assert client.get(f"/?park={park.pk}&year=2023").status_code == 200  # still logged in: the database's session
    ignored = [r for r in caplog.records if r.name.startswith("django_redis") and r.levelno >= logging.ERROR]
    assert ignored, "each failed cache call is logged"
