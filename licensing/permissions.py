"""Who may act on what (SPEC section 4). Services call these; views use them to hide buttons.

Each predicate takes the acting user and the object and answers from the database; none raises.
"""

from __future__ import annotations

from accounts.models import APPROVER, REVIEWER, SUPERVISOR
from licensing.models import Application, Membership, Organization


def is_member(user, organization: Organization | int) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    organization_id = organization if isinstance(organization, int) else organization.pk
    return Membership.objects.filter(user=user, organization_id=organization_id).exists()


def is_owner(user, organization: Organization | int) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    organization_id = organization if isinstance(organization, int) else organization.pk
    return Membership.objects.filter(user=user, organization_id=organization_id, role=Membership.Role.OWNER).exists()


def is_supervisor(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.has_role(SUPERVISOR)


def is_approver(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.has_role(APPROVER)


def is_reviewer(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.has_role(REVIEWER)


def can_pick_up(user, application: Application) -> bool:
    """Start the completeness check: any reviewer on an unassigned case, or a supervisor."""
    return is_supervisor(user) or (is_reviewer(user) and application.assigned_reviewer_id in (None, user.pk))


def can_review(user, application: Application) -> bool:
    """Document review, information requests, recommendation: the assigned reviewer or a supervisor."""
    if is_supervisor(user):
        return True
    return is_reviewer(user) and application.assigned_reviewer_id == user.pk


def can_decide(user, application: Application) -> bool:
    """Approve, refuse or return: an approver who did not recommend this case (four eyes)."""
    return is_approver(user) and application.recommended_by_id != user.pk


def can_view_as_staff(user, application: Application) -> bool:
    """Reviewers see cases assigned to them or unassigned; approvers and supervisors see all.

    A draft is the applicant's own work in progress: no staff member sees it until it is submitted
    (the staff queue leaves drafts out for the same reason).
    """
    if application.state == Application.State.DRAFT:
        return False
    if is_supervisor(user) or is_approver(user):
        return True
    return is_reviewer(user) and application.assigned_reviewer_id in (None, user.pk)
