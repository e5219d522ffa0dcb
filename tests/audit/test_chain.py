import itertools
import threading
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from audit.models import GENESIS_HASH, AuditEntry, AuditHead
from audit.selectors import audit_chain_check
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
    """Play the tables' owner bypassing the triggers (undone when the test's transaction rolls back).

    Tests that call this request ``database_owner`` first: the role the portal runs as may not.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE audit_audithead DISABLE TRIGGER USER")
        else:
            for trigger in ("audit_entry_no_update", "audit_entry_no_delete", "audit_head_no_rewind"):
                cursor.execute(f"DROP TRIGGER {trigger}")


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


def test_an_altered_entry_fails_verification_naming_it(database_owner, subject):
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


def test_an_altered_entry_with_a_recomputed_hash_fails_at_the_next_entry(database_owner, subject):
    entries = record(subject, 3)
    without_append_only_triggers()
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.to_state = "approved"
    forged.hash = forged.compute_hash()
    forged.save()

    with pytest.raises(CommandError, match=f"entry #{entries[2].pk}: previous hash does not match"):
        verify()


def test_a_deleted_entry_fails_verification_naming_the_entry_after_it(database_owner, subject):
    entries = record(subject, 4)
    without_append_only_triggers()
    AuditEntry.objects.filter(pk=entries[1].pk).delete()

    with pytest.raises(CommandError) as broken:
        verify()

    assert broken.value.returncode == 1
    assert f"entry #{entries[2].pk}: previous hash does not match" in str(broken.value)


def test_a_deleted_first_entry_is_detected(database_owner, subject):
    entries = record(subject, 2)
    without_append_only_triggers()
    AuditEntry.objects.filter(pk=entries[0].pk).delete()

    check = audit_chain_check()

    assert (check.checked, check.problem.entry_id) == (0, entries[1].pk)


def test_removing_the_newest_entries_is_detected(database_owner, subject):
    entries = record(subject, 5)
    without_append_only_triggers()
    AuditEntry.objects.filter(pk__in=[e.pk for e in entries[-3:]]).delete()

    with pytest.raises(CommandError) as broken:
        verify()

    message = str(broken.value)
    assert f"entry #{entries[-1].pk}: the head records entry #{entries[-1].pk} as the newest of 5" in message
    assert f"the chain ends at entry #{entries[1].pk}" in message


def test_rewriting_the_newest_entry_with_a_recomputed_hash_is_detected(database_owner, subject):
    entries = record(subject, 3)
    without_append_only_triggers()
    forged = AuditEntry.objects.get(pk=entries[-1].pk)
    forged.comment = "nothing to see"
    forged.hash = forged.compute_hash()
    forged.save()

    with pytest.raises(CommandError, match="newest entries were removed or rewritten"):
        verify()


def test_a_checkpoint_kept_outside_catches_a_rewrite_of_the_chain_and_its_head(database_owner, subject):
    entries = record(subject, 3)
    printed = verify().splitlines()[-1]
    assert printed == f"Head: --checkpoint {entries[-1].pk}:{entries[-1].hash}"
    checkpoint = printed.removeprefix("Head: --checkpoint ")
    without_append_only_triggers()
    forged = AuditEntry.objects.get(pk=entries[-1].pk)
    forged.comment = "nothing to see"
    forged.hash = forged.compute_hash()
    forged.save()
    AuditHead.objects.filter(pk=1).update(hash=forged.hash)

    assert "Audit chain intact: 3 entries verified." in verify()  # table and head agree with each other
    with pytest.raises(CommandError, match=f"entry #{entries[-1].pk}: the hash differs from the checkpoint"):
        call_command("verify_audit", "--checkpoint", checkpoint, stdout=StringIO())


def test_a_checkpoint_naming_a_removed_entry_is_detected(database_owner, subject):
    entries = record(subject, 3)
    checkpoint = f"{entries[-1].pk}:{entries[-1].hash}"
    without_append_only_triggers()
    AuditEntry.objects.filter(pk=entries[-1].pk).delete()
    AuditHead.objects.filter(pk=1).update(entry_id=entries[1].pk, hash=entries[1].hash, entries=2)

    with pytest.raises(CommandError, match=f"entry #{entries[-1].pk}: a checkpoint names this entry"):
        call_command("verify_audit", "--checkpoint", checkpoint, stdout=StringIO())


def test_the_head_follows_every_append_and_only_moves_forward(subject):
    entries = record(subject, 2)
    head = AuditHead.objects.get()

    assert (head.entry_id, head.hash, head.entries) == (entries[-1].pk, entries[-1].hash, 2)
    with pytest.raises(DatabaseError, match="only moves forward"), transaction.atomic():
        AuditHead.objects.filter(pk=1).update(entry_id=entries[0].pk, hash=entries[0].hash, entries=1)
    # The role the portal runs as may not delete it at all; the owner is stopped by the trigger.
    with pytest.raises(DatabaseError, match=r"only moves forward|permission denied"), transaction.atomic():
        AuditHead.objects.all().delete()


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
    check = audit_chain_check()
    assert (check.checked, check.problem) == (threads_count * per_thread, None)
    assert (check.head.entries, check.head.entry_id) == (len(entries), entries[-1].pk)
    # The writers really interleaved: not every thread's entries form one contiguous run.
    runs = sum(1 for a, b in itertools.pairwise(entries) if a.action != b.action) + 1
    assert runs > threads_count
