"""Working-day arithmetic over Kazakhstan's public-holiday calendar (SPEC sections 5 and 8).

Conventions, shared by every function here and by ``licensing.clock``:

* A working day is Monday to Friday and not a public holiday. The holiday table is the whole
  truth: substitute days off (a holiday falling on a weekend moves to the next working day) must
  be entered in it as holidays of their own.
* Counting excludes the starting day and includes the final one: "n working days after start"
  is the n-th working day strictly after ``start``, and ``working_days_between(start, end)``
  counts the working days d with start < d <= end. So a case submitted on a Friday afternoon
  and one submitted on Monday morning both start counting on the following working day.
* A year is *covered* when its holidays have been entered. Any computation that needs to know
  whether a day in an uncovered year is a working day raises ``CalendarNotCovered`` instead of
  silently treating every weekday as a working day: a deadline that ignores the New Year
  holidays is wrong by days, and nobody would notice until it was missed. The starting day
  itself is never examined, so only the years the count actually walks through must be covered.
* Day-by-day loops: statutory spans are weeks to a few years, which is a few hundred iterations.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

__all__ = ["CalendarNotCovered", "WorkdayCalendar"]

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


class CalendarNotCovered(Exception):
    """A computation reached a year whose public holidays are not in the calendar."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"The working-day calendar has no public holidays for {year}, so working days in "
            f"{year} cannot be counted. Add {year}'s public holidays of Kazakhstan (including "
            f"substitute days off) to the holiday table."
        )


class WorkdayCalendar:
    """Working days: Monday to Friday, minus the given public holidays, within covered years."""

    def __init__(self, holidays: Iterable[date], covered_years: Iterable[int] | None = None) -> None:
        self._holidays = frozenset(holidays)
        self._covered_years = (
            frozenset(d.year for d in self._holidays) if covered_years is None else frozenset(covered_years)
        )

    @property
    def covered_years(self) -> frozenset[int]:
        return self._covered_years

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day; raises ``CalendarNotCovered`` for an uncovered year."""
        if d.year not in self._covered_years:
            raise CalendarNotCovered(d.year)
        return d.weekday() < _SATURDAY and d not in self._holidays

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
        count = 0
        d = start
        while d < end:
            d += _ONE_DAY
            if self.is_working_day(d):
                count += 1
        return count

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add_working_days(d, 1)
