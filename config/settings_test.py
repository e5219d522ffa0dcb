"""Test settings: the production settings with test-only overrides, nothing else.

DATABASE_URL and REDIS_URL still choose PostgreSQL and Redis (as in CI); without them the suite runs
on SQLite and in-memory equivalents.
"""

import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import DATABASES, STORAGES

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not the default in-memory database: the browser tests' live server answers from
    # other threads, which an in-memory SQLite connection cannot be shared with cleanly.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.mkdtemp(prefix="portal-test-db-")) / "test.sqlite3")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Tasks queued by code under test run in-process; tests that need a real worker start one
# against a real broker explicitly (tests/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

DOCUMENT_STORAGE_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-documents-"))
STORAGES = {
    **STORAGES,
    "documents": {
        **STORAGES["documents"],
        "OPTIONS": {**STORAGES["documents"]["OPTIONS"], "location": DOCUMENT_STORAGE_ROOT},
    },
}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

STATIC_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-static-"))

STAFF_REQUIRE_2FA = False
API_RATE_LIMIT = 0
LANGUAGE_CODE = "en"
