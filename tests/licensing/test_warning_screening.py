"""Lookalike screening of applicant organizations against the warning list (SPEC section 15)."""

from __future__ import annotations

from datetime import date

import pytest

from licensing import services
from licensing.models import WarningMatch, WarningScreening
from licensing.selectors import application_warning_matches, application_warning_screening
from registry.warning_list.services import warning_add
from tests.licensing.conftest import BIN_C, answer_all, make_application_in, make_submittable_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():
    # Organization A of the cast is "Steppe Digital Exchange JSC", B "Altyn Custody LLP".
    return warning_add(
        actor=None,
        name="Steppe Crypto Exchange",
        listed_on=date(2026, 1, 5),
        domains=["steppe-crypto.io"],
    )


def test_submission_stores_the_lookalikes_staff_see_on_the_case(cast, listed):
    application = make_submittable_application(cast.organization_a, cast.applicant_a)

    services.application_submit(application=application, actor=cast.applicant_a)

    screening = application_warning_screening(application)
    assert (screening.trigger, screening.application_id) == (WarningScreening.Trigger.SUBMISSION, application.pk)
    [match] = application_warning_matches(application)
    assert (match.entry, match.kind, match.value, match.listed) == (
        listed,
        WarningMatch.Kind.NAME,
        "Steppe Digital Exchange JSC",
        "Steppe Crypto Exchange",
    )
    assert 0.8 <= match.score < 1
    assert match.get_reason_display() == "The same name with words added or left out"


def test_an_innocent_organization_is_screened_and_not_flagged(cast, listed):
    application = make_submittable_application(cast.organization_b, cast.applicant_b)
    services.application_submit(application=application, actor=cast.applicant_b)

    assert application_warning_screening(application).names == ["Altyn Custody LLP"]
    assert application_warning_matches(application) == []


def test_a_change_of_name_or_domain_screens_again_and_other_changes_do_not(cast, listed):
    organization = cast.organization_b
    before = organization.warning_screenings.count()

    services.organization_update(organization=organization, actor=cast.applicant_b, contact_phone="+7 700 111 22 33")
    assert organization.warning_screenings.count() == before

    services.organization_update(
        organization=organization, actor=cast.applicant_b, other_domains=["https://www.steppe-crypto.com/"]
    )
    latest = organization.warning_screenings.first()
    assert organization.warning_screenings.count() == before + 1
    assert latest.trigger == WarningScreening.Trigger.PROFILE_CHANGE
    assert [(m.kind, m.value, m.listed, m.reason) for m in latest.matches.all()] == [
        ("domain", "steppe-crypto.com", "steppe-crypto.io", "other_tld")
    ]


def test_registration_screens_the_new_organization(cast, listed):
    organization = services.organization_create(
        actor=cast.applicant_b, legal_name="St\u0435\u0440\u0440\u0435 Crypto Exchange LLP", bin=BIN_C
    )

    [match] = organization.warning_screenings.get().matches.all()
    assert (match.reason, match.score) == ("lookalike_letters", 1.0)


def answer_one_by_one(application, actor):
    """The applicant face's way: each open request answered on its own page."""
    for request in application.information_requests.filter(state="open"):
        services.information_request_answer(request=request, actor=actor, response="Here is the answer.")
    application.refresh_from_db()
    return application


@pytest.mark.parametrize("answer", [answer_all, answer_one_by_one], ids=["all at once", "one by one"])
def test_an_answer_that_corrects_the_profile_is_screened_with_the_retaken_snapshot(cast, listed, answer):
    application = make_application_in("information_requested", cast)
    services.organization_update(
        organization=cast.organization_a, actor=cast.applicant_a, legal_name="Aksu Logistics JSC"
    )
    assert len(application_warning_matches(application)) == 1  # staff still decide on the submitted snapshot

    application = answer(application, cast.applicant_a)

    assert application.profile_snapshot["legal_name"] == "Aksu Logistics JSC"
    assert application_warning_screening(application).trigger == WarningScreening.Trigger.RESPONSE
    assert application_warning_matches(application) == []


def test_a_closed_case_keeps_the_screening_it_was_decided_on(cast, listed):
    application = make_application_in("withdrawn", cast)
    services.organization_update(
        organization=cast.organization_a, actor=cast.applicant_a, legal_name="Aksu Logistics JSC"
    )

    assert application_warning_screening(application).trigger == WarningScreening.Trigger.SUBMISSION
    assert len(application_warning_matches(application)) == 1


def test_a_case_never_screened_has_no_matches(cast):
    application = make_submittable_application(cast.organization_a, cast.applicant_a)
    WarningScreening.objects.all().delete()

    assert application_warning_screening(application) is None
    assert application_warning_matches(application) == []


def test_reading_the_matches_costs_two_queries_however_many(cast, listed, django_assert_num_queries):
    for number in range(5):
        warning_add(actor=None, name=f"Steppe Digital Exchange {number}", listed_on=date(2026, 1, 5))
    application = make_application_in("submitted", cast)

    with django_assert_num_queries(2):
        matches = application_warning_matches(application)
        assert [match.entry.name for match in matches][:1]
    assert len(matches) == 6
