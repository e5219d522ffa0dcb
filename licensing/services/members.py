"""Who belongs to an organization: invitations by e-mail and removal of members (SPEC sections 4, 13).

An invitation is a row (so it can be revoked and used once) reached through a ``django.core.signing``
link that expires after ``INVITATION_MAX_AGE``. Accepting it needs an account signed in with the
invited address; because the link arrived in that mailbox, accepting also confirms the address.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import account_email_send
from audit.services import audit_record
from common.errors import ConcurrentChange, DomainError, NotPermitted
from licensing import permissions
from licensing.models import Invitation, Membership, Organization

__all__ = [
    "INVITATION_MAX_AGE",
    "invitation_accept",
    "invitation_create",
    "invitation_for_token",
    "invitation_revoke",
    "membership_remove",
]

INVITATION_MAX_AGE = timedelta(days=7)
_INVITATION_SALT = "licensing.invitation"


def _require_owner(actor, organization: Organization) -> None:
    if not permissions.is_owner(actor, organization):
        raise NotPermitted(
            _("Only an owner of %(organization)s may do this.") % {"organization": organization.legal_name}
        )


def _lock(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


def invitation_link(invitation: Invitation) -> str:
    token = signing.dumps({"i": str(invitation.public_id)}, salt=_INVITATION_SALT)
    return settings.SITE_URL + reverse("licensing:invitation_accept", args=[token])


@transaction.atomic
def invitation_create(
    *, organization: Organization, actor, email: str, role: str = Membership.Role.MEMBER
) -> Invitation:
    """An owner invites a colleague by e-mail; the link is sent after commit."""
    organization = _lock(organization)
    _require_owner(actor, organization)
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("Enter an e-mail address in the correct format, like name@example.kz.")}
        ) from None
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose whether the colleague is a member or an owner.")})
    if organization.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("%(email)s is already a member of the organization.") % {"email": email}})
    # A second invitation to the same address replaces the first: only the newest link works.
    for previous in organization.invitations.filter(email=email, accepted_at__isnull=True, revoked_at__isnull=True):
        previous.revoked_at = timezone.now()
        previous.save(update_fields=["revoked_at"])
    invitation = Invitation.objects.create(organization=organization, email=email, role=role, invited_by=actor)
    audit_record(actor=actor, action="invitation.create", obj=invitation, comment=f"{email} as {role}")
    link = invitation_link(invitation)
    inviter = actor.get_full_name() or actor.email or actor.get_username()
    transaction.on_commit(
        lambda: account_email_send(
            to=email,
            template="licensing/emails/invitation",
            context={
                "organization": organization,
                "inviter": inviter,
                "link": link,
                "days": INVITATION_MAX_AGE.days,
            },
            language=actor.preferred_language,
        )
    )
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The pending invitation a link names, or DomainError saying why the link cannot be used."""
    try:
        payload = signing.loads(token, salt=_INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(
            _("This invitation has expired: invitations work for 7 days. Ask the owner to invite you again.")
        ) from None
    except signing.BadSignature:
        raise DomainError(_("This invitation link is not valid. Copy the whole link from the e-mail.")) from None
    invitation = Invitation.objects.select_related("organization", "invited_by").filter(public_id=payload["i"]).first()
    if invitation is None or invitation.revoked_at is not None:
        raise DomainError(_("This invitation was withdrawn. Ask the owner to invite you again."))
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation has been used already. Sign in to see the organization."))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, actor) -> Membership:
    """The invited person joins the organization; the link cannot be used again."""
    found = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise ConcurrentChange(_("This invitation has just been used or withdrawn."))
    if not getattr(actor, "is_authenticated", False) or actor.email.lower() != invitation.email:
        raise NotPermitted(
            _("This invitation is for %(email)s. Sign in with that address to accept it.") % {"email": invitation.email}
        )
    if actor.is_regulator_staff:
        raise NotPermitted(_("Staff of the regulator cannot join an applicant organization."))
    now = timezone.now()
    invitation.accepted_at = now
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if actor.email_verified_at is None:
        # The link reached this mailbox: that confirms the address as the verification link would.
        actor.email_verified_at = now
        actor.save(update_fields=["email_verified_at"])
    membership, _created = Membership.objects.get_or_create(
        organization=invitation.organization, user=actor, defaults={"role": invitation.role}
    )
    audit_record(actor=actor, action="invitation.accept", obj=invitation, comment=invitation.email)
    audit_record(
        actor=actor, action="membership.add", obj=membership, comment=f"{actor.get_username()} as {membership.role}"
    )
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    _require_owner(actor, _lock(invitation.organization))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ConcurrentChange(_("This invitation has been used or withdrawn already."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="invitation.revoke", obj=invitation, comment=invitation.email)
    return invitation


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    """An owner removes a member (or another owner); the last owner cannot be removed."""
    organization = _lock(membership.organization)
    _require_owner(actor, organization)
    found = Membership.objects.select_for_update().select_related("user").filter(pk=membership.pk).first()
    if found is None:
        raise ConcurrentChange(_("This person has already been removed."))
    membership = found
    owners = organization.memberships.filter(role=Membership.Role.OWNER)
    if membership.role == Membership.Role.OWNER and owners.count() == 1:
        raise DomainError(
            _("%(name)s is the only owner. Make another member an owner first, by inviting them as an owner.")
            % {"name": membership.user.get_full_name() or membership.user.email or membership.user.get_username()}
        )
    audit_record(
        actor=actor,
        action="membership.remove",
        obj=membership,
        comment=f"{membership.user.get_username()} ({membership.role})",
    )
    membership.delete()
