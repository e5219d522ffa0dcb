"""The case page (SPEC section 14): what staff see of a case and which actions each person is offered."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from licensing.models import BeneficialOwner
from registry.models import WarningEntry
from tests.licensing.conftest import make_application_in
from tests.licensing.staff import case_url

pytestmark = pytest.mark.django_db


def _page(client, user, application) -> str:
    client.force_login(user)
    response = client.get(case_url(application))
    assert response.status_code == 200
    return response.content.decode()


def _offered(page: str) -> set[str]:
    """The actions the page offers, by the address each button or link goes to."""
    names = ("pick-up", "assign", "request-information", "confirm-complete", "recommend", "approve", "refuse", "return")
    return {name for name in names if f'/{name}/"' in page}


def test_the_page_shows_the_organization_owners_with_pep_flag_key_persons_and_scope(client, cast):
    BeneficialOwner.objects.filter(full_name="Timur Akhmetov").update(is_politically_exposed=True)
    application = make_application_in("under_review", cast)

    page = _page(client, cast.reviewer, application)

    assert "Steppe Digital Exchange JSC" in page
    assert "Timur Akhmetov" in page and ">PEP<" in page
    assert "Berik Omarov" in page and "Compliance officer" in page
    assert "Operating a trading platform" in page or "trading" in page.lower()
    assert "BTC" in page and "USDT" in page
    assert "2\u202f000\u202f000\u202f000 KZT" in page


def test_warning_list_lookalikes_are_flagged_on_the_case(client, cast):
    WarningEntry.objects.create(
        name="Steppe Digital Exchange", domains=["steppe-exchange.example"], listed_on=date(2026, 4, 1)
    )
    WarningEntry.objects.create(name="Golden Horde Finance", domains=[], listed_on=date(2026, 4, 2))
    application = make_application_in("submitted", cast)

    page = _page(client, cast.supervisor, application)

    assert "resembles <strong>Steppe Digital Exchange</strong>, on the warning list since" in page
    assert "Golden Horde Finance" not in page


def test_the_audit_trail_shows_who_did_what_newest_first(client, cast):
    application = make_application_in("under_review", cast)

    page = _page(client, cast.supervisor, application)

    confirmed = page.index("reviewer confirmed the application complete")
    submitted = page.index("applicant-a submitted the application")
    assert confirmed < submitted
    assert "reviewer accepted a document" in page


@pytest.mark.parametrize(
    ("state", "role", "offered"),
    [
        ("submitted", "reviewer", {"pick-up"}),
        ("submitted", "approver", set()),
        ("submitted", "supervisor", {"pick-up", "assign"}),
        ("completeness_check", "reviewer", {"request-information", "confirm-complete"}),
        ("completeness_check", "reviewer2", None),  # another reviewer's case: not found
        ("completeness_check", "approver", set()),
        ("under_review", "reviewer", {"request-information", "recommend"}),
        ("under_review", "supervisor", {"request-information", "recommend", "assign"}),
        ("information_requested", "reviewer", set()),
        ("pending_decision", "reviewer", set()),
        ("pending_decision", "approver", {"approve", "refuse", "return"}),
        ("pending_decision", "recommender", {"assign"}),  # recommended it: a supervisor, not its judge
        ("approved", "supervisor", set()),
    ],
)
def test_only_the_actions_this_person_may_take_now_are_offered(client, cast, state, role, offered):
    application = make_application_in(state, cast)
    client.force_login(getattr(cast, role))

    response = client.get(case_url(application))

    if offered is None:
        assert response.status_code == 404
        return
    assert _offered(response.content.decode()) == offered


def test_four_eyes_are_shown_to_the_recommender_and_to_the_approver(client, cast):
    application = make_application_in("pending_decision", cast)  # recommended by `recommender`

    recommender = _page(client, cast.recommender, application)
    approver = _page(client, cast.approver, application)

    assert "You recommended this case; another approver must decide it." in recommender
    assert "Recommended by recommender; you decide as the second pair of eyes." in approver


def test_the_recommender_cannot_decide_even_by_posting(client, cast):
    application = make_application_in("pending_decision", cast)
    client.force_login(cast.recommender)
    version = client.get(case_url(application)).context["version"]

    response = client.post(case_url(application, "approve"), {"version": version})

    application.refresh_from_db()
    assert response.status_code == 409
    assert application.state == "pending_decision"


@pytest.mark.parametrize(
    ("role", "action", "data"),
    [
        ("approver", "recommend", {"recommendation": "grant", "reasons": "x"}),
        ("approver", "request_information", {"questions": "x", "deadline": "2030-01-07"}),
        ("reviewer", "refuse", {"reasons": "x"}),
    ],
)
def test_a_role_cannot_take_another_roles_action_by_posting(client, cast, role, action, data):
    application = make_application_in("under_review", cast)
    client.force_login(getattr(cast, role))
    version = client.get(case_url(application)).context["version"]

    response = client.post(case_url(application, action), {"version": version, **data})

    application.refresh_from_db()
    assert response.status_code in (403, 409)
    assert application.state == "under_review"


def test_a_reviewer_cannot_act_on_another_reviewers_case(client, cast):
    application = make_application_in("under_review", cast)
    client.force_login(cast.reviewer2)

    response = client.post(
        case_url(application, "recommend"), {"version": 0, "recommendation": "grant", "reasons": "x"}
    )

    assert response.status_code == 404


def test_staff_pages_are_never_stored(client, cast):
    application = make_application_in("submitted", cast)
    client.force_login(cast.reviewer)

    for url in (reverse("licensing:staff_queue"), case_url(application), reverse("licensing:staff_licenses")):
        assert client.get(url)["Cache-Control"] == "no-store, private"
