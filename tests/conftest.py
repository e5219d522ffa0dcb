import os

import pytest
from django.core.cache import cache

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_service(name: str, configured: bool) -> None:
    """Skip a test whose service is absent, except in CI, where an absent service is a failure."""
    if configured:
        return
    if IN_CI:
        pytest.fail(f"{name} is required in CI but not configured", pytrace=False)
    pytest.skip(f"{name} not configured")


@pytest.fixture(autouse=True)
def _isolated_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def postgres(settings):
    from django.db import connection

    require_service("PostgreSQL (DATABASE_URL)", connection.vendor == "postgresql")


@pytest.fixture
def redis_url(settings):
    require_service("Redis (REDIS_URL)", bool(settings.REDIS_URL))
    return settings.REDIS_URL
