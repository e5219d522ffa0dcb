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


def pytest_collection_modifyitems(config, items):
    for item in items:
        # Tests that use the `postgres` or `redis_url` fixture carry the matching marker, so the
        # embedded-defaults CI pass can deselect them explicitly (-m "not postgres and not redis")
        # instead of skipping them.
        fixtures = getattr(item, "fixturenames", ())
        if "postgres" in fixtures:
            item.add_marker(pytest.mark.postgres)
        if "redis_url" in fixtures:
            item.add_marker(pytest.mark.redis)
        # Every transactional test restores the migrated reference data (license types, groups,
        # holidays) after its flush. Mixing serialized and plain transactional tests breaks: a
        # plain test's flush re-creates content types under new ids, and the next serialized
        # test then fails to restore its own copies.
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}), append=False)


@pytest.fixture(autouse=True)
def _isolated_cache():
    # Cleared before each test only: a test may leave the cache pointing at a closed port.
    cache.clear()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _register_version_read_every_time(settings):
    # Each test starts from a cleared cache: no process may trust a version read before it.
    settings.REGISTRY_VERSION_POLL_SECONDS = 0


@pytest.fixture
def postgres(settings):
    from django.db import connection

    require_service("PostgreSQL (DATABASE_URL)", connection.vendor == "postgresql")


@pytest.fixture
def redis_url(settings):
    require_service("Redis (REDIS_URL)", bool(settings.REDIS_URL))
    return settings.REDIS_URL


@pytest.fixture(autouse=True, scope="session")
def _flush_through_audit_triggers():
    """Let the test runner's flush, and only it, empty the append-only audit table.

    Transactional tests (``django_db(transaction=True)``) are cleaned up with TRUNCATE on PostgreSQL
    and DELETE on SQLite, which the triggers of audit/migrations/0002_append_only.py refuse. The flush
    disables them for its own statements, inside its own transaction, and restores them.
    """
    import importlib

    from django.core.management.commands import flush

    append_only = importlib.import_module("audit.migrations.0002_append_only")
    original = flush.sql_flush

    def sql_flush(style, connection, **kwargs):
        statements = original(style, connection, **kwargs)
        if not any("audit_auditentry" in statement for statement in statements):
            return statements
        if connection.vendor == "postgresql":
            return [
                "ALTER TABLE audit_auditentry DISABLE TRIGGER USER;",
                *statements,
                "ALTER TABLE audit_auditentry ENABLE TRIGGER USER;",
            ]
        if connection.vendor == "sqlite":
            return [*append_only.SQLITE_BACKWARD, *statements, *append_only.SQLITE_FORWARD]
        return statements

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush, "sql_flush", sql_flush)
        yield
