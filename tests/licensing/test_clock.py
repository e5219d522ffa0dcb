"""Statutory clock (SPEC section 8): due dates, days left, pauses for information requests.

Every expected date is counted by hand in the comment beside it; "(n)" marks the n-th counted
working day, "[..]" a day that does not count and why.

    December 2025          January 2026           February 2026          March 2026
    Mo Tu We Th Fr Sa Su   Mo Tu We Th Fr Sa Su   Mo Tu We Th Fr Sa Su   Mo Tu We Th Fr Sa Su
     1  2  3  4  5  6  7             1  2  3  4                      1                      1
     8  9 10 11 12 13 14    5  6  7  8  9 10 11    2  3  4  5  6  7  8    2  3  4  5  6  7  8
    15 16 17 18 19 20 21   12 13 14 15 16 17 18    9 10 11 12 13 14 15    9 10 11 12 13 14 15
    22 23 24 25 26 27 28   19 20 21 22 23 24 25   16 17 18 19 20 21 22   16 17 18 19 20 21 22
    29 30 31               26 27 28 29 30 31      23 24 25 26 27 28      23 24 25 26 27 28 29
                                                                         30 31

Holidays in range: 16 Dec 2025; 1, 2, 7 Jan 2026; 9 Mar (for Sun 8 Mar); 23-25 Mar (Nauryz).
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from licensing.clock import ClockStatus, Pause, clock_status, due_date
from licensing.workdays import WorkdayCalendar

# Public holidays of Kazakhstan with weekend substitutes (see test_workdays for the full notes).
KZ_HOLIDAYS = [
    date(2025, 1, 1),
    date(2025, 1, 2),
    date(2025, 1, 7),
    date(2025, 3, 10),
    date(2025, 3, 21),
    date(2025, 3, 24),
    date(2025, 3, 25),
    date(2025, 5, 1),
    date(2025, 5, 7),
    date(2025, 5, 9),
    date(2025, 7, 7),
    date(2025, 9, 1),
    date(2025, 10, 27),
    date(2025, 12, 16),  # Independence Day (Tue)
    date(2026, 1, 1),  # New Year (Thu)
    date(2026, 1, 2),  # New Year (Fri)
    date(2026, 1, 7),  # Orthodox Christmas (Wed)
    date(2026, 3, 9),  # Mon, for International Women's Day on Sun 8 March
    date(2026, 3, 23),  # Nauryz (Mon)
    date(2026, 3, 24),  # for Nauryz on Sat 21 March
    date(2026, 3, 25),  # for Nauryz on Sun 22 March
    date(2026, 5, 1),
    date(2026, 5, 7),
    date(2026, 5, 11),
    date(2026, 7, 6),
    date(2026, 8, 31),
    date(2026, 10, 26),
    date(2026, 12, 16),  # Independence Day (Wed)
]

COMPLETENESS_DAYS = 25
DECISION_DAYS = 40


@pytest.fixture
def kz() -> WorkdayCalendar:
    return WorkdayCalendar(KZ_HOLIDAYS)


# Completeness clock for a case submitted Mon 2 Feb 2026, used by the pause tests. Unpaused:
# Feb 3-6 (4), 9-13 (9), 16-20 (14), 23-27 (19), Mar 2-6 (24), [9 holiday], Tue 10 Mar (25).
SUBMITTED = date(2026, 2, 2)
UNPAUSED_DUE = date(2026, 3, 10)


def _due(calendar: WorkdayCalendar, pauses: list[Pause], today: date) -> date:
    return due_date(
        calendar=calendar,
        start=SUBMITTED,
        working_days=COMPLETENESS_DAYS,
        pauses=pauses,
        today=today,
    )


def _status(calendar: WorkdayCalendar, pauses: list[Pause], today: date) -> ClockStatus:
    return clock_status(
        calendar=calendar,
        start=SUBMITTED,
        working_days=COMPLETENESS_DAYS,
        pauses=pauses,
        today=today,
    )


# --- without pauses -----------------------------------------------------------------------------


def test_completeness_deadline_skips_new_year_and_independence_day(kz: WorkdayCalendar) -> None:
    # Submitted Wed 10 Dec 2025: Dec 11 (1), 12 (2), 15 (3), [16 holiday], 17-19 (6),
    # 22-26 (11), 29-31 (14), [1, 2 Jan holidays], Jan 5 (15), 6 (16), [7 holiday], 8 (17),
    # 9 (18), 12-16 (23), 19 (24), Tue 20 Jan (25)
    due = due_date(
        calendar=kz,
        start=date(2025, 12, 10),
        working_days=COMPLETENESS_DAYS,
        pauses=[],
        today=date(2025, 12, 10),
    )
    assert due == date(2026, 1, 20)


def test_unpaused_completeness_deadline_for_the_pause_scenarios(kz: WorkdayCalendar) -> None:
    assert _due(kz, [], today=SUBMITTED) == UNPAUSED_DUE


def test_decision_deadline_skips_womens_day_and_nauryz(kz: WorkdayCalendar) -> None:
    # Completeness confirmed Mon 2 Feb: Feb 3-6 (4), 9-13 (9), 16-20 (14), 23-27 (19),
    # Mar 2-6 (24), [9 holiday], 10-13 (28), 16-20 (33), [21-25 weekend and Nauryz],
    # 26, 27 (35), 30, 31 (37), Apr 1, 2, Fri 3 Apr (40)
    due = due_date(
        calendar=kz,
        start=date(2026, 2, 2),
        working_days=DECISION_DAYS,
        pauses=[],
        today=date(2026, 2, 2),
    )
    assert due == date(2026, 4, 3)


def test_deadline_skips_nauryz_holidays(kz: WorkdayCalendar) -> None:
    # Start Fri 13 Mar: 16-20 (5), [21-25 weekend and Nauryz], 26 (6), 27 (7), 30 (8),
    # 31 (9), Wed 1 Apr (10)
    due = due_date(
        calendar=kz,
        start=date(2026, 3, 13),
        working_days=10,
        pauses=[],
        today=date(2026, 3, 13),
    )
    assert due == date(2026, 4, 1)


def test_zero_working_days_are_due_on_the_start_day(kz: WorkdayCalendar) -> None:
    due = due_date(calendar=kz, start=date(2026, 2, 7), working_days=0, pauses=[], today=date(2026, 2, 7))
    assert due == date(2026, 2, 7)


def test_negative_working_days_are_refused(kz: WorkdayCalendar) -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        due_date(calendar=kz, start=SUBMITTED, working_days=-1, pauses=[], today=SUBMITTED)


def test_status_on_the_day_of_submission_shows_the_full_period(kz: WorkdayCalendar) -> None:
    assert _status(kz, [], today=SUBMITTED) == ClockStatus(due=UNPAUSED_DUE, days_left=25, overdue=False, paused=False)


def test_status_counts_down_working_days(kz: WorkdayCalendar) -> None:
    # Fri 13 Feb: Feb 3-6 and 9-13 have run (9), so 25 - 9 = 16 left
    assert _status(kz, [], today=date(2026, 2, 13)).days_left == 16
    # Sat 14 Feb: no working day has passed since Friday
    assert _status(kz, [], today=date(2026, 2, 14)).days_left == 16


def test_status_on_the_due_date_has_zero_days_left_and_is_not_overdue(
    kz: WorkdayCalendar,
) -> None:
    assert _status(kz, [], today=UNPAUSED_DUE) == ClockStatus(
        due=UNPAUSED_DUE, days_left=0, overdue=False, paused=False
    )


# --- overdue ------------------------------------------------------------------------------------


def test_clock_is_overdue_the_day_after_the_due_date(kz: WorkdayCalendar) -> None:
    # Due Tue 10 Mar; Wed 11 Mar is one working day past it
    assert _status(kz, [], today=date(2026, 3, 11)) == ClockStatus(
        due=UNPAUSED_DUE, days_left=-1, overdue=True, paused=False
    )


def test_overdue_days_left_counts_working_days_past_the_due_date(kz: WorkdayCalendar) -> None:
    # Due Tue 10 Mar; by Fri 20 Mar: 11, 12, 13, 16, 17, 18, 19, 20 = 8 working days past
    assert _status(kz, [], today=date(2026, 3, 20)).days_left == -8
    # By Thu 26 Mar the Nauryz days add nothing: 8 + Thu 26 = 9
    assert _status(kz, [], today=date(2026, 3, 26)).days_left == -9


def test_weekend_after_a_friday_deadline_is_overdue_with_zero_days_left(
    kz: WorkdayCalendar,
) -> None:
    # Start Fri 9 Jan, 5 working days: 12 (1), 13 (2), 14 (3), 15 (4), Fri 16 Jan (5)
    def status(today: date) -> ClockStatus:
        return clock_status(calendar=kz, start=date(2026, 1, 9), working_days=5, pauses=[], today=today)

    assert status(date(2026, 1, 17)) == ClockStatus(due=date(2026, 1, 16), days_left=0, overdue=True, paused=False)
    # Mon 19 Jan is the first working day past the deadline
    assert status(date(2026, 1, 19)).days_left == -1


# --- closed pauses ------------------------------------------------------------------------------


def test_answered_information_request_extends_deadline_by_paused_working_days(
    kz: WorkdayCalendar,
) -> None:
    # Request sent Wed 11 Feb, answered Fri 13 Feb: Thu 12 and Fri 13 are suspended.
    # Feb 3-6 (4), 9, 10, 11 (7), [12, 13 paused], 16-20 (12), 23-27 (17), Mar 2-6 (22),
    # [9 holiday], 10 (23), 11 (24), Thu 12 Mar (25)
    pauses = [Pause(started=date(2026, 2, 11), ended=date(2026, 2, 13))]
    assert _due(kz, pauses, today=date(2026, 2, 20)) == date(2026, 3, 12)


def test_clock_paused_twice_adds_both_pauses(kz: WorkdayCalendar) -> None:
    # First pause (11 Feb, 13 Feb] suspends Thu 12, Fri 13; second (Fri 20 Feb, Tue 24 Feb]
    # suspends Sat 21, Sun 22 (not working anyway), Mon 23, Tue 24: 4 working days in all.
    # Feb 3-6 (4), 9-11 (7), [12, 13], 16-20 (12), [23, 24], 25-27 (15), Mar 2-6 (20),
    # [9 holiday], 10-13 (24), Mon 16 Mar (25)
    pauses = [
        Pause(started=date(2026, 2, 11), ended=date(2026, 2, 13)),
        Pause(started=date(2026, 2, 20), ended=date(2026, 2, 24)),
    ]
    assert _due(kz, pauses, today=date(2026, 3, 2)) == date(2026, 3, 16)
    # Order of the pauses does not matter
    assert _due(kz, pauses[::-1], today=date(2026, 3, 2)) == date(2026, 3, 16)


def test_status_after_two_pauses_counts_only_running_days(kz: WorkdayCalendar) -> None:
    pauses = [
        Pause(started=date(2026, 2, 11), ended=date(2026, 2, 13)),
        Pause(started=date(2026, 2, 20), ended=date(2026, 2, 24)),
    ]
    # Mon 2 Mar: Mar 3-6 (4), [9 holiday], 10-13 (8), 16 (9) left; check: 25 counted minus
    # Feb 3-11 (7), 16-20 (5), 25-27 (3), Mar 2 (1) = 25 - 16 = 9
    assert _status(kz, pauses, today=date(2026, 3, 2)) == ClockStatus(
        due=date(2026, 3, 16), days_left=9, overdue=False, paused=False
    )


def test_overlapping_pauses_are_not_double_counted(kz: WorkdayCalendar) -> None:
    # (11 Feb, 13 Feb] and (12 Feb, 16 Feb] together suspend Thu 12, Fri 13, Mon 16 = 3 days,
    # not 2 + 3 = 5. Feb 3-6 (4), 9-11 (7), [12, 13, 16], 17-20 (11), 23-27 (16),
    # Mar 2-6 (21), [9 holiday], 10, 11, 12, Fri 13 Mar (25)
    pauses = [
        Pause(started=date(2026, 2, 11), ended=date(2026, 2, 13)),
        Pause(started=date(2026, 2, 12), ended=date(2026, 2, 16)),
    ]
    assert _due(kz, pauses, today=date(2026, 3, 2)) == date(2026, 3, 13)


def test_duplicate_and_nested_pauses_count_once(kz: WorkdayCalendar) -> None:
    single = Pause(started=date(2026, 2, 11), ended=date(2026, 2, 13))
    nested = Pause(started=date(2026, 2, 11), ended=date(2026, 2, 12))
    # Same as the single pause: due Thu 12 Mar
    assert _due(kz, [single, single, nested], today=date(2026, 3, 2)) == date(2026, 3, 12)


def test_pause_over_holidays_only_suspends_working_days(kz: WorkdayCalendar) -> None:
    # Start Fri 13 Mar, 10 working days, unpaused due Wed 1 Apr. Pause (Fri 20, Thu 26 Mar]
    # covers 21-25 (weekend and Nauryz, never counted) and Thu 26 (1 working day).
    # 16-20 (5), [21-25 off], [26 paused], 27 (6), 30 (7), 31 (8), Apr 1 (9), Thu 2 Apr (10)
    due = due_date(
        calendar=kz,
        start=date(2026, 3, 13),
        working_days=10,
        pauses=[Pause(started=date(2026, 3, 20), ended=date(2026, 3, 26))],
        today=date(2026, 3, 30),
    )
    assert due == date(2026, 4, 2)


def test_pause_answered_the_same_day_it_was_sent_suspends_nothing(kz: WorkdayCalendar) -> None:
    pauses = [Pause(started=date(2026, 2, 11), ended=date(2026, 2, 11))]
    assert _due(kz, pauses, today=date(2026, 2, 20)) == UNPAUSED_DUE


def test_pause_before_the_clock_started_does_not_extend_it(kz: WorkdayCalendar) -> None:
    # A request answered during the completeness check must not extend the decision clock
    # that starts when completeness is confirmed (Mon 2 Feb; unpaused due Fri 3 Apr, see above).
    earlier = Pause(started=date(2026, 1, 20), ended=date(2026, 1, 30))
    due = due_date(
        calendar=kz,
        start=date(2026, 2, 2),
        working_days=DECISION_DAYS,
        pauses=[earlier],
        today=date(2026, 2, 10),
    )
    assert due == date(2026, 4, 3)


def test_pause_straddling_the_start_only_suspends_days_after_it(kz: WorkdayCalendar) -> None:
    # Pause (Wed 28 Jan, Wed 4 Feb] with the clock starting Mon 2 Feb: Tue 3 and Wed 4 are
    # suspended (2), so the decision deadline moves from Fri 3 Apr by 2: Mon 6 (1), Tue 7 Apr (2)
    due = due_date(
        calendar=kz,
        start=date(2026, 2, 2),
        working_days=DECISION_DAYS,
        pauses=[Pause(started=date(2026, 1, 28), ended=date(2026, 2, 4))],
        today=date(2026, 2, 10),
    )
    assert due == date(2026, 4, 7)


def test_request_sent_after_the_deadline_does_not_revive_the_clock(kz: WorkdayCalendar) -> None:
    # Start Fri 9 Jan, 5 working days, due Fri 16 Jan. A request sent Wed 21 Jan and still
    # open on Fri 23 Jan suspends days after the deadline only, which never counted.
    status = clock_status(
        calendar=kz,
        start=date(2026, 1, 9),
        working_days=5,
        pauses=[Pause(started=date(2026, 1, 21), ended=None)],
        today=date(2026, 1, 23),
    )
    # (16 Jan, 23 Jan]: 19, 20, 21, 22, 23 = 5 working days past the deadline
    assert status == ClockStatus(due=date(2026, 1, 16), days_left=-5, overdue=True, paused=True)


def test_pause_cannot_end_before_it_started() -> None:
    with pytest.raises(ValueError, match="cannot end"):
        Pause(started=date(2026, 2, 13), ended=date(2026, 2, 11))


def test_pause_is_immutable() -> None:
    pause = Pause(started=date(2026, 2, 11), ended=None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        pause.ended = date(2026, 2, 13)  # type: ignore[misc]


# --- open pause ---------------------------------------------------------------------------------

OPEN_REQUEST = Pause(started=date(2026, 2, 11), ended=None)


def test_open_pause_on_the_day_it_starts_keeps_the_due_date(kz: WorkdayCalendar) -> None:
    # Wed 11 Feb itself still counts: Feb 3-6 (4), 9, 10, 11 (7), so 25 - 7 = 18 left
    assert _status(kz, [OPEN_REQUEST], today=date(2026, 2, 11)) == ClockStatus(
        due=UNPAUSED_DUE, days_left=18, overdue=False, paused=True
    )


@pytest.mark.parametrize(
    ("today", "expected_due"),
    [
        # (11 Feb, Thu 12 Feb] suspends 12: Mar 10 + 1 -> Wed 11 Mar
        (date(2026, 2, 12), date(2026, 3, 11)),
        # (11 Feb, Fri 13 Feb] suspends 12, 13: Mar 10 + 2 -> Thu 12 Mar
        (date(2026, 2, 13), date(2026, 3, 12)),
        # Sat 14 and Sun 15 Feb are not working days: still Thu 12 Mar
        (date(2026, 2, 14), date(2026, 3, 12)),
        (date(2026, 2, 15), date(2026, 3, 12)),
        # (11 Feb, Mon 16 Feb] suspends 12, 13, 16: Mar 10 + 3 -> Fri 13 Mar
        (date(2026, 2, 16), date(2026, 3, 13)),
        # (11 Feb, Tue 17 Feb] suspends 4: Mar 10 + 4 -> 11, 12, 13, Mon 16 Mar
        (date(2026, 2, 17), date(2026, 3, 16)),
    ],
)
def test_open_pause_moves_the_due_date_forward_each_working_day(
    kz: WorkdayCalendar, today: date, expected_due: date
) -> None:
    status = _status(kz, [OPEN_REQUEST], today=today)
    assert status.due == expected_due
    # The clock is stopped: the 18 days left on 11 Feb stay 18
    assert status.days_left == 18
    assert status.paused is True
    assert status.overdue is False


def test_clock_runs_again_after_the_open_pause_is_answered(kz: WorkdayCalendar) -> None:
    answered = Pause(started=date(2026, 2, 11), ended=date(2026, 2, 17))
    # Answered Tue 17 Feb: 12, 13, 16, 17 suspended, due Mon 16 Mar; the clock is no longer
    # held and 18 days remain, counted from Wed 18 Feb.
    assert _status(kz, [answered], today=date(2026, 2, 17)) == ClockStatus(
        due=date(2026, 3, 16), days_left=18, overdue=False, paused=False
    )
    # Fri 20 Feb: 18, 19, 20 have run, 18 - 3 = 15 left
    assert _status(kz, [answered], today=date(2026, 2, 20)) == ClockStatus(
        due=date(2026, 3, 16), days_left=15, overdue=False, paused=False
    )


def test_closed_and_open_pause_together(kz: WorkdayCalendar) -> None:
    # First request (11 Feb, 13 Feb] answered; second sent Fri 20 Feb, still open on Tue 24 Feb,
    # suspending (20 Feb, 24 Feb]: Mon 23, Tue 24. The same 4 days as two closed pauses above,
    # so due Mon 16 Mar. Left: 25 - (Feb 3-11 (7) + 16-20 (5)) = 13.
    pauses = [
        Pause(started=date(2026, 2, 11), ended=date(2026, 2, 13)),
        Pause(started=date(2026, 2, 20), ended=None),
    ]
    assert _status(kz, pauses, today=date(2026, 2, 24)) == ClockStatus(
        due=date(2026, 3, 16), days_left=13, overdue=False, paused=True
    )


def test_open_pause_sent_later_than_today_does_not_hold_the_clock(kz: WorkdayCalendar) -> None:
    # Viewing the clock as of Tue 10 Feb, before the request of 11 Feb existed
    assert _status(kz, [OPEN_REQUEST], today=date(2026, 2, 10)) == ClockStatus(
        due=UNPAUSED_DUE, days_left=19, overdue=False, paused=False
    )


# --- across the new year ------------------------------------------------------------------------


def test_deadline_running_into_the_next_year_skips_its_holidays() -> None:
    # 2027: Fri 1 Jan, Mon 4 Jan (for Sat 2 Jan), Thu 7 Jan off.
    calendar = WorkdayCalendar([*KZ_HOLIDAYS, date(2027, 1, 1), date(2027, 1, 4), date(2027, 1, 7)])
    # Start Mon 16 Nov 2026, 40 days: Nov 17-20 (4), 23-27 (9), Nov 30-Dec 4 (14), 7-11 (19),
    # 14, 15, [16 holiday], 17, 18 (23), 21-25 (28), 28-31 (32), [1, 4 Jan], 5, 6 (34), [7], 8 (35),
    # 11-15 (40): due Fri 15 Jan 2027.
    due = due_date(
        calendar=calendar, start=date(2026, 11, 16), working_days=DECISION_DAYS, pauses=[], today=date(2026, 11, 16)
    )

    assert due == date(2027, 1, 15)
