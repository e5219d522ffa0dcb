"""The stored next statutory due date (``Application.statutory_due_on``) the queues sort and filter by.

It must always equal what the clock computes: after every transition, every pause and answer, each
day a request stays open, and after a holiday is entered or removed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from licensing import services
from licensing.deadlines import applications_refresh_due_dates, statutory_due_on
from licensing.models import Application, WorkdayTransfer
from tests.licensing.conftest import accept_all, answer_all, make_application_in

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")
MONDAY = datetime(2026, 6, 15, 10, 0, tzinfo=ALMATY)


def _stored(application: Application) -> date | None:
    return Application.objects.values_list("statutory_due_on", flat=True).get(pk=application.pk)


def _computed(application: Application, today: date) -> date | None:
    return statutory_due_on(Application.objects.get(pk=application.pk), today=today)


def test_every_transition_stores_the_due_date_of_the_clock_that_runs(cast):
    with time_machine.travel(MONDAY, tick=False) as traveller:
        draft = make_application_in("draft", cast)
        assert _stored(draft) is None
        submitted = services.application_submit(application=draft, actor=cast.applicant_a)
        # 25 working days after 15 June, 6 July (Capital Day) being a holiday.
        assert _stored(submitted) == date(2026, 7, 21)
        checking = services.application_start_check(application=submitted, actor=cast.reviewer)
        accept_all(checking, cast.reviewer)
        assert _stored(checking) == date(2026, 7, 21)

        traveller.shift(timedelta(days=2))
        services.application_request_information(application=checking, actor=cast.reviewer, questions="Q?")
        asked = Application.objects.get(pk=checking.pk)
        assert _stored(asked) == date(2026, 7, 21)  # the day of the request still counts
        traveller.shift(timedelta(days=7))  # Wednesday 24 June: five working days paused
        answered = answer_all(asked, cast.applicant_a)
        assert _stored(answered) == date(2026, 7, 28) == _computed(answered, date(2026, 6, 24))

        confirmed = services.application_confirm_complete(application=answered, actor=cast.reviewer)
        assert _stored(confirmed) == _computed(confirmed, date(2026, 6, 24))
        assert _stored(confirmed) > date(2026, 7, 28)  # now the 40-day decision clock

        recommended = services.application_recommend(
            application=confirmed, actor=cast.reviewer, recommendation="grant", reasons="Fine."
        )
        assert _stored(recommended) == _stored(confirmed)
        traveller.shift(timedelta(days=14))
        approved = services.application_approve(application=recommended, actor=cast.approver)

    approved.refresh_from_db()
    assert approved.statutory_due_on is None


@pytest.mark.parametrize("state", ["withdrawn", "lapsed", "refused"])
def test_a_closed_case_has_no_due_date(cast, state):
    assert _stored(make_application_in(state, cast)) is None


def test_a_paused_clock_is_refreshed_day_by_day_and_never_looks_overdue(cast):
    with time_machine.travel(MONDAY, tick=False) as traveller:
        application = make_application_in("completeness_check", cast)
        running = make_application_in("under_review", cast)
        services.application_request_information(application=application, actor=cast.reviewer, questions="Q?")
        before = _stored(application)
        traveller.shift(timedelta(days=1))

        changed = applications_refresh_due_dates(only_paused=True)

        assert changed == 1
        assert _stored(application) == _computed(application, date(2026, 6, 16)) > before
        assert _stored(running) == _computed(running, date(2026, 6, 16))


def test_a_transfer_entered_later_moves_every_running_deadline_once_committed(cast, django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY, tick=False):
        application = make_application_in("completeness_check", cast)
        before = _stored(application)
        with django_capture_on_commit_callbacks(execute=True):
            WorkdayTransfer.objects.create(day_off=date(2026, 6, 17), decree="Extra day off")
        after_adding = _stored(application)
        with django_capture_on_commit_callbacks(execute=True):
            WorkdayTransfer.objects.filter(day_off=date(2026, 6, 17)).delete()

    assert after_adding == before + timedelta(days=1)
    assert _stored(application) == before


def test_a_refresh_writes_nothing_when_nothing_moved(cast):
    with time_machine.travel(MONDAY, tick=False):
        make_application_in("under_review", cast)

        assert applications_refresh_due_dates() == 0


def test_beat_refreshes_paused_clocks_hourly_and_everything_nightly():
    entries = {
        name: entry
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"] == "licensing.tasks.refresh_statutory_due_dates"
    }

    assert {entry.get("kwargs", {}).get("only_paused", False) for entry in entries.values()} == {True, False}
