"""Reads of notifications for the faces: a user's in-app inbox."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import Notification


def unread_for(user) -> QuerySet[Notification]:
    """The user's unread in-app notifications, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user, read_at__isnull=True).order_by("-created_at", "-id")


def notifications_for(user) -> QuerySet[Notification]:
    """All of the user's in-app notifications, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")
