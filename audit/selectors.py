from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from audit.models import GENESIS_HASH, AuditEntry, AuditHead

_REMOVED_BEFORE = "previous hash does not match: an entry before it was removed or altered"
_ALTERED = "content does not match its hash: this entry was altered"
_NOT_AS_CHECKPOINTED = "the hash differs from the checkpoint: the chain was rewritten from here"


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int | None
    problem: str


@dataclass(frozen=True)
class ChainCheck:
    """What ``audit_chain_check`` found: entries that verify, the first break, and the chain's head."""

    checked: int
    problem: ChainBreak | None
    head: AuditHead | None


def audit_chain_check(*, checkpoints: Mapping[int, str] | None = None, batch_size: int = 5000) -> ChainCheck:
    """Walk the whole chain in id order and compare its end with the recorded head.

    A removed entry shows as the next entry's ``prev_hash`` not matching; an altered one as its own
    hash not matching its content; removed or rewritten newest entries as the chain ending anywhere
    but at the head. ``checkpoints`` (entry id to hash) are heads copied out of the database
    earlier, e.g. from this command's output: they catch a rewrite of the table and the head both.
    """
    checkpoints = dict(checkpoints or {})
    expected_prev = GENESIS_HASH
    checked = 0
    last: AuditEntry | None = None
    head = AuditHead.objects.filter(pk=1).first()

    def result(problem: ChainBreak | None) -> ChainCheck:
        return ChainCheck(checked, problem, head)

    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=batch_size):
        if entry.prev_hash != expected_prev:
            return result(ChainBreak(entry.pk, _REMOVED_BEFORE))
        if entry.compute_hash() != entry.hash:
            return result(ChainBreak(entry.pk, _ALTERED))
        if checkpoints.pop(entry.pk, entry.hash) != entry.hash:
            return result(ChainBreak(entry.pk, _NOT_AS_CHECKPOINTED))
        expected_prev = entry.hash
        checked += 1
        last = entry

    if checkpoints:
        missing = min(checkpoints)
        return result(ChainBreak(missing, "a checkpoint names this entry, which is no longer in the chain"))
    if head is None:
        if last is None:
            return result(None)
        return result(ChainBreak(None, "the chain head record is missing: the newest entries cannot be vouched for"))
    if (head.entry_id, head.hash, head.entries) != (last.pk if last else 0, expected_prev, checked):
        return result(
            ChainBreak(
                head.entry_id,
                f"the head records entry #{head.entry_id} as the newest of {head.entries}, but the chain ends "
                f"{f'at entry #{last.pk}' if last else 'empty'}: newest entries were removed or rewritten",
            )
        )
    return result(None)
