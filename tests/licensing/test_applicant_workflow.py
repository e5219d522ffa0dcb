"""The applicant face end to end through its URLs: account, organization, tasks, submission, case."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from licensing import services
from licensing.models import Application, Document, InformationRequest
from tests.licensing.applicant_steps import (
    fill_every_task,
    register_organization,
    sign_up_and_verify,
    start_application,
)
from tests.licensing.conftest import BIN_C, PDF_BYTES, make_application_in, pdf

pytestmark = pytest.mark.django_db


def test_a_new_applicant_signs_up_registers_applies_and_sees_the_case(client, django_capture_on_commit_callbacks):
    sign_up_and_verify(client, "Officer@Steppe.kz", django_capture_on_commit_callbacks)
    organization = register_organization(client, legal_name="Steppe Custody JSC", bin=BIN_C)
    organization.refresh_from_db()
    assert organization.other_domains == ["steppex.kz", "trade.steppex.kz"]

    application = start_application(client, organization)
    assert re.fullmatch(r"APP-[0-9A-Z]{5}-[0-9A-Z]{5}", application.reference)
    page = client.get(reverse("licensing:applicant_case", args=[application.reference])).content.decode()
    assert "Not started" in page and "Cannot start yet" in page

    fill_every_task(client, application)
    page = client.get(reverse("licensing:applicant_case", args=[application.reference])).content.decode()
    assert "Cannot start yet" not in page and "In progress" not in page

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("licensing:task_check", args=[application.reference]), {"declaration": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("licensing:application_submitted", args=[application.reference])
    confirmation = client.get(response["Location"]).content.decode()
    assert application.reference in confirmation and "Completeness check" in confirmation
    acknowledgement = mail.outbox[-1]
    assert application.reference in acknowledgement.subject
    assert f"/apply/{application.reference}/" in acknowledgement.body

    case = client.get(reverse("licensing:applicant_case", args=[application.reference])).content.decode()
    assert "Application submitted to the National Bank" in case
    assert "working days left" in case


def test_submitting_an_incomplete_draft_lists_each_problem_with_a_link_to_its_task(client, cast):
    client.force_login(cast.applicant_a)
    application = services.application_create(organization=cast.organization_a, actor=cast.applicant_a)

    response = client.post(reverse("licensing:task_check", args=[application.reference]), {"declaration": "on"})

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        f'href="{reverse("licensing:task_activities", args=[application.reference])}">Choose at least one activity.'
        in page
    )
    assert reverse("licensing:task_documents", args=[application.reference]) in page
    application.refresh_from_db()
    assert application.state == "draft"


def test_a_step_keeps_what_was_typed_even_when_it_is_invalid(client, cast):
    client.force_login(cast.applicant_a)
    application = services.application_create(organization=cast.organization_a, actor=cast.applicant_a)
    url = reverse("licensing:task_business", args=[application.reference])

    response = client.post(url, {"paid_up_capital_kzt": "two billion", "business_summary": "Custody for funds."})
    assert "Enter the capital as a whole number of tenge" in response.content.decode()

    reopened = client.get(url).content.decode()
    assert "two billion" in reopened and "Custody for funds." in reopened
    assert "Enter the capital as a whole number of tenge" in reopened
    task_list = client.get(reverse("licensing:applicant_case", args=[application.reference])).content.decode()
    assert re.search(r"Capital and business summary</a></span>\s*<span[^>]*>In progress", task_list)


def test_an_organization_may_have_several_drafts_and_delete_one_with_its_files(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.applicant_a)
    first = start_application(client, cast.organization_a)
    second = start_application(client, cast.organization_a)
    assert first != second
    client.post(reverse("licensing:task_activities", args=[first.reference]), {"activities": ["custody"]})
    first.refresh_from_db()
    slot = reverse("licensing:document_slot", args=[first.reference, "charter"])
    assert client.post(slot, {"file": pdf("charter.pdf")}).status_code == 302
    document = Document.objects.get(application=first)
    stored = document.storage_name

    refused = client.post(reverse("licensing:application_delete", args=[first.reference]), {})
    assert "Tick the box to confirm" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("licensing:application_delete", args=[first.reference]), {"confirm": "on"})

    assert response.status_code == 302
    assert not Application.objects.filter(pk=first.pk).exists()
    assert Application.objects.filter(pk=second.pk).exists()
    assert not storages["documents"].exists(stored)


def test_a_refused_upload_is_shown_at_the_slot_and_stores_nothing(client, cast):
    client.force_login(cast.applicant_a)
    application = start_application(client, cast.organization_a)
    client.post(reverse("licensing:task_activities", args=[application.reference]), {"activities": ["custody"]})
    response = client.post(
        reverse("licensing:document_slot", args=[application.reference, "charter"]),
        {"file": SimpleUploadedFile("charter.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "is not an allowed type" in page and 'class="error-message"' in page
    assert not Document.objects.filter(application=application).exists()


def test_a_file_over_the_slots_limit_gets_a_readable_refusal(client, cast, settings):
    settings.DOCUMENT_MAX_SIZE_MB = 1
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    client.force_login(cast.applicant_a)
    application = start_application(client, cast.organization_a)
    client.post(reverse("licensing:task_activities", args=[application.reference]), {"activities": ["custody"]})
    big = SimpleUploadedFile("charter.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10), content_type="application/pdf")
    response = client.post(reverse("licensing:document_slot", args=[application.reference, "charter"]), {"file": big})

    assert response.status_code == 200
    assert "larger than 1 MB" in response.content.decode()
    assert not Document.objects.filter(application=application).exists()


def test_an_information_request_is_answered_with_text_and_a_file_and_the_case_resumes(
    client, cast, django_capture_on_commit_callbacks
):
    application = make_application_in("information_requested", cast)
    request = InformationRequest.objects.get(application=application)
    client.force_login(cast.applicant_a)
    case = client.get(reverse("licensing:applicant_case", args=[application.reference])).content.decode()
    assert "Who audits you?" in case and "Answer the request" in case
    url = reverse("licensing:request_answer", args=[application.reference, request.public_id])

    empty = client.post(url, {"response": ""})
    assert "Write your answer to the questions." in empty.content.decode()
    response = client.post(url, {"response": "KPMG audits us.", "attachments": [pdf("audit-letter.pdf")]})

    assert response.status_code == 302
    application.refresh_from_db()
    request.refresh_from_db()
    assert application.state == "completeness_check"
    assert request.state == "answered" and request.attachments.get().original_name == "audit-letter.pdf"
    case = client.get(reverse("licensing:applicant_case", args=[application.reference])).content.decode()
    assert "KPMG audits us." in case and "audit-letter.pdf" in case
    attachment = request.attachments.get()
    download = client.get(reverse("licensing:attachment_download", args=[application.reference, attachment.public_id]))
    assert download["Content-Disposition"].startswith("attachment;")


def test_withdrawal_needs_a_confirmation(client, cast):
    application = make_application_in("under_review", cast)
    client.force_login(cast.applicant_a)
    url = reverse("licensing:application_withdraw", args=[application.reference])

    assert "Tick the box to confirm" in client.post(url, {"reason": "Plans changed"}).content.decode()
    application.refresh_from_db()
    assert application.state == "under_review"
    assert client.post(url, {"confirm": "on", "reason": "Plans changed"}).status_code == 302
    application.refresh_from_db()
    assert application.state == "withdrawn"


def test_the_case_page_shows_a_refusal_with_its_reasons_and_no_staff_names(client, cast):
    application = make_application_in("refused", cast)
    client.force_login(cast.applicant_a)

    page = client.get(reverse("licensing:applicant_case", args=[application.reference])).content.decode()

    assert "Capital doubts." in page and "Application refused" in page
    for staff in (cast.reviewer, cast.recommender, cast.approver):
        assert staff.get_username() not in page
    assert "All requirements met." not in page  # the recommendation is internal


def test_a_rejected_document_shows_the_reason_and_offers_a_corrected_upload(client, cast):
    application = make_application_in("information_requested", cast)
    document = Document.objects.filter(application=application).first()
    # The reviewer rejected it before asking for information (document review runs during the check).
    Document.objects.filter(pk=document.pk).update(state="rejected", rejection_reason="Unsigned copy.")
    client.force_login(cast.applicant_a)

    page = client.get(reverse("licensing:applicant_case", args=[application.reference])).content.decode()

    assert "Unsigned copy." in page and "Upload a corrected version" in page


def test_a_large_upload_reaches_the_service_as_a_temporary_file_not_in_memory(client, cast, settings, monkeypatch):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    from licensing.services import documents

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    seen = []
    real = documents.document_upload

    def spy(**kwargs):
        seen.append(type(kwargs["uploaded_file"]))
        return real(**kwargs)

    monkeypatch.setattr("licensing.services.document_upload", spy)
    client.force_login(cast.applicant_a)
    application = start_application(client, cast.organization_a)
    client.post(reverse("licensing:task_activities", args=[application.reference]), {"activities": ["custody"]})
    large = SimpleUploadedFile("charter.pdf", PDF_BYTES + b"%" * (512 * 1024), content_type="application/pdf")

    response = client.post(reverse("licensing:document_slot", args=[application.reference, "charter"]), {"file": large})

    assert response.status_code == 302
    assert seen == [TemporaryUploadedFile]
    assert Document.objects.get(application=application).size == len(PDF_BYTES) + 512 * 1024
