"""The database itself keeps the audit trail append-only.

Two layers on PostgreSQL: the role the portal runs as may only read and append (it owns no table,
so it cannot lift the rules either), and triggers refuse changes even to the tables' owner unless
they disable them on purpose. SQLite, the embedded development database, has the triggers only.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEntry, AuditHead
from audit.services import audit_record


@pytest.fixture
def entry(db):
    with transaction.atomic():
        return audit_record(actor=None, action="test.append_only", obj=Group.objects.create(name="g"))


def refused(sql: str, params=(), *, match: str = "append-only") -> None:
    # Each attempt in its own savepoint: on PostgreSQL a failed statement aborts the transaction.
    with pytest.raises(DatabaseError, match=match), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- the triggers, which hold even for the owner ---------------------------------------------------------


def test_orm_update_and_delete_of_an_entry_are_refused(database_owner, entry):
    with pytest.raises(DatabaseError, match="append-only: UPDATE refused"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(comment="rewritten")
    with pytest.raises(DatabaseError, match="append-only: DELETE refused"), transaction.atomic():
        entry.delete()

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.comment == entry.comment
    assert stored.hash == entry.hash


def test_raw_sql_update_and_delete_are_refused(database_owner, entry):
    refused("UPDATE audit_auditentry SET comment = 'x' WHERE id = %s", [entry.pk])
    refused("DELETE FROM audit_auditentry")

    assert AuditEntry.objects.count() == 1


def test_truncate_is_refused_on_postgresql(database_owner, entry, postgres):
    refused("TRUNCATE audit_auditentry")
    refused("TRUNCATE audit_audithead", match="only moves forward")

    assert AuditEntry.objects.count() == 1


def test_inserting_stays_possible(entry):
    with transaction.atomic():
        audit_record(actor=None, action="test.second", obj=Group.objects.create(name="h"))

    assert AuditEntry.objects.count() == 2


# --- the role the portal runs as ---------------------------------------------------------------------------


def test_the_portal_runs_as_a_role_that_owns_no_table(entry, postgres):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, (SELECT count(*) FROM pg_tables WHERE tableowner = current_user)"
            " FROM pg_roles WHERE rolname = current_user"
        )
        user, superuser, tables_owned = cursor.fetchone()

    assert user.endswith("_runtime")
    assert (superuser, tables_owned) == (False, 0)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditentry SET comment = 'x'",
        "DELETE FROM audit_auditentry",
        "TRUNCATE audit_auditentry",
        "DELETE FROM audit_audithead",
        "TRUNCATE audit_audithead",
        "DELETE FROM django_migrations",
    ],
)
def test_the_portals_role_may_not_change_the_audit_trail(entry, postgres, statement):
    refused(statement, match="permission denied")


def test_the_portals_role_cannot_lift_the_triggers(entry, postgres):
    refused("ALTER TABLE audit_auditentry DISABLE TRIGGER USER", match="must be owner")
    refused("ALTER TABLE audit_audithead DISABLE TRIGGER USER", match="must be owner")
    refused("DROP TRIGGER audit_entry_no_update_delete ON audit_auditentry", match="must be owner")

    assert AuditHead.objects.get().entry_id == entry.pk
