"""Organization services (SPEC section 6): owner on creation, BIN and LEI checks, 100 % share cap."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from common.errors import DomainError, NotPermitted
from licensing import services
from licensing.models import Application, BeneficialOwner, Membership, Organization
from tests.licensing.conftest import BIN_A, BIN_C, make_application_in

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


def test_a_bin_already_registered_is_refused(cast):
    with pytest.raises(DomainError, match="already registered"):
        services.organization_create(actor=cast.applicant_b, legal_name="Copy JSC", bin=BIN_A)


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

FROZEN = ["submitted", "completeness_check", "under_review", "pending_decision"]


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


def _profile_snapshot(organization: Organization) -> tuple:
    organization.refresh_from_db()
    return (
        organization.paid_up_capital_kzt,
        sorted(organization.beneficial_owners.values_list("full_name", "share_percent")),
        sorted(organization.key_persons.values_list("full_name", flat=True)),
    )


@pytest.mark.parametrize(
    "service", ["organization_update", "beneficial_owner_add", "beneficial_owner_update", "key_person_add"]
)
@pytest.mark.parametrize("state", FROZEN)
def test_the_profile_cannot_change_while_an_application_is_under_consideration(cast, state, service):
    application = make_application_in(state, cast)
    if service == "beneficial_owner_add":  # room under the 100 % cap, so only the freeze can refuse
        BeneficialOwner.objects.filter(organization=cast.organization_a, full_name="Timur Akhmetov").update(
            share_percent=Decimal("30")
        )
    before = _profile_snapshot(cast.organization_a)
    audit_before = AuditEntry.objects.count()

    with pytest.raises(DomainError) as refused:
        _profile_changes(cast)[service]()

    message = str(refused.value)
    assert application.reference in message
    assert str(Application.State(state).label) in message
    assert "withdraw the application" in message and "information request" in message
    assert _profile_snapshot(cast.organization_a) == before
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize(
    "service", ["organization_update", "beneficial_owner_add", "beneficial_owner_update", "key_person_add"]
)
@pytest.mark.parametrize("state", ["draft", "information_requested", "withdrawn", "approved"])
def test_the_profile_may_change_in_draft_while_information_is_requested_and_after_the_case_closed(cast, state, service):
    make_application_in(state, cast)
    if service == "beneficial_owner_add":
        BeneficialOwner.objects.filter(organization=cast.organization_a, full_name="Timur Akhmetov").update(
            share_percent=Decimal("30")
        )
    before = _profile_snapshot(cast.organization_a)

    _profile_changes(cast)[service]()

    assert _profile_snapshot(cast.organization_a) != before


def test_another_organization_s_application_does_not_freeze_this_profile(cast):
    make_application_in("under_review", cast)  # organization A's

    services.organization_update(organization=cast.organization_b, actor=cast.applicant_b, legal_name="Altyn Vault LLP")

    cast.organization_b.refresh_from_db()
    assert cast.organization_b.legal_name == "Altyn Vault LLP"
