"""The statutory clock of a real case (SPEC section 8), over the portal's working-day calendar.

    March 2026             April 2026             May 2026               June 2026
    Mo Tu We Th Fr Sa Su   Mo Tu We Th Fr Sa Su   Mo Tu We Th Fr Sa Su   Mo Tu We Th Fr Sa Su
                       1          1  2  3  4  5                1  2  3    1  2  3  4  5  6  7
     2  3  4  5  6  7  8    6  7  8  9 10 11 12    4  5  6  7  8  9 10
     9 10 11 12 13 14 15   13 14 15 16 17 18 19   11 12 13 14 15 16 17
    16 17 18 19 20 21 22   20 21 22 23 24 25 26   18 19 20 21 22 23 24
    23 24 25 26 27 28 29   27 28 29 30            25 26 27 28 29 30 31
    30 31

Holidays in range (the holidays library): Mon 9 Mar (for Sun 8 Mar), Mon 23 Mar (Nauryz), Tue 24 and
Wed 25 Mar (for Nauryz on Sat 21 and Sun 22), Fri 1 May, Thu 7 May, Mon 11 May (for Sat 9 May),
Wed 27 May (Kurban Ait).

The case: submitted Mon 2 Mar; information requested Wed 4 Mar, answered Fri 6 Mar; requested
again Tue 17 Mar, answered Thu 26 Mar; completeness confirmed Tue 31 Mar.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from licensing import services
from licensing.calendar import add_working_days, get_calendar
from licensing.clock import Pause
from licensing.models import Application, WorkdayTransfer
from licensing.selectors import application_clock
from tests.licensing.conftest import accept_all, answer_all, make_submittable_application

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")


def at(day: date):
    """Travel to 10:00 in Almaty on ``day``."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, 0, tzinfo=ALMATY), tick=False)


@pytest.fixture
def submitted(cast) -> Application:
    with at(date(2026, 3, 2)):
        application = make_submittable_application(cast.organization_a, cast.applicant_a)
        return services.application_submit(application=application, actor=cast.applicant_a)


def _request(application: Application, actor, day: date) -> Application:
    with at(day):
        services.application_request_information(application=application, actor=actor, questions="Clarify.")
    return Application.objects.get(pk=application.pk)


def _answer(application: Application, actor, day: date) -> Application:
    with at(day):
        return answer_all(application, actor)


def test_completeness_due_date_skips_weekends_and_the_nauryz_holidays(submitted):
    clock = application_clock(submitted, today=date(2026, 3, 2))

    # After Mon 2 Mar: 3 4 5 6 (4) [9] 10-13 (8) 16-20 (13) [23 24 25] 26 27 (15) 30 31 (17)
    # Apr 1 2 3 (20) 6-10 (25): due Fri 10 April.
    assert clock.completeness.status.due == date(2026, 4, 10)
    assert clock.completeness.status.days_left == 25
    assert clock.decision is None
    assert clock.completeness.running


def test_a_clock_paused_twice_by_two_information_requests(cast, submitted):
    with at(date(2026, 3, 3)):
        application = services.application_start_check(application=submitted, actor=cast.reviewer)
        accept_all(application, cast.reviewer)
    application = _request(application, cast.reviewer, date(2026, 3, 4))
    application = _answer(application, cast.applicant_a, date(2026, 3, 6))

    # First pause: Thu 5 and Fri 6 Mar stood still, so the due date moves two working days.
    clock = application_clock(application, today=date(2026, 3, 16))
    assert clock.completeness.status.due == date(2026, 4, 14)
    assert not clock.completeness.status.paused

    application = _request(application, cast.reviewer, date(2026, 3, 17))
    on_request_day = application_clock(application, today=date(2026, 3, 17)).completeness.status
    while_paused = application_clock(application, today=date(2026, 3, 20)).completeness.status
    # While the request is open the due date moves on with every working day; the days left do not.
    assert on_request_day.due == date(2026, 4, 14)
    assert while_paused.paused
    assert while_paused.due == date(2026, 4, 17)  # Wed 18, Thu 19, Fri 20 Mar paused too
    assert while_paused.days_left == on_request_day.days_left == 17

    application = _answer(application, cast.applicant_a, date(2026, 3, 26))
    assert application.state == "completeness_check"
    clock = application_clock(application, today=date(2026, 4, 13))

    # Second pause: 18 19 20 and 26 Mar (23-25 are holidays anyway): six paused days in all.
    assert clock.completeness.status.due == date(2026, 4, 20)
    assert clock.completeness.status.days_left == 5  # Apr 14 15 16 17 20
    assert not clock.completeness.status.overdue
    assert clock.pauses == (
        Pause(started=date(2026, 3, 4), ended=date(2026, 3, 6)),
        Pause(started=date(2026, 3, 17), ended=date(2026, 3, 26)),
    )

    overdue = application_clock(application, today=date(2026, 4, 21)).completeness.status
    assert overdue.overdue
    assert overdue.days_left == -1

    with at(date(2026, 3, 31)):
        application = services.application_confirm_complete(application=application, actor=cast.reviewer)
    clock = application_clock(application, today=date(2026, 6, 2))

    # Completeness was confirmed in time: the clock stopped on 31 Mar with 14 working days to spare.
    assert clock.completeness.stopped_on == date(2026, 3, 31)
    assert (clock.completeness.status.days_left, clock.completeness.status.overdue) == (14, False)
    # Decision, 40 working days after Tue 31 Mar: Apr 1-3 (3) 6-30 (22) [May 1] 4-6 (25) [7] 8 (26)
    # [11] 12-15 (30) 18-22 (35) 25 26 (37) [27] 28 29 (39) Mon 1 June (40). Earlier pauses do not count.
    assert clock.decision.status.due == date(2026, 6, 1)
    assert clock.decision.status.overdue
    assert clock.decision.running


