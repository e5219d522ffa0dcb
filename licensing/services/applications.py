"""The application state machine's services (SPEC section 7).

Every service follows one pattern: lock the application row and re-read it, refuse if someone else
moved the case meanwhile, check who acts, check the rule, call the django-fsm-2 transition, save,
write the audit entry, enqueue notices, all in one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_fsm import TransitionNotAllowed as FSMTransitionNotAllowed
from django_fsm import can_proceed

from audit.services import audit_record
from common.errors import ConcurrentChange, DomainError, NotPermitted, TransitionNotAllowed
from common.money import kzt
from licensing import permissions
from licensing.calendar import add_working_days, get_calendar, local_date, working_days_between
from licensing.deadlines import application_set_deadline_fields
from licensing.links import case_link
from licensing.models import Application, ClockPause, Document, InformationRequest, Organization, WarningScreening
from licensing.profiles import OrganizationProfile, profile_of, profile_to_json
from licensing.selectors import application_profile, application_required_slots
from licensing.services.screening import organization_screen
from notifications import services as notifications
from registry.models import Activity, Decision, DigitalAsset, License, LicenseType
from registry.selectors import license_type_for
from registry.services import Holder, decision_record, license_issue

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = [
    "Problem",
    "application_approve",
    "application_confirm_complete",
    "application_create",
    "application_lapse",
    "application_recommend",
    "application_refuse",
    "application_request_information",
    "application_respond",
    "application_return_to_review",
    "application_start_check",
    "application_submission_problems",
    "application_submit",
    "application_update_scope",
    "application_withdraw",
]

# Notice kinds (notifications.services renders one template set per kind).
NOTICE_SUBMITTED = "application_submitted"
NOTICE_INFORMATION_REQUESTED = "information_requested"
NOTICE_DECIDED = "application_decided"
NOTICE_LAPSED = "application_lapsed"


# --- plumbing --------------------------------------------------------------------------------------


def _state_label(state: str) -> str:
    return str(Application.State(state).label)


def _lock(application: Application) -> Application:
    """The application row, locked, as it is now in the database."""
    return Application.objects.select_for_update().select_related("organization", "license_type").get(pk=application.pk)


def _refuse_state(seen_state: str, application: Application, action_label: str | Promise) -> None:
    # The caller saw another state than the one now locked: someone else moved the case first.
    if seen_state != application.state:
        raise ConcurrentChange(
            _(
                "This case changed while you were looking at it: it is now %(state)s, so it cannot %(action)s any "
                "more. Reload it to see what happened."
            )
            % {"state": _state_label(application.state), "action": action_label}
        )
    raise TransitionNotAllowed(
        _("An application that is %(state)s cannot %(action)s.")
        % {"state": _state_label(application.state), "action": action_label}
    )


def _transition(application: Application, transition_name: str, *, action_label: str | Promise, **kwargs) -> None:
    try:
        getattr(application, transition_name)(**kwargs)
    except FSMTransitionNotAllowed:  # checked under the lock already; kept as a guard for model changes
        _refuse_state(application.state, application, action_label)


def _members(organization: Organization) -> list:
    return [m.user for m in organization.memberships.select_related("user") if m.user.is_active]


def _notify(kind: str, application: Application, context: dict | None = None) -> None:
    notifications.notice_enqueue(
        kind=kind,
        recipients=_members(application.organization),
        subject=application,
        link=case_link(reference=application.reference, staff=False),
        context={"reference": application.reference, "state": application.state, **(context or {})},
    )


@dataclass(frozen=True)
class _Step:
    """What one service does to the application: its transition and the wording of refusals."""

    transition: str
    action: str  # audit action suffix
    label: str | Promise  # completes "cannot ..." in messages (translated when shown)


def _run(
    application: Application,
    step: _Step,
    *,
    actor,
    allowed: Callable[[Application], bool],
    refusal: StrOrPromise,
) -> tuple[Application, str]:
    """Lock and re-read the case, check its state, then who acts; return it and its current state.

    The state is checked first so that the loser of a race hears that the case changed, not that
    they may not act on it (after a pick-up, say, the case is no longer theirs to pick up).
    """
    seen_state = application.state
    locked = _lock(application)
    if not can_proceed(getattr(locked, step.transition)):
        _refuse_state(seen_state, locked, step.label)
    if not allowed(locked):
        raise NotPermitted(refusal)
    return locked, locked.state


def _finish(application: Application, step: _Step, *, actor, from_state: str, comment: str = "") -> Application:
    # Every transition (and every pause or resumption of the clock it made) moves the next deadline.
    application_set_deadline_fields(application)
    application.save()
    audit_record(
        actor=actor,
        action=f"application.{step.action}",
        obj=application,
        from_state=from_state,
        to_state=application.state,
        comment=comment,
    )
    return application


def _now() -> datetime.datetime:
    return timezone.now()


def _is_member(actor) -> Callable[[Application], bool]:
    return lambda application: permissions.is_member(actor, application.organization_id)


_MEMBERS_ONLY = gettext_lazy("Only members of the applicant organization may do this.")


# --- drafting --------------------------------------------------------------------------------------


def _license_type_for(activities: list[Activity]) -> LicenseType:
    """The lowest active type allowing every activity (SPEC 5), or a refusal naming what no type allows."""
    license_type = license_type_for(activities)
    if license_type is None:
        highest = max((activity.capital_class for activity in activities), default=0)
        raise DomainError(
            _("No license type that allows %(activities)s is open for applications at the moment.")
            % {
                "activities": ", ".join(
                    str(activity.name) for activity in activities if activity.capital_class == highest
                )
            }
        )
    return license_type


@transaction.atomic
def application_create(
    *,
    organization: Organization,
    actor,
    activities: Iterable[Activity] = (),
    assets: Iterable[DigitalAsset] = (),
) -> Application:
    """Start a draft application of ``organization`` (members only).

    Its license type follows from the activities: the lowest class that allows them all.
    """
    if not permissions.is_member(actor, organization):
        raise NotPermitted(_MEMBERS_ONLY)
    activities = list(activities)
    license_type = _license_type_for(activities)
    application = Application.objects.create(organization=organization, license_type=license_type, created_by=actor)
    application.activities.set(activities)
    application.assets.set(list(assets))
    audit_record(
        actor=actor, action="application.create", obj=application, to_state=application.state, comment=license_type.code
    )
    return application


@transaction.atomic
def application_update_scope(
    *,
    application: Application,
    actor,
    activities: Iterable[Activity] | None = None,
    assets: Iterable[DigitalAsset] | None = None,
) -> Application:
    """Change the activities and assets asked for; only while the application is a draft."""
    application, _state = _run(
        application,
        _Step(
            "submit",
            "update_scope",
            pgettext_lazy("refused action", "have its activities and assets changed (only a draft can)"),
        ),
        actor=actor,
        allowed=_is_member(actor),
        refusal=_MEMBERS_ONLY,
    )
    changes = []
    if activities is not None:
        activities = list(activities)
        license_type = _license_type_for(activities)
        application.activities.set(activities)
        changes.append("activities: " + ", ".join(sorted(a.code for a in activities)))
        if license_type.pk != application.license_type_id:
            application.license_type = license_type
            changes.append(f"license type: {license_type.code}")
    if assets is not None:
        application.assets.set(list(assets))
        changes.append("assets: " + ", ".join(sorted(a.symbol for a in application.assets.all())))
    application.save(update_fields=["license_type", "updated_at"])
    audit_record(actor=actor, action="application.update_scope", obj=application, comment="; ".join(changes))
    return application


# --- rules -----------------------------------------------------------------------------------------


class Problem(str):
    """A reason the application cannot go ahead, naming the applicant's task that fixes it.

    A plain string everywhere else (refusal messages list them); the applicant's pre-check turns
    ``task`` (``profile``, ``activities``, ``assets``, ``business``, ``documents``) into a link.
    """

    task: str

    def __new__(cls, text: str, task: str = "") -> Problem:
        problem = super().__new__(cls, text)
        problem.task = task
        return problem


def _current_documents(application: Application) -> dict[tuple[int, int | None], Document]:
    current: dict[tuple[int, int | None], Document] = {}
    for document in application.documents.exclude(state=Document.State.SUPERSEDED).order_by("version"):
        current[(document.requirement_id, document.key_person_id)] = document
    return current


def _document_problems(application: Application, *, require_accepted: bool) -> list[Problem]:
    problems = []
    current = _current_documents(application)
    for slot in application_required_slots(application):
        if not slot.mandatory:
            continue
        key = (slot.requirement_id, slot.key_person.pk if slot.key_person else None)
        document = current.get(key)
        if document is None:
            problems.append(Problem(_("Missing document: %(document)s.") % {"document": slot.label}, "documents"))
        elif document.state == Document.State.REJECTED:
            problems.append(
                Problem(
                    _("Document rejected, upload a new version: %(document)s (%(reason)s).")
                    % {"document": slot.label, "reason": document.rejection_reason},
                    "documents",
                )
            )
        elif require_accepted and document.state != Document.State.ACCEPTED:
            problems.append(
                Problem(
                    _("Document not yet accepted: %(document)s (%(state)s).")
                    % {"document": slot.label, "state": document.get_state_display()},
                    "documents",
                )
            )
    return problems


def _asset_problems(application: Application) -> list[Problem]:
    return [
        Problem(
            _("Asset not permitted: %(symbol)s is %(status)s on the permitted-asset list.")
            % {"symbol": asset.symbol, "status": asset.get_status_display().lower()},
            "assets",
        )
        for asset in application.assets.order_by("symbol")
        if asset.status != DigitalAsset.Status.PERMITTED
    ]


def application_submission_problems(application: Application) -> list[Problem]:
    """What keeps a draft from being submitted now (the applicant's pre-check reads the same rules)."""
    return _submit_problems(application, profile_of(application.organization))


def _submit_problems(
    application: Application, profile: OrganizationProfile, *, require_accepted: bool = False
) -> list[Problem]:
    """Everything that keeps the application from being submitted (or, with ``require_accepted``, granted).

    ``profile`` is the live profile at submission and the submitted snapshot at the decision.
    Approval runs these checks again: the minimum capital or the activities allowed for the
    license type may have changed since submission, and a license must never be issued below them.
    """
    license_type = application.license_type
    problems: list[Problem] = []
    if not profile.registered_address.strip():
        problems.append(Problem(_("Profile incomplete: enter the registered address."), "profile"))
    if not profile.contact_email:
        problems.append(Problem(_("Profile incomplete: enter a contact e-mail address."), "profile"))
    if not profile.beneficial_owners:
        problems.append(Problem(_("Profile incomplete: add the beneficial owners."), "owners"))
    if not profile.key_persons:
        problems.append(
            Problem(_("Profile incomplete: add the key persons (chief executive, compliance officer, ...)."), "people")
        )
    if profile.paid_up_capital_kzt < license_type.min_capital_kzt:
        problems.append(
            Problem(
                _("Paid-up capital of %(capital)s is below the minimum of %(minimum)s for %(type)s.")
                % {
                    "capital": kzt(profile.paid_up_capital_kzt),
                    "minimum": kzt(license_type.min_capital_kzt),
                    "type": license_type.name,
                },
                "business",
            )
        )
    if not require_accepted and not license_type.is_active:
        problems.append(
            Problem(_("Applications for %(type)s are not accepted at the moment.") % {"type": license_type.name})
        )
    activities = list(application.activities.order_by("position", "code"))
    if not activities:
        problems.append(Problem(_("Choose at least one activity."), "activities"))
    # The type follows the activities when a draft is edited; this catches a type whose class was
    # lowered by a superuser since, at submission and again at the decision.
    problems.extend(
        Problem(
            _("Activity not allowed for %(type)s: %(activity)s.")
            % {"type": license_type.name, "activity": activity.name},
            "activities",
        )
        for activity in activities
        if not license_type.allows(activity)
    )
    problems.extend(_asset_problems(application))
    problems.extend(_document_problems(application, require_accepted=require_accepted))
    return problems


def _close_open_pauses(application: Application, *, at: datetime.datetime) -> None:
    ClockPause.objects.filter(application=application, ended_at__isnull=True).update(ended_at=at)


# --- applicant -------------------------------------------------------------------------------------

_SUBMIT = _Step("submit", "submit", pgettext_lazy("refused action", "be submitted"))


@transaction.atomic
def application_submit(*, application: Application, actor) -> Application:
    """Send the draft to the regulator; lists every missing item at once if it is not ready."""
    application, from_state = _run(
        application,
        _SUBMIT,
        actor=actor,
        allowed=_is_member(actor),
        refusal=_("Only members of the applicant organization may submit its application."),
    )
    # The profile services lock the organization row too: a change to the profile and this submission
    # cannot interleave, so what is checked here is what the snapshot keeps for the regulator.
    application.organization = Organization.objects.select_for_update().get(pk=application.organization_id)
    now = _now()
    profile = replace(profile_of(application.organization), taken_at=now)
    problems = _submit_problems(application, profile)
    if problems:
        raise DomainError(
            _("The application cannot be submitted yet. Please resolve the following:"), problems=problems
        )
    application.profile_snapshot = profile_to_json(profile)
    _transition(application, "submit", action_label=_SUBMIT.label, at=now)
    _finish(application, _SUBMIT, actor=actor, from_state=from_state)
    organization_screen(
        organization=application.organization,
        profile=profile,
        trigger=WarningScreening.Trigger.SUBMISSION,
        application=application,
    )
    _notify(NOTICE_SUBMITTED, application, {"submitted_at": now.isoformat()})
    return application


_RESPOND = _Step("respond", "respond", pgettext_lazy("refused action", "be answered"))


@transaction.atomic
def application_respond(*, application: Application, actor, answers: Mapping[int, str]) -> Application:
    """Answer every open information request (``answers`` maps request id to text); resumes the clock."""
    application, from_state = _run(
        application,
        _RESPOND,
        actor=actor,
        allowed=_is_member(actor),
        refusal=_("Only members of the applicant organization may answer its information requests."),
    )
    open_requests = list(
        application.information_requests.select_for_update().filter(state=InformationRequest.State.OPEN)
    )
    problems = [
        _("Answer the request of %(date)s: %(questions)s")
        % {"date": date_format(local_date(request.requested_at), "DATE_FORMAT"), "questions": request.questions}
        for request in open_requests
        if not str(answers.get(request.pk, "")).strip()
    ]
    if problems:
        raise DomainError(_("Every open information request needs an answer."), problems=problems)
    now = _now()
    for request in open_requests:
        request.answer(by=actor, response=str(answers[request.pk]).strip(), at=now)
        request.save()
        audit_record(
            actor=actor,
            action="information_request.answer",
            obj=request,
            from_state=InformationRequest.State.OPEN,
            to_state=request.state,
        )
    return _resume_answered(application, actor=actor, from_state=from_state, at=now)


def _resume_answered(application: Application, *, actor, from_state: str, at: datetime.datetime) -> Application:
    """Every request is answered: the clock runs again and the case goes back to where it was asked.

    Shared by ``application_respond`` and the applicant's one-request answers
    (``licensing.services.answers``). The answers may include corrections to the profile: the
    regulator goes on with the profile as it stands now, retaken and screened. The organization row
    is locked, as at submission, so the snapshot is consistent.
    """
    _close_open_pauses(application, at=at)
    organization = Organization.objects.select_for_update().get(pk=application.organization_id)
    profile = replace(profile_of(organization), taken_at=at)
    application.profile_snapshot = profile_to_json(profile)
    _transition(application, "respond", action_label=_RESPOND.label)
    application = _finish(application, _RESPOND, actor=actor, from_state=from_state, comment="profile snapshot retaken")
    organization_screen(
        organization=organization, profile=profile, trigger=WarningScreening.Trigger.RESPONSE, application=application
    )
    return application


_WITHDRAW = _Step("withdraw", "withdraw", pgettext_lazy("refused action", "be withdrawn"))


@transaction.atomic
def application_withdraw(*, application: Application, actor, reason: str = "") -> Application:
    """The applicant takes the application back (any state before the decision)."""
    application, from_state = _run(
        application,
        _WITHDRAW,
        actor=actor,
        allowed=_is_member(actor),
        refusal=_("Only members of the applicant organization may withdraw its application."),
    )
    now = _now()
    _close_open_pauses(application, at=now)
    # An unanswered request on a withdrawn case will never be answered: close it so no reminder chases it.
    for request in application.information_requests.select_for_update().filter(state=InformationRequest.State.OPEN):
        request.expire()
        request.save()
        audit_record(
            actor=actor,
            action="information_request.expire",
            obj=request,
            from_state=InformationRequest.State.OPEN,
            to_state=request.state,
            comment="application withdrawn",
        )
    _transition(application, "withdraw", action_label=_WITHDRAW.label, at=now)
    return _finish(application, _WITHDRAW, actor=actor, from_state=from_state, comment=reason.strip())


# --- reviewer --------------------------------------------------------------------------------------

_START_CHECK = _Step("start_check", "start_check", pgettext_lazy("refused action", "start its completeness check"))


@transaction.atomic
def application_start_check(*, application: Application, actor, reviewer=None) -> Application:
    """Pick up a submitted case; a supervisor may assign it to a reviewer of their choice."""
    application, from_state = _run(
        application,
        _START_CHECK,
        actor=actor,
        allowed=lambda a: permissions.can_pick_up(actor, a),
        refusal=_("Only a reviewer or a supervisor may start the completeness check."),
    )
    reviewer = reviewer or actor
    if reviewer != actor and not permissions.is_supervisor(actor):
        raise NotPermitted(_("Only a supervisor may assign a case to someone else."))
    if not (permissions.is_reviewer(reviewer) or permissions.is_supervisor(reviewer)):
        raise DomainError(
            _("%(user)s is not a reviewer and cannot be assigned the case.") % {"user": reviewer.get_username()}
        )
    _transition(application, "start_check", action_label=_START_CHECK.label, reviewer=reviewer)
    return _finish(
        application, _START_CHECK, actor=actor, from_state=from_state, comment=f"assigned to {reviewer.get_username()}"
    )


def _can_review(actor) -> Callable[[Application], bool]:
    return lambda application: permissions.can_review(actor, application)


_ASSIGNED_ONLY = gettext_lazy("Only the reviewer assigned to this case, or a supervisor, may do this.")
_REQUEST_INFORMATION = _Step(
    "request_information", "request_information", pgettext_lazy("refused action", "receive an information request")
)


@transaction.atomic
def application_request_information(
    *, application: Application, actor, questions: str, deadline: datetime.date | None = None
) -> InformationRequest:
    """Ask the applicant questions; the statutory clock stops until they answer.

    The deadline defaults to ``license_type.response_days`` working days after today.
    """
    application, from_state = _run(
        application, _REQUEST_INFORMATION, actor=actor, allowed=_can_review(actor), refusal=_ASSIGNED_ONLY
    )
    now = _now()
    today = local_date(now)
    problems = []
    deadline = deadline or add_working_days(today, application.license_type.response_days)
    if not questions.strip():
        problems.append(_("Write the questions the applicant must answer."))
    if deadline <= today:
        problems.append(_("The response deadline must be after today."))
    elif not get_calendar().is_working_day(deadline):
        problems.append(_("The response deadline must be a working day."))
    if problems:
        raise DomainError(_("The information request cannot be sent."), problems=problems)
    request = InformationRequest.objects.create(
        application=application, questions=questions.strip(), deadline=deadline, requested_by=actor, requested_at=now
    )
    ClockPause.objects.create(application=application, started_at=now, information_request=request)
    _transition(application, "request_information", action_label=_REQUEST_INFORMATION.label)
    _finish(
        application, _REQUEST_INFORMATION, actor=actor, from_state=from_state, comment=f"deadline {deadline:%Y-%m-%d}"
    )
    _notify(NOTICE_INFORMATION_REQUESTED, application, {"deadline": deadline.isoformat(), "request_id": request.pk})
    return request


_CONFIRM_COMPLETE = _Step(
    "confirm_complete", "confirm_complete", pgettext_lazy("refused action", "be confirmed complete")
)


@transaction.atomic
def application_confirm_complete(*, application: Application, actor) -> Application:
    """Close the completeness check: every mandatory document has been accepted. Starts the decision clock."""
    application, from_state = _run(
        application, _CONFIRM_COMPLETE, actor=actor, allowed=_can_review(actor), refusal=_ASSIGNED_ONLY
    )
    problems = _document_problems(application, require_accepted=True)
    if problems:
        raise DomainError(_("The application is not complete yet:"), problems=problems)
    _transition(application, "confirm_complete", action_label=_CONFIRM_COMPLETE.label, at=_now())
    return _finish(application, _CONFIRM_COMPLETE, actor=actor, from_state=from_state)


_RECOMMEND = _Step("recommend", "recommend", pgettext_lazy("refused action", "receive a recommendation"))


@transaction.atomic
def application_recommend(*, application: Application, actor, recommendation: str, reasons: str) -> Application:
    """The reviewer's recommendation (grant or refuse) with reasons, for an approver to decide on."""
    application, from_state = _run(
        application, _RECOMMEND, actor=actor, allowed=_can_review(actor), refusal=_ASSIGNED_ONLY
    )
    # A new version uploaded in answer to an information request supersedes an accepted document,
    # so the case can be back under review with a document nobody has accepted yet.
    document_problems = _document_problems(application, require_accepted=True)
    if document_problems:
        raise DomainError(
            _("The case cannot be recommended until every mandatory document is accepted:"),
            problems=document_problems,
        )
    problems = []
    if recommendation not in Application.Recommendation.values:
        problems.append(_("Recommend either to grant or to refuse the license."))
    if not reasons.strip():
        problems.append(_("Give the reasons for the recommendation."))
    if problems:
        raise DomainError(_("The recommendation cannot be recorded."), problems=problems)
    _transition(
        application,
        "recommend",
        action_label=_RECOMMEND.label,
        by=actor,
        recommendation=recommendation,
        reasons=reasons.strip(),
        at=_now(),
    )
    return _finish(application, _RECOMMEND, actor=actor, from_state=from_state, comment=f"{recommendation}: {reasons}")


# --- approver --------------------------------------------------------------------------------------


def _can_decide(actor) -> Callable[[Application], bool]:
    return lambda application: permissions.can_decide(actor, application)


_DECIDERS_ONLY = gettext_lazy("Only an approver who did not make the recommendation on this case may decide it.")
_RETURN = _Step("return_to_review", "return_to_review", pgettext_lazy("refused action", "be returned to review"))


@transaction.atomic
def application_return_to_review(*, application: Application, actor, reason: str) -> Application:
    """Send the case back to its reviewer with the reason; the recommendation is cleared."""
    application, from_state = _run(
        application, _RETURN, actor=actor, allowed=_can_decide(actor), refusal=_DECIDERS_ONLY
    )
    if not reason.strip():
        raise DomainError(_("Say why the case goes back to review."))
    _transition(application, "return_to_review", action_label=_RETURN.label)
    return _finish(application, _RETURN, actor=actor, from_state=from_state, comment=reason.strip())


_APPROVE = _Step("approve", "approve", pgettext_lazy("refused action", "be approved"))


@transaction.atomic
def application_approve(
    *, application: Application, actor, reasons: str = "", issued_on: datetime.date | None = None
) -> Application:
    """Grant the license: issues it in the registry in this same transaction."""
    application, from_state = _run(
        application, _APPROVE, actor=actor, allowed=_can_decide(actor), refusal=_DECIDERS_ONLY
    )
    # The submit rules again (capital, activities, assets) and every mandatory document accepted:
    # what is granted must meet the rules as they stand today, not as they stood at submission.
    profile = application_profile(application)
    problems: list[str] = [*_submit_problems(application, profile, require_accepted=True)]
    if application.recommendation == Application.Recommendation.REFUSE and not reasons.strip():
        problems.append(_("The reviewer recommended refusal: give the reasons for granting the license nonetheless."))
    if problems:
        raise DomainError(_("The license cannot be granted as it stands."), problems=problems)
    now = _now()
    license: License = license_issue(
        license_type=application.license_type,
        # The holder as the regulator assessed it: the submitted profile, not today's.
        holder=Holder(
            name=profile.legal_name,
            latin_name=profile.latin_name,
            trading_names=tuple(profile.trading_names),
            bin=profile.bin,
            lei=profile.lei,
            address=profile.registered_address,
            website=profile.website,
            domains=tuple(profile.other_domains),
        ),
        activities=list(application.activities.all()),
        assets=list(application.assets.all()),
        application_id=application.pk,
        issued_on=issued_on or local_date(now),
        actor=actor,
    )
    _transition(
        application, "approve", action_label=_APPROVE.label, by=actor, license=license, reasons=reasons.strip(), at=now
    )
    _record_decision(application, Decision.Outcome.GRANTED)
    _finish(application, _APPROVE, actor=actor, from_state=from_state, comment=f"license {license.number}")
    _notify(NOTICE_DECIDED, application, {"decision": "approved", "license_number": license.number})
    return application


def _record_decision(application: Application, outcome: str) -> None:
    """The public, personal-data-free trace of the decision, for the registry's statistics."""
    submitted_at, decided_at = application.submitted_at, application.decided_at
    if submitted_at is None or decided_at is None:
        raise ValueError(f"Application {application.pk} is recorded as decided before it was submitted and decided.")
    submitted_on, decided_on = local_date(submitted_at), local_date(decided_at)
    working_days = working_days_between(submitted_on, decided_on)
    decision_record(
        application_id=application.pk,
        license_type=application.license_type,
        outcome=outcome,
        submitted_on=submitted_on,
        decided_on=decided_on,
        working_days=working_days,
    )


_REFUSE = _Step("refuse", "refuse", pgettext_lazy("refused action", "be refused"))


@transaction.atomic
def application_refuse(*, application: Application, actor, reasons: str) -> Application:
    """Refuse the license; the reasons are sent to the applicant."""
    application, from_state = _run(
        application, _REFUSE, actor=actor, allowed=_can_decide(actor), refusal=_DECIDERS_ONLY
    )
    if not reasons.strip():
        raise DomainError(_("Give the reasons for the refusal: the applicant receives them."))
    _transition(application, "refuse", action_label=_REFUSE.label, by=actor, reasons=reasons.strip(), at=_now())
    _record_decision(application, Decision.Outcome.REFUSED)
    _finish(application, _REFUSE, actor=actor, from_state=from_state, comment=reasons.strip())
    _notify(NOTICE_DECIDED, application, {"decision": "refused", "reasons": application.decision_reasons})
    return application


# --- system ----------------------------------------------------------------------------------------

_LAPSE = _Step("lapse", "lapse", pgettext_lazy("refused action", "lapse"))


def application_lapse_date(application: Application) -> datetime.date | None:
    """The first day on which the case may lapse: after the latest open deadline plus the grace days."""
    deadlines = list(
        application.information_requests.filter(state=InformationRequest.State.OPEN).values_list("deadline", flat=True)
    )
    if not deadlines:
        return None
    last_day = add_working_days(max(deadlines), application.license_type.lapse_grace_days)
    return last_day + datetime.timedelta(days=1)


@transaction.atomic
def application_lapse(*, application: Application, today: datetime.date | None = None) -> Application:
    """The system closes a case whose information request went unanswered past deadline and grace."""
    application, from_state = _run(application, _LAPSE, actor=None, allowed=lambda a: True, refusal="")
    today = today or timezone.localdate()
    lapses_on = application_lapse_date(application)
    if lapses_on is None or today < lapses_on:
        raise DomainError(
            _("The application cannot lapse before %(date)s: the applicant still has time to answer.")
            % {"date": date_format(lapses_on, "DATE_FORMAT") if lapses_on else "?"}
        )
    now = _now()
    for request in application.information_requests.select_for_update().filter(state=InformationRequest.State.OPEN):
        request.expire()
        request.save()
        audit_record(
            actor=None,
            action="information_request.expire",
            obj=request,
            from_state=InformationRequest.State.OPEN,
            to_state=request.state,
        )
    _close_open_pauses(application, at=now)
    _transition(application, "lapse", action_label=_LAPSE.label, at=now)
    _finish(application, _LAPSE, actor=None, from_state=from_state, comment=f"unanswered past {lapses_on:%Y-%m-%d}")
    _notify(NOTICE_LAPSED, application)
    return application
