import itertools
import threading
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from audit.models import GENESIS_HASH, AuditEntry
from audit.selectors import audit_chain_first_break
from audit.services import audit_record
from config.request_context import request_id_var
from tests.registry.factories import make_user


@pytest.fixture
def subject(db):
    return Group.objects.create(name="audited")


def record(subject, n: int = 1, **fields) -> list[AuditEntry]:
    with transaction.atomic():
        return [
            audit_record(actor=fields.get("actor"), action=f"test.step{i}", obj=subject, comment=f"step {i}")
            for i in range(n)
        ]


def verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def without_append_only_triggers() -> None:
    """Simulate someone with database access bypassing the triggers (undone when the test's transaction rolls back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute("DROP TRIGGER audit_entry_no_delete")


def test_entries_chain_each_to_the_previous_one(subject):
    actor = make_user("reviewer")
    token = request_id_var.set("req-123")
    try:
        entries = record(subject, 3, actor=actor)
    finally:
        request_id_var.reset(token)

    stored = list(AuditEntry.objects.order_by("id"))
    assert [e.pk for e in stored] == [e.pk for e in entries]
    assert stored[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in stored[1:]] == [e.hash for e in stored[:-1]]
    assert all(e.compute_hash() == e.hash for e in stored)
    first = stored[0]
    assert (first.actor_id, first.actor_name, first.request_id) == (actor.pk, actor.username, "req-123")
    assert (first.object_type, first.object_id) == ("auth.group", str(subject.pk))


def test_system_entries_name_the_system_as_actor(subject):
    (entry,) = record(subject)

    assert (entry.actor_id, entry.actor_name) == (None, "system")


def test_verify_audit_passes_on_an_intact_chain(subject):
    record(subject, 4)

    assert "Audit chain intact: 4 entries verified." in verify()


def test_verify_audit_passes_on_an_empty_chain(db):
    assert "0 entries verified" in verify()


def test_an_altered_entry_fails_verification_naming_it(subject):
    entries = record(subject, 4)
    without_append_only_triggers()
    AuditEntry.objects.filter(pk=entries[1].pk).update(comment="nothing happened here")

    with pytest.raises(CommandError) as broken:
        verify()

    assert broken.value.returncode == 1
    message = str(broken.value)
    assert f"entry #{entries[1].pk}:" in message
    assert "this entry was altered" in message
    assert "(1 entries before it verify)" in message


def test_an_altered_entry_with_a_recomputed_hash_fails_at_the_next_entry(subject):
    entries = record(subject, 3)
    without_append_only_triggers()
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.to_state = "approved"
    forged.hash = forged.compute_hash()
    forged.save()

    with pytest.raises(CommandError, match=f"entry #{entries[2].pk}: previous hash does not match"):
        verify()


def test_a_deleted_entry_fails_verification_naming_the_entry_after_it(subject):
    entries = record(subject, 4)
    without_append_only_triggers()
    AuditEntry.objects.filter(pk=entries[1].pk).delete()

    with pytest.raises(CommandError) as broken:
        verify()

    assert broken.value.returncode == 1
    assert f"entry #{entries[2].pk}: previous hash does not match" in str(broken.value)


def test_a_deleted_first_entry_is_detected(subject):
    entries = record(subject, 2)
    without_append_only_triggers()
    AuditEntry.objects.filter(pk=entries[0].pk).delete()

    checked, problem = audit_chain_first_break()

    assert (checked, problem.entry_id) == (0, entries[1].pk)


def test_the_chain_cannot_fork_even_when_a_writer_skips_the_lock(subject):
    first, second = record(subject, 2)
    fork = AuditEntry(**{f.attname: getattr(second, f.attname) for f in AuditEntry._meta.concrete_fields})
    fork.pk = None
    fork.comment = "a competing successor of the first entry"
    fork.hash = fork.compute_hash()
    assert fork.prev_hash == first.hash

    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save(force_insert=True)


def test_audit_record_refuses_an_unsaved_object(subject):
    with pytest.raises(ValueError, match="saved object"), transaction.atomic():
        audit_record(actor=None, action="test", obj=Group(name="unsaved"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_audit_record_refuses_to_run_outside_a_transaction():
    group = Group.objects.create(name="outside")

    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=None, action="test", obj=group)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_on_separate_connections_never_fork_the_chain(postgres):
    threads_count, per_thread = 8, 25
    subject = Group.objects.create(name="concurrent")
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def writer(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            for step in range(per_thread):
                with transaction.atomic():
                    audit_record(actor=None, action=f"test.thread{index}", obj=subject, comment=str(step))
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    entries = list(AuditEntry.objects.order_by("id"))
    assert len(entries) == threads_count * per_thread
    assert len({e.prev_hash for e in entries}) == len(entries)
    assert audit_chain_first_break() == (threads_count * per_thread, None)
    # The writers really interleaved: not every thread's entries form one contiguous run.
    runs = sum(1 for a, b in itertools.pairwise(entries) if a.action != b.action) + 1
    assert runs > threads_count
