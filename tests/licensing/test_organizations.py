"""Organization services (SPEC section 6): owner on creation, BIN and LEI checks, 100 % share cap."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from common.errors import DomainError, NotPermitted
from licensing import services
from licensing.models import BeneficialOwner, Membership, Organization
from licensing.profiles import profile_of
from licensing.selectors import application_profile
from tests.licensing.conftest import BIN_A, BIN_C, answer_all, make_application_in

pytestmark = pytest.mark.django_db

VALID_LEI = "5493001KJTIIGC8Y1R12"  # Bloomberg Finance L.P., check digits verified by mod 97


def test_creator_becomes_owner_and_the_creation_is_audited(cast):
    organization = services.organization_create(actor=cast.applicant_b, legal_name="Qazaq Custody JSC", bin=BIN_C)

    membership = Membership.objects.get(organization=organization)
    assert (membership.user, membership.role) == (cast.applicant_b, "owner")
    assert AuditEntry.objects.filter(action="organization.create", object_id=str(organization.pk)).exists()


@pytest.mark.parametrize(
    ("bin", "message"),
    [
        ("250140001233", "check digit"),  # last digit changed
        ("25014000123", "exactly 12 digits"),
        ("900101300017", "not a legal entity"),  # an individual's IIN: right check digit, fifth digit 3
    ],
)
def test_an_invalid_bin_is_refused_with_the_reason(cast, bin, message):
    with pytest.raises(ValidationError) as refused:
        services.organization_create(actor=cast.applicant_b, legal_name="Typo LLP", bin=bin)

    assert message in " ".join(refused.value.message_dict["bin"])
    assert not Organization.objects.filter(legal_name="Typo LLP").exists()


def test_a_valid_lei_is_kept_and_an_invalid_one_refused(cast):
    organization = services.organization_create(
        actor=cast.applicant_b, legal_name="With LEI JSC", bin=BIN_C, lei=VALID_LEI
    )
    assert organization.lei == VALID_LEI

    with pytest.raises(ValidationError) as refused:
        services.organization_update(organization=organization, actor=cast.applicant_b, lei="5493001KJTIIGC8Y1R13")

    assert "check digits do not match" in " ".join(refused.value.message_dict["lei"])
    organization.refresh_from_db()
    assert organization.lei == VALID_LEI


def test_a_bin_already_registered_is_refused_at_the_field_naming_the_holder(cast):
    with pytest.raises(ValidationError) as refused:
        services.organization_create(actor=cast.applicant_b, legal_name="Copy JSC", bin=BIN_A)

    assert refused.value.message_dict["bin"] == [
        "Steppe Digital Exchange JSC is already registered with BIN 250140001232. Ask its owner to invite you as a "
        "member instead of registering it again."
    ]


def test_an_lei_belongs_to_one_organization_and_the_refusal_names_the_holder(cast):
    services.organization_update(organization=cast.organization_a, actor=cast.applicant_a, lei=VALID_LEI)

    with pytest.raises(ValidationError) as refused:
        services.organization_update(organization=cast.organization_b, actor=cast.applicant_b, lei=VALID_LEI)

    assert refused.value.message_dict["lei"] == [
        f"LEI {VALID_LEI} is already registered for Steppe Digital Exchange JSC. "
        "Check the code: each LEI names one firm."
    ]
    # Keeping one's own LEI is no conflict.
    services.organization_update(organization=cast.organization_a, actor=cast.applicant_a, lei=VALID_LEI)


def test_websites_and_domains_are_stored_as_normalised_host_names(cast):
    organization = services.organization_update(
        organization=cast.organization_a,
        actor=cast.applicant_a,
        website="https://WWW.Steppe-Exchange.kz/en/",
        other_domains=["steppe.exchange", "http://www.steppe.exchange/app", " Степь.қаз "],
    )

    organization.refresh_from_db()
    assert organization.website == "steppe-exchange.kz"
    assert organization.other_domains == ["steppe.exchange", "xn--e1auee6c.xn--80ao21a"]  # степь.қаз


def test_a_web_address_that_is_no_host_is_refused_at_its_field_naming_it(cast):
    with pytest.raises(ValidationError) as refused:
        services.organization_update(
            organization=cast.organization_a,
            actor=cast.applicant_a,
            website="steppe exchange",
            other_domains=["steppe.kz", "bad_host.kz"],
        )

    errors = refused.value.message_dict
    assert errors["website"][0].startswith("Enter the website's address, e.g. steppe.kz")
    assert errors["other_domains"][0].startswith("Correct this domain: bad_host.kz:")


def test_latin_and_trading_names_are_kept_trimmed_without_duplicates(cast):
    organization = services.organization_update(
        organization=cast.organization_a,
        actor=cast.applicant_a,
        latin_name="  Steppe   Digital Exchange JSC ",
        trading_names=["SteppeX", "steppex", " ", "Steppe Pro"],
    )

    assert (organization.latin_name, organization.trading_names) == (
        "Steppe Digital Exchange JSC",
        ["SteppeX", "Steppe Pro"],
    )


def test_a_latin_name_in_cyrillic_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        services.organization_update(organization=cast.organization_a, actor=cast.applicant_a, latin_name="Степь JSC")

    assert "Latin letters" in refused.value.message_dict["latin_name"][0]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("legal_name", "x" * 301, "Shorten this to 300 characters or fewer."),
        ("registered_address", "y" * 501, "Shorten this to 500 characters or fewer."),
        ("contact_phone", "call me", "Enter a phone number with its country code, e.g. +7 7172 55 55 55."),
        ("paid_up_capital_kzt", -1, "Paid-up capital cannot be negative."),
        ("paid_up_capital_kzt", 10**19, "Check the paid-up capital: it is more than anyone could hold."),
        ("lei", "5493001KJTIIGC8Y1R123", "An LEI is exactly 20 characters, with no spaces."),
    ],
)
def test_values_the_database_could_not_hold_are_refused_at_the_field_not_by_the_database(cast, field, value, message):
    with pytest.raises(ValidationError) as refused:
        services.organization_update(organization=cast.organization_a, actor=cast.applicant_a, **{field: value})

    assert refused.value.message_dict[field] == [message]


def test_only_members_may_change_an_organization(cast):
    with pytest.raises(NotPermitted):
        services.organization_update(organization=cast.organization_a, actor=cast.applicant_b, legal_name="Mine")
    with pytest.raises(NotPermitted):
        services.key_person_add(
            organization=cast.organization_a, actor=cast.reviewer, role="aml_officer", full_name="X"
        )

    cast.organization_a.refresh_from_db()
    assert cast.organization_a.legal_name == "Steppe Digital Exchange JSC"


def test_the_bin_cannot_be_changed_by_an_update(cast):
    with pytest.raises(DomainError, match="cannot be changed"):
        services.organization_update(organization=cast.organization_a, actor=cast.applicant_a, bin=BIN_C)


@pytest.fixture
def bare(cast) -> Organization:
    return services.organization_create(actor=cast.applicant_b, legal_name="Shares LLP", bin=BIN_C)


def test_shares_may_total_exactly_100_percent(cast, bare):
    services.beneficial_owner_add(
        organization=bare, actor=cast.applicant_b, full_name="A", share_percent=Decimal("33.33"), country="KZ"
    )
    services.beneficial_owner_add(
        organization=bare, actor=cast.applicant_b, full_name="B", share_percent=Decimal("33.33"), country="KZ"
    )
    services.beneficial_owner_add(
        organization=bare, actor=cast.applicant_b, full_name="C", share_percent=Decimal("33.34"), country="AE"
    )

    assert sum(o.share_percent for o in BeneficialOwner.objects.filter(organization=bare)) == Decimal("100.00")


def test_shares_totalling_100_01_percent_are_refused_with_the_current_total(cast, bare):
    services.beneficial_owner_add(
        organization=bare, actor=cast.applicant_b, full_name="A", share_percent=Decimal("75"), country="KZ"
    )

    with pytest.raises(DomainError) as refused:
        services.beneficial_owner_add(
            organization=bare, actor=cast.applicant_b, full_name="B", share_percent=Decimal("25.01"), country="KZ"
        )

    assert "100.01 %" in str(refused.value)
    assert "already hold 75.00 %" in str(refused.value)
    assert "at most 25.00 %" in str(refused.value)
    assert BeneficialOwner.objects.filter(organization=bare).count() == 1


def test_an_update_that_would_exceed_100_percent_is_refused_but_one_within_it_is_kept(cast, bare):
    first = services.beneficial_owner_add(
        organization=bare, actor=cast.applicant_b, full_name="A", share_percent=Decimal("60"), country="KZ"
    )
    services.beneficial_owner_add(
        organization=bare, actor=cast.applicant_b, full_name="B", share_percent=Decimal("40"), country="KZ"
    )

    with pytest.raises(DomainError, match=r"100\.01 %"):
        services.beneficial_owner_update(owner=first, actor=cast.applicant_b, share_percent=Decimal("60.01"))
    services.beneficial_owner_update(owner=first, actor=cast.applicant_b, share_percent=Decimal("59.50"))

    first.refresh_from_db()
    assert first.share_percent == Decimal("59.50")


@pytest.mark.parametrize("share", [Decimal("0"), Decimal("-5"), Decimal("100.01")])
def test_a_single_share_outside_0_to_100_is_refused(cast, bare, share):
    with pytest.raises(DomainError):
        services.beneficial_owner_add(
            organization=bare, actor=cast.applicant_b, full_name="A", share_percent=share, country="KZ"
        )

    assert not BeneficialOwner.objects.filter(organization=bare).exists()


def test_a_key_person_needs_a_known_role(cast):
    with pytest.raises(DomainError) as refused:
        services.key_person_add(organization=cast.organization_a, actor=cast.applicant_a, role="ceo", full_name="X")

    assert "chief_executive" in str(refused.value)


# --- the profile is frozen while an application is under consideration ---------------------------------------


def _profile_changes(cast) -> dict:
    """Each profile service, as a call applicant A makes on organization A."""
    owner = BeneficialOwner.objects.filter(organization=cast.organization_a).first()
    return {
        "organization_update": lambda: services.organization_update(
            organization=cast.organization_a, actor=cast.applicant_a, paid_up_capital_kzt=1
        ),
        "beneficial_owner_add": lambda: services.beneficial_owner_add(
            organization=cast.organization_a,
            actor=cast.applicant_a,
            full_name="New Owner",
            share_percent=1,
            country="KZ",
        ),
        "beneficial_owner_update": lambda: services.beneficial_owner_update(
            owner=owner, actor=cast.applicant_a, full_name="Renamed Owner"
        ),
        "key_person_add": lambda: services.key_person_add(
            organization=cast.organization_a, actor=cast.applicant_a, role="board_member", full_name="New Person"
        ),
    }


@pytest.mark.parametrize(
    "service", ["organization_update", "beneficial_owner_add", "beneficial_owner_update", "key_person_add"]
)
@pytest.mark.parametrize("state", ["submitted", "under_review", "pending_decision", "approved"])
def test_the_profile_stays_editable_after_submission_and_the_case_keeps_its_snapshot(cast, state, service):
    application = make_application_in(state, cast)
    BeneficialOwner.objects.filter(organization=cast.organization_a, full_name="Timur Akhmetov").update(
        share_percent=Decimal("30")
    )
    submitted = application_profile(application)

    _profile_changes(cast)[service]()

    application.refresh_from_db()
    assert application_profile(application) == submitted
    assert profile_of(Organization.objects.get(pk=cast.organization_a.pk)) != replace(submitted, taken_at=None)


def test_the_snapshot_is_the_profile_at_submission_with_owners_and_key_persons(cast):
    services.organization_update(
        organization=cast.organization_a, actor=cast.applicant_a, latin_name="Steppe Digital Exchange JSC"
    )
    application = make_application_in("submitted", cast)

    profile = application_profile(application)

    assert profile.legal_name == "Steppe Digital Exchange JSC"
    assert profile.latin_name == "Steppe Digital Exchange JSC"
    assert [(o.full_name, o.share_percent) for o in profile.beneficial_owners] == [
        ("Aliya Seitkali", Decimal("60.00")),
        ("Timur Akhmetov", Decimal("40.00")),
    ]
    assert [(p.role, p.full_name) for p in profile.key_persons] == [
        ("chief_executive", "Aliya Seitkali"),
        ("compliance_officer", "Berik Omarov"),
    ]
    assert profile.taken_at == application.submitted_at


def test_approval_issues_the_license_to_the_holder_as_submitted(cast):
    application = make_application_in("pending_decision", cast)
    services.organization_update(organization=cast.organization_a, actor=cast.applicant_a, legal_name="Renamed JSC")

    approved = services.application_approve(application=application, actor=cast.approver)

    assert approved.license.holder_name == "Steppe Digital Exchange JSC"


def test_answering_an_information_request_retakes_the_snapshot_with_the_corrections(cast):
    application = make_application_in("information_requested", cast)
    services.organization_update(
        organization=cast.organization_a, actor=cast.applicant_a, registered_address="Dostyk avenue 5, Almaty"
    )
    assert application_profile(application).registered_address == "Mangilik El avenue 55/20, Astana"

    answer_all(application, cast.applicant_a)

    application.refresh_from_db()
    assert application_profile(application).registered_address == "Dostyk avenue 5, Almaty"
