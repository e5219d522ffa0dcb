"""Races on PostgreSQL with real threads, each on its own database connection.

Two long-lived worker threads meet at a barrier before every round, so both act on the same case
at the same instant; the round's outcome is checked from the database afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection, transaction

from audit.models import AuditEntry
from audit.selectors import audit_chain_check
from common.errors import ConcurrentChange, DomainError
from licensing.models import Application, Document
from licensing.services import document_accept
from registry.models import License, LicenseType
from registry.services import license_issue
from tests.licensing.conftest import BIN_A, accept_all, make_submittable_application
from tests.licensing.conftest import make_organization as complete_organization
from tests.registry.factories import activities_of, holder, make_application, make_organization, make_user, requirement

# serialized_rollback: an earlier transactional test flushed the reference data the migrations loaded.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

ROUNDS = 50


def race(
    actors: list,
    rounds: int,
    act: Callable[[object, object], object],
    load: Callable[[int], object] = lambda round_: round_,
) -> list[list[object]]:
    """Run ``act(load(round), actor)`` for every actor at once, ``rounds`` times; return the outcomes.

    ``load`` runs before the barrier: each actor holds the case as their screen showed it, so the
    loser acts on a stale view, exactly as a person would.
    """
    barrier = threading.Barrier(len(actors))
    outcomes: list[list[object]] = [[None] * len(actors) for _ in range(rounds)]

    def worker(slot: int, actor) -> None:
        try:
            for round_ in range(rounds):
                seen = load(round_)
                barrier.wait(timeout=60)
                try:
                    outcomes[round_][slot] = act(seen, actor)
                except Exception as error:  # the loser's refusal is an outcome the test inspects
                    outcomes[round_][slot] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(slot, actor)) for slot, actor in enumerate(actors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def pending_decision_case(organization, applicant, recommender) -> Application:
    """A case recommended for grant through the services: every rule of approval is met."""
    from licensing import services

    application = make_submittable_application(organization, applicant)
    services.application_submit(application=application, actor=applicant)
    application = services.application_start_check(application=application, actor=recommender)
    accept_all(application, recommender)
    application = services.application_confirm_complete(application=application, actor=recommender)
    return services.application_recommend(
        application=application, actor=recommender, recommendation="grant", reasons="Meets every requirement."
    )


def split(outcomes: list[object]) -> tuple[list[object], list[BaseException]]:
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    return [o for o in outcomes if not isinstance(o, BaseException)], errors


def test_two_approvers_approving_the_same_case_issue_exactly_one_license(postgres):
    from licensing.services import application_approve

    applicant, recommender = make_user(), make_user("supervisor")
    approvers = [make_user("approver"), make_user("approver")]
    # Approval re-checks the submit rules and the accepted documents, so each case goes the whole way.
    organization = complete_organization(applicant, bin=BIN_A, legal_name="Race Exchange JSC")
    case_ids = [pending_decision_case(organization, applicant, recommender).pk for _ in range(ROUNDS)]

    def approve(case: Application, actor):
        return application_approve(application=case, actor=actor).license_id

    outcomes = race(approvers, ROUNDS, approve, load=lambda round_: Application.objects.get(pk=case_ids[round_]))

    for round_, (case_id, results) in enumerate(zip(case_ids, outcomes, strict=True)):
        won, lost = split(results)
        assert len(won) == 1 and len(lost) == 1, f"round {round_}: {results}"
        assert isinstance(lost[0], DomainError)
        assert "changed" in str(lost[0]), lost[0]
        assert License.objects.filter(application_id=case_id).count() == 1
        assert AuditEntry.objects.filter(action="application.approve", object_id=str(case_id)).count() == 1
        assert Application.objects.get(pk=case_id).license_id == won[0]
    numbers = sorted(License.objects.values_list("number", flat=True))
    year = License.objects.values_list("issued_at", flat=True).first().year
    assert numbers == [f"DAX-{year}-{n:04d}" for n in range(1, ROUNDS + 1)]
    assert audit_chain_check().problem is None


def test_two_reviewers_accepting_the_same_document_accept_it_once(postgres):
    applicant, reviewer, supervisor = make_user(), make_user("reviewer"), make_user("supervisor")
    organization = make_organization(owner=applicant)
    case = make_application(
        organization=organization, created_by=applicant, state="completeness_check", assigned_reviewer=reviewer
    )
    charter = requirement("charter")
    from django.utils import timezone

    document_ids = [
        Document.objects.create(
            application=case,
            requirement=charter,
            version=version,
            storage_name=f"race/{version}.pdf",
            original_name="charter.pdf",
            size=1,
            sha256="0" * 64,
            content_type="application/pdf",
            uploaded_by=applicant,
            uploaded_at=timezone.now(),
        ).pk
        for version in range(1, ROUNDS + 1)
    ]

    def accept(document: Document, actor):
        return document_accept(document=document, actor=actor).pk

    outcomes = race(
        [reviewer, supervisor], ROUNDS, accept, load=lambda round_: Document.objects.get(pk=document_ids[round_])
    )

    for round_, (document_id, results) in enumerate(zip(document_ids, outcomes, strict=True)):
        won, lost = split(results)
        assert len(won) == 1 and len(lost) == 1, f"round {round_}: {results}"
        assert isinstance(lost[0], ConcurrentChange)
        assert "changed" in str(lost[0])
        assert AuditEntry.objects.filter(action="document.accept", object_id=str(document_id)).count() == 1
        assert Document.objects.get(pk=document_id).state == "accepted"


def test_concurrent_issues_number_licenses_without_gaps_or_duplicates(postgres):
    threads_count, per_thread = 8, 10
    approver = make_user("approver")
    dax = LicenseType.objects.get(code="DAX")
    activities = activities_of("DAX")[:1]

    def issue_ten(_seen, actor) -> list[str]:
        numbers = []
        for _ in range(per_thread):
            with transaction.atomic():
                numbers.append(
                    license_issue(
                        license_type=dax,
                        holder=holder(),
                        activities=activities,
                        assets=[],
                        application_id=None,
                        issued_on=date(2025, 6, 2),
                        actor=actor,
                    ).number
                )
        return numbers

    # One round, eight threads: all of them race to create the 2025 sequence row, then to number.
    (results,) = race([approver] * threads_count, 1, issue_ten)

    issued, errors = split(results)
    assert errors == []
    numbers = sorted(number for batch in issued for number in batch)
    assert numbers == [f"DAX-2025-{n:04d}" for n in range(1, threads_count * per_thread + 1)]
    assert sorted(License.objects.values_list("number", flat=True)) == numbers
