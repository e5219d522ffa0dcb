from datetime import UTC, date, datetime, timedelta
from functools import partial

import pytest
import time_machine
from django.db import transaction

from audit.models import AuditEntry
from common.errors import ConcurrentChange, DomainError, NotPermitted, TransitionNotAllowed
from registry.models import License, LicenseEvent, LicenseType
from registry.services import (
    add_years,
    license_expire,
    license_reinstate,
    license_revoke,
    license_surrender,
    license_suspend,
)
from tests.registry.factories import activities_of, holder, issue_license, make_user

pytestmark = pytest.mark.django_db

# Suspension and revocation tell the people the caller names; these tests name nobody.
suspend = partial(license_suspend, recipients=[])
revoke = partial(license_revoke, recipients=[])


@pytest.fixture
def approver():
    return make_user("approver")


@pytest.fixture
def supervisor():
    return make_user("supervisor")


@pytest.fixture
def reviewer():
    return make_user("reviewer")


@pytest.fixture
def license(approver):
    return issue_license(actor=approver)


def _audit(action: str, license: License):
    return AuditEntry.objects.filter(action=action, object_type="registry.license", object_id=str(license.pk))


def _set_status(license: License, status: str) -> License:
    License.objects.filter(pk=license.pk).update(status=status)
    return License.objects.get(pk=license.pk)


# --- issue ------------------------------------------------------------------------------------------


def test_license_numbers_are_sequential_per_type_and_year(approver):
    numbers = [issue_license(code="DAX", actor=approver).number for _ in range(3)]
    numbers.append(issue_license(code="DAC", actor=approver).number)
    numbers.append(issue_license(code="DAX", actor=approver).number)

    assert numbers == ["DAX-2026-0001", "DAX-2026-0002", "DAX-2026-0003", "DAC-2026-0001", "DAX-2026-0004"]


@time_machine.travel(datetime(2027, 1, 10, 12, tzinfo=UTC), tick=False)
def test_a_new_year_restarts_the_numbers_at_0001(approver):
    issue_license(issued_on=date(2026, 12, 31), actor=approver)
    issue_license(issued_on=date(2026, 12, 31), actor=approver)

    first_of_2027 = issue_license(issued_on=date(2027, 1, 4), actor=approver)
    back_in_2026 = issue_license(issued_on=date(2026, 12, 30), actor=approver)

    assert first_of_2027.number == "DAX-2027-0001"
    assert back_in_2026.number == "DAX-2026-0003"


def test_numbers_grow_past_9999_without_wrapping(approver):
    from registry.models import LicenseSequence

    LicenseSequence.objects.create(license_type=LicenseType.objects.get(code="DAX"), year=2026, last_value=9999)

    assert issue_license(actor=approver).number == "DAX-2026-10000"


def test_a_rolled_back_issue_gives_its_number_back(approver):
    with pytest.raises(RuntimeError), transaction.atomic():
        issue_license(actor=approver)
        raise RuntimeError("the approval failed after the license was issued")

    assert issue_license(actor=approver).number == "DAX-2026-0001"


def test_validity_runs_the_type_s_years_from_the_issue_date(approver):
    license = issue_license(code="DAX", issued_on=date(2026, 3, 2), actor=approver)

    assert LicenseType.objects.get(code="DAX").validity_years == 5
    assert license.valid_until == date(2031, 3, 2)


def test_a_license_issued_on_29_february_ends_on_28_february():
    assert add_years(date(2028, 2, 29), 5) == date(2033, 2, 28)
    assert add_years(date(2028, 2, 29), 4) == date(2032, 2, 29)


def test_an_open_ended_type_issues_a_license_without_end(approver):
    license = issue_license(code="DAB", actor=approver)

    assert license.valid_until is None


def test_issue_records_holder_snapshot_activities_event_and_audit(approver):
    license = issue_license(actor=approver, application_id=4242)

    assert license.status == License.Status.ACTIVE
    assert (license.holder_name, license.holder_bin, license.holder_domains) == (
        "Steppe Digital Exchange JSC",
        "250140001232",
        ["steppe.kz"],
    )
    assert license.application_id == 4242
    assert set(license.activities.all()) == set(activities_of("DAX")[:2])
    assert list(license.events.values_list("event", flat=True)) == ["issued"]
    entry = _audit("license.issue", license).get()
    assert (entry.actor_id, entry.to_state) == (approver.pk, "active")
    assert license.number in entry.comment


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_issue_refuses_to_run_outside_the_caller_s_transaction():
    from registry.services import license_issue

    approver = make_user("approver")
    with pytest.raises(RuntimeError, match="inside the transaction"):
        license_issue(
            license_type=LicenseType.objects.get(code="DAX"),
            holder=holder(),
            activities=activities_of("DAX")[:1],
            assets=[],
            application_id=None,
            issued_on=date(2026, 3, 2),
            actor=approver,
        )
    assert not License.objects.exists()
    # The audit table is not empty: the flush after this test must still get through its triggers.
    issue_license(actor=approver)


