"""The statutory clock (SPEC section 8) as pure functions over a ``WorkdayCalendar``.

Two clocks run per application, each a call to ``due_date``/``clock_status`` with its own start:

* completeness check: ``start`` = the date of submission, ``working_days`` = 25 (default);
* decision: ``start`` = the date completeness was confirmed, ``working_days`` = 40 (default).

The numbers come from the license type; these functions take them as arguments.

Conventions (see ``licensing.workdays`` for what a working day is):

* The clock runs on working days strictly after ``start``: the day of submission (or of
  confirmation) does not count, the first working day after it is day 1, and the due date is
  the day on which the count reaches ``working_days``. The task must be done by the end of it.
* An information request pauses the clock. ``Pause(started, ended)`` suspends the working days d
  with ``started < d <= ended``: the day the request is sent still counts, the day it is answered
  does not, and the clock runs again from the next working day. While a request is unanswered
  (``ended`` is None) the pause runs until ``today``, so the due date moves forward by one each
  working day and the working days left stay the same.
* A working day is suspended once however many pauses cover it, so overlapping requests do not
  extend the deadline twice.
* Only days on which the clock would otherwise run are suspended: days up to ``start`` and days
  after the due date do not count in the first place. Passing every pause of an application to
  both clocks is therefore safe (a pause during the completeness check does not extend the
  decision deadline), and a request sent after the deadline has passed does not revive it.

The applicant's response deadline for a request (default 20 working days) is not a paused clock;
it is ``calendar.add_working_days(request_date, 20)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from licensing.workdays import WorkdayCalendar

__all__ = ["ClockStatus", "Pause", "clock_status", "due_date"]


@dataclass(frozen=True)
class Pause:
    """The clock stopped for working days d with ``started < d <= ended`` (open: until today)."""

    started: date
    ended: date | None

    def __post_init__(self) -> None:
        if self.ended is not None and self.ended < self.started:
            raise ValueError(f"A pause cannot end ({self.ended}) before it started ({self.started}).")

    def suspends(self, d: date, *, today: date) -> bool:
        end = today if self.ended is None else self.ended
        return self.started < d <= end


@dataclass(frozen=True)
class ClockStatus:
    """Where a clock stands on ``today``.

    ``days_left`` is ``calendar.working_days_between(today, due)``: the working days after today
    up to and including the due date, so 0 on the due date itself and negative once working days
    have passed beyond it. ``overdue`` is ``today > due``; on a weekend or holiday just after the
    due date ``overdue`` is already True while ``days_left`` is still 0, because no further
    working day has passed. ``paused`` is True while an information request is unanswered.
    """

    due: date
    days_left: int
    overdue: bool
    paused: bool


def due_date(
    *,
    calendar: WorkdayCalendar,
    start: date,
    working_days: int,
    pauses: Sequence[Pause],
    today: date,
) -> date:
    """The date on which ``working_days`` unpaused working days after ``start`` have run.

    Equivalently: ``working_days`` working days after ``start``, extended by the number of working
    days (counted once) on which the clock was paused before it ran out. An open pause runs until
    ``today``. ``working_days == 0`` gives ``start``.
    """
    if working_days < 0:
        raise ValueError(f"working_days must not be negative, got {working_days}.")
    remaining = working_days
    d = start
    while remaining:
        d += timedelta(days=1)
        if calendar.is_working_day(d) and not any(p.suspends(d, today=today) for p in pauses):
            remaining -= 1
    return d


def clock_status(
    *,
    calendar: WorkdayCalendar,
    start: date,
    working_days: int,
    pauses: Sequence[Pause],
    today: date,
) -> ClockStatus:
    """The due date, working days left, and overdue and paused flags of a clock on ``today``."""
    due = due_date(
        calendar=calendar,
        start=start,
        working_days=working_days,
        pauses=pauses,
        today=today,
    )
    return ClockStatus(
        due=due,
        days_left=calendar.working_days_between(today, due),
        overdue=today > due,
        # A request answered today no longer holds the clock (the clock restarts tomorrow and
        # days_left already counts from tomorrow); a request sent today already does.
        paused=any(p.started <= today and (p.ended is None or today < p.ended) for p in pauses),
    )
