"""Submission lists every missing item at once, each by name (SPEC section 7, rule of `submit`)."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from common.errors import DomainError
from licensing import services
from licensing.models import Application
from registry.models import Activity, DigitalAsset, LicenseType
from tests.licensing.conftest import (
    BIN_C,
    make_application_in,
    make_draft,
    make_organization,
    make_submittable_application,
    upload_all,
)

pytestmark = pytest.mark.django_db

DAX_NAME = "Digital asset exchange (class 3)"


def _submit_problems(application: Application, actor) -> list[str]:
    audit_before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        services.application_submit(application=application, actor=actor)
    application.refresh_from_db()
    assert application.state == "draft"
    assert AuditEntry.objects.count() == audit_before
    return [str(problem) for problem in refused.value.problems]


def test_a_complete_application_submits(cast):
    application = make_submittable_application(cast.organization_a, cast.applicant_a)

    assert services.application_submit(application=application, actor=cast.applicant_a).state == "submitted"


def test_every_missing_document_is_named_including_each_key_persons(cast):
    application = make_draft(cast.organization_a, cast.applicant_a)
    upload_all(
        application,
        cast.applicant_a,
        skip=lambda slot: (
            slot.requirement_name.startswith(("Business plan", "Fit-and-proper"))
            and (slot.key_person is None or slot.key_person.full_name == "Berik Omarov")
        ),
    )

    problems = _submit_problems(application, cast.applicant_a)

    assert problems == [
        "Missing document: Business plan.",
        "Missing document: Fit-and-proper declaration (Berik Omarov).",
    ]


def test_an_empty_draft_lists_every_document_of_the_type(cast):
    application = make_draft(cast.organization_a, cast.applicant_a, activities=["custody"])

    problems = _submit_problems(application, cast.applicant_a)

    assert problems == [
        "Missing document: Charter (articles of association).",
        "Missing document: Proof of paid-up share capital.",
        "Missing document: AML/CFT internal control rules.",
        "Missing document: Risk management framework.",
        "Missing document: Information security audit report.",
        "Missing document: Business plan.",
        "Missing document: Beneficial ownership declaration.",
        "Missing document: Fit-and-proper declaration (Aliya Seitkali).",
        "Missing document: Fit-and-proper declaration (Berik Omarov).",
        "Missing document: Custody arrangements and segregation of client assets.",
    ]


def test_capital_below_minimum_names_both_figures_in_kzt(cast):
    services.organization_update(
        organization=cast.organization_a, actor=cast.applicant_a, paid_up_capital_kzt=1_200_000_000
    )
    application = make_submittable_application(cast.organization_a, cast.applicant_a)

    problems = _submit_problems(application, cast.applicant_a)

    assert problems == [
        f"Paid-up capital of KZT 1,200,000,000 is below the minimum of KZT 1,500,000,000 for {DAX_NAME}."
    ]


def test_each_asset_not_permitted_is_named_with_its_status(cast):
    application = make_submittable_application(cast.organization_a, cast.applicant_a, assets=["BTC", "XMR", "AQJL"])

    problems = _submit_problems(application, cast.applicant_a)

    assert problems == [
        "Asset not permitted: AQJL is suspended on the permitted-asset list.",
        "Asset not permitted: XMR is delisted on the permitted-asset list.",
    ]


def test_a_mix_of_services_from_every_class_takes_the_class_3_type_and_submits(cast):
    application = make_submittable_application(
        cast.organization_a,
        cast.applicant_a,
        activities=["custody", "trading_platform", "placing", "advice", "portfolio_management"],
    )

    assert application.license_type.code == "DAX"
    assert services.application_submit(application=application, actor=cast.applicant_a).state == "submitted"


def test_each_activity_above_the_types_class_is_named(cast):
    application = make_submittable_application(cast.organization_a, cast.applicant_a)
    # A superuser lowers the class of the type after the draft took it.
    LicenseType.objects.filter(code="DAX").update(capital_class=1)
    names = {a.code: a.name_en for a in Activity.objects.filter(code__in=["custody", "trading_platform"])}

    problems = _submit_problems(application, cast.applicant_a)

    assert problems == [
        f"Activity not allowed for Digital asset exchange (class 3): {names[code]}."
        for code in ("custody", "trading_platform")
    ]


def test_a_type_closed_to_applications_refuses_the_submission(cast):
    application = make_submittable_application(cast.organization_a, cast.applicant_a)
    LicenseType.objects.filter(code="DAX").update(is_active=False)

    assert _submit_problems(application, cast.applicant_a) == [
        "Applications for Digital asset exchange (class 3) are not accepted at the moment."
    ]


def test_no_activity_chosen_is_refused(cast):
    application = make_submittable_application(cast.organization_a, cast.applicant_a)
    services.application_update_scope(application=application, actor=cast.applicant_a, activities=[])

    assert _submit_problems(application, cast.applicant_a) == ["Choose at least one activity."]


def test_an_incomplete_profile_lists_each_gap(cast):
    organization = make_organization(cast.applicant_a, bin=BIN_C, legal_name="Bare LLP", complete=False)
    application = make_draft(organization, cast.applicant_a, activities=["advice"])
    upload_all(application, cast.applicant_a)  # no key persons, so no per-person documents are due

    problems = _submit_problems(application, cast.applicant_a)

    assert problems == [
        "Profile incomplete: enter the registered address.",
        "Profile incomplete: enter a contact e-mail address.",
        "Profile incomplete: add the beneficial owners.",
        "Profile incomplete: add the key persons (chief executive, compliance officer, ...).",
    ]


def test_every_kind_of_problem_is_listed_in_one_refusal(cast):
    services.organization_update(organization=cast.organization_a, actor=cast.applicant_a, paid_up_capital_kzt=1)
    application = make_draft(cast.organization_a, cast.applicant_a, activities=["advice"], assets=["XMR"])
    upload_all(application, cast.applicant_a, skip=lambda slot: slot.requirement_name == "Business plan")
    services.organization_update(
        organization=cast.organization_a, actor=cast.applicant_a, registered_address="", contact_email=""
    )

    problems = _submit_problems(application, cast.applicant_a)

    assert len(problems) == 5
    assert problems[:2] == [
        "Profile incomplete: enter the registered address.",
        "Profile incomplete: enter a contact e-mail address.",
    ]
    assert problems[2].startswith("Paid-up capital of KZT 1 is below the minimum of KZT 300,000,000")
    assert problems[3] == "Asset not permitted: XMR is delisted on the permitted-asset list."
    assert problems[4] == "Missing document: Business plan."


def test_the_refusal_message_itself_carries_every_problem(cast):
    application = make_draft(cast.organization_a, cast.applicant_a, assets=["XMR"])

    with pytest.raises(DomainError) as refused:
        services.application_submit(application=application, actor=cast.applicant_a)

    assert "XMR is delisted" in str(refused.value)
    assert "Missing document: Charter (articles of association)." in str(refused.value)


def test_an_asset_delisted_after_submission_blocks_the_grant(cast):
    application = make_application_in("pending_decision", cast)
    DigitalAsset.objects.filter(symbol="USDT").update(status=DigitalAsset.Status.SUSPENDED)

    with pytest.raises(DomainError, match="USDT is suspended"):
        services.application_approve(application=application, actor=cast.approver)

    application.refresh_from_db()
    assert application.state == "pending_decision"