def test_issue_refuses_activities_the_type_does_not_allow_and_a_second_license_per_application(approver):
    from registry.services import license_issue

    dac = LicenseType.objects.get(code="DAC")
    trading = [a for a in activities_of("DAX") if a not in activities_of("DAC")]
    with pytest.raises(DomainError) as refused:
        license_issue(
            license_type=dac,
            holder=holder(),
            activities=trading[:1],
            assets=[],
            application_id=None,
            issued_on=date(2026, 3, 2),
            actor=approver,
        )
    assert "Not allowed for a DAC license" in str(refused.value)

    issue_license(actor=approver, application_id=7)
    with pytest.raises(DomainError, match="already issued for this application"):
        issue_license(actor=approver, application_id=7)
    assert License.objects.count() == 1


# --- status changes -----------------------------------------------------------------------------------


def test_approver_suspends_and_reinstates_with_public_reasons(license, approver):
    suspended = suspend(license=license, actor=approver, reason="  Capital below minimum.  ")
    assert suspended.status == License.Status.SUSPENDED

    reinstated = license_reinstate(license=suspended, actor=approver, reason="Capital restored.")
    assert reinstated.status == License.Status.ACTIVE

    history = list(License.objects.get(pk=license.pk).events.values_list("event", "reason"))
    assert history == [("issued", ""), ("suspended", "Capital below minimum."), ("reinstated", "Capital restored.")]
    suspend_entry = _audit("license.suspend", license).get()
    assert (suspend_entry.from_state, suspend_entry.to_state, suspend_entry.comment) == (
        "active",
        "suspended",
        "Capital below minimum.",
    )
    assert _audit("license.reinstate", license).get().to_state == "active"


@pytest.mark.parametrize("start", [License.Status.ACTIVE, License.Status.SUSPENDED])
def test_approver_revokes_an_active_or_suspended_license(license, approver, start):
    license = _set_status(license, start)

    revoked = revoke(license=license, actor=approver, reason="Operated unlicensed activities.")

    assert License.objects.get(pk=license.pk).status == revoked.status == License.Status.REVOKED
    assert license.events.last().event == LicenseEvent.Kind.REVOKED
    assert _audit("license.revoke", license).get().from_state == start


@pytest.mark.parametrize("role", ["approver", "supervisor"])
def test_approver_or_supervisor_records_a_surrender(license, role):
    actor = make_user(role)

    surrendered = license_surrender(license=license, actor=actor, reason="The holder ceased the business.")

    assert surrendered.status == License.Status.SURRENDERED
    assert license.events.last().reason == "The holder ceased the business."
    assert _audit("license.surrender", license).get().actor_id == actor.pk


@pytest.mark.parametrize(
    ("service", "roles_refused"),
    [
        (suspend, ["reviewer", "supervisor", None]),
        (license_reinstate, ["reviewer", "supervisor", None]),
        (revoke, ["reviewer", "supervisor", None]),
        (license_surrender, ["reviewer", None]),
    ],
)
def test_wrong_roles_are_refused_and_nothing_changes(license, service, roles_refused):
    license = _set_status(license, License.Status.SUSPENDED) if service is license_reinstate else license
    for role in roles_refused:
        actor = make_user(role)
        with pytest.raises(NotPermitted, match="Only an approver"):
            service(license=license, actor=actor, reason="Because.")
    assert License.objects.get(pk=license.pk).status == license.status
    assert license.events.count() == 1
    assert not AuditEntry.objects.exclude(action="license.issue").exists()


def test_an_inactive_approver_is_refused(license, approver):
    approver.is_active = False
    approver.save()

    with pytest.raises(NotPermitted):
        suspend(license=license, actor=approver, reason="Because.")


@pytest.mark.parametrize("service", [suspend, license_surrender])
def test_anonymous_and_missing_actors_are_refused(license, service):
    from django.contrib.auth.models import AnonymousUser

    for actor in (AnonymousUser(), None):
        with pytest.raises(NotPermitted):
            service(license=license, actor=actor, reason="Because.")


