"""Working-day arithmetic over Kazakhstan's calendar (SPEC sections 5 and 8).

Conventions, shared by every function here and by ``licensing.clock``:

* A working day is Monday to Friday and not a day off, or a weekend day a decree made a working
  day (a transfer: the Saturday worked so that the Friday between two holidays is free). Which
  days are off or worked comes from the caller: ``licensing.calendar`` takes them from the
  ``holidays`` library and the table of decreed transfers, a year at a time as counts reach it,
  so every year has a calendar.
* Counting excludes the starting day and includes the final one: "n working days after start"
  is the n-th working day strictly after ``start``, and ``working_days_between(start, end)``
  counts the working days d with start < d <= end. So a case submitted on a Friday afternoon
  and one submitted on Monday morning both start counting on the following working day.
* ``add_working_days`` walks day by day (statutory spans are weeks to a few years: a few hundred
  steps). ``working_days_between`` counts by arithmetic: the queues call it for every row they
  show, with due dates that may lie years away.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable
from datetime import date, timedelta

__all__ = ["CalendarNotCovered", "WorkdayCalendar", "YearDays"]

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5

# The days off (on any day of the week) and the weekend days worked of one year.
YearDays = tuple[Iterable[date], Iterable[date]]


def _no_year_days(year: int) -> YearDays:
    return (), ()


class CalendarNotCovered(Exception):
    """A count reached a year outside ``covered_years``.

    The portal's calendar covers every year and never raises it; licensing migration 0008 counts on
    the hand-entered holiday table of its time, which covered a few years, and catches it.
    """

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(f"The working-day calendar does not cover {year}.")


class WorkdayCalendar:
    """Working days: Monday to Friday, minus days off, plus weekend days worked by decree.

    ``days_off`` and ``working_days`` are fixed sets; ``year_days``, when given, supplies both for
    a year the first time a date in it is examined (thread-safe: web workers share a calendar).
    """

    def __init__(
        self,
        days_off: Iterable[date] = (),
        working_days: Iterable[date] = (),
        *,
        year_days: Callable[[int], YearDays] = _no_year_days,
        covered_years: Iterable[int] | None = None,
    ) -> None:
        self._days_off = frozenset(days_off)
        self._working_days = frozenset(working_days)
        self._year_days = year_days
        self._years: frozenset[int] = frozenset()
        self._lock = threading.Lock()
        self._sort_exceptions()
        # Only for licensing migration 0008 (see CalendarNotCovered): the portal passes none.
        self._covered_years = None if covered_years is None else frozenset(covered_years)

    def _load(self, year: int) -> None:
        with self._lock:
            if year in self._years:
                return
            days_off, working_days = self._year_days(year)
            # New sets replace the old ones before the year is marked loaded, so a reader that sees
            # the year loaded also sees its days.
            self._days_off = self._days_off | frozenset(days_off)
            self._working_days = self._working_days | frozenset(working_days)
            self._sort_exceptions()
            self._years = self._years | {year}

    def _sort_exceptions(self) -> None:
        # The exceptions to "Monday to Friday", sorted for counting: weekdays off (unless also decreed
        # working) and weekend days worked. Assigned as one tuple, so a reader sees both of one state.
        self._exceptions = (
            tuple(sorted(d for d in self._days_off if d.weekday() < _SATURDAY and d not in self._working_days)),
            tuple(sorted(d for d in self._working_days if d.weekday() >= _SATURDAY)),
        )

    def _require(self, year: int) -> None:
        """Load ``year``'s days off and working days, or raise if the calendar does not cover it."""
        if self._covered_years is not None and year not in self._covered_years:
            raise CalendarNotCovered(year)
        if year not in self._years:
            self._load(year)

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day."""
        self._require(d.year)
        if d in self._working_days:
            return True
        return d.weekday() < _SATURDAY and d not in self._days_off

    def add_working_days(self, start: date, n: int) -> date:
        """The date ``n`` working days after ``start``, not counting ``start`` itself.

        ``n == 0`` returns ``start`` unchanged, even if it is not a working day. For ``n > 0`` the
        result is the n-th working day after ``start``, so ``working_days_between(start, result)
        == n``. For ``n < 0`` the result is the |n|-th working day before ``start``: one working
        day before a Monday, a Saturday or a Sunday is the preceding Friday (if not a holiday).
        """
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        remaining = abs(n)
        d = start
        while remaining:
            d += step
            if self.is_working_day(d):
                remaining -= 1
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Number of working days d with ``start < d <= end``; negated when ``end < start``.

        Equal dates give 0. For ``end < start`` the result is minus the count of working days d
        with ``end < d <= start``, so ``working_days_between(a, b) == -working_days_between(b, a)``.
        """
        if end < start:
            return -self.working_days_between(end, start)
        if end == start:
            return 0
        for year in range((start + _ONE_DAY).year, end.year + 1):
            self._require(year)  # as a walk over (start, end] would
        weeks, rest = divmod((end - start).days, 7)
        weekdays = weeks * 5 + sum((start.weekday() + i) % 7 < _SATURDAY for i in range(1, rest + 1))
        weekdays_off, weekends_worked = self._exceptions
        return weekdays - _count_in(weekdays_off, start, end) + _count_in(weekends_worked, start, end)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add_working_days(d, 1)


def _count_in(days: tuple[date, ...], start: date, end: date) -> int:
    """How many of the sorted ``days`` lie in (start, end]."""
    return bisect_right(days, end) - bisect_right(days, start)
