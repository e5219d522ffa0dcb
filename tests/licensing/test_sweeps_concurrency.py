"""Two sweeps at once on PostgreSQL (separate connections) still send each reminder exactly once."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core import mail
from django.db import connections

from licensing import reminders
from notifications.models import Delivery, Notification
from notifications.services import deliveries_due_ids, deliveries_send
from tests.notifications.factories import at, make_application, make_cast, make_document, make_license

# serialized_rollback: the flush after each test would otherwise take the migrated roles and holidays.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def run_concurrently(target, n: int = 2) -> list[BaseException]:
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def worker():
        try:
            barrier.wait(timeout=10)
            target()
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a sweep thread hung"
    return errors


def test_two_sweeps_at_once_deliver_each_reminder_once(postgres):
    cast = make_cast()
    for n in range(5):
        application = make_application(
            cast, state="under_review", submitted=at(date(2026, 3, 2)), reviewer=cast.reviewer if n % 2 else None
        )
        for _ in range(4):
            make_document(application, uploaded=at(date(2026, 3, 20)))
    make_license(cast, valid_until=date(2026, 5, 1))

    def sweep_and_send():
        reminders.run_all(today=date(2026, 4, 3))
        deliveries_send(ids=deliveries_due_ids())

    errors = run_concurrently(sweep_and_send, n=3)

    assert errors == []
    keys = list(Delivery.objects.values_list("subject_type", "subject_id", "kind", "threshold", "recipient_id"))
    assert len(keys) == len(set(keys)) > 0
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == len(keys)  # one e-mail per delivery, none twice
    assert Notification.objects.count() == len(keys)


def test_a_sweep_run_twice_delivers_nothing_new(postgres):
    cast = make_cast()
    application = make_application(cast, state="under_review", submitted=at(date(2026, 3, 2)), reviewer=cast.reviewer)
    make_document(application, uploaded=at(date(2026, 3, 20)))

    first = reminders.run_all(today=date(2026, 4, 3))
    sent_first = len(mail.outbox)
    second = reminders.run_all(today=date(2026, 4, 3))

    assert sum(r.created for r in first) == 3 and sent_first == 3
    assert sum(r.created for r in second) == 0
    assert len(mail.outbox) == 3
