"""Celery tasks of notifications: take ids, call one service, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from notifications import services


@shared_task(name="notifications.tasks.deliver", bind=True, max_retries=None, acks_late=True)
def deliver(self, delivery_id: int) -> str:
    """Send one delivery; a temporary SMTP failure is retried with the backoff the service chose."""
    outcome = services.delivery_send(delivery_id=delivery_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="notifications.tasks.deliver_batch", acks_late=True)
def deliver_batch(delivery_ids: list[int]) -> dict[str, int]:
    """Send a batch; each failing recipient gets its own retry task and never holds up the others."""
    counts: dict[str, int] = {}
    for outcome in services.deliveries_send(ids=delivery_ids):
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
        if outcome.retry_in is not None:
            deliver.apply_async(args=[outcome.delivery_id], countdown=outcome.retry_in)
    return counts


@shared_task(name="notifications.tasks.relay", acks_late=True)
def relay(limit: int | None = None) -> dict[str, int]:
    """Periodic safety net: send every delivery still waiting (broker was down, worker died, retry due)."""
    ids = services.deliveries_due_ids(limit=limit or settings.REMINDER_BATCH_SIZE * 50)
    counts: dict[str, int] = {}
    for outcome in services.deliveries_send(ids=ids):
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return counts
