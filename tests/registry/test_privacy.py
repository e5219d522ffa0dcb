"""Nothing the public side shows comes from what SPEC section 10 keeps private.

Private data is seeded with unique markers: organizations whose applications are drafts, refused or
withdrawn; internal notes; reviewers' and approvers' names; beneficial owners and key persons;
decision and recommendation reasons; information requests. Then every public page, API answer
(the OpenAPI description included) and export is searched for every marker.
"""

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group

from accounts.models import User
from licensing.models import Application, BeneficialOwner, InformationRequest, InternalNote, KeyPerson, Organization
from registry.models import LicenseType
from tests.registry.conftest import aware

pytestmark = pytest.mark.django_db

MARKERS = {
    "draft_org": "Zxqdraftorg Holdings",
    "refused_org": "Zxqrefusedorg Capital",
    "withdrawn_org": "Zxqwithdrawnorg Markets",
    "note": "Zxqinternalnote suspicious wire",
    "reviewer_first": "Zxqreviewerfirst",
    "reviewer_last": "Zxqreviewerlast",
    "approver_last": "Zxqapproverlast",
    "owner": "Zxqbeneficialowner Person",
    "owner_of_licensee": "Zxqlicenseeowner Person",
    "key_person": "Zxqkeyperson Officer",
    "decision": "Zxqdecisionreason capital shortfall",
    "recommendation": "Zxqrecommendation refuse",
    "question": "Zxqinformationrequest question",
    "email": "zxqcontact@private.example.kz",
    "draft_domain": "zxqdraftdomain.example.kz",
}
PRIVATE_BINS = ["990140000017", "990140000026", "990140000035"]


@pytest.fixture
def private_data(register):
    reviewer = User.objects.create_user(
        username="zxq-reviewer",
        first_name=MARKERS["reviewer_first"],
        last_name=MARKERS["reviewer_last"],
        password="x" * 16,
    )
    reviewer.groups.add(Group.objects.get(name="reviewer"))
    approver = User.objects.create_user(username="zxq-approver", last_name=MARKERS["approver_last"], password="x" * 16)
    applicant = User.objects.create_user(username="zxq-applicant", email=MARKERS["email"], password="x" * 16)
    license_type = LicenseType.objects.get(code="DAX")

    for key, state, bin_ in zip(
        ("draft_org", "refused_org", "withdrawn_org"),
        (Application.State.DRAFT, Application.State.REFUSED, Application.State.WITHDRAWN),
        PRIVATE_BINS,
        strict=True,
    ):
        organization = Organization.objects.create(
            legal_name=MARKERS[key],
            bin=bin_,
            website=f"https://{MARKERS['draft_domain']}",
            other_domains=[MARKERS["draft_domain"]],
            contact_email=MARKERS["email"],
        )
        BeneficialOwner.objects.create(
            organization=organization, full_name=MARKERS["owner"], share_percent=60, country="KZ"
        )
        KeyPerson.objects.create(
            organization=organization, role=KeyPerson.Role.CHIEF_EXECUTIVE, full_name=MARKERS["key_person"]
        )
        application = Application.objects.create(
            organization=organization,
            license_type=license_type,
            created_by=applicant,
            state=state,
            assigned_reviewer=reviewer,
            recommendation="refuse",
            recommendation_reasons=MARKERS["recommendation"],
            recommended_by=reviewer,
            decided_by=approver if state == Application.State.REFUSED else None,
            decision_reasons=MARKERS["decision"],
        )
        InternalNote.objects.create(application=application, author=reviewer, body=MARKERS["note"])
        InformationRequest.objects.create(
            application=application,
            questions=MARKERS["question"],
            deadline="2026-06-01",
            requested_by=reviewer,
            requested_at=aware(2026, 5, 1, 9),
        )

    # The organization behind a granted license has private people too.
    licensee = Organization.objects.create(legal_name=register["steppe"].holder_name, bin="250140001232")
    BeneficialOwner.objects.create(
        organization=licensee, full_name=MARKERS["owner_of_licensee"], share_percent=100, country="KZ"
    )
    return register


def public_urls(register) -> list[tuple[str, str]]:
    """(url, what the visitor typed and the page may echo back)."""
    urls = [
        "/registry/",
        "/registry/verify/",
        "/registry/assets/",
        "/registry/warnings/",
        "/api/v1/licenses/?page_size=200",
        "/api/v1/assets/",
        "/api/v1/warnings/",
        "/api/v1/changes/?since=2000-01-01",
        "/api/v1/openapi.json",
        "/api/v1/export/licenses.csv",
        "/api/v1/export/licenses.json",
        "/api/v1/export/warnings.csv",
    ]
    for license in register.values():
        urls += [f"/registry/{license.number}/", f"/api/v1/licenses/{license.number}/"]
        urls.append("/registry/verify/?" + urlencode({"number": license.number}))
    urls = [(url, "") for url in urls]
    # Searches for the start of each marker: a leak would show the whole marker, the echo only its start.
    for marker in [*MARKERS.values(), "Zxq"]:
        probe = marker[:-3] if len(marker) > 6 else marker
        urls.append(("/registry/?" + urlencode({"q": probe}), ""))
        urls.append(("/api/v1/licenses/?" + urlencode({"q": probe}), ""))
    for bin_ in PRIVATE_BINS:
        urls.append(("/registry/?" + urlencode({"q": bin_}), bin_))
        urls.append(("/api/v1/licenses/?" + urlencode({"q": bin_}), bin_))
        urls.append(("/registry/verify/?" + urlencode({"number": "DAX-2026-0001", "bin": bin_}), bin_))
    return urls


def test_no_public_page_api_answer_or_export_shows_private_data(client, private_data):
    checked = 0
    for url, echoed in public_urls(private_data):
        response = client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        text = content.decode().lower()
        if echoed:
            text = text.replace(echoed.lower(), "")
        for name, marker in MARKERS.items():
            assert marker.lower() not in text, f"{name} leaked at {url}"
        for bin_ in PRIVATE_BINS:
            assert bin_ not in text, f"BIN of an unlicensed applicant leaked at {url}"
        checked += 1
    assert checked > 60


def test_a_search_for_an_unlicensed_applicant_s_bin_finds_nothing(client, private_data):
    for bin_ in PRIVATE_BINS:
        assert client.get("/api/v1/licenses/?" + urlencode({"q": bin_})).json()["count"] == 0


def test_the_markers_are_really_in_the_database(private_data):
    # Guards the test above against seeding nothing and proving nothing.
    assert Organization.objects.filter(legal_name=MARKERS["draft_org"]).exists()
    assert InternalNote.objects.filter(body=MARKERS["note"]).count() == 3
    assert BeneficialOwner.objects.filter(full_name=MARKERS["owner_of_licensee"]).exists()
    assert User.objects.filter(last_name=MARKERS["reviewer_last"]).exists()