@pytest.mark.parametrize("service", [suspend, license_reinstate, revoke, license_surrender])
@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(license, approver, service, reason):
    with pytest.raises(DomainError, match="Give the reason"):
        service(license=license, actor=approver, reason=reason)
    assert license.events.count() == 1


@pytest.mark.parametrize(
    ("service", "states", "allowed_wording"),
    [
        (suspend, ["suspended", "revoked", "surrendered", "expired"], "only an active license"),
        (license_reinstate, ["active", "revoked", "surrendered", "expired"], "only a suspended license"),
        (revoke, ["revoked", "surrendered", "expired"], "only an active or suspended license"),
        (license_surrender, ["revoked", "surrendered", "expired"], "only an active or suspended license"),
    ],
)
def test_transitions_from_the_wrong_status_are_refused_naming_the_status(
    license, approver, service, states, allowed_wording
):
    for status in states:
        current = _set_status(license, status)
        with pytest.raises(TransitionNotAllowed) as refused:
            service(license=current, actor=approver, reason="Because.")
        message = str(refused.value)
        assert f"is {License.Status(status).label}" in message
        assert allowed_wording in message
        assert License.objects.get(pk=license.pk).status == status
    assert license.events.count() == 1


def test_a_stale_license_is_refused_as_a_concurrent_change(license, approver):
    suspend(license=license, actor=approver, reason="First approver.")

    # ``license`` still says active: the second approver acts on what they saw.
    with pytest.raises(ConcurrentChange, match="changed by someone else meanwhile: it is now Suspended"):
        revoke(license=license, actor=approver, reason="Second approver.")
    assert License.objects.get(pk=license.pk).status == License.Status.SUSPENDED


def test_suspension_and_revocation_tell_the_people_the_caller_names_with_a_link_to_the_license(
    license, approver, monkeypatch
):
    sent = []
    monkeypatch.setattr("registry.services.notice_enqueue", lambda **kwargs: sent.append(kwargs))
    member = make_user()

    license = license_suspend(license=license, actor=approver, reason="Audit overdue.", recipients=[member.pk])
    license = license_reinstate(license=license, actor=approver, reason="Audit filed.")
    license_revoke(license=license, actor=approver, reason="Fraud.", recipients=[member])

    page = f"/registry/{license.number}/"
    assert [(n["kind"], n["subject"].pk, list(n["recipients"]), n["link"], n["context"]) for n in sent] == [
        ("license_suspended", license.pk, [member.pk], page, {"reason": "Audit overdue."}),
        ("license_revoked", license.pk, [member], page, {"reason": "Fraud."}),
    ]


# --- expiry ---------------------------------------------------------------------------------------------


def test_expire_ends_a_license_whose_validity_ran_out_once(license):
    day_after = license.valid_until + timedelta(days=1)
    assert license_expire(license=license, today=day_after) is True
    assert license_expire(license=license, today=day_after) is False

    license.refresh_from_db()
    assert license.status == License.Status.EXPIRED
    assert list(license.events.values_list("event", flat=True)) == ["issued", "expired"]
    entry = _audit("license.expire", license).get()
    assert (entry.actor_id, entry.actor_name, entry.from_state) == (None, "system", "active")


def test_a_suspended_license_expires_too(license):
    license = _set_status(license, License.Status.SUSPENDED)

    assert license_expire(license=license, today=date(2032, 1, 1)) is True
    assert _audit("license.expire", license).get().from_state == "suspended"


@pytest.mark.parametrize("status", [License.Status.REVOKED, License.Status.SURRENDERED])
def test_expire_leaves_licenses_already_out_of_force_alone(license, status):
    license = _set_status(license, status)

    assert license_expire(license=license, today=date(2040, 1, 1)) is False
    assert License.objects.get(pk=license.pk).status == status
    assert not _audit("license.expire", license).exists()


def test_expire_refuses_before_the_end_of_validity_and_for_open_ended_licenses(license, approver):
    with pytest.raises(TransitionNotAllowed, match="in force until the end of 2 March 2031"):
        license_expire(license=license, today=date(2031, 3, 2))  # the last day in force

    open_ended = issue_license(code="DAB", actor=approver)
    with pytest.raises(TransitionNotAllowed, match="open-ended"):
        license_expire(license=open_ended, today=date(2099, 1, 1))
    assert not AuditEntry.objects.filter(action="license.expire").exists()
