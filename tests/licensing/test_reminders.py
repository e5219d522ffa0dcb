"""The periodic sweeps of SPEC section 9: what is due, to whom, on which working day, exactly once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from licensing import reminders
from licensing.models import Application, InformationRequest
from notifications.models import Delivery, Notification
from registry.models import License, LicenseEvent
from tests.notifications.factories import (
    at,
    make_application,
    make_cast,
    make_document,
    make_information_request,
    make_license,
)

pytestmark = pytest.mark.django_db

FRIDAY_BEFORE_NAURYZ = date(2026, 3, 20)  # Nauryz: Sat 21 to Wed 25 March 2026 are not working days


@pytest.fixture(autouse=True)
def _send_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    """Each sweep's deliveries are sent when its transaction commits, as in production."""
    for sweep in list(reminders.SWEEPS.values()):

        def committed(*args, _sweep=sweep, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return _sweep(*args, **kwargs)

        monkeypatch.setattr(reminders, sweep.__name__, committed)


def sweep_documents_on(day: date, **kwargs) -> reminders.SweepResult:
    with time_machine.travel(at(day, 9), tick=False):
        return reminders.sweep_document_reviews(**kwargs)


def sent_to(user) -> list[str]:
    return [m.subject for m in mail.outbox if m.to == [user.email]]


@pytest.fixture
def cast(db):
    return make_cast()


@pytest.fixture
def case(cast):
    """A case in completeness check, submitted and with a document uploaded on Friday 20 March 2026."""
    application = make_application(
        cast, state=Application.State.COMPLETENESS_CHECK, submitted=at(date(2026, 3, 19)), reviewer=cast.reviewer
    )
    document = make_document(application, uploaded=at(FRIDAY_BEFORE_NAURYZ, 16))
    return application, document


# --- document review ------------------------------------------------------------------------------------
def test_document_uploaded_before_nauryz_is_due_five_working_days_later_and_reminded_the_day_before(cast, case):
    _, document = case
    # Five working days after Friday 20 March skip the weekend and Nauryz: due Wednesday 1 April.
    assert sweep_documents_on(date(2026, 3, 27)).created == 0
    assert sweep_documents_on(date(2026, 3, 30)).created == 0
    assert mail.outbox == []

    result = sweep_documents_on(date(2026, 3, 31))

    assert result.created == 1
    delivery = Delivery.objects.get()
    assert (delivery.kind, delivery.threshold, delivery.recipient, delivery.subject_id) == (
        "document_review",
        "before_1",
        cast.reviewer,
        document.pk,
    )
    assert delivery.status == Delivery.Status.SENT
    assert delivery.link == f"/staff/cases/{document.application.reference}/"  # staff open the case
    assert sent_to(cast.reviewer) == [f"Document review due tomorrow: {document.application.reference}"]
    assert "1 April 2026" in mail.outbox[0].body
    assert sent_to(cast.supervisor) == []


def test_overdue_document_reminds_the_reviewer_then_escalates_to_every_supervisor(cast, case):
    sweep_documents_on(date(2026, 3, 31))
    assert sweep_documents_on(date(2026, 4, 1)).created == 0  # the due day itself: nothing new

    overdue = sweep_documents_on(date(2026, 4, 2))
    escalated = sweep_documents_on(date(2026, 4, 3))

    assert overdue.created == 1 and escalated.created == 2
    assert [s.split(":")[0] for s in sent_to(cast.reviewer)] == [
        "Document review due tomorrow",
        "Document review overdue",
    ]
    assert [s.split(":")[0] for s in sent_to(cast.supervisor)] == ["Escalation"]
    assert [s.split(":")[0] for s in sent_to(cast.supervisor2)] == ["Escalation"]


def test_unassigned_document_reminds_the_supervisors(cast):
    application = make_application(cast, state=Application.State.SUBMITTED, submitted=at(date(2026, 3, 19)))
    make_document(application, uploaded=at(FRIDAY_BEFORE_NAURYZ))

    sweep_documents_on(date(2026, 3, 31))

    assert set(Delivery.objects.values_list("recipient", flat=True)) == {cast.supervisor.pk, cast.supervisor2.pk}


def test_document_seen_late_gets_the_overdue_reminder_but_not_the_stale_day_before_one(cast, case):
    sweep_documents_on(date(2026, 4, 2))

    assert list(Delivery.objects.values_list("threshold", flat=True)) == ["overdue"]


def test_document_uploaded_to_a_draft_counts_from_submission(cast):
    application = make_application(cast, state=Application.State.SUBMITTED, submitted=at(FRIDAY_BEFORE_NAURYZ))
    make_document(application, uploaded=at(date(2026, 2, 2)))

    assert sweep_documents_on(date(2026, 3, 30)).created == 0
    assert sweep_documents_on(date(2026, 3, 31)).created == 2  # both supervisors, the case is unassigned


def test_reviewed_documents_and_drafts_are_not_reminded(cast):
    draft = make_application(cast, state=Application.State.DRAFT, submitted=None)
    make_document(draft, uploaded=at(date(2026, 3, 2)))
    reviewed = make_application(cast, state=Application.State.UNDER_REVIEW, submitted=at(date(2026, 3, 2)))
    make_document(reviewed, uploaded=at(date(2026, 3, 2)), state="accepted")

    assert sweep_documents_on(date(2026, 4, 10)).created == 0


@pytest.mark.parametrize("state", [Application.State.INFORMATION_REQUESTED, Application.State.PENDING_DECISION])
def test_nobody_is_chased_for_documents_they_cannot_review_now(cast, state):
    # With the applicant (information requested) or the approver, documents cannot be reviewed.
    application = make_application(cast, state=state, submitted=at(date(2026, 3, 2)), reviewer=cast.reviewer)
    make_document(application, uploaded=at(date(2026, 3, 2)))

    assert sweep_documents_on(date(2026, 4, 10)).created == 0


def test_a_sweep_run_twice_sends_nothing_new(cast, case):
    first = sweep_documents_on(date(2026, 4, 3))
    second = sweep_documents_on(date(2026, 4, 3))

    assert first.created == 3 and second.created == 0
    assert len(mail.outbox) == 3
    assert Notification.objects.count() == 3


def test_document_sweep_query_count_does_not_grow_with_documents_that_are_not_due(cast, case):
    application, _ = case

    def queries() -> int:
        Delivery.objects.all().delete()
        with time_machine.travel(at(date(2026, 3, 31), 9), tick=False), CaptureQueriesContext(connection) as ctx:
            result = reminders.sweep_document_reviews(dispatch=False)
        assert result.created == 1
        return len(ctx.captured_queries)

    queries()  # the first sweep of a process also loads the holiday calendar
    few = queries()
    for day in range(50):  # fifty documents uploaded this week and last: none due yet
        make_document(application, uploaded=at(date(2026, 3, 26)) + timedelta(minutes=day))
    many = queries()

    assert many == few


# --- statutory deadlines ----------------------------------------------------------------------------------
def test_completeness_deadline_reminds_reviewer_and_supervisors_at_5_and_1_days_and_when_overdue(cast):
    application = make_application(
        cast, state=Application.State.COMPLETENESS_CHECK, submitted=at(date(2026, 3, 2)), reviewer=cast.reviewer
    )
    # 25 working days after Monday 2 March 2026 (holidays 9 March, 23-25 March): Tuesday 7 April... let the
    # selector say, and check the sweep against it.
    from licensing.selectors import application_clock

    due = application_clock(application, today=date(2026, 3, 2)).completeness.status.due
    from licensing.calendar import get_calendar

    calendar = get_calendar()
    five_before = calendar.add_working_days(due, -5)
    one_before = calendar.add_working_days(due, -1)
    overdue_on = calendar.add_working_days(due, 1)

    def sweep(day):
        with time_machine.travel(at(day, 9), tick=False):
            return reminders.sweep_statutory_deadlines()

    assert sweep(five_before - timedelta(days=1)).created == 0
    assert sweep(five_before).created == 3
    assert sweep(one_before).created == 3
    assert sweep(due).created == 0
    assert sweep(overdue_on).created == 3
    assert sweep(overdue_on + timedelta(days=7)).created == 0

    thresholds = Delivery.objects.filter(recipient=cast.reviewer).order_by("pk").values_list("threshold", flat=True)
    assert list(thresholds) == ["before_5", "before_1", "overdue"]
    assert Delivery.objects.filter(kind="completeness_deadline").count() == 9
    assert set(Delivery.objects.values_list("link", flat=True)) == {f"/staff/cases/{application.reference}/"}


def test_paused_clock_sends_no_statutory_reminder(cast):
    application = make_application(
        cast, state=Application.State.INFORMATION_REQUESTED, submitted=at(date(2026, 3, 2)), reviewer=cast.reviewer
    )
    make_information_request(application, requested=at(date(2026, 3, 4)), deadline=date(2026, 6, 1), by=cast.reviewer)

    with time_machine.travel(at(date(2026, 5, 20)), tick=False):
        assert reminders.sweep_statutory_deadlines().created == 0


# --- information requests -----------------------------------------------------------------------------------
@pytest.fixture
def information_request(cast):
    application = make_application(
        cast, state=Application.State.INFORMATION_REQUESTED, submitted=at(date(2026, 3, 2)), reviewer=cast.reviewer
    )
    # Deadline Friday 3 April 2026.
    return make_information_request(
        application, requested=at(date(2026, 3, 5)), deadline=date(2026, 4, 3), by=cast.reviewer
    )


def test_applicant_members_are_reminded_5_and_1_working_days_before_the_response_deadline(cast, information_request):
    def sweep(day):
        with time_machine.travel(at(day, 9), tick=False):
            return reminders.sweep_information_requests()

    assert sweep(date(2026, 3, 26)).created == 0  # 6 working days before (Nauryz in between)
    assert sweep(date(2026, 3, 27)).created == 2  # 5 working days before: both members
    assert sweep(date(2026, 3, 30)).created == 0
    assert sweep(date(2026, 4, 2)).created == 2  # 1 working day before

    assert len(sent_to(cast.applicant)) == 2
    assert set(Delivery.objects.values_list("link", flat=True)) == {
        f"/apply/{information_request.application.reference}/"
    }
    # The colleague prefers Russian; the reference still appears in the subject.
    assert all(information_request.application.reference in s for s in sent_to(cast.colleague))
    contexts = Delivery.objects.filter(kind="information_request_deadline").values_list("context", flat=True)
    assert {context["reference"] for context in contexts} == {information_request.application.reference}


def test_unanswered_request_lapses_after_deadline_plus_grace_as_the_system_and_tells_the_applicant(
    cast, information_request
):
    application = information_request.application
    grace = application.license_type.lapse_grace_days  # 5 working days after Friday 3 April: Friday 10 April

    with time_machine.travel(at(date(2026, 4, 10), 9), tick=False):
        assert reminders.sweep_information_requests().actions == []
    with time_machine.travel(at(date(2026, 4, 13), 9), tick=False):
        result = reminders.sweep_information_requests()

    assert grace == 5
    assert result.actions == [f"lapsed {application.reference}"]
    application.refresh_from_db()
    information_request.refresh_from_db()
    assert application.state == Application.State.LAPSED
    assert information_request.state == InformationRequest.State.EXPIRED
    entry = AuditEntry.objects.filter(object_type="licensing.application", object_id=str(application.pk)).last()
    assert (entry.actor_id, entry.actor_name, entry.to_state) == (None, "system", "lapsed")
    assert Delivery.objects.filter(kind="application_lapsed", recipient=cast.applicant, status="sent").count() == 1
    assert any("lapsed" in s for s in sent_to(cast.applicant))


# --- license validity --------------------------------------------------------------------------------------
def test_holder_is_reminded_90_60_and_30_days_before_the_end_then_the_license_expires(cast):
    license = make_license(cast, valid_until=date(2026, 12, 31))

    def sweep(day):
        with time_machine.travel(at(day, 9), tick=False):
            return reminders.sweep_license_validity()

    assert sweep(date(2026, 10, 1)).created == 0  # 91 days before
    assert sweep(date(2026, 10, 2)).created == 2  # 90 days: both members
    assert sweep(date(2026, 10, 3)).created == 0
    assert sweep(date(2026, 11, 1)).created == 2  # 60
    assert sweep(date(2026, 12, 1)).created == 2  # 30
    assert sweep(date(2026, 12, 31)).actions == []  # the last day in force
    result = sweep(date(2027, 1, 1))

    assert result.actions == [f"expired {license.number}"]
    license.refresh_from_db()
    assert license.status == License.Status.EXPIRED
    assert LicenseEvent.objects.filter(license=license, event="expired").count() == 1
    validity = Delivery.objects.filter(kind="license_validity", recipient=cast.applicant)
    assert sorted(validity.values_list("threshold", flat=True)) == ["before_30", "before_60", "before_90"]
    expired = Delivery.objects.filter(kind="license_expired", status="sent")
    assert sorted(expired.values_list("recipient", flat=True)) == sorted([cast.applicant.pk, cast.colleague.pk])
    assert set(Delivery.objects.values_list("link", flat=True)) == {f"/registry/{license.number}/"}
    assert sweep(date(2027, 1, 2)).actions == []  # expires once


# --- every year ---------------------------------------------------------------------------------------------
def test_a_sweep_late_in_2027_counts_into_2028_and_reminds(cast, information_request):
    # Mon 27 Dec 2027: five working days ahead are 28-31 Dec and Wed 5 Jan 2028 (3 and 4 January
    # are days off in lieu of the New Year weekend), so a deadline of Fri 31 Dec is five days away.
    InformationRequest.objects.filter(pk=information_request.pk).update(deadline=date(2027, 12, 31))

    with time_machine.travel(at(date(2027, 12, 27), 9), tick=False):
        result = reminders.sweep_information_requests()

    assert result.problems == []
    assert result.created == 2
    assert set(Delivery.objects.values_list("threshold", flat=True)) == {"before_5"}
