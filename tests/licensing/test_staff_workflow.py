"""A case worked through the dashboard's URLs, from pick-up to a license in the public register.

The services have their own tests (test_application_workflow.py); these show that each page calls
them, offers only what the person may do, and refuses an action on a case that changed meanwhile.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from licensing import services
from licensing.models import Application, Document
from registry.selectors import CHANGE_FEED_SETTLE
from tests.licensing.conftest import answer_all, make_application_in, pdf
from tests.licensing.staff import act, case_url, code, page_version, sign_in_with_code

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ALMATY)  # a Monday


def _reload(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


def test_a_case_goes_from_pick_up_to_a_public_license_through_the_dashboard(
    client, cast, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_REQUIRE_2FA = True
    with time_machine.travel(NOW, tick=False) as traveller:
        application = make_application_in("submitted", cast)
        sign_in_with_code(client, cast.reviewer)

        unassigned = client.get(reverse("licensing:staff_queue") + "?tab=unassigned").content.decode()
        picked = client.post(case_url(application, "pick_up"))
        form = client.get(case_url(application, "request_information"))
        asked = client.post(
            case_url(application, "request_information"),
            {
                "version": form.context["form"].initial["version"],
                "questions": "Who audits you?",
                "deadline": "2026-07-10",
            },
        )
        assert _reload(application).state == "information_requested"
        answer_all(_reload(application), cast.applicant_a)  # the applicant face's page is another engineer's
        for document in Document.objects.filter(application=application, state="pending"):
            response = client.post(
                reverse("licensing:staff_document_accept", args=[application.reference, document.pk]),
                {"version": page_version(client, application)},
            )
            assert response.status_code == 302
        confirmed = act(client, application, "confirm_complete")
        recommended = act(client, application, "recommend", recommendation="grant", reasons="Meets every requirement.")

        traveller.shift(3600)  # an hour later the approver decides: the code of the sign-in is too old
        client.logout()
        device = sign_in_with_code(client, cast.approver)
        traveller.shift(11 * 60)
        page = client.get(case_url(application, "approve"))
        without_code = act(client, application, "approve", reasons="")
        traveller.shift(30)
        with django_capture_on_commit_callbacks(execute=True):
            approved = act(client, application, "approve", reasons="", otp_token=code(device))
        traveller.shift(CHANGE_FEED_SETTLE.total_seconds() + 1)
        application = _reload(application)
        number = application.license.number
        public = client.get(reverse("registry:search") + f"?q={cast.organization_a.bin}").content.decode()
        api = client.get(f"/api/v1/licenses/{number}/").json()
        feed = client.get("/api/v1/changes/?since=2026-06-01").json()

    assert application.reference in unassigned
    assert picked["Location"] == case_url(application)
    assert asked.status_code == 302
    assert confirmed.status_code == recommended.status_code == 302
    assert "otp_token" in page.content.decode()
    assert without_code.status_code == 400
    assert "Enter the code your authenticator app shows now" in without_code.content.decode()
    assert approved.status_code == 302
    assert application.state == "approved"
    assert (application.assigned_reviewer, application.recommended_by, application.decided_by) == (
        cast.reviewer,
        cast.reviewer,
        cast.approver,
    )
    assert number in public
    assert api["status"] == "active"
    assert [(change["number"], change["event"]) for change in feed["results"]] == [(number, "issued")]
    assert any(f"Application {application.reference} has been approved" in m.body for m in mail.outbox)


def test_the_queue_picks_up_without_a_version_and_a_taken_case_is_refused_with_its_state(client, cast):
    application = make_application_in("submitted", cast)
    services.application_start_check(application=application, actor=cast.reviewer2)
    client.force_login(cast.reviewer)

    response = client.post(case_url(application, "pick_up"))

    assert response.status_code == 404  # now another reviewer's case: this reviewer may not even see it
    assert _reload(application).assigned_reviewer == cast.reviewer2


def test_a_supervisor_sees_why_a_pick_up_lost_the_race(client, cast):
    application = make_application_in("submitted", cast)
    client.force_login(cast.supervisor)
    version = page_version(client, application)
    services.application_start_check(application=application, actor=cast.reviewer2)

    response = client.post(case_url(application, "pick_up"), {"version": version})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Nothing was done: the case changed" in page
    assert "reviewer2 started the completeness check" in page
    assert cast.organization_a.legal_name in page  # the case as it is now
    assert _reload(application).assigned_reviewer == cast.reviewer2


def test_an_action_on_a_case_whose_documents_changed_is_refused_with_what_changed(client, cast):
    application = make_application_in("completeness_check", cast)
    client.force_login(cast.reviewer)
    version = page_version(client, application)
    document = Document.objects.filter(application=application).first()
    # Meanwhile a supervisor asks the applicant, who answers with a new version of a document.
    services.application_request_information(application=application, actor=cast.supervisor, questions="Sign it.")
    services.document_upload(
        application=_reload(application),
        requirement=document.requirement,
        uploaded_file=pdf("signed.pdf"),
        actor=cast.applicant_a,
        key_person=document.key_person,
    )
    answer_all(_reload(application), cast.applicant_a)

    response = client.post(case_url(application, "confirm_complete"), {"version": version})

    page = response.content.decode()
    assert response.status_code == 409
    assert "supervisor requested information" in page
    assert "applicant-a uploaded a document" in page
    assert "applicant-a answered the information request" in page
    assert _reload(application).state == "completeness_check"


def test_a_colleagues_note_does_not_block_an_action(client, cast):
    application = make_application_in("under_review", cast)
    client.force_login(cast.reviewer)
    version = client.get(case_url(application, "recommend")).context["form"].initial["version"]
    services.internal_note_add(application=application, actor=cast.supervisor, body="Check the auditor.")

    response = client.post(
        case_url(application, "recommend"), {"version": version, "recommendation": "grant", "reasons": "All good."}
    )

    assert response.status_code == 302
    assert _reload(application).state == "pending_decision"


def test_a_conflict_on_a_page_of_its_own_shows_that_page_again_with_the_text_kept(client, cast):
    application = make_application_in("pending_decision", cast)
    client.force_login(cast.approver)
    version = client.get(case_url(application, "refuse")).context["form"].initial["version"]
    services.internal_note_add(application=application, actor=cast.supervisor, body="A note changes nothing.")
    # Something a decision rests on changes: another approver returns the case, a reviewer recommends again.
    services.application_return_to_review(application=application, actor=cast.approver2, reason="Look again.")
    services.application_recommend(
        application=_reload(application), actor=cast.reviewer, recommendation="refuse", reasons="Capital doubts."
    )

    response = client.post(
        case_url(application, "refuse"), {"version": version, "reasons": "My carefully written reasons."}
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "approver2 returned the case to review" in page
    assert "reviewer recommended a decision" in page
    assert "My carefully written reasons." in page  # kept in the form shown again
    assert 'name="version" value="' in page
    assert _reload(application).state == "pending_decision"


def test_notes_are_added_audited_and_never_offered_for_editing(client, cast):
    application = make_application_in("under_review", cast)
    client.force_login(cast.approver)  # any staff member who may see the case

    added = client.post(case_url(application, "note_add"), {"body": "Called the compliance officer."})
    empty = client.post(case_url(application, "note_add"), {"body": "  "})
    page = client.get(case_url(application)).content.decode()

    assert added.status_code == 302
    assert empty.status_code == 400
    assert "Write the note." in empty.content.decode()
    assert "Called the compliance officer." in page
    assert "approver added an internal note" in page
    assert application.internal_notes.get().author == cast.approver


def test_request_information_defaults_to_twenty_working_days_and_refuses_a_weekend(client, cast):
    with time_machine.travel(NOW, tick=False):
        application = make_application_in("completeness_check", cast)
        client.force_login(cast.reviewer)
        form = client.get(case_url(application, "request_information")).context["form"]
        saturday = client.post(
            case_url(application, "request_information"),
            {"version": form.initial["version"], "questions": "Who audits you?", "deadline": "2026-07-11"},
        )

    assert form.fields["deadline"].initial == date(2026, 7, 14)  # 20 working days after 15 June (6 July: Capital Day)
    assert saturday.status_code == 400
    assert "must be a working day" in saturday.content.decode()
    assert _reload(application).state == "completeness_check"


def test_documents_open_inline_only_as_the_browser_can_show_them_safely(client, cast):
    application = make_application_in("completeness_check", cast)
    document = Document.objects.filter(application=application).first()
    client.force_login(cast.reviewer)
    url = reverse("licensing:staff_case_document", args=[application.reference, document.pk])

    inline = client.get(url)
    download = client.get(url + "?download=1")
    Document.objects.filter(pk=document.pk).update(content_type="application/vnd.ms-excel")
    other = client.get(url)

    assert inline["Content-Type"] == "application/pdf"
    assert inline["Content-Disposition"].startswith("inline")
    assert inline["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in inline["Content-Security-Policy"]
    assert download["Content-Disposition"].startswith("attachment")
    assert other["Content-Disposition"].startswith("attachment")
    assert "sandbox" in other["Content-Security-Policy"]
    assert b"".join(inline.streaming_content).startswith(b"%PDF")


def test_a_document_of_another_case_is_not_found_through_this_one(client, cast):
    mine = make_application_in("completeness_check", cast)
    other = make_application_in("submitted", cast)
    document = Document.objects.filter(application=other).first()
    client.force_login(cast.supervisor)

    response = client.get(reverse("licensing:staff_case_document", args=[mine.reference, document.pk]))

    assert response.status_code == 404


def test_rejecting_needs_a_reason_shown_at_its_field(client, cast):
    application = services.application_start_check(
        application=make_application_in("submitted", cast), actor=cast.reviewer
    )
    document = Document.objects.filter(application=application, state="pending").first()
    client.force_login(cast.reviewer)
    url = reverse("licensing:staff_document_reject", args=[application.reference, document.pk])

    refused = client.post(url, {"version": page_version(client, application), "reason": ""})
    rejected = client.post(url, {"version": page_version(client, application), "reason": "Illegible scan."})

    assert refused.status_code == 400
    assert f'id="reject-{document.pk}-reason"' in refused.content.decode()
    assert "Say why the document is rejected" in refused.content.decode()
    assert rejected.status_code == 302
    document.refresh_from_db()
    assert (document.state, document.rejection_reason) == ("rejected", "Illegible scan.")


def test_the_clock_shows_pauses_and_days_left(client, cast):
    with time_machine.travel(NOW, tick=False) as traveller:
        application = make_application_in("completeness_check", cast)
        services.application_request_information(application=application, actor=cast.reviewer, questions="Q?")
        traveller.shift(timedelta(days=7))
        client.force_login(cast.reviewer)
        page = client.get(case_url(application)).content.decode()

    assert "waiting for the answer" in page
    assert "when it resumes" in page


def test_the_files_sent_with_an_answer_are_shown_and_open_on_the_case(client, cast):
    application = make_application_in("completeness_check", cast)
    request = services.application_request_information(application=application, actor=cast.reviewer, questions="Q?")
    services.information_request_answer(
        request=request, actor=cast.applicant_a, response="Here is our audit.", attachments=[pdf("audit.pdf")]
    )
    attachment = request.attachments.get()
    client.force_login(cast.reviewer)

    page = client.get(case_url(application)).content.decode()
    opened = client.get(reverse("licensing:staff_case_attachment", args=[application.reference, attachment.public_id]))
    client.force_login(cast.reviewer2)
    stranger = client.get(
        reverse("licensing:staff_case_attachment", args=[application.reference, attachment.public_id])
    )

    assert "Sent with the answer:" in page and "audit.pdf" in page
    assert opened["Content-Disposition"].startswith("inline")
    assert opened["X-Content-Type-Options"] == "nosniff"
    assert stranger.status_code == 404
