"""Every URL of the applicant face, walked as applicant A (member), applicant B, a reviewer and anonymous."""

from __future__ import annotations

import pytest
from django.urls import reverse

from licensing import services
from licensing.models import Document, InformationRequest, Membership
from licensing.urls import applicant_urlpatterns
from tests.licensing.conftest import make_application_in, make_draft, pdf

pytestmark = pytest.mark.django_db

# Reached by the link in an invitation e-mail: the signed token is the key, shown to whoever holds it.
NOT_WALKED = {"invitation_accept"}
POST_ONLY = {"application_start", "invitation_revoke"}


@pytest.fixture
def urls(cast, django_user_model):
    organization = cast.organization_a
    draft = make_draft(organization, cast.applicant_a)
    case = make_application_in("information_requested", cast)
    request = InformationRequest.objects.get(application=case)
    services.information_request_answer(
        request=request, actor=cast.applicant_a, response="Answer.", attachments=[pdf("letter.pdf")]
    )
    case.refresh_from_db()
    services.application_request_information(application=case, actor=cast.reviewer, questions="And the auditor?")
    open_request = InformationRequest.objects.get(application=case, state="open")
    document = Document.objects.filter(application=case).first()
    person = organization.key_persons.first()
    owner = organization.beneficial_owners.first()
    colleague = Membership.objects.create(
        organization=organization, user=django_user_model.objects.create_user("colleague"), role="member"
    )
    invitation = services.invitation_create(organization=organization, actor=cast.applicant_a, email="new@example.kz")
    org = organization.public_id
    by_name = {
        "applicant_home": [],
        "applicant_licenses": [],
        "organization_create": [],
        "organization": [org],
        "organization_details": [org],
        "owners": [org],
        "owner_add": [org],
        "owner_edit": [org, owner.public_id],
        "owner_remove": [org, owner.public_id],
        "people": [org],
        "person_add": [org],
        "person_edit": [org, person.public_id],
        "person_remove": [org, person.public_id],
        "members": [org],
        "member_remove": [org, colleague.public_id],
        "invitation_revoke": [org, invitation.public_id],
        "application_start": [org],
        "applicant_case": [case.reference],
        "task_activities": [draft.reference],
        "task_assets": [draft.reference],
        "task_business": [draft.reference],
        "task_documents": [case.reference],
        "document_download": [case.reference, document.public_id],
        "document_slot": [case.reference, "charter"],
        "document_slot_person": [case.reference, "fit_and_proper", person.public_id],
        "task_check": [draft.reference],
        "application_submitted": [case.reference],
        "application_delete": [draft.reference],
        "application_withdraw": [case.reference],
        "request_answer": [case.reference, open_request.public_id],
        "attachment_download": [case.reference, request.attachments.get().public_id],
    }
    names = {pattern.name for pattern in applicant_urlpatterns} - NOT_WALKED
    assert names == set(by_name), f"walk every URL of the face: missing {names - set(by_name)}"
    return {name: reverse(f"licensing:{name}", args=args) for name, args in by_name.items()}


def _visit(client, name, url):
    return client.post(url) if name in POST_ONLY else client.get(url)


def test_every_applicant_url_works_for_a_member_and_is_never_cached(client, cast, urls):
    client.force_login(cast.applicant_a)
    for name, url in urls.items():
        if name in POST_ONLY:
            continue
        response = client.get(url)
        assert response.status_code in (200, 302), f"{name} {url} answered {response.status_code}"
        assert "no-store" in response["Cache-Control"], name


@pytest.mark.parametrize("who", ["applicant_b", "reviewer", "supervisor", "approver"])
def test_every_applicant_url_is_not_found_for_other_organizations_and_staff(client, cast, urls, who):
    client.force_login(getattr(cast, who))
    for name, url in urls.items():
        if name in {"applicant_home", "applicant_licenses", "organization_create"}:
            continue  # their own (empty) lists and form, showing nothing of organization A
        response = _visit(client, name, url)
        assert response.status_code == 404, f"{who} got {response.status_code} from {name} {url}"


def test_every_applicant_url_sends_anonymous_visitors_to_sign_in(client, urls):
    for name, url in urls.items():
        response = _visit(client, name, url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login")), name


def test_lists_of_another_person_show_nothing_of_organization_a(client, cast, urls):
    client.force_login(cast.applicant_b)
    for name in ("applicant_home", "applicant_licenses"):
        page = client.get(urls[name]).content.decode()
        assert cast.organization_a.legal_name not in page


def test_no_url_of_the_face_carries_a_sequential_id(urls):
    for name, url in urls.items():
        for piece in url.strip("/").split("/"):
            assert not piece.isdigit(), f"{name} {url}"
