"""Event notices through the outbox, and how one delivery is sent, retried, skipped or failed."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import selectors, services
from notifications.models import Delivery, Notification, OutboxMessage
from notifications.tasks import relay
from tests.notifications.factories import make_application, make_cast, make_license, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db):
    return make_cast()


@pytest.fixture
def application(cast):
    return make_application(cast, state="submitted", submitted=timezone.now())


def enqueue(application, recipients, kind="application_submitted", **kwargs):
    return services.notice_enqueue(kind=kind, recipients=recipients, subject=application, **kwargs)


def test_event_notice_is_written_in_the_callers_transaction_and_sent_after_commit(
    cast, application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        enqueue(application, [cast.applicant])
        assert Delivery.objects.get().status == "pending"
        assert mail.outbox == []

    assert len(callbacks) == 1
    assert Delivery.objects.get().status == "sent"
    message = mail.outbox[0]
    assert message.to == [cast.applicant.email]
    assert message.subject == f"Application {application.reference} received"
    assert message.alternatives[0][1] == "text/html" and application.reference in message.alternatives[0][0]
    assert message.extra_headers["Message-ID"] == f"<delivery-{Delivery.objects.get().pk}@licensing-portal>"


def test_rolled_back_event_leaves_no_notice(cast, application):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(application, [cast.applicant])
        raise RuntimeError("the approval failed")

    assert OutboxMessage.objects.count() == 0 and Delivery.objects.count() == 0


def test_broker_down_at_event_time_loses_nothing_and_the_relay_delivers_exactly_once(
    cast, application, django_capture_on_commit_callbacks
):
    down = mock.patch("notifications.tasks.deliver_batch.apply_async", side_effect=ConnectionRefusedError("redis down"))
    with down, django_capture_on_commit_callbacks(execute=True):
        enqueue(application, [cast.applicant, cast.colleague], kind="application_decided")

    assert Delivery.objects.filter(status="pending").count() == 2  # the event and its notice are saved
    assert mail.outbox == []

    relay.delay()
    relay.delay()

    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.applicant.email, cast.colleague.email])
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_notice_without_recipients_is_recorded_and_tells_nobody(cast, django_capture_on_commit_callbacks):
    license = make_license(cast, valid_until=None)

    with django_capture_on_commit_callbacks(execute=True):
        services.notice_enqueue(kind="license_suspended", recipients=[], subject=license, context={"reason": "Audit"})

    assert OutboxMessage.objects.filter(kind="license_suspended").count() == 1
    assert Delivery.objects.count() == 0
    assert mail.outbox == []


def test_the_notice_links_to_the_page_its_producer_chose(
    cast, application, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://licensing.example.kz"
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(application, [cast.applicant], link=f"/apply/{application.reference}/")

    link = f"https://licensing.example.kz/apply/{application.reference}/"
    assert Notification.objects.get(user=cast.applicant).link == link
    assert link in mail.outbox[0].body
    assert f'href="{link}"' in mail.outbox[0].alternatives[0][0]


def test_a_notice_without_a_link_shows_none(cast, application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(application, [cast.applicant])

    assert Notification.objects.get(user=cast.applicant).link == ""
    assert "Open it in the portal" not in mail.outbox[0].body


def test_same_event_twice_is_told_twice_and_each_time_once(cast, application, django_capture_on_commit_callbacks):
    license = make_license(cast, valid_until=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_enqueue(kind="license_suspended", recipients=[cast.applicant], subject=license)
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_enqueue(kind="license_suspended", recipients=[cast.applicant], subject=license)
    relay.delay()

    assert len(mail.outbox) == 2


def test_email_is_rendered_in_the_recipients_language(cast, application, django_capture_on_commit_callbacks):
    russian = make_user(language="ru")
    spy = mock.patch("notifications.services.translation.override", wraps=services.translation.override)
    with spy as override, django_capture_on_commit_callbacks(execute=True):
        enqueue(application, [russian, cast.applicant])

    assert [c.args[0] for c in override.call_args_list] == ["ru", "en"]
    assert Notification.objects.filter(user=russian).exists()


def test_recipient_without_email_gets_the_in_app_notification_and_the_delivery_is_skipped_with_a_reason(
    cast, application, django_capture_on_commit_callbacks
):
    no_email = make_user(email=None)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(application, [no_email, cast.applicant])

    skipped = Delivery.objects.get(recipient=no_email)
    assert skipped.status == "skipped" and "no e-mail address" in skipped.last_error
    assert selectors.unread_for(no_email).get().title == f"Application {application.reference} received"
    assert [m.to for m in mail.outbox] == [[cast.applicant.email]]


def test_application_deleted_between_sweep_and_send_is_skipped_cleanly(cast, application):
    with mock.patch("notifications.services.deliveries_dispatch"):  # sent later, by the relay
        enqueue(application, [cast.applicant])
    application.delete()

    relay.delay()

    delivery = Delivery.objects.get()
    assert delivery.status == "skipped" and "no longer exists" in delivery.last_error
    assert mail.outbox == [] and Notification.objects.count() == 0


def test_failing_smtp_is_retried_with_backoff_recorded_and_does_not_block_other_recipients(cast, application):
    with mock.patch("notifications.services.deliveries_dispatch"):
        enqueue(application, [cast.applicant, cast.colleague])
    real_send = services._send_email

    def flaky(delivery, rendered):
        if delivery.recipient == cast.applicant:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        real_send(delivery, rendered)

    with mock.patch("notifications.services._send_email", side_effect=flaky):
        relay.delay()
        failing = Delivery.objects.get(recipient=cast.applicant)
        assert [m.to for m in mail.outbox] == [[cast.colleague.email]]  # the other recipient got it
        assert (failing.status, failing.attempts) == ("pending", 1)
        assert "SMTPServerDisconnected" in failing.last_error
        first_retry = failing.next_attempt_at - timezone.now()

        relay.delay()  # not yet due: the backoff holds it
        assert Delivery.objects.get(pk=failing.pk).attempts == 1

        start = timezone.now()
        for hours in range(1, 10):
            with time_machine.travel(start + timedelta(hours=hours), tick=False):
                relay.delay()

    failing.refresh_from_db()
    assert timedelta(seconds=50) < first_retry <= timedelta(seconds=60)
    assert (failing.status, failing.attempts) == ("failed", 5)
    assert "Connection unexpectedly closed" in failing.last_error
    assert len(mail.outbox) == 1


def test_failing_smtp_then_recovering_delivers_once(cast, application):
    with mock.patch("notifications.services.deliveries_dispatch"):
        enqueue(application, [cast.applicant])
    with mock.patch("notifications.services._send_email", side_effect=smtplib.SMTPException("421 try later")):
        relay.delay()
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        relay.delay()
        relay.delay()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert len(mail.outbox) == 1 and Notification.objects.count() == 1


def test_claim_of_a_dead_worker_is_taken_over_after_the_lease(cast, application, settings):
    with mock.patch("notifications.services.deliveries_dispatch"):
        enqueue(application, [cast.applicant])
    delivery = Delivery.objects.get()
    # A worker claimed it and died before sending.
    Delivery.objects.filter(pk=delivery.pk).update(status="sending", claimed_at=timezone.now(), attempts=1)

    assert services.delivery_send(delivery_id=delivery.pk).status == "not_claimed"
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS + 1)):
        assert services.delivery_send(delivery_id=delivery.pk).status == "sent"
    assert services.delivery_send(delivery_id=delivery.pk).status == "not_claimed"
    assert len(mail.outbox) == 1


def test_unread_for_lists_only_the_users_unread_notifications(cast, application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(application, [cast.applicant, cast.colleague])
    assert selectors.unread_for(cast.applicant).count() == 1

    services.notification_mark_read(user=cast.applicant)

    assert selectors.unread_for(cast.applicant).count() == 0
    assert selectors.unread_for(cast.colleague).count() == 1
    assert selectors.notifications_for(cast.applicant).get().read_at is not None


def test_unique_key_refuses_a_second_delivery_of_the_same_reminder(cast, application):
    row = services.DeliveryRow("document_review", "licensing.document", 1, "overdue", cast.reviewer.pk)
    assert len(services.deliveries_create(rows=[row, row])) == 1
    assert services.deliveries_create(rows=[row]) == []
    assert Delivery.objects.count() == 1


def test_a_notice_that_cannot_render_is_recorded_as_failed_not_retried_forever(cast, application):
    enqueue(application, [cast.applicant])
    delivery = Delivery.objects.get()

    with mock.patch.object(services, "render_notice", side_effect=ValueError("broken template")):
        outcome = services.delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert outcome.status == Delivery.Status.FAILED
    assert delivery.status == Delivery.Status.FAILED
    assert "broken template" in delivery.last_error
    assert services.deliveries_due_ids() == []  # the relay will not pick it up again
    assert mail.outbox == []
