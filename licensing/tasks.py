"""Periodic sweeps of the licensing process (SPEC section 9), scheduled by Celery beat.

Each task runs one sweep of ``licensing.reminders``: it derives what is due from the database,
inserts the missing deliveries (unique keys make a second or concurrent run add nothing) and hands
them to ``notifications.tasks.deliver_batch`` after commit. Safe to run twice, late, or at once.
"""

from __future__ import annotations

from celery import shared_task

from licensing import deadlines, reminders


@shared_task(name="licensing.tasks.sweep_document_reviews", acks_late=True)
def sweep_document_reviews() -> dict:
    return reminders.sweep_document_reviews().as_dict()


@shared_task(name="licensing.tasks.sweep_statutory_deadlines", acks_late=True)
def sweep_statutory_deadlines() -> dict:
    return reminders.sweep_statutory_deadlines().as_dict()


@shared_task(name="licensing.tasks.sweep_information_requests", acks_late=True)
def sweep_information_requests() -> dict:
    return reminders.sweep_information_requests().as_dict()


@shared_task(name="licensing.tasks.sweep_license_validity", acks_late=True)
def sweep_license_validity() -> dict:
    return reminders.sweep_license_validity().as_dict()


@shared_task(name="licensing.tasks.refresh_statutory_due_dates", acks_late=True)
def refresh_statutory_due_dates(only_paused: bool = False) -> int:
    return deadlines.applications_refresh_due_dates(only_paused=only_paused)
