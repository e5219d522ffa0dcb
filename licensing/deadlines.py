"""The next statutory due date of every case, stored on the application (``statutory_due_on``).

Why stored: the staff queues sort 100,000 applications by their next deadline and list the overdue
ones; a clock computed in Python case by case can be neither sorted nor filtered by the database.

How it stays correct (the clock itself is ``licensing.clock``; this only keeps its answer):

* Every transition service sets it before saving (``application_set_deadline_fields``, called from
  ``licensing.services.applications._finish``), so it follows submission, confirmation of
  completeness, information requests (pauses), answers and closure in the same transaction.
* A clock paused by an open information request moves one working day later every working day (the
  pause runs until today). Until it is refreshed the stored date is therefore early, never late, so
  a paused case never looks overdue by mistake; ``applications_refresh_due_dates(only_paused=True)``
  runs hourly (beat) and makes it exact within the first hour of each day.
* A decreed transfer added, changed or removed moves running clocks too: saving or deleting a ``WorkdayTransfer``
  queues a full refresh once the change commits, and a nightly full refresh catches an edit whose
  refresh could not be queued (the broker was down).

"""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from licensing.models import Application, WorkdayTransfer
from licensing.selectors import application_clock, next_deadline

__all__ = ["application_set_deadline_fields", "applications_refresh_due_dates", "statutory_due_on"]

logger = logging.getLogger(__name__)


def statutory_due_on(application: Application, *, today: date) -> date | None:
    """The due date of the clock running on ``today``; None when none runs.

    Reads ``application.clock_pauses`` (prefetch it for many cases).
    """
    deadline = next_deadline(application_clock(application, today=today))
    return deadline.status.due if deadline else None


def application_set_deadline_fields(application: Application, *, today: date | None = None) -> None:
    """Set ``statutory_due_on`` on the instance (no save)."""
    application.statutory_due_on = statutory_due_on(application, today=today or timezone.localdate())


def applications_refresh_due_dates(
    *, today: date | None = None, only_paused: bool = False, batch_size: int = 500
) -> int:
    """Recompute the stored due date of every case under consideration; return how many changed.

    ``only_paused`` limits it to cases waiting for an answer, the only ones whose date moves from
    one day to the next. Each batch is locked while it is recomputed, so a transition committing
    meanwhile is never overwritten with the date it replaced.
    """
    today = today or timezone.localdate()
    states = [Application.State.INFORMATION_REQUESTED] if only_paused else Application.UNDER_CONSIDERATION
    ids = list(Application.objects.filter(state__in=states).order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            cases = list(
                Application.objects.select_for_update(of=("self",))
                .filter(pk__in=ids[start : start + batch_size], state__in=states)
                .select_related("license_type")
                .prefetch_related("clock_pauses")
                .order_by("pk")
            )
            stale = []
            for application in cases:
                due = statutory_due_on(application, today=today)
                if due != application.statutory_due_on:
                    application.statutory_due_on = due
                    stale.append(application)
            Application.objects.bulk_update(stale, ["statutory_due_on"])
            changed += len(stale)
    return changed


def _queue_full_refresh() -> None:
    from licensing.tasks import refresh_statutory_due_dates

    try:
        refresh_statutory_due_dates.delay()
    except Exception:  # a holiday edit must not fail; the nightly refresh applies it
        logger.warning("statutory due dates not refreshed after a holiday edit (broker down?)", exc_info=True)


@receiver(post_save, sender=WorkdayTransfer, dispatch_uid="licensing.deadlines.transfer_saved")
@receiver(post_delete, sender=WorkdayTransfer, dispatch_uid="licensing.deadlines.transfer_deleted")
def _holiday_changed(**kwargs) -> None:
    transaction.on_commit(_queue_full_refresh)
