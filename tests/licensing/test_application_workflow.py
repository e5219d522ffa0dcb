"""Every allowed transition of the application state machine (SPEC section 7), end to end."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from audit.models import AuditEntry
from common.errors import ConcurrentChange, DomainError, NotPermitted
from licensing import services
from licensing.models import Application, ClockPause, InformationRequest
from registry.models import Activity, License, LicenseEvent, LicenseType
from tests.licensing.conftest import accept_all, answer_all, make_application_in, make_submittable_application, pdf

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")

DAX_NAME = "Digital asset exchange (class 3)"


def _last_audit(application: Application) -> AuditEntry:
    return AuditEntry.objects.filter(object_type="licensing.application", object_id=str(application.pk)).last()


def test_submit_moves_draft_to_submitted_and_acknowledges_to_members(cast, notices):
    application = make_submittable_application(cast.organization_a, cast.applicant_a)

    application = services.application_submit(application=application, actor=cast.applicant_a)

    assert application.state == "submitted"
    assert application.submitted_at is not None
    entry = _last_audit(application)
    assert (entry.action, entry.from_state, entry.to_state, entry.actor_name) == (
        "application.submit",
        "draft",
        "submitted",
        "applicant-a",
    )
    assert [(n["kind"], n["recipients"]) for n in notices] == [("application_submitted", [cast.applicant_a])]


def test_start_check_assigns_the_reviewer_who_picks_up(cast):
    application = make_application_in("submitted", cast)

    application = services.application_start_check(application=application, actor=cast.reviewer2)

    assert application.state == "completeness_check"
    assert application.assigned_reviewer == cast.reviewer2


def test_supervisor_starts_check_and_assigns_a_reviewer_of_their_choice(cast):
    application = make_application_in("submitted", cast)

    application = services.application_start_check(
        application=application, actor=cast.supervisor, reviewer=cast.reviewer
    )

    assert application.state == "completeness_check"
    assert application.assigned_reviewer == cast.reviewer
    assert _last_audit(application).actor_name == "supervisor"


def test_reviewer_cannot_assign_a_case_to_someone_else(cast):
    application = make_application_in("submitted", cast)

    with pytest.raises(NotPermitted):
        services.application_start_check(application=application, actor=cast.reviewer, reviewer=cast.reviewer2)

    application.refresh_from_db()
    assert application.state == "submitted"


@pytest.mark.parametrize("from_state", ["completeness_check", "under_review"])
def test_request_information_pauses_the_clock_and_respond_returns_to_where_it_came_from(cast, notices, from_state):
    application = make_application_in(from_state, cast)

    request = services.application_request_information(
        application=application, actor=cast.reviewer, questions="Who is your external auditor?"
    )

    application.refresh_from_db()
    assert application.state == "information_requested"
    assert request.state == "open"
    assert ClockPause.objects.get(application=application).ended_at is None
    assert notices[-1]["kind"] == "information_requested"
    assert notices[-1]["recipients"] == [cast.applicant_a]
    assert notices[-1]["context"]["deadline"] == request.deadline.isoformat()

    application = answer_all(application, cast.applicant_a, "Ernst & Young Kazakhstan.")

    assert application.state == from_state
    assert application.resume_state == ""
    request.refresh_from_db()
    assert (request.state, request.response, request.responded_by) == (
        "answered",
        "Ernst & Young Kazakhstan.",
        cast.applicant_a,
    )
    assert ClockPause.objects.get(application=application).ended_at is not None
    entry = _last_audit(application)
    assert (entry.action, entry.from_state, entry.to_state) == (
        "application.respond",
        "information_requested",
        from_state,
    )


def test_request_information_deadline_defaults_to_response_days_working_days(cast):
    application = make_application_in("completeness_check", cast)

    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=ALMATY), tick=False):
        request = services.application_request_information(
            application=application, actor=cast.reviewer, questions="Send the audit report."
        )

    # Working days after Wed 2 Dec 2026, skipping Independence Day (Wed 16 Dec):
    # 3 4 7 8 9 10 11 14 15 [16] 17 18 21 22 23 24 25 28 29 30 31 -> the 20th is Thu 31 Dec.
    assert request.deadline == date(2026, 12, 31)


def test_respond_needs_an_answer_to_every_open_request(cast):
    application = make_application_in("information_requested", cast)

    with pytest.raises(DomainError) as refused:
        services.application_respond(application=application, actor=cast.applicant_a, answers={})

    assert "Who audits you?" in str(refused.value)
    application.refresh_from_db()
    assert application.state == "information_requested"
    assert application.information_requests.get().state == "open"


def test_confirm_complete_moves_to_under_review_and_starts_the_decision_clock(cast):
    application = make_application_in("completeness_check", cast)

    application = services.application_confirm_complete(application=application, actor=cast.reviewer)

    assert application.state == "under_review"
    assert application.completeness_confirmed_at is not None


def test_confirm_complete_refuses_while_a_mandatory_document_is_not_accepted(cast):
    application = make_application_in("submitted", cast)
    application = services.application_start_check(application=application, actor=cast.reviewer)
    document = application.documents.get(requirement__code="charter")
    services.document_reject(document=document, actor=cast.reviewer, reason="Unsigned.")

    with pytest.raises(DomainError) as refused:
        services.application_confirm_complete(application=application, actor=cast.reviewer)

    message = str(refused.value)
    assert "Charter (articles of association)" in message
    assert "Unsigned." in message
    assert "Fit-and-proper declaration (Aliya Seitkali)" in message  # pending, not accepted
    application.refresh_from_db()
    assert application.state == "completeness_check"


def test_recommend_records_the_recommendation_and_reasons(cast):
    application = make_application_in("under_review", cast)

    application = services.application_recommend(
        application=application, actor=cast.reviewer, recommendation="refuse", reasons="Weak AML controls."
    )

    assert application.state == "pending_decision"
    assert (application.recommendation, application.recommendation_reasons, application.recommended_by) == (
        "refuse",
        "Weak AML controls.",
        cast.reviewer,
    )


@pytest.mark.parametrize(
    ("recommendation", "reasons"), [("maybe", "Fine."), ("grant", "   ")], ids=["unknown choice", "no reasons"]
)
def test_recommend_refuses_without_a_choice_and_reasons(cast, recommendation, reasons):
    application = make_application_in("under_review", cast)

    with pytest.raises(DomainError):
        services.application_recommend(
            application=application, actor=cast.reviewer, recommendation=recommendation, reasons=reasons
        )

    application.refresh_from_db()
    assert application.state == "under_review"


def test_return_to_review_clears_the_recommendation_and_keeps_the_reason(cast):
    application = make_application_in("pending_decision", cast)

    application = services.application_return_to_review(
        application=application, actor=cast.approver, reason="Check the custody arrangements again."
    )

    assert application.state == "under_review"
    assert application.recommended_by is None
    assert _last_audit(application).comment == "Check the custody arrangements again."


def test_approve_issues_the_license_in_the_same_transaction(cast, notices):
    application = make_application_in("pending_decision", cast)
    last_entry_id = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()

    application = services.application_approve(application=application, actor=cast.approver)

    license = application.license
    assert application.state == "approved"
    assert application.decided_by == cast.approver
    assert license.status == "active"
    assert license.number.startswith(f"DAX-{license.issued_at.year}-")
    assert license.application_id == application.pk
    assert (license.holder_name, license.holder_bin) == ("Steppe Digital Exchange JSC", "250140001232")
    assert license.valid_until == license.issued_at.replace(year=license.issued_at.year + 5)
    assert set(license.activities.values_list("code", flat=True)) == {"trading_platform", "custody"}
    assert set(license.assets.values_list("symbol", flat=True)) == {"BTC", "USDT"}
    assert LicenseEvent.objects.filter(license=license, event="issued").count() == 1
    actions = list(AuditEntry.objects.filter(id__gt=last_entry_id).order_by("id").values_list("action", flat=True))
    assert actions == ["license.issue", "application.approve"]
    assert notices[-1]["kind"] == "application_decided"
    assert notices[-1]["context"]["license_number"] == license.number


def test_approve_refused_by_the_registry_leaves_no_license_and_no_decision(cast, monkeypatch):
    application = make_application_in("pending_decision", cast)

    def failing_issue(**kwargs):
        raise DomainError("The license cannot be issued.")

    monkeypatch.setattr("licensing.services.applications.license_issue", failing_issue)
    with pytest.raises(DomainError):
        services.application_approve(application=application, actor=cast.approver)

    application.refresh_from_db()
    assert application.state == "pending_decision"
    assert License.objects.count() == 0


def test_approver_who_recommended_cannot_decide(cast):
    application = make_application_in("pending_decision", cast)

    with pytest.raises(NotPermitted, match="did not make the recommendation"):
        services.application_approve(application=application, actor=cast.recommender)

    application.refresh_from_db()
    assert application.state == "pending_decision"


def test_approving_against_a_refusal_recommendation_needs_reasons(cast):
    application = make_application_in("under_review", cast)
    application = services.application_recommend(
        application=application, actor=cast.reviewer, recommendation="refuse", reasons="Weak AML controls."
    )

    with pytest.raises(DomainError, match="recommended refusal"):
        services.application_approve(application=application, actor=cast.approver)
    application = services.application_approve(
        application=application, actor=cast.approver, reasons="AML controls fixed since."
    )

    assert application.state == "approved"


def test_refuse_closes_the_case_and_sends_the_reasons(cast, notices):
    application = make_application_in("pending_decision", cast)

    application = services.application_refuse(
        application=application, actor=cast.approver2, reasons="Capital not shown to be paid up."
    )

    assert application.state == "refused"
    assert application.closed_at is not None
    assert License.objects.count() == 0
    assert notices[-1]["kind"] == "application_decided"
    assert notices[-1]["context"]["reasons"] == "Capital not shown to be paid up."


@pytest.mark.parametrize(
    "state", ["draft", "submitted", "completeness_check", "information_requested", "under_review", "pending_decision"]
)
def test_applicant_can_withdraw_before_the_decision(cast, state):
    application = make_application_in(state, cast)

    application = services.application_withdraw(application=application, actor=cast.applicant_a)

    assert application.state == "withdrawn"
    assert application.closed_at is not None
    assert not ClockPause.objects.filter(application=application, ended_at__isnull=True).exists()
    assert not InformationRequest.objects.filter(application=application, state="open").exists()


def test_lapse_after_deadline_plus_grace_expires_the_request_and_tells_the_applicant(cast, notices):
    application = make_application_in("information_requested", cast)
    request = application.information_requests.get()

    with pytest.raises(DomainError, match="cannot lapse before"):
        services.application_lapse(application=application, today=request.deadline)
    application = services.application_lapse(application=application, today=date(2027, 6, 1))

    assert application.state == "lapsed"
    request.refresh_from_db()
    assert request.state == "expired"
    assert not ClockPause.objects.filter(application=application, ended_at__isnull=True).exists()
    assert notices[-1]["kind"] == "application_lapsed"
    entry = _last_audit(application)
    assert (entry.action, entry.actor_name) == ("application.lapse", "system")


def test_a_stale_copy_of_the_case_gets_a_message_saying_it_changed(cast):
    application = make_application_in("pending_decision", cast)
    stale = Application.objects.get(pk=application.pk)
    services.application_refuse(application=application, actor=cast.approver, reasons="No.")

    with pytest.raises(ConcurrentChange, match="it is now Refused"):
        services.application_approve(application=stale, actor=cast.approver2)

    assert License.objects.count() == 0


def test_every_step_of_a_grant_is_in_the_audit_chain(cast):
    application = make_application_in("approved", cast)

    actions = list(
        AuditEntry.objects.filter(object_type="licensing.application", object_id=str(application.pk)).values_list(
            "action", flat=True
        )
    )

    assert actions == [
        "application.create",
        "application.submit",
        "application.start_check",
        "application.confirm_complete",
        "application.recommend",
        "application.approve",
    ]


# --- rules re-checked at the decision ---------------------------------------------------------------------------


def test_approve_refuses_when_the_capital_is_below_the_minimum_as_it_stands_today(cast):
    application = make_application_in("pending_decision", cast)
    LicenseType.objects.filter(pk=application.license_type_id).update(min_capital_kzt=3_000_000_000)

    with pytest.raises(DomainError) as refused:
        services.application_approve(application=application, actor=cast.approver)

    assert [str(p) for p in refused.value.problems] == [
        f"Paid-up capital of KZT 2,000,000,000 is below the minimum of KZT 3,000,000,000 for {DAX_NAME}."
    ]
    application.refresh_from_db()
    assert application.state == "pending_decision"
    assert License.objects.count() == 0


def test_approve_refuses_an_activity_no_longer_allowed_for_the_license_type(cast):
    application = make_application_in("pending_decision", cast)
    trading_platform = Activity.objects.get(code="trading_platform")
    LicenseType.objects.filter(pk=application.license_type_id).update(capital_class=2)

    with pytest.raises(DomainError) as refused:
        services.application_approve(application=application, actor=cast.approver)

    assert [str(p) for p in refused.value.problems] == [
        f"Activity not allowed for Digital asset exchange (class 3): {trading_platform.name}."
    ]
    assert License.objects.count() == 0


def _back_under_review_with_a_new_charter(cast) -> Application:
    """The bypass: a new charter uploaded in answer to an information request supersedes the accepted one."""
    application = make_application_in("under_review", cast)
    services.application_request_information(application=application, actor=cast.reviewer, questions="Sign it.")
    application = Application.objects.get(pk=application.pk)
    services.document_upload(
        application=application,
        requirement=application.license_type.document_requirements.get(code="charter"),
        uploaded_file=pdf("charter-signed.pdf"),
        actor=cast.applicant_a,
    )
    application = answer_all(application, cast.applicant_a)
    assert application.state == "under_review"
    return application


CHARTER_PENDING = "Document not yet accepted: Charter (articles of association) (Pending review)."


def test_recommend_refuses_while_a_mandatory_document_is_not_accepted_and_names_it(cast):
    application = _back_under_review_with_a_new_charter(cast)

    with pytest.raises(DomainError) as refused:
        services.application_recommend(
            application=application, actor=cast.reviewer, recommendation="grant", reasons="All requirements met."
        )

    assert [str(p) for p in refused.value.problems] == [CHARTER_PENDING]
    application.refresh_from_db()
    assert (application.state, application.recommendation) == ("under_review", "")

    accept_all(application, cast.reviewer)
    application = services.application_recommend(
        application=application, actor=cast.reviewer, recommendation="grant", reasons="All requirements met."
    )
    assert application.state == "pending_decision"


def test_approve_refuses_while_a_mandatory_document_is_not_accepted_and_names_it(cast):
    application = _back_under_review_with_a_new_charter(cast)
    # A case recommended before the recommendation checked the documents.
    Application.objects.filter(pk=application.pk).update(
        state="pending_decision", recommendation="grant", recommendation_reasons="Fine.", recommended_by=cast.reviewer
    )

    with pytest.raises(DomainError) as refused:
        services.application_approve(application=Application.objects.get(pk=application.pk), actor=cast.approver)

    assert [str(p) for p in refused.value.problems] == [CHARTER_PENDING]
    assert Application.objects.get(pk=application.pk).state == "pending_decision"
    assert License.objects.count() == 0


def test_withdraw_audits_each_information_request_it_expires(cast):
    application = make_application_in("information_requested", cast)
    request = application.information_requests.get()

    services.application_withdraw(application=application, actor=cast.applicant_a, reason="Changing plans.")

    entries = AuditEntry.objects.filter(object_type="licensing.informationrequest", object_id=str(request.pk))
    assert [(e.action, e.from_state, e.to_state, e.actor_name) for e in entries] == [
        ("information_request.expire", "open", "expired", "applicant-a")
    ]
