"""Test settings: the real settings with what a test run must not depend on switched off."""

import atexit
import copy
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")

from parkdash.settings import *  # noqa: E402,F403
from parkdash.settings import REST_FRAMEWORK, STORAGES  # noqa: E402

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Assertions read in English; the product's default is zh-hans (checked in tests/core/test_i18n.py), and
# tests of the Chinese pages ask for Chinese with Accept-Language.
LANGUAGE_CODE = "en"

# Import previews wait in a folder of their own for each test process (each pytest-xdist worker, each run), so that
# parallel runs never see, claim or clear each other's pending files; removed when the process ends.
PARKDASH_IMPORT_PENDING_DIR = Path(tempfile.mkdtemp(prefix="parkdash-test-imports-"))
atexit.register(shutil.rmtree, PARKDASH_IMPORT_PENDING_DIR, ignore_errors=True)

# One local-memory cache per test process: tests never share (or leak) cached state through the database or a
# Redis another run uses. The shared cache and sessions across processes are tested in tests/ops/test_scale.py with
# the real settings, in processes of their own.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "parkdash-tests"}}
# A local-memory cache is the process's own already: no copies in front of it (parkdash/parks/versions.py
# LocalCopies), so that a test's cache.clear() makes every page cold. tests/parks/test_local_copies.py turns them on.
PARKDASH_LOCAL_CACHE_MB = 0
# Sessions in the database, whether or not the environment names a Redis (make test runs the suites with one, for
# tests/ops/test_scale.py's processes): the pinned query counts and the permission matrix's logins and logouts then
# mean the same in every run.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# The read replica. Only the routing tests turn it on (PARKDASH_READ_REPLICA = "replica"): every other test reads
# and writes the primary, in its own transaction. The alias is a test mirror of default: the same test database,
# on the standby when DATABASE_REPLICA_URL names one (scripts/with-postgres --replica), where the test database
# created on the primary streams to.
_replica = DATABASES.get("replica", DATABASES["default"])  # noqa: F405
DATABASES["replica"] = {  # noqa: F405
    **copy.deepcopy(DATABASES["default"]),  # noqa: F405
    **{key: _replica[key] for key in ("HOST", "PORT", "USER", "PASSWORD") if key in _replica},
    "TEST": {"MIRROR": "default"},
}
PARKDASH_READ_REPLICA = None

# The API's throttle counts live in the cache for the whole test process: tests that make many requests (the
# permission matrix) must not run into the production rates; tests/api/test_throttling.py sets small ones.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"api": "100000/min", "api_anonymous": "100000/min"},
}
