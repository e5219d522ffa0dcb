"""Every URL of the regulator's dashboard, walked with every role (SPEC sections 4 and 14).

Anonymous visitors are sent to sign in; applicants get 404 (the staff area does not exist for
them); each staff role gets what its limits allow. A new staff URL fails the coverage test until it
is added to the table here.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from licensing.models import Document, ResponseAttachment
from licensing.services import information_request_answer
from licensing.urls import staff_urlpatterns
from registry.warning_list.services import warning_add
from tests.licensing.conftest import make_application_in, pdf

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "applicant_a", "reviewer", "reviewer2", "approver", "supervisor", "recommender")
STAFF = ROLES[2:]


def _all(code: int, **exceptions: int) -> dict[str, int]:
    """``code`` for every staff role, with exceptions; anonymous 302 and applicants 404 always."""
    table = {"anonymous": 302, "applicant_a": 404, **dict.fromkeys(STAFF, code)}
    table.update(exceptions)
    return table


# GET of every staff URL on a case pending decision (assigned to `reviewer`, recommended by
# `recommender`) and on the license of an approved case: the status each role receives.
SUPERVISORS_ONLY = _all(404, supervisor=200, recommender=200)
EXPECTED_GET = {
    "staff_queue": _all(200),
    "staff_bulk_assign": _all(405),
    "staff_case": _all(200, reviewer2=404),
    "staff_case_pick_up": _all(405),
    "staff_case_assign": _all(405),
    "staff_case_document": _all(200, reviewer2=404),
    "staff_case_attachment": _all(200, reviewer2=404),
    "staff_document_accept": _all(405),
    "staff_document_reject": _all(405),
    # Not open on a case pending decision: the page sends the person back to the case.
    "staff_case_request_information": _all(302, reviewer2=404),
    "staff_case_confirm_complete": _all(405),
    "staff_case_recommend": _all(302, reviewer2=404),
    # Only an approver who did not recommend decides (four eyes).
    "staff_case_approve": _all(302, reviewer2=404, approver=200),
    "staff_case_refuse": _all(302, reviewer2=404, approver=200),
    "staff_case_return": _all(302, reviewer2=404, approver=200),
    "staff_case_note_add": _all(405),
    "staff_licenses": _all(200),
    "staff_license": _all(200),
    # Suspension is the approvers'; others are sent back to the license page.
    "staff_license_action": _all(302, approver=200, recommender=200),
    "staff_assets": SUPERVISORS_ONLY,
    "staff_asset_add": SUPERVISORS_ONLY,
    "staff_asset_action": SUPERVISORS_ONLY,
    "staff_warnings": SUPERVISORS_ONLY,
    "staff_warning_add": SUPERVISORS_ONLY,
    "staff_warning_edit": SUPERVISORS_ONLY,
    "staff_warning_remove": SUPERVISORS_ONLY,
    "staff_warning_import": SUPERVISORS_ONLY,
    "staff_warning_import_confirm": _all(404, supervisor=405, recommender=405),
    "staff_metrics": SUPERVISORS_ONLY,
    "staff_metrics_csv": SUPERVISORS_ONLY,
    "staff_team": SUPERVISORS_ONLY,
    "staff_team_reset": SUPERVISORS_ONLY,
}


@pytest.fixture
def places(cast):
    answered = make_application_in("information_requested", cast)
    information_request_answer(
        request=answered.information_requests.get(), actor=cast.applicant_a, response="Yes.", attachments=[pdf()]
    )
    attachment = ResponseAttachment.objects.get()
    pending = make_application_in("pending_decision", cast)
    approved = make_application_in("approved", cast)
    document = Document.objects.filter(application=pending).first()
    warning = warning_add(actor=cast.supervisor, name="Golden Horde Finance", listed_on=date(2026, 2, 1))
    ref = pending.reference
    number = approved.license.number
    return {
        "staff_queue": [],
        "staff_bulk_assign": [],
        "staff_case": [ref],
        "staff_case_pick_up": [ref],
        "staff_case_assign": [ref],
        "staff_case_document": [ref, document.pk],
        "staff_case_attachment": [answered.reference, attachment.public_id],
        "staff_document_accept": [ref, document.pk],
        "staff_document_reject": [ref, document.pk],
        "staff_case_request_information": [ref],
        "staff_case_confirm_complete": [ref],
        "staff_case_recommend": [ref],
        "staff_case_approve": [ref],
        "staff_case_refuse": [ref],
        "staff_case_return": [ref],
        "staff_case_note_add": [ref],
        "staff_licenses": [],
        "staff_license": [number],
        "staff_license_action": [number, "suspend"],
        "staff_assets": [],
        "staff_asset_add": [],
        "staff_asset_action": ["BTC", "suspend"],
        "staff_warnings": [],
        "staff_warning_add": [],
        "staff_warning_edit": [warning.pk],
        "staff_warning_remove": [warning.pk],
        "staff_warning_import": [],
        "staff_warning_import_confirm": [],
        "staff_metrics": [],
        "staff_metrics_csv": ["outcomes"],
        "staff_team": [],
        "staff_team_reset": [cast.reviewer.pk],
    }


def test_the_table_covers_every_staff_url():
    assert {pattern.name for pattern in staff_urlpatterns} == set(EXPECTED_GET)


def test_every_staff_url_with_every_role(client, cast, places):
    seen = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(getattr(cast, role))
        for name, args in places.items():
            url = reverse(f"licensing:{name}", args=args)
            response = client.get(url)
            seen[(name, role)] = response.status_code
            if role == "anonymous":
                assert response["Location"].startswith(reverse("accounts:login") + "?next="), url
            elif response.status_code == 200:
                assert response["Cache-Control"] == "no-store, private", url
    expected = {(name, role): code for name, table in EXPECTED_GET.items() for role, code in table.items()}
    assert {key: code for key, code in seen.items() if code != expected[key]} == {}


def test_applicants_and_anonymous_visitors_cannot_post_to_any_staff_url(client, cast, places):
    for role in ("anonymous", "applicant_a"):
        client.logout()
        if role != "anonymous":
            client.force_login(cast.applicant_a)
        for name, args in places.items():
            response = client.post(reverse(f"licensing:{name}", args=args), {"version": "0", "reason": "x"})
            assert response.status_code == (302 if role == "anonymous" else 404), (name, role)
