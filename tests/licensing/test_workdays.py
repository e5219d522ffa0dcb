"""Working-day calendar (SPEC sections 5 and 8).

Every expected date is counted by hand in the comment beside it; "(n)" marks the n-th working day.

Calendar used (weekdays checked with Python's calendar module):

    December 2025          January 2026           March 2026
    Mo Tu We Th Fr Sa Su   Mo Tu We Th Fr Sa Su   Mo Tu We Th Fr Sa Su
     1  2  3  4  5  6  7             1  2  3  4                      1
     8  9 10 11 12 13 14    5  6  7  8  9 10 11    2  3  4  5  6  7  8
    15 16 17 18 19 20 21   12 13 14 15 16 17 18    9 10 11 12 13 14 15
    22 23 24 25 26 27 28   19 20 21 22 23 24 25   16 17 18 19 20 21 22
    29 30 31               26 27 28 29 30 31      23 24 25 26 27 28 29
                                                  30 31
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from licensing.workdays import CalendarNotCovered, WorkdayCalendar

# Public holidays of Kazakhstan under the Law on Holidays, with the substitute day off the law
# gives when a holiday falls on a weekend (the next working day). Kurban Ait and government
# decrees moving days off are set year by year and left out: no test here spans them.
KZ_HOLIDAYS_2025 = [
    date(2025, 1, 1),  # New Year (Wed)
    date(2025, 1, 2),  # New Year (Thu)
    date(2025, 1, 7),  # Orthodox Christmas (Tue)
    date(2025, 3, 10),  # Mon, for International Women's Day on Sat 8 March
    date(2025, 3, 21),  # Nauryz (Fri); 22 Sat and 23 Sun give 24 and 25 off
    date(2025, 3, 24),
    date(2025, 3, 25),
    date(2025, 5, 1),  # Unity Day (Thu)
    date(2025, 5, 7),  # Defender of the Fatherland Day (Wed)
    date(2025, 5, 9),  # Victory Day (Fri)
    date(2025, 7, 7),  # Mon, for Capital Day on Sun 6 July
    date(2025, 9, 1),  # Mon, for Constitution Day on Sat 30 August
    date(2025, 10, 27),  # Mon, for Republic Day on Sat 25 October
    date(2025, 12, 16),  # Independence Day (Tue)
]
KZ_HOLIDAYS_2026 = [
    date(2026, 1, 1),  # New Year (Thu)
    date(2026, 1, 2),  # New Year (Fri)
    date(2026, 1, 7),  # Orthodox Christmas (Wed)
    date(2026, 3, 9),  # Mon, for International Women's Day on Sun 8 March
    date(2026, 3, 23),  # Nauryz (Mon); 21 Sat and 22 Sun give 24 and 25 off
    date(2026, 3, 24),
    date(2026, 3, 25),
    date(2026, 5, 1),  # Unity Day (Fri)
    date(2026, 5, 7),  # Defender of the Fatherland Day (Thu)
    date(2026, 5, 11),  # Mon, for Victory Day on Sat 9 May
    date(2026, 7, 6),  # Capital Day (Mon)
    date(2026, 8, 31),  # Mon, for Constitution Day on Sun 30 August
    date(2026, 10, 26),  # Mon, for Republic Day on Sun 25 October
    date(2026, 12, 16),  # Independence Day (Wed)
]


@pytest.fixture
def kz() -> WorkdayCalendar:
    return WorkdayCalendar(KZ_HOLIDAYS_2025 + KZ_HOLIDAYS_2026)


@pytest.mark.parametrize(
    ("holiday", "weekday"),
    [
        (date(2026, 3, 8), 6),  # Sunday, hence the substitute on Monday 9 March
        (date(2026, 3, 21), 5),  # Saturday
        (date(2026, 3, 22), 6),  # Sunday
        (date(2026, 3, 23), 0),  # Monday
        (date(2025, 12, 16), 1),  # Tuesday
        (date(2026, 1, 1), 3),  # Thursday
    ],
)
def test_fixture_weekdays_are_as_the_comments_say(holiday: date, weekday: int) -> None:
    # Guards the hand counts below against a mistaken assumption about the calendar itself.
    assert holiday.weekday() == weekday


# --- is_working_day -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 2, 6), True),  # ordinary Friday
        (date(2026, 2, 7), False),  # Saturday
        (date(2026, 2, 8), False),  # Sunday
        (date(2025, 12, 16), False),  # Independence Day, a Tuesday
        (date(2025, 12, 17), True),  # 17 December is no longer a holiday
        (date(2026, 1, 2), False),  # New Year, a Friday
        (date(2026, 1, 7), False),  # Orthodox Christmas, a Wednesday
        (date(2026, 3, 9), False),  # substitute for 8 March
        (date(2026, 3, 23), False),  # Nauryz
        (date(2026, 3, 24), False),  # substitute for Nauryz on Saturday
        (date(2026, 3, 25), False),  # substitute for Nauryz on Sunday
        (date(2026, 3, 26), True),  # first working day after Nauryz
    ],
)
def test_is_working_day_skips_weekends_and_holidays(kz: WorkdayCalendar, day: date, expected: bool) -> None:
    assert kz.is_working_day(day) is expected


# --- add_working_days ---------------------------------------------------------------------------


def test_adding_one_working_day_to_friday_gives_monday(kz: WorkdayCalendar) -> None:
    # Fri 6 Feb -> Sat, Sun skipped -> Mon 9 Feb (1)
    assert kz.add_working_days(date(2026, 2, 6), 1) == date(2026, 2, 9)


def test_adding_working_days_skips_the_weekend_in_the_middle(kz: WorkdayCalendar) -> None:
    # Thu 5 Feb -> Fri 6 (1), Mon 9 (2), Tue 10 (3)
    assert kz.add_working_days(date(2026, 2, 5), 3) == date(2026, 2, 10)


def test_counting_from_a_saturday_starts_on_monday(kz: WorkdayCalendar) -> None:
    # Sat 7 Feb -> Mon 9 (1), Tue 10 (2)
    assert kz.add_working_days(date(2026, 2, 7), 2) == date(2026, 2, 10)


def test_deadline_skips_independence_day(kz: WorkdayCalendar) -> None:
    # Mon 15 Dec -> Tue 16 holiday -> Wed 17 (1)
    assert kz.add_working_days(date(2025, 12, 15), 1) == date(2025, 12, 17)


def test_deadline_crossing_new_year_skips_holidays_of_both_years(kz: WorkdayCalendar) -> None:
    # Mon 29 Dec -> Tue 30 (1), Wed 31 (2), Thu 1 Jan and Fri 2 Jan holidays, weekend,
    # Mon 5 (3), Tue 6 (4), Wed 7 Christmas, Thu 8 (5)
    assert kz.add_working_days(date(2025, 12, 29), 5) == date(2026, 1, 8)


def test_twenty_five_working_days_from_mid_december_land_on_20_january(
    kz: WorkdayCalendar,
) -> None:
    # Wed 10 Dec -> Dec 11 (1), 12 (2), 15 (3), [16 holiday], 17 (4), 18 (5), 19 (6),
    # 22 (7), 23 (8), 24 (9), 25 (10), 26 (11), 29 (12), 30 (13), 31 (14), [1, 2 Jan holidays],
    # Jan 5 (15), 6 (16), [7 holiday], 8 (17), 9 (18), 12 (19), 13 (20), 14 (21), 15 (22),
    # 16 (23), 19 (24), 20 (25)
    assert kz.add_working_days(date(2025, 12, 10), 25) == date(2026, 1, 20)


def test_deadline_skips_nauryz_holidays(kz: WorkdayCalendar) -> None:
    # Fri 20 Mar -> Sat 21 .. Wed 25 all off -> Thu 26 (1)
    assert kz.add_working_days(date(2026, 3, 20), 1) == date(2026, 3, 26)
    # Thu 19 Mar -> Fri 20 (1), [21-25 off], Thu 26 (2), Fri 27 (3)
    assert kz.add_working_days(date(2026, 3, 19), 3) == date(2026, 3, 27)


def test_deadline_skips_womens_day_substitute(kz: WorkdayCalendar) -> None:
    # Fri 6 Mar -> weekend, Mon 9 substitute -> Tue 10 (1)
    assert kz.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 10)


def test_adding_zero_working_days_returns_start_even_on_a_holiday(kz: WorkdayCalendar) -> None:
    assert kz.add_working_days(date(2026, 2, 9), 0) == date(2026, 2, 9)
    assert kz.add_working_days(date(2026, 1, 3), 0) == date(2026, 1, 3)  # Saturday
    assert kz.add_working_days(date(2026, 3, 23), 0) == date(2026, 3, 23)  # Nauryz


def test_negative_working_days_count_backwards_over_holidays(kz: WorkdayCalendar) -> None:
    # Thu 8 Jan -> Wed 7 Christmas -> Tue 6 (1)
    assert kz.add_working_days(date(2026, 1, 8), -1) == date(2026, 1, 6)
    # Mon 5 Jan -> Sun 4, Sat 3, Fri 2 and Thu 1 holidays -> Wed 31 Dec 2025 (1)
    assert kz.add_working_days(date(2026, 1, 5), -1) == date(2025, 12, 31)
    # Thu 26 Mar -> Wed 25 .. Sat 21 off -> Fri 20 (1), Thu 19 (2)
    assert kz.add_working_days(date(2026, 3, 26), -2) == date(2026, 3, 19)


def test_one_working_day_before_a_weekend_day_is_the_friday(kz: WorkdayCalendar) -> None:
    # Sat 28 Mar -> Fri 27 (1); Sun 29 Mar -> Sat, Fri 27 (1)
    assert kz.add_working_days(date(2026, 3, 28), -1) == date(2026, 3, 27)
    assert kz.add_working_days(date(2026, 3, 29), -1) == date(2026, 3, 27)


def test_one_working_day_before_monday_is_friday(kz: WorkdayCalendar) -> None:
    # Mon 9 Feb -> Sun, Sat -> Fri 6 (1)
    assert kz.add_working_days(date(2026, 2, 9), -1) == date(2026, 2, 6)


# --- working_days_between -----------------------------------------------------------------------


def test_working_days_between_excludes_start_and_includes_end(kz: WorkdayCalendar) -> None:
    # (Mon 9 Feb, Tue 10 Feb]: Tue 10 (1)
    assert kz.working_days_between(date(2026, 2, 9), date(2026, 2, 10)) == 1
    # (Sun 8 Feb, Mon 9 Feb]: Mon 9 (1)
    assert kz.working_days_between(date(2026, 2, 8), date(2026, 2, 9)) == 1
    # (Mon 9 Feb, Sat 14 Feb]: Tue 10 .. Fri 13 = 4
    assert kz.working_days_between(date(2026, 2, 9), date(2026, 2, 14)) == 4


def test_working_days_between_same_day_is_zero(kz: WorkdayCalendar) -> None:
    assert kz.working_days_between(date(2026, 2, 9), date(2026, 2, 9)) == 0
    assert kz.working_days_between(date(2026, 1, 1), date(2026, 1, 1)) == 0


def test_working_days_over_a_weekend_only_is_zero(kz: WorkdayCalendar) -> None:
    # (Fri 6 Feb, Sun 8 Feb]: Sat, Sun
    assert kz.working_days_between(date(2026, 2, 6), date(2026, 2, 8)) == 0


def test_working_days_between_across_new_year(kz: WorkdayCalendar) -> None:
    # (Mon 29 Dec, Thu 8 Jan]: Dec 30, Dec 31, Jan 5, Jan 6, Jan 8 = 5
    assert kz.working_days_between(date(2025, 12, 29), date(2026, 1, 8)) == 5


def test_working_days_between_is_negative_when_end_precedes_start(kz: WorkdayCalendar) -> None:
    # (29 Dec, 8 Jan] holds 5 working days, so backwards it is -5
    assert kz.working_days_between(date(2026, 1, 8), date(2025, 12, 29)) == -5
    # (Fri 20 Mar, Thu 26 Mar] holds only Thu 26
    assert kz.working_days_between(date(2026, 3, 26), date(2026, 3, 20)) == -1


@pytest.mark.parametrize(
    ("last_day_before", "last_day", "expected"),
    [
        # December 2025: 1-5 (5), 8-12 (10), 15, 17-19 (14), 22-26 (19), 29-31 (22)
        (date(2025, 11, 30), date(2025, 12, 31), 22),
        # January 2026: 5, 6, 8, 9 (4), 12-16 (9), 19-23 (14), 26-30 (19)
        (date(2025, 12, 31), date(2026, 1, 31), 19),
        # February 2026: four full weeks, 2-6, 9-13, 16-20, 23-27
        (date(2026, 1, 31), date(2026, 2, 28), 20),
        # March 2026: 2-6 (5), 10-13 (9), 16-20 (14), 26, 27 (16), 30, 31 (18)
        (date(2026, 2, 28), date(2026, 3, 31), 18),
    ],
)
def test_working_days_per_month(kz: WorkdayCalendar, last_day_before: date, last_day: date, expected: int) -> None:
    assert kz.working_days_between(last_day_before, last_day) == expected


# --- next_working_day ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 2, 9), date(2026, 2, 10)),  # Mon -> Tue
        (date(2026, 2, 6), date(2026, 2, 9)),  # Fri -> Mon
        (date(2026, 2, 7), date(2026, 2, 9)),  # Sat -> Mon
        (date(2025, 12, 31), date(2026, 1, 5)),  # Wed -> Thu, Fri holidays, weekend -> Mon
        (date(2026, 3, 20), date(2026, 3, 26)),  # Fri before Nauryz -> Thu after it
        (date(2026, 3, 23), date(2026, 3, 26)),  # from a holiday itself
    ],
)
def test_next_working_day_is_strictly_after(kz: WorkdayCalendar, day: date, expected: date) -> None:
    assert kz.next_working_day(day) == expected


# --- transfers and years loaded on demand ----------------------------------------------------------


def test_a_weekend_day_worked_by_decree_counts_and_its_day_off_does_not() -> None:
    # 2025: Friday 3 January off, Sunday 5 January worked instead.
    calendar = WorkdayCalendar([*KZ_HOLIDAYS_2025, date(2025, 1, 3)], working_days=[date(2025, 1, 5)])

    assert not calendar.is_working_day(date(2025, 1, 3))
    assert calendar.is_working_day(date(2025, 1, 5))
    # Tue 31 Dec 2024 -> Wed 1, Thu 2 holidays, Fri 3 off, Sat 4, Sun 5 worked (1), Mon 6 (2)
    assert calendar.add_working_days(date(2024, 12, 31), 2) == date(2025, 1, 6)


def test_each_year_is_asked_for_once_when_a_count_first_reaches_it() -> None:
    asked: list[int] = []

    def year_days(year: int):
        asked.append(year)
        return [day for day in KZ_HOLIDAYS_2025 + KZ_HOLIDAYS_2026 if day.year == year], []

    calendar = WorkdayCalendar(year_days=year_days)

    # Mon 29 Dec 2025 -> Tue 30 (1), Wed 31 (2), [Thu 1, Fri 2 Jan holidays], Mon 5 (3)
    assert calendar.add_working_days(date(2025, 12, 29), 3) == date(2026, 1, 5)
    assert calendar.add_working_days(date(2025, 12, 29), 3) == date(2026, 1, 5)
    assert asked == [2025, 2026]
    assert calendar.is_working_day(date(2040, 1, 2))  # any year: a Monday, with no days off given
    assert asked == [2025, 2026, 2040]


def test_without_days_off_every_weekday_is_a_working_day() -> None:
    assert WorkdayCalendar().is_working_day(date(2026, 1, 1))
    assert not WorkdayCalendar().is_working_day(date(2026, 1, 3))


def test_days_off_may_be_any_iterable_used_once() -> None:
    calendar = WorkdayCalendar(d for d in KZ_HOLIDAYS_2026)
    assert not calendar.is_working_day(date(2026, 1, 7))
    assert not calendar.is_working_day(date(2026, 1, 7))


# --- consistency over longer spans ---------------------------------------------------------------


@pytest.mark.parametrize("start", [date(2025, 1, 3), date(2025, 12, 10), date(2026, 3, 21), date(2026, 5, 9)])
def test_adding_then_counting_working_days_round_trips(kz: WorkdayCalendar, start: date) -> None:
    # Not a source of expected dates (those are hand-counted above), but an invariant that ties
    # add_working_days and working_days_between together over spans of several months.
    last_working_day_up_to_start = start if kz.is_working_day(start) else kz.add_working_days(start, -1)
    for n in range(0, 150, 7):
        end = kz.add_working_days(start, n)
        assert kz.working_days_between(start, end) == n
        if n:
            assert kz.is_working_day(end)
            assert kz.add_working_days(end, -n) == last_working_day_up_to_start


def test_counting_agrees_with_a_walk_day_by_day_over_random_calendars_and_spans() -> None:
    # working_days_between counts by arithmetic (weeks, then the exceptions by bisection); a walk
    # asks is_working_day of every day. They must agree for any days off, including days off on a
    # weekend and decreed working days that are also listed off (worked wins).
    import random

    rng = random.Random(2026)
    for _ in range(40):
        days = [date(2024, 1, 1) + timedelta(days=rng.randrange(4 * 366)) for _ in range(60)]
        calendar = WorkdayCalendar(days[:45], working_days=days[40:])
        for _ in range(25):
            start = date(2024, 1, 1) + timedelta(days=rng.randrange(4 * 366))
            end = start + timedelta(days=rng.randrange(-400, 400))
            walked = sum(
                calendar.is_working_day(min(start, end) + timedelta(days=i))
                for i in range(1, abs((end - start).days) + 1)
            )
            assert calendar.working_days_between(start, end) == (walked if end >= start else -walked)


def test_counting_into_a_year_outside_the_covered_ones_raises_as_a_walk_would() -> None:
    calendar = WorkdayCalendar(KZ_HOLIDAYS_2026, covered_years=[2026])

    assert calendar.working_days_between(date(2026, 12, 1), date(2026, 12, 31)) == 21
    with pytest.raises(CalendarNotCovered):
        calendar.working_days_between(date(2026, 12, 1), date(2027, 1, 5))
