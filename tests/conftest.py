import os
import secrets
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import transaction

from audit.privileges import runtime_role_grant

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


class DatabaseRoles:
    """On PostgreSQL the suite runs as the portal does in production: as a role that owns no table.

    The test database is created and migrated as the configured user (the owner); then a runtime
    role is granted exactly what ``audit.privileges`` grants in production, and every connection of
    the tests (threads, live server, worker subprocesses) uses it. Only the test runner's flush and
    the tests that play an attacker with the owner's powers (``database_owner``) connect as the owner.
    """

    def __init__(self) -> None:
        self.owner: dict[str, str] | None = None
        self.runtime: dict[str, str] | None = None

    def start(self, connection) -> None:
        self.owner = {"USER": connection.settings_dict["USER"], "PASSWORD": connection.settings_dict["PASSWORD"]}
        role = f"{connection.settings_dict['NAME']}_runtime"
        password = secrets.token_urlsafe(24)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            verb = "ALTER" if cursor.fetchone() else "CREATE"
            cursor.execute(f"{verb} ROLE {connection.ops.quote_name(role)} LOGIN PASSWORD %s", [password])
        runtime_role_grant(connection=connection, role=role)
        self.runtime = {"USER": role, "PASSWORD": password}
        self.connect_as(connection, self.runtime)

    def stop(self, connection) -> None:
        if self.owner is not None:
            self.connect_as(connection, self.owner)
        self.owner = self.runtime = None

    @staticmethod
    def connect_as(connection, credentials: dict[str, str]) -> None:
        connection.close()
        # The settings dict is shared with every connection Django opens later, in any thread.
        connection.settings_dict.update(credentials)

    @contextmanager
    def as_owner(self, connection, *, regrant: bool = False):
        """Connect as the owner meanwhile; ``regrant``: grant the runtime role again before going back.

        A test that migrates as the owner recreates tables, on which the runtime role has no rights.
        """
        if self.runtime is None or self.owner is None:
            yield
            return
        self.connect_as(connection, self.owner)
        try:
            yield
            if regrant:
                runtime_role_grant(connection=connection, role=self.runtime["USER"])
        finally:
            self.connect_as(connection, self.runtime)


DATABASE_ROLES = DatabaseRoles()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with django_db_blocker.unblock():
        DATABASE_ROLES.start(connection)
    yield
    with django_db_blocker.unblock():
        DATABASE_ROLES.stop(connection)  # the test database is dropped by its owner


@pytest.fixture
def database_owner(django_db_setup, django_db_blocker):
    """Connect as the owner of the tables for this test: to migrate, or to play an attacker with powers
    the portal lacks.

    A test that is not transactional requests it before any fixture that opens its transaction (``db``).
    """
    from django.db import connection

    with django_db_blocker.unblock(), DATABASE_ROLES.as_owner(connection, regrant=True):
        yield


@pytest.fixture(autouse=True, scope="session")
def _flush_through_audit_triggers():
    """Let the test runner's flush, and only it, empty the append-only audit tables.

    Transactional tests (``django_db(transaction=True)``) are cleaned up with TRUNCATE on PostgreSQL
    and DELETE on SQLite, which the triggers of the audit migrations refuse, and which the runtime
    role may not do at all. The flush connects as the owner, disables the triggers for its own
    statements, inside its own transaction, and restores them.
    """
    import importlib

    from django.core.management.commands import flush
    from django.db import connections

    append_only = importlib.import_module("audit.migrations.0002_append_only")
    chain_head = importlib.import_module("audit.migrations.0004_chain_head")
    tables = ("audit_auditentry", "audit_audithead")
    original_sql_flush = flush.sql_flush
    original_handle = flush.Command.handle

    def sql_flush(style, connection, **kwargs):
        statements = original_sql_flush(style, connection, **kwargs)
        if not any(table in statement for statement in statements for table in tables):
            return statements
        if connection.vendor == "postgresql":
            return [
                *(f"ALTER TABLE {table} DISABLE TRIGGER USER;" for table in tables),
                *statements,
                *(f"ALTER TABLE {table} ENABLE TRIGGER USER;" for table in tables),
            ]
        if connection.vendor == "sqlite":
            triggers_off = [*append_only.SQLITE_BACKWARD, *chain_head.SQLITE_BACKWARD]
            return [*triggers_off, *statements, *append_only.SQLITE_FORWARD, *chain_head.SQLITE_FORWARD]
        return statements

    def handle(self, **options):
        with DATABASE_ROLES.as_owner(connections[options["database"]]):
            return original_handle(self, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush, "sql_flush", sql_flush)
        patch.setattr(flush.Command, "handle", handle)
        yield


# --- the licensing tests' cast, built once per module -------------------------------------------------------
#
# Building the cast through the services costs more than most tests that use it. As Django's
# TestCase.setUpTestData does for a class, it is built once per test module inside a transaction
# that stays open while the module's tests run; each test runs in a savepoint within it (pytest-
# django's ``db``), which is rolled back after the test, and gets its own copy of the objects. A
# transactional test cannot run inside a transaction: before one starts, the module's transaction
# is rolled back, and the test (and any after it in the module) builds a cast of its own. pytest-
# django runs transactional tests after all others, so that is the rare case.


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(fixtures)
    )


class _ModuleCast:
    def __init__(self) -> None:
        self.item: pytest.Item | None = None  # the test being set up
        self.transaction = None
        self.cast = None  # tests.licensing.conftest.Cast
        self.blocker = None  # pytest-django's django_db_blocker: database access outside a test

    def open(self, blocker) -> None:
        from tests.licensing.conftest import build_cast

        self.blocker = blocker
        with blocker.unblock():
            self.transaction = transaction.atomic()
            self.transaction.__enter__()
        try:
            with blocker.unblock():
                self.cast = build_cast()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.transaction is not None:
            with self.blocker.unblock():
                transaction.set_rollback(True)
                self.transaction.__exit__(None, None, None)
        self.transaction = self.cast = None


MODULE_CAST = _ModuleCast()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    MODULE_CAST.item = item
    if MODULE_CAST.transaction is not None and _transactional(item):
        MODULE_CAST.close()


@pytest.fixture(scope="module")
def _module_cast(django_db_setup, django_db_blocker):
    # Module scope: set up before the test's own transaction (``db``) opens inside it.
    if MODULE_CAST.item is not None and not _transactional(MODULE_CAST.item):
        MODULE_CAST.open(django_db_blocker)
    yield
    MODULE_CAST.close()
