"""The test tiers and the test database.

Tiers (markers, registered in pyproject.toml):

- ``slow``: seconds a test, or sweeps: the permission matrix, the side doors tried by every persona, the bad-input
  corpus and the bombs, the scale tests and the demo generator, restores, concurrent applies, Hypothesis;
- ``subprocess``: starts manage.py or a script in a process of its own (check --deploy, production settings);
- ``browser``: drives Chromium (tests/browser/).

``make test-fast`` runs the unit and view tests, those marked none of them; ``make test`` runs everything.

With ``--reuse-db`` (``make test-fast``) the SQLite test database is a file kept between runs, one per
pytest-xdist worker, under .cache/test-db/; without it SQLite tests run in memory as before. ``--create-db``
rebuilds the file (after a migration was edited rather than added: new migrations are applied anyway).
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix):
    from django.conf import settings

    if not request.config.getvalue("reuse_db"):
        return
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    for alias, database in settings.DATABASES.items():
        if database["ENGINE"] == "django.db.backends.sqlite3" and not database.get("TEST", {}).get("NAME"):
            folder = ROOT / ".cache" / "test-db"
            folder.mkdir(parents=True, exist_ok=True)
            database.setdefault("TEST", {})["NAME"] = str(folder / f"{alias}-{worker}.sqlite3")


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_language_of_the_settings():
    """A request in Chinese leaves Chinese active in the thread: the next test, whichever it is (xdist and -k choose
    the order), starts in settings.LANGUAGE_CODE again."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _each_test_starts_with_an_empty_cache():
    """The data-version caches (parkdash/parks/versions.py) key values by versions that a TestCase's rollback brings
    back: without this, a test would read what the previous one cached, and its query counts would depend on the
    order (xdist and -k choose it). The local-memory cache of the test settings is cleared, and so are this process's
    copies of cached values (when a test turns them on); a shared cache, never."""
    from django.conf import settings
    from django.core.cache import cache

    from parkdash.parks import versions

    versions.local_copies().clear()
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        cache.clear()
