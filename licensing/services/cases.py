"""Services of the regulator's dashboard around the state machine: assignment, internal notes, and
the guard that refuses an action on a case that changed since the person loaded its page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.errors import ConcurrentChange, DomainError, NotPermitted, TransitionNotAllowed
from licensing import permissions
from licensing.deadlines import application_set_deadline_fields
from licensing.models import Application, InternalNote
from licensing.services.applications import application_start_check
from licensing.staff_selectors import case_change_lines
from notifications import services as notifications

__all__ = [
    "AssignOutcome",
    "application_assign",
    "application_unchanged",
    "applications_assign",
    "internal_note_add",
]

NOTICE_CASE_ASSIGNED = "case_assigned"
NOTE_MAX_LENGTH = 10_000


@contextmanager
def application_unchanged(*, application: Application, seen_version: int) -> Iterator[Application]:
    """Lock the case for one transaction and go on only if nothing changed since ``seen_version``.

    ``seen_version`` is ``staff_selectors.case_version`` as the page that sent the form read it.
    Under the lock no other service can change the case, so what is checked here is what the
    action inside the ``with`` block acts on. The refusal lists what changed, in words.
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        changes = case_change_lines(locked, seen_version)
        if changes:
            raise ConcurrentChange(
                _("This case changed after you opened it, so nothing was done. Check the case as it is now:"),
                problems=changes,
            )
        yield locked


def _assignable(reviewer) -> bool:
    return (
        reviewer is not None
        and reviewer.is_active
        and (permissions.is_reviewer(reviewer) or permissions.is_supervisor(reviewer))
    )


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def application_assign(*, application: Application, actor, reviewer) -> Application:
    """A supervisor gives a case to a reviewer: a submitted one starts its check, others change hands."""
    if not permissions.is_supervisor(actor):
        raise NotPermitted(_("Only a supervisor may assign cases."))
    if not _assignable(reviewer):
        raise DomainError(
            _("%(user)s is not an active reviewer or supervisor and cannot be assigned a case.")
            % {"user": reviewer.get_username() if reviewer else "?"}
        )
    seen_state = application.state
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.state != seen_state:
        raise ConcurrentChange(
            _("%(reference)s changed meanwhile: it is now %(state)s. Look at it again before assigning it.")
            % {"reference": locked.reference, "state": locked.get_state_display()}
        )
    if locked.state == Application.State.SUBMITTED:
        assigned = application_start_check(application=locked, actor=actor, reviewer=reviewer)
    elif locked.state in Application.UNDER_CONSIDERATION:
        if locked.assigned_reviewer_id == reviewer.pk:
            raise DomainError(
                _("%(reference)s is already assigned to %(user)s.")
                % {"reference": locked.reference, "user": _name(reviewer)}
            )
        previous = locked.assigned_reviewer
        locked.assigned_reviewer = reviewer
        application_set_deadline_fields(locked)
        locked.save(update_fields=["assigned_reviewer", "statutory_due_on", "updated_at"])
        audit_record(
            actor=actor,
            action="application.assign",
            obj=locked,
            from_state=locked.state,
            to_state=locked.state,
            comment=f"from {previous.get_username() if previous else '-'} to {reviewer.get_username()}",
        )
        assigned = locked
    else:
        raise TransitionNotAllowed(
            _("%(reference)s is %(state)s; a closed case cannot be assigned.")
            % {"reference": locked.reference, "state": locked.get_state_display()}
        )
    if reviewer != actor:
        notifications.notice_enqueue(
            kind=NOTICE_CASE_ASSIGNED,
            recipients=[reviewer],
            subject=assigned,
            context={"reference": assigned.reference, "assigned_by": _name(actor)},
        )
    return assigned


@dataclass
class AssignOutcome:
    assigned: list[Application] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (reference, why)


def applications_assign(*, applications: Iterable[Application], actor, reviewer) -> AssignOutcome:
    """Assign several cases at once; each in its own transaction, so one refusal stops no other."""
    outcome = AssignOutcome()
    for application in applications:
        try:
            outcome.assigned.append(application_assign(application=application, actor=actor, reviewer=reviewer))
        except DomainError as exc:
            outcome.refused.append((application.reference, str(exc)))
    return outcome


@transaction.atomic
def internal_note_add(*, application: Application, actor, body: str) -> InternalNote:
    """A staff-only remark on the case. Notes are never edited or removed: the audit chain holds their text."""
    if not permissions.can_view_as_staff(actor, application):
        raise NotPermitted(_("Only staff who may see this case may add notes to it."))
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write the note."))
    if len(body) > NOTE_MAX_LENGTH:
        raise DomainError(
            _("A note may be at most %(limit)d characters long; this one has %(length)d.")
            % {"limit": NOTE_MAX_LENGTH, "length": len(body)}
        )
    # The case row first, as every other service of the case does: notes and transitions queue in one order.
    Application.objects.select_for_update().filter(pk=application.pk).first()
    note = InternalNote.objects.create(application=application, author=actor, body=body)
    audit_record(actor=actor, action="internal_note.add", obj=note, comment=body)
    return note
