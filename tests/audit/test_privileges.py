"""migrate grants the role the portal runs as exactly what it needs (PostgreSQL)."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from audit.apps import grant_runtime_role
from audit.privileges import runtime_role_grant
from tests.conftest import DATABASE_ROLES


def privilege(role: str, table: str, kind: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, kind])
        return cursor.fetchone()[0]


def test_migrate_grants_the_runtime_role_its_privileges(database_owner, db, postgres, settings):
    role = DATABASE_ROLES.runtime["USER"]
    with connection.cursor() as cursor:  # as on a new table nobody granted yet (rolled back after the test)
        cursor.execute(f"REVOKE ALL ON audit_auditentry, registry_license FROM {connection.ops.quote_name(role)}")
    settings.DATABASE_RUNTIME_ROLE = role

    grant_runtime_role(sender=apps.get_app_config("audit"), using="default")

    assert privilege(role, "registry_license", "UPDATE")
    assert privilege(role, "audit_auditentry", "INSERT")
    assert not privilege(role, "audit_auditentry", "UPDATE")
    assert not privilege(role, "audit_auditentry", "DELETE")
    assert not privilege(role, "audit_auditentry", "TRUNCATE")


def test_a_runtime_role_that_could_lift_the_triggers_is_refused(database_owner, db, postgres):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]

    with pytest.raises(ImproperlyConfigured, match="superuser or owns the tables"):
        runtime_role_grant(connection=connection, role=owner)
    with pytest.raises(ImproperlyConfigured, match="no database role"):
        runtime_role_grant(connection=connection, role="nobody_by_this_name")
