from __future__ import annotations

import zlib

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from audit.models import AuditEntry, AuditHead
from config.request_context import request_id_var

SYSTEM_ACTOR = "system"
# Serialises appends on PostgreSQL so two writers cannot both chain onto the same previous entry.
# SQLite needs nothing: its IMMEDIATE transactions already admit one writer at a time.
_CHAIN_LOCK_KEY = zlib.crc32(b"audit-chain")


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
) -> AuditEntry:
    """Append an entry to the audit chain. Must run inside the transaction of the change it records.

    On PostgreSQL the chain lock is held until that transaction ends, so every audited write is
    serialised from its first entry on. Take row locks (select_for_update) before the first
    ``audit_record`` of a transaction, never after: a row lock awaited while holding the chain lock
    can deadlock with a writer that holds the row and waits for the chain.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    if obj.pk is None:
        raise ValueError("audit_record needs a saved object: its id is what the entry refers to")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    head, _created = AuditHead.objects.get_or_create(pk=1)
    entry = AuditEntry(
        at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_name=getattr(actor, "get_username", lambda: SYSTEM_ACTOR)() if actor else SYSTEM_ACTOR,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        request_id=request_id_var.get(),
        prev_hash=head.hash,
    )
    entry.hash = entry.compute_hash()
    entry.save(force_insert=True)
    AuditHead.objects.filter(pk=1).update(entry_id=entry.pk, hash=entry.hash, entries=F("entries") + 1)
    return entry
