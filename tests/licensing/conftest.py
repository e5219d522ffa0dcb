"""The cast and builders shared by the licensing tests.

Cast: applicant A (owner of organization A), applicant B (owner of organization B), reviewer,
second reviewer, approver, second approver, supervisor, and an approver who is also a supervisor
(``recommender``: the person who may recommend a case and must then keep out of its decision).

Builders go through the services only, so a case in any state is one a real user could reach.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from licensing import services
from licensing.models import Application, Document, Organization
from licensing.selectors import application_required_slots
from registry.models import Activity, DigitalAsset
from tests.conftest import MODULE_CAST

# A small, well-formed PDF: the upload service sniffs content, so the bytes must really be a PDF.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# Valid BINs (check digit and legal-entity digit), one per organization the tests create.
BIN_A = "250140001232"
BIN_B = "241240005673"
BIN_C = "200340000011"


def pdf(name: str = "document.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _user(username: str, *roles: str, **fields):
    user = get_user_model().objects.create_user(
        username=username,
        password="unused-in-tests-0123",
        email=f"{username}@example.kz",
        email_verified_at=timezone.now(),
        **fields,
    )
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user


@dataclass
class Cast:
    applicant_a: object
    applicant_b: object
    reviewer: object
    reviewer2: object
    approver: object
    approver2: object
    supervisor: object
    recommender: object
    organization_a: Organization
    organization_b: Organization


def make_organization(
    owner, *, bin: str, legal_name: str, capital: int = 2_000_000_000, complete: bool = True
) -> Organization:
    """An organization through the services; ``complete`` adds key persons and beneficial owners."""
    organization = services.organization_create(
        actor=owner,
        legal_name=legal_name,
        bin=bin,
        registered_address="Mangilik El avenue 55/20, Astana" if complete else "",
        website="https://example.kz",
        contact_email="compliance@example.kz" if complete else "",
        contact_phone="+7 7172 00 00 00",
        paid_up_capital_kzt=capital,
    )
    if complete:
        services.key_person_add(
            organization=organization, actor=owner, role="chief_executive", full_name="Aliya Seitkali"
        )
        services.key_person_add(
            organization=organization, actor=owner, role="compliance_officer", full_name="Berik Omarov"
        )
        services.beneficial_owner_add(
            organization=organization,
            actor=owner,
            full_name="Aliya Seitkali",
            share_percent=Decimal("60"),
            country="KZ",
        )
        services.beneficial_owner_add(
            organization=organization,
            actor=owner,
            full_name="Timur Akhmetov",
            share_percent=Decimal("40"),
            country="KZ",
        )
    return organization


def build_cast() -> Cast:
    applicant_a = _user("applicant-a")
    applicant_b = _user("applicant-b")
    return Cast(
        applicant_a=applicant_a,
        applicant_b=applicant_b,
        reviewer=_user("reviewer", "reviewer"),
        reviewer2=_user("reviewer2", "reviewer"),
        approver=_user("approver", "approver"),
        approver2=_user("approver2", "approver"),
        supervisor=_user("supervisor", "supervisor"),
        recommender=_user("recommender", "approver", "supervisor"),
        organization_a=make_organization(applicant_a, bin=BIN_A, legal_name="Steppe Digital Exchange JSC"),
        organization_b=make_organization(applicant_b, bin=BIN_B, legal_name="Altyn Custody LLP"),
    )


@pytest.fixture
def cast(_module_cast, db) -> Cast:
    """The cast, built once per module (``_module_cast`` in tests/conftest.py); each test gets its own copy."""
    if MODULE_CAST.cast is None:
        return build_cast()
    return copy.deepcopy(MODULE_CAST.cast)


def make_draft(organization: Organization, actor, *, activities=None, assets=None) -> Application:
    """A draft; its license type follows the activities (trading platform and custody: DAX)."""
    return services.application_create(
        organization=organization,
        actor=actor,
        activities=Activity.objects.filter(code__in=activities or ["trading_platform", "custody"]),
        assets=DigitalAsset.objects.filter(symbol__in=assets or ["BTC", "USDT"]),
    )


def upload_all(application: Application, actor, *, skip: Callable[[object], bool] = lambda slot: False) -> None:
    """Upload a PDF for every document slot of the application (except those ``skip`` names)."""
    for slot in application_required_slots(application):
        if skip(slot):
            continue
        services.document_upload(
            application=application,
            requirement=application.license_type.document_requirements.get(pk=slot.requirement_id),
            uploaded_file=pdf(),
            actor=actor,
            key_person=slot.key_person,
        )


def make_submittable_application(organization: Organization, actor, **kwargs) -> Application:
    application = make_draft(organization, actor, **kwargs)
    upload_all(application, actor)
    return application


def accept_all(application: Application, actor) -> None:
    for document in Document.objects.filter(application=application, state=Document.State.PENDING):
        services.document_accept(document=document, actor=actor)


def answer_all(application: Application, actor, text: str = "Here is the answer.") -> Application:
    answers = {request.pk: text for request in application.information_requests.filter(state="open")}
    return services.application_respond(application=application, actor=actor, answers=answers)


# The path of services leading to each state; each step takes (application, cast).
def _submit(app, cast):
    return services.application_submit(application=app, actor=cast.applicant_a)


def _start_check(app, cast):
    app = services.application_start_check(application=app, actor=cast.reviewer)
    accept_all(app, cast.reviewer)
    return app


def _request_information(app, cast):
    services.application_request_information(application=app, actor=cast.reviewer, questions="Who audits you?")
    return Application.objects.get(pk=app.pk)


def _confirm(app, cast):
    return services.application_confirm_complete(application=app, actor=cast.reviewer)


def _recommend(app, cast):
    # The recommender (approver and supervisor) recommends, so "the approver who recommended" exists.
    return services.application_recommend(
        application=app, actor=cast.recommender, recommendation="grant", reasons="All requirements met."
    )


PATHS: dict[str, list] = {
    "draft": [],
    "submitted": [_submit],
    "completeness_check": [_submit, _start_check],
    "information_requested": [_submit, _start_check, _request_information],
    "under_review": [_submit, _start_check, _confirm],
    "pending_decision": [_submit, _start_check, _confirm, _recommend],
    "approved": [
        _submit,
        _start_check,
        _confirm,
        _recommend,
        lambda app, cast: services.application_approve(application=app, actor=cast.approver),
    ],
    "refused": [
        _submit,
        _start_check,
        _confirm,
        _recommend,
        lambda app, cast: services.application_refuse(application=app, actor=cast.approver, reasons="Capital doubts."),
    ],
    "withdrawn": [_submit, lambda app, cast: services.application_withdraw(application=app, actor=cast.applicant_a)],
    "lapsed": [
        _submit,
        _start_check,
        _request_information,
        lambda app, cast: services.application_lapse(application=app, today=date(2099, 1, 1)),
    ],
}


def make_application_in(state: str, cast: Cast) -> Application:
    """An application of organization A brought to ``state`` through the services."""
    application = make_submittable_application(cast.organization_a, cast.applicant_a)
    for step in PATHS[state]:
        application = step(application, cast)
    application.refresh_from_db()
    assert application.state == state
    return application


@pytest.fixture
def notices(monkeypatch) -> list[dict]:
    """Every notice the code under test enqueues, as the keyword arguments it passed."""
    sent: list[dict] = []

    def record(**kwargs):
        kwargs["recipients"] = list(kwargs["recipients"])
        sent.append(kwargs)

    monkeypatch.setattr("notifications.services.notice_enqueue", record)
    return sent
