"""Notices to people: the outbox of events, one delivery per recipient, and the in-app inbox.

A ``Delivery`` is the unit of "exactly once": its key (subject, kind, threshold, recipient) is unique
in the database, so a sweep that runs twice, or two sweeps at once, can only ever insert it once, and
a worker sends it only after claiming it with a conditional update (``notifications.services``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """An event worth telling people about, written in the transaction of the event itself."""

    kind = models.CharField(_("kind"), max_length=64)
    subject_type = models.CharField(max_length=100)
    subject_id = models.BigIntegerField()
    context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_type}#{self.subject_id}"


class Delivery(models.Model):
    """One notice to one person: an e-mail plus an in-app notification, sent exactly once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    message = models.ForeignKey(
        OutboxMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    kind = models.CharField(_("kind"), max_length=64)
    subject_type = models.CharField(max_length=100)
    subject_id = models.BigIntegerField()
    # Which reminder of the subject this is ("before_5", "overdue", ...); events use "event-<message id>".
    threshold = models.CharField(_("threshold"), max_length=32)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries")
    context = models.JSONField(default=dict, blank=True)
    # Path of the page where the recipient finds the matter, chosen by whoever enqueued the notice.
    link = models.CharField(_("link"), max_length=500, blank=True)

    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Set when a worker claims the delivery; a claim older than the lease is taken to be a dead worker's.
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind", "threshold", "recipient"], name="one_delivery_per_key"
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(claimed_at__isnull=False), name="sending_delivery_is_claimed"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_status_next"),
            models.Index(fields=["created_at"], name="delivery_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.threshold} {self.subject_type}#{self.subject_id} to {self.recipient_id}"


class Notification(models.Model):
    """What the faces show a signed-in user: the in-app copy of a delivery."""

    # What the inbox's links carry: ids that say nothing about how many notices exist.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # One notification per delivery, however often the delivery is retried.
    delivery = models.OneToOneField(
        Delivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="notification"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read")]

    def __str__(self) -> str:
        return self.title
