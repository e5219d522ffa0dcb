from __future__ import annotations

from dataclasses import dataclass

from audit.models import GENESIS_HASH, AuditEntry


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int | None
    problem: str


def audit_chain_first_break(*, batch_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Walk the whole chain in id order; return how many entries were checked and the first break.

    A removed entry shows as the next entry's ``prev_hash`` not matching; an altered one as its own
    hash not matching its content.
    """
    expected_prev = GENESIS_HASH
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=batch_size):
        if entry.prev_hash != expected_prev:
            return checked, ChainBreak(
                entry.pk, "previous hash does not match: an entry before it was removed or altered"
            )
        if entry.compute_hash() != entry.hash:
            return checked, ChainBreak(entry.pk, "content does not match its hash: this entry was altered")
        expected_prev = entry.hash
        checked += 1
    return checked, None
