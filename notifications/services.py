"""Notices to people: written to an outbox in the caller's transaction, delivered exactly once.

Two producers feed the same table of deliveries:

* events (``notice_enqueue``): an ``OutboxMessage`` and one ``Delivery`` per recipient are written in
  the transaction of the event, so an approval that commits has its notice recorded, and one that
  rolls back has none. After commit the deliveries are handed to a worker; if the broker is down
  at that moment nothing is lost: the periodic relay (``notifications.tasks.relay``) sends whatever
  is still pending.
* reminders (``licensing.reminders``): sweeps insert deliveries with ``deliveries_create``, which
  skips keys that already exist (INSERT ... ON CONFLICT DO NOTHING).

Sending (``delivery_send``) first claims the row with a conditional UPDATE (pending -> sending,
with ``claimed_at``): of two workers holding the same id only one gets the row. A worker that dies
after claiming leaves a claim that expires after ``REMINDER_CLAIM_LEASE_SECONDS``; the relay then
sends it. The only window for a duplicate is a crash between the SMTP server accepting the message
and the row being marked sent (milliseconds); each message carries a Message-ID derived from the
delivery so a receiving server can drop such a duplicate.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notifications.models import Delivery, Notification, OutboxMessage

logger = logging.getLogger(__name__)

__all__ = [
    "DeliveryRow",
    "SendOutcome",
    "deliveries_create",
    "deliveries_dispatch",
    "deliveries_due_ids",
    "deliveries_send",
    "delivery_send",
    "notice_enqueue",
    "subject_key",
]


@dataclass(frozen=True)
class DeliveryRow:
    """One reminder a sweep found due: the key of a ``Delivery`` plus what its text needs."""

    kind: str
    subject_type: str
    subject_id: int
    threshold: str
    recipient_id: int
    context: dict = field(default_factory=dict)
    link: str = ""  # path of the page where the matter is, e.g. "/staff/"


@dataclass(frozen=True)
class SendOutcome:
    delivery_id: int
    status: str  # a Delivery.Status value, or "not_claimed" when another worker has it or it is done
    retry_in: int | None = None  # seconds until the next attempt, after a temporary failure
    detail: str = ""


def subject_key(subject: models.Model) -> tuple[str, int]:
    """How a delivery names what it is about: ``("licensing.application", 42)``."""
    return subject._meta.label_lower, int(subject.pk)


# --- producing ------------------------------------------------------------------------------------
def notice_enqueue(
    *,
    kind: str,
    recipients: Iterable[AbstractBaseUser | int],
    subject: models.Model,
    link: str = "",
    context: dict | None = None,
) -> OutboxMessage:
    """Record that ``recipients`` must be told about ``kind`` concerning ``subject`` (a model instance).

    Call inside the transaction of the event; delivery happens after commit, exactly once per
    recipient. ``recipients`` are users or user ids, chosen by the caller, who knows whom the
    subject concerns; ``link`` is the path of the page where they find the matter.
    """
    subject_type, subject_id = subject_key(subject)
    message = OutboxMessage.objects.create(
        kind=kind, subject_type=subject_type, subject_id=subject_id, context=_json_safe(context or {})
    )
    recipient_ids = _user_ids(recipients)
    if not recipient_ids:
        logger.warning("Notice %s about %s#%s has nobody to tell.", kind, subject_type, subject_id)
        return message
    # The threshold names the event, so a license suspended twice is told twice, each time once.
    created = Delivery.objects.bulk_create(
        Delivery(
            message=message,
            kind=kind,
            subject_type=subject_type,
            subject_id=subject_id,
            threshold=f"event-{message.pk}",
            recipient_id=user_id,
            context=message.context,
            link=link,
        )
        for user_id in recipient_ids
    )
    ids = [d.pk for d in created if d.pk is not None]
    if not ids:  # backends that return no ids from bulk inserts
        ids = list(Delivery.objects.filter(message=message).values_list("pk", flat=True))
    deliveries_dispatch(ids)
    return message


def deliveries_create(*, rows: Iterable[DeliveryRow], batch_size: int = 1000) -> list[int]:
    """Insert the deliveries a sweep found due, skipping keys that already exist.

    Returns the ids of the rows this call inserted (a concurrent sweep's rows are not returned), so
    the caller can hand exactly those to the workers. Rows are inserted in batches: the number of
    queries grows with the number of due reminders only.
    """
    # Every row of this call carries the same creation instant, which finds them again afterwards
    # without returning ids from an INSERT ... ON CONFLICT DO NOTHING (Django cannot).
    marker = _unique_instant()
    now = timezone.now()
    batch: list[Delivery] = []
    inserted = False
    # Two sweeps inserting the same keys in different orders could each wait on the other's
    # uncommitted row (a deadlock); in one global order, the second simply waits for the first.
    ordered = sorted(rows, key=lambda r: (r.kind, r.subject_type, r.subject_id, r.threshold, r.recipient_id))
    for row in ordered:
        batch.append(
            Delivery(
                kind=row.kind,
                subject_type=row.subject_type,
                subject_id=row.subject_id,
                threshold=row.threshold,
                recipient_id=row.recipient_id,
                context=_json_safe(row.context),
                link=row.link,
                created_at=marker,
                next_attempt_at=now,
            )
        )
        if len(batch) >= batch_size:
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
            inserted, batch = True, []
    if batch:
        Delivery.objects.bulk_create(batch, ignore_conflicts=True)
        inserted = True
    if not inserted:
        return []
    return list(
        Delivery.objects.filter(created_at=marker, status=Delivery.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


_last_instant: datetime | None = None


def _unique_instant() -> datetime:
    # Microsecond clock; two calls in one process never share an instant, and a concurrent
    # process sharing one would only make the other's rows be dispatched here too (harmless).
    global _last_instant
    now = timezone.now()
    # (A clock set back by more than a second, as in time-travelling tests, starts afresh.)
    if _last_instant is not None and now <= _last_instant < now + timedelta(seconds=1):
        now = _last_instant + timedelta(microseconds=1)
    _last_instant = now
    return now


def deliveries_dispatch(ids: Sequence[int]) -> None:
    """After commit, hand ``ids`` to the workers in batches. A broker outage is logged, not raised.

    The event's transaction has committed by then; the relay sends what this could not queue.
    """
    if not ids:
        return
    ids = list(ids)
    size = settings.REMINDER_BATCH_SIZE

    def dispatch() -> None:
        from notifications.tasks import deliver_batch

        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            try:
                # retry=False: with the broker down, fail at once instead of holding up the request.
                deliver_batch.apply_async(args=[chunk], retry=False)
            except Exception:
                logger.warning(
                    "Could not queue %d deliveries (broker unavailable?); the relay will send them.",
                    len(ids) - start,
                    exc_info=True,
                )
                return

    transaction.on_commit(dispatch)


# --- sending ----------------------------------------------------------------------------------------
def deliveries_due_ids(*, limit: int | None = None, now: datetime | None = None) -> list[int]:
    """Deliveries waiting to be sent: pending and due for an attempt, or claimed by a dead worker."""
    now = now or timezone.now()
    expired_claim = now - timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
    queryset = (
        Delivery.objects.filter(
            Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=expired_claim)
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )
    return list(queryset[:limit] if limit else queryset)


def deliveries_send(*, ids: Sequence[int]) -> list[SendOutcome]:
    """Send each delivery in turn; one recipient's failure never stops the others."""
    outcomes = []
    for delivery_id in ids:
        try:
            outcomes.append(delivery_send(delivery_id=delivery_id))
        except Exception as exc:  # a bug for one delivery must not starve the rest of the batch
            logger.exception("Delivery %s could not be processed.", delivery_id)
            outcomes.append(SendOutcome(delivery_id, "error", detail=str(exc)))
    return outcomes


def _claim(delivery_id: int, now: datetime) -> bool:
    expired_claim = now - timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
    return bool(
        Delivery.objects.filter(pk=delivery_id)
        .filter(
            Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=expired_claim)
        )
        .update(status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def _finish(delivery: Delivery, claim: datetime, **fields) -> bool:
    # Conditional on our own claim: if it expired and another worker took over, leave its row alone.
    return bool(
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING, claimed_at=claim).update(**fields)
    )


def delivery_send(*, delivery_id: int) -> SendOutcome:
    """Claim one delivery and send it: in-app notification, then e-mail. Safe to call twice.

    Never raises for a delivery problem: a vanished subject or a recipient without an e-mail address
    is recorded as skipped, an SMTP failure as a retry (with backoff) or, after
    ``REMINDER_MAX_ATTEMPTS``, as failed with the error.
    """
    now = timezone.now()
    if not _claim(delivery_id, now):
        return SendOutcome(delivery_id, "not_claimed")
    delivery = Delivery.objects.select_related("recipient").get(pk=delivery_id)
    recipient = delivery.recipient

    subject = _load_subject(delivery.subject_type, delivery.subject_id)
    if subject is None:
        reason = f"Skipped: {delivery.subject_type} #{delivery.subject_id} no longer exists (deleted before sending)."
        _finish(delivery, now, status=Delivery.Status.SKIPPED, finished_at=timezone.now(), last_error=reason)
        return SendOutcome(delivery_id, Delivery.Status.SKIPPED, detail=reason)
    if not recipient.is_active:
        reason = "Skipped: the recipient's account is deactivated."
        _finish(delivery, now, status=Delivery.Status.SKIPPED, finished_at=timezone.now(), last_error=reason)
        return SendOutcome(delivery_id, Delivery.Status.SKIPPED, detail=reason)

    try:
        rendered = render_notice(delivery=delivery, subject=subject)
    except Exception as exc:
        # A template that cannot render will not render on the next attempt either: record it as
        # failed now, or the row would sit in "sending" and be claimed again after every lease.
        error = f"Could not render the notice: {type(exc).__name__}: {exc}"[:2000]
        logger.exception("Delivery %s could not be rendered.", delivery_id)
        _finish(delivery, now, status=Delivery.Status.FAILED, finished_at=timezone.now(), last_error=error)
        return SendOutcome(delivery_id, Delivery.Status.FAILED, detail=error)
    Notification.objects.get_or_create(
        delivery=delivery,
        defaults={
            "user": recipient,
            "kind": delivery.kind,
            "title": rendered.title,
            "body": rendered.text,
            "link": rendered.link,
        },
    )
    if not recipient.email:
        reason = "Skipped e-mail: the recipient has no e-mail address; the in-app notification was stored."
        _finish(delivery, now, status=Delivery.Status.SKIPPED, finished_at=timezone.now(), last_error=reason)
        return SendOutcome(delivery_id, Delivery.Status.SKIPPED, detail=reason)

    try:
        _send_email(delivery, rendered)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if delivery.attempts >= settings.REMINDER_MAX_ATTEMPTS:
            _finish(delivery, now, status=Delivery.Status.FAILED, finished_at=timezone.now(), last_error=error)
            logger.error("Delivery %s failed for good after %d attempts: %s", delivery_id, delivery.attempts, error)
            return SendOutcome(delivery_id, Delivery.Status.FAILED, detail=error)
        retry_in = settings.REMINDER_RETRY_BASE_SECONDS * 2 ** (delivery.attempts - 1)
        _finish(
            delivery,
            now,
            status=Delivery.Status.PENDING,
            next_attempt_at=timezone.now() + timedelta(seconds=retry_in),
            claimed_at=None,
            last_error=error,
        )
        logger.warning(
            "Delivery %s attempt %d failed, retrying in %ds: %s", delivery_id, delivery.attempts, retry_in, error
        )
        return SendOutcome(delivery_id, Delivery.Status.PENDING, retry_in=retry_in, detail=error)

    _finish(delivery, now, status=Delivery.Status.SENT, finished_at=timezone.now(), last_error="")
    return SendOutcome(delivery_id, Delivery.Status.SENT)


def _load_subject(subject_type: str, subject_id: int) -> models.Model | None:
    try:
        model = apps.get_model(subject_type)
    except (LookupError, ValueError):
        return None
    return model._default_manager.filter(pk=subject_id).first()


# --- rendering --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RenderedNotice:
    title: str
    text: str
    html: str
    link: str
    language: str


def render_notice(*, delivery: Delivery, subject: models.Model) -> RenderedNotice:
    """Subject line, plain text and HTML of ``delivery`` in its recipient's language.

    Templates live in ``templates/emails/<kind>/{subject.txt,body.txt,body.html}``; a kind without
    templates falls back to ``templates/emails/generic/``.
    """
    recipient = delivery.recipient
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    link = settings.SITE_URL + delivery.link if delivery.link else ""
    context = {
        "recipient": recipient,
        "subject": subject,
        "kind": delivery.kind,
        "threshold": delivery.threshold,
        "data": delivery.context or {},
        "link": link,
        "site_url": settings.SITE_URL,
    }
    with translation.override(language):
        folder = f"emails/{delivery.kind}"
        try:
            subject_line = render_to_string(f"{folder}/subject.txt", context)
        except TemplateDoesNotExist:
            folder = "emails/generic"
            subject_line = render_to_string(f"{folder}/subject.txt", context)
        # A subject line is one line, whatever the template's whitespace.
        title = " ".join(subject_line.split())[:300]
        text = render_to_string(f"{folder}/body.txt", context)
        html = render_to_string(f"{folder}/body.html", {**context, "title": title})
    return RenderedNotice(title=title, text=text.strip() + "\n", html=html, link=link, language=language)


def _send_email(delivery: Delivery, rendered: RenderedNotice) -> None:
    message = EmailMultiAlternatives(
        subject=rendered.title,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.recipient.email],
        # Stable across retries: a receiving server can recognise a message it already accepted.
        headers={"Message-ID": f"<delivery-{delivery.pk}@licensing-portal>", "X-Portal-Delivery": str(delivery.pk)},
    )
    message.attach_alternative(rendered.html, "text/html")
    message.send(fail_silently=False)


# --- helpers ----------------------------------------------------------------------------------------
def _user_ids(recipients: Iterable[AbstractBaseUser | int]) -> list[int]:
    ids = (recipient.pk if isinstance(recipient, AbstractBaseUser) else int(recipient) for recipient in recipients)
    return list(dict.fromkeys(ids))


def _json_safe(value):
    """Context stored in JSON: dates, decimals and model instances become strings or ids."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json_safe(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def notification_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given); returns how many."""
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    return queryset.update(read_at=timezone.now())
