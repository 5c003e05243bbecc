"""Test settings: the real settings with what a test run must not depend on switched off."""

import atexit
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

# The API's throttle counts live in the cache for the whole test process: tests that make many requests (the
# permission matrix) must not run into the production rates; tests/api/test_throttling.py sets small ones.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"api": "100000/min", "api_anonymous": "100000/min"},
}