def test_the_decision_clock_stops_at_the_decision(cast, submitted):
    with at(date(2026, 3, 3)):
        application = services.application_start_check(application=submitted, actor=cast.reviewer)
        accept_all(application, cast.reviewer)
        application = services.application_confirm_complete(application=application, actor=cast.reviewer)
    with at(date(2026, 3, 10)):
        application = services.application_recommend(
            application=application, actor=cast.reviewer, recommendation="refuse", reasons="Thin capital."
        )
        application = services.application_refuse(application=application, actor=cast.approver, reasons="Thin.")

    clock = application_clock(application, today=date(2026, 12, 1))

    assert clock.decision.stopped_on == date(2026, 3, 10)
    assert not clock.decision.status.overdue


def test_the_response_deadline_counts_working_days_across_the_new_year(cast, submitted):
    with at(date(2026, 3, 3)):
        application = services.application_start_check(application=submitted, actor=cast.reviewer)

    with at(date(2026, 12, 17)):
        request = services.application_request_information(
            application=application, actor=cast.reviewer, questions="Send the 2026 accounts."
        )

    # After Thu 17 Dec 2026: 18 21-25 28-31 (10) [Fri 1 Jan; Mon 4 Jan in lieu of Sat 2 Jan] 5 6 (12)
    # [7 Orthodox Christmas] 8 (13) 11-15 (18) 18 19 (20): Tue 19 January 2027.
    assert request.deadline == date(2027, 1, 19)


def test_the_calendar_covers_years_nobody_entered(cast, submitted):
    with at(date(2026, 3, 3)):
        application = services.application_start_check(application=submitted, actor=cast.reviewer)

    with at(date(2027, 12, 27)):
        request = services.application_request_information(
            application=application, actor=cast.reviewer, questions="Send the 2027 accounts."
        )

    # After Mon 27 Dec 2027: 28-31 (4) [Mon 3, Tue 4 Jan 2028 in lieu of Sat 1, Sun 2 Jan] 5 6 (6)
    # [Fri 7 Orthodox Christmas] 10-14 (11) 17-21 (16) 24-27 (20): Thursday 27 January 2028.
    assert request.deadline == date(2028, 1, 27)


def test_a_transfer_decreed_in_the_admin_moves_due_dates_at_once(submitted):
    before = application_clock(submitted, today=date(2026, 3, 2)).completeness.status.due
    assert get_calendar().is_working_day(date(2026, 4, 6))

    transfer = WorkdayTransfer.objects.create(day_off=date(2026, 4, 6), decree="Test resolution")
    moved = application_clock(submitted, today=date(2026, 3, 2)).completeness.status.due
    transfer.delete()
    restored = application_clock(submitted, today=date(2026, 3, 2)).completeness.status.due

    assert (before, moved, restored) == (date(2026, 4, 10), date(2026, 4, 13), date(2026, 4, 10))


def test_a_saturday_worked_by_decree_counts_as_a_working_day(submitted):
    # Sat 4 April worked instead of Mon 6 April: the count keeps its length, the due date stays.
    WorkdayTransfer.objects.create(day_off=date(2026, 4, 6), working_day=date(2026, 4, 4), decree="Test resolution")

    assert application_clock(submitted, today=date(2026, 3, 2)).completeness.status.due == date(2026, 4, 10)
    assert get_calendar().is_working_day(date(2026, 4, 4))


def test_a_lunar_holiday_announced_on_another_day_than_estimated_is_corrected_by_a_transfer():
    # Kurban Ait 2026 is estimated for Wed 27 May; suppose the announced day were Thu 28 May.
    assert not get_calendar().is_working_day(date(2026, 5, 27))

    WorkdayTransfer.objects.create(day_off=date(2026, 5, 28), working_day=date(2026, 5, 27), decree="Announcement")

    assert get_calendar().is_working_day(date(2026, 5, 27))
    assert not get_calendar().is_working_day(date(2026, 5, 28))


def test_add_working_days_reads_the_public_holidays():
    # After Fri 20 Mar 2026: [23 24 25 Nauryz] Thu 26 is the first working day.
    assert add_working_days(date(2026, 3, 20), 1) == date(2026, 3, 26)
