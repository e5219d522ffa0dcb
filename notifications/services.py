"""Notices to people: written to an outbox in the caller's transaction, relayed after commit.

TEMPORARY interface for parallel development; the reminders work (issue 5) replaces the body.
"""

from __future__ import annotations

from collections.abc import Iterable


def notice_enqueue(*, kind: str, recipients: Iterable, subject, context: dict | None = None) -> None:
    """Record that ``recipients`` must be told about ``kind`` concerning ``subject`` (a model instance).

    Call inside the transaction of the event; delivery happens after commit, exactly once.
    """
