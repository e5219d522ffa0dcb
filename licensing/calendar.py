"""The working-day calendar of the portal: Kazakhstan's public holidays and the decreed transfers.

``licensing.workdays`` does the arithmetic on plain dates; this module feeds it, a year at a time:

* the ``holidays`` library's calendar of Kazakhstan: the holidays of the Law on Holidays, the days
  off in lieu that the Labour Code moves to the next working day, Kurban Ait (estimated until
  announced) and the transfers the government decreed in the years the library has caught up on;
* the ``WorkdayTransfer`` table, where a superuser enters a decree the library does not know yet.
  Its days win over the library's.

The calendar is built once per process and rebuilt when a transfer is saved or deleted. Other
processes (web workers, Celery) learn of the change through a version stamp kept in the shared
Django cache, so an edit in the admin reaches every deadline computation without a restart; a
cache that was cleared or lost simply causes one rebuild.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import date, datetime

import holidays
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from licensing.models import WorkdayTransfer
from licensing.workdays import WorkdayCalendar, YearDays

__all__ = ["add_working_days", "get_calendar", "local_date", "working_days_between"]

logger = logging.getLogger(__name__)

_VERSION_KEY = "licensing:holiday-calendar-version"
_lock = threading.Lock()
_cached: tuple[str, WorkdayCalendar] | None = None


def _build() -> WorkdayCalendar:
    transfers = list(WorkdayTransfer.objects.values_list("day_off", "working_day"))
    decreed_off = {day_off for day_off, _working in transfers if day_off}
    decreed_worked = {working for _day_off, working in transfers if working}

    def year_days(year: int) -> YearDays:
        public = holidays.country_holidays("KZ", years=year)
        days_off = (set(public) | {d for d in decreed_off if d.year == year}) - decreed_worked
        worked = (set(public.weekend_workdays) | {d for d in decreed_worked if d.year == year}) - decreed_off
        return days_off, worked

    return WorkdayCalendar(year_days=year_days)


def get_calendar() -> WorkdayCalendar:
    """The working-day calendar of Kazakhstan, with every decreed transfer in the table."""
    global _cached
    try:
        version = cache.get(_VERSION_KEY)
        if version is None:
            version = uuid.uuid4().hex
            cache.set(_VERSION_KEY, version, timeout=None)
    except Exception:  # deadlines must not fail because the cache is down: rebuild from the table
        logger.warning("working-day calendar version unknown: cache unavailable", exc_info=True)
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
    except Exception:  # a transfer's edit must not fail; other processes rebuild once the cache is back
        logger.warning("working-day calendar version not bumped: cache unavailable", exc_info=True)


@receiver(post_save, sender=WorkdayTransfer, dispatch_uid="licensing.calendar.transfer_saved")
@receiver(post_delete, sender=WorkdayTransfer, dispatch_uid="licensing.calendar.transfer_deleted")
def _transfer_changed(**kwargs) -> None:
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
