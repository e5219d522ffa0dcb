"""Every (state, transition, role) combination SPEC section 7 does not allow is refused, changing nothing.

One test per (state, transition): a case in that state, built through the services, is tried by
every role the table does not name with otherwise valid arguments, so the only reason left to
refuse is the state or the role. After each refusal the case, its audit trail, its information
requests, its clock pauses and the register are exactly as before. The cases in each state are
built once per module, beside the shared cast (tests/licensing/conftest.py), and each test works on
its own copy inside its own savepoint.
"""

from __future__ import annotations

import copy
from datetime import date

import pytest

from audit.models import AuditEntry
from common.errors import DomainError
from licensing import services
from licensing.models import Application, ClockPause, InformationRequest
from registry.models import License
from tests.conftest import MODULE_CAST
from tests.licensing.conftest import PATHS, make_application_in

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _cases(_module_cast, django_db_blocker) -> dict[str, Application]:
    """An application in every state, built once inside the module's transaction, if there is one."""
    if MODULE_CAST.cast is None:
        return {}
    with django_db_blocker.unblock():
        return {state: make_application_in(state, MODULE_CAST.cast) for state in PATHS}


@pytest.fixture
def case_in(_cases, cast):
    """``case_in(state)``: this test's own copy of the case in ``state``."""
    return lambda state: copy.deepcopy(_cases[state]) if _cases else make_application_in(state, cast)


ROLES = [
    "applicant_a",  # member of the applicant organization
    "applicant_b",  # member of another organization
    "reviewer",  # the reviewer assigned to the case (from the completeness check on)
    "reviewer2",  # a reviewer not assigned
    "approver",
    "recommender",  # approver and supervisor who made the recommendation (pending decision)
    "supervisor",
    "system",  # no user: anonymous or the system
]
REVIEWERS = {"reviewer", "supervisor", "recommender"}  # assigned reviewer, or a supervisor
DECIDERS = {"approver"}  # approvers other than the one who recommended
WITHDRAWABLE = {"draft", "submitted", "completeness_check", "information_requested", "under_review", "pending_decision"}

# transition -> (states it leaves from, roles that may take it), straight from the SPEC table.
ALLOWED: dict[str, tuple[set[str], set[str]]] = {
    "submit": ({"draft"}, {"applicant_a"}),
    # An unassigned case may be picked up by any reviewer.
    "start_check": ({"submitted"}, {"reviewer", "reviewer2", "supervisor", "recommender"}),
    "request_information": ({"completeness_check", "under_review"}, REVIEWERS),
    "respond": ({"information_requested"}, {"applicant_a"}),
    "confirm_complete": ({"completeness_check"}, REVIEWERS),
    "recommend": ({"under_review"}, REVIEWERS),
    "return_to_review": ({"pending_decision"}, DECIDERS),
    "approve": ({"pending_decision"}, DECIDERS),
    "refuse": ({"pending_decision"}, DECIDERS),
    "withdraw": (WITHDRAWABLE, {"applicant_a"}),
    "lapse": ({"information_requested"}, {"system"}),
}


def _call(transition: str, application: Application, actor):
    """The service of ``transition`` with arguments that satisfy its rule."""
    if transition == "lapse":
        # The system's sweep; no person can call it, so only its states are tried.
        return services.application_lapse(application=application, today=date(2099, 1, 1))
    kwargs = {
        "submit": {},
        "start_check": {},
        "request_information": {"questions": "Send the audit report."},
        "respond": {"answers": {r.pk: "Attached." for r in application.information_requests.filter(state="open")}},
        "confirm_complete": {},
        "recommend": {"recommendation": "grant", "reasons": "Meets every requirement."},
        "return_to_review": {"reason": "Look again."},
        "approve": {},
        "refuse": {"reasons": "Not convinced."},
        "withdraw": {},
    }[transition]
    return getattr(services, f"application_{transition}")(application=application, actor=actor, **kwargs)


def _snapshot(application: Application) -> dict:
    fresh = Application.objects.get(pk=application.pk)
    return {
        "state": fresh.state,
        "updated_at": fresh.updated_at,
        "assigned_reviewer": fresh.assigned_reviewer_id,
        "recommended_by": fresh.recommended_by_id,
        "audit": AuditEntry.objects.count(),
        "requests": list(InformationRequest.objects.order_by("pk").values_list("pk", "state")),
        "pauses": list(ClockPause.objects.order_by("pk").values_list("pk", "ended_at")),
        "licenses": License.objects.count(),
    }


def _refused_combinations(state: str, transition: str) -> list[str]:
    from_states, roles = ALLOWED[transition]
    candidates = ["system"] if transition == "lapse" else ROLES
    if state not in from_states:
        return candidates
    return [role for role in candidates if role not in roles]


# Only the system can try to lapse a case, and it may from information_requested: nothing to refuse there.
COMBINATIONS = [
    (state, transition)
    for state in sorted(PATHS)
    for transition in sorted(ALLOWED)
    if _refused_combinations(state, transition)
]


@pytest.mark.parametrize(("state", "transition"), COMBINATIONS)
def test_disallowed_combinations_are_refused_and_change_nothing(cast, case_in, state, transition):
    refused_roles = _refused_combinations(state, transition)
    application = case_in(state)
    before = _snapshot(application)
    failures = []

    for role in refused_roles:
        actor = None if role == "system" else getattr(cast, role)
        try:
            _call(transition, application, actor)
        except DomainError as error:
            if not str(error).strip():
                failures.append(f"{role}: refused without a message")
        else:
            failures.append(f"{role}: was allowed to {transition} from {state}")
        if _snapshot(application) != before:
            failures.append(f"{role}: the refused {transition} changed something")
            break

    assert failures == []


def test_the_matrix_covers_every_transition_of_the_model():
    names = {t.name for t in Application._meta.get_field("state").get_all_transitions(Application)}

    # One transition per row of the SPEC table: respond is one transition with two possible targets.
    assert names == set(ALLOWED)


@pytest.mark.parametrize(
    ("state", "transition", "role"),
    [
        ("pending_decision", "approve", "recommender"),
        ("completeness_check", "confirm_complete", "reviewer2"),
        ("submitted", "submit", "applicant_a"),
        ("draft", "submit", "applicant_b"),
    ],
)
def test_refusal_messages_say_why(cast, case_in, state, transition, role):
    application = case_in(state)

    with pytest.raises(DomainError) as refused:
        _call(transition, application, getattr(cast, role))

    expected = {
        "approve": "did not make the recommendation",
        "confirm_complete": "Only the reviewer assigned to this case",
        "submit": "Submitted cannot be submitted" if state == "submitted" else "Only members",
    }[transition]
    assert expected in str(refused.value)
