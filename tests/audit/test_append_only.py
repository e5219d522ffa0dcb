import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEntry
from audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    with transaction.atomic():
        return audit_record(actor=None, action="test.append_only", obj=Group.objects.create(name="g"))


def refused(sql: str, params=()) -> None:
    # Each attempt in its own savepoint: on PostgreSQL a failed statement aborts the transaction.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_orm_update_and_delete_of_an_entry_are_refused(entry):
    with pytest.raises(DatabaseError, match="append-only: UPDATE refused"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(comment="rewritten")
    with pytest.raises(DatabaseError, match="append-only: DELETE refused"), transaction.atomic():
        entry.delete()

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.comment == entry.comment
    assert stored.hash == entry.hash


def test_raw_sql_update_and_delete_are_refused(entry):
    refused("UPDATE audit_auditentry SET comment = 'x' WHERE id = %s", [entry.pk])
    refused("DELETE FROM audit_auditentry")

    assert AuditEntry.objects.count() == 1


def test_truncate_is_refused_on_postgresql(entry, postgres):
    refused("TRUNCATE audit_auditentry")

    assert AuditEntry.objects.count() == 1


def test_inserting_stays_possible(entry):
    with transaction.atomic():
        audit_record(actor=None, action="test.second", obj=Group.objects.create(name="h"))

    assert AuditEntry.objects.count() == 2
