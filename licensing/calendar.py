"""The working-day calendar of the portal, built from the ``Holiday`` table.

``licensing.workdays`` does the arithmetic on plain dates; this module feeds it the holidays a
superuser maintains. The calendar is built once per process and rebuilt when a ``Holiday`` row is
saved or deleted. Other processes (web workers, Celery) learn of the change through a version
stamp kept in the shared Django cache, so an edit in the admin reaches every deadline computation
without a restart; a cache that was cleared or lost simply causes one rebuild.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import date, datetime

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from licensing.models import Holiday
from licensing.workdays import WorkdayCalendar

__all__ = ["add_working_days", "get_calendar", "local_date", "working_days_between"]

logger = logging.getLogger(__name__)

_VERSION_KEY = "licensing:holiday-calendar-version"
_lock = threading.Lock()
_cached: tuple[str, WorkdayCalendar] | None = None


def _build() -> WorkdayCalendar:
    holidays = list(Holiday.objects.values_list("date", flat=True))
    # A year is covered once any of its holidays is entered: every year has New Year.
    return WorkdayCalendar(holidays, covered_years={d.year for d in holidays})


def get_calendar() -> WorkdayCalendar:
    """The working-day calendar with every public holiday in the table."""
    global _cached
    try:
        version = cache.get(_VERSION_KEY)
        if version is None:
            version = uuid.uuid4().hex
            cache.set(_VERSION_KEY, version, timeout=None)
    except Exception:  # deadlines must not fail because the cache is down: rebuild from the table
        logger.warning("holiday calendar version unknown: cache unavailable", exc_info=True)
        version = uuid.uuid4().hex
    with _lock:
        if _cached is None or _cached[0] != version:
            _cached = (version, _build())
        return _cached[1]


def invalidate_calendar() -> None:
    """Forget the calendar here and, through the shared cache, in every other process."""
    global _cached
    with _lock:
        _cached = None
    try:
        cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # a holiday edit must not fail; other processes rebuild once the cache is back
        logger.warning("holiday calendar version not bumped: cache unavailable", exc_info=True)


@receiver(post_save, sender=Holiday, dispatch_uid="licensing.calendar.holiday_saved")
@receiver(post_delete, sender=Holiday, dispatch_uid="licensing.calendar.holiday_deleted")
def _holiday_changed(**kwargs) -> None:
    invalidate_calendar()


def local_date(moment: datetime) -> date:
    """The calendar day of ``moment`` in Almaty (TIME_ZONE): deadlines count local days."""
    return timezone.localdate(moment)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (see ``WorkdayCalendar.add_working_days``)."""
    return get_calendar().add_working_days(start, n)


def working_days_between(start: date, end: date) -> int:
    """Working days d with ``start < d <= end`` (see ``WorkdayCalendar.working_days_between``)."""
    return get_calendar().working_days_between(start, end)
