"""The staff second factor (SPEC section 4): enrolment that a password alone cannot pass, and fresh
codes for deciding actions.

Enrolment: a staff member without an authenticator asks for a single-use link, which goes to the
e-mail address of the account (a supervisor can also reset someone's authenticator, which sends
the same link). Opening the link while signed in as that person starts the set-up: a new TOTP
secret every time, shown only in that browser session, confirmed with its first code. Whoever
knows only the password sees no secret and can enrol nothing.

Fresh codes: deciding actions (approve, refuse, suspend, revoke) ask for a code again when the last
one was confirmed more than ``FRESH_CODE_SECONDS`` ago.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SUPERVISOR, SecondFactorEnrolment
from audit.services import audit_record
from common.errors import DomainError, NotPermitted

__all__ = [
    "FRESH_CODE_SECONDS",
    "confirm_fresh_code",
    "needs_fresh_code",
    "note_code_confirmed",
    "second_factor_confirm",
    "second_factor_enrolment_send",
    "second_factor_enrolment_start",
    "second_factor_reset",
]

logger = logging.getLogger(__name__)

FRESH_CODE_SECONDS = 10 * 60
ENROLMENT_VALID = timedelta(hours=24)
# A new self-service link at most this often: whoever has the password must not flood the mailbox.
RESEND_AFTER = timedelta(minutes=5)
_CONFIRMED_AT = "otp_confirmed_at"


# --- fresh codes for deciding actions ---------------------------------------------------------------


def note_code_confirmed(request) -> None:
    """Remember when this session last confirmed a code (sign-in, enrolment or a deciding action)."""
    request.session[_CONFIRMED_AT] = int(time.time())


def needs_fresh_code(request) -> bool:
    """Whether a deciding action must ask for a code now (only where staff use a second factor)."""
    if not settings.STAFF_REQUIRE_2FA:
        return False
    return time.time() - request.session.get(_CONFIRMED_AT, 0) > FRESH_CODE_SECONDS


def confirm_fresh_code(request, token: str) -> bool:
    """Check ``token`` against the person's devices; a used code cannot be replayed (django-otp)."""
    device = match_token(request.user, token)
    if device is None:
        return False
    otp_login(request, device)
    note_code_confirmed(request)
    return True


# --- enrolment -----------------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _mail_link(user, token: str, *, issued_by) -> None:
    link = settings.SITE_URL + reverse("accounts:otp_enrol", args=[token])
    context = {
        "user": user,
        "link": link,
        "hours": int(ENROLMENT_VALID.total_seconds() // 3600),
        "issued_by": issued_by,
    }
    # In the person's own language, like every notice; never in the in-app inbox, which the password opens.
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("accounts/emails/enrolment_subject.txt", context).split())
        body = render_to_string("accounts/emails/enrolment_body.txt", context)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def second_factor_enrolment_send(*, user, issued_by=None) -> SecondFactorEnrolment:
    """E-mail ``user`` a single-use link to set up an authenticator; earlier unused links stop working.

    Without ``issued_by`` the person asks for themselves, which is refused once they have an
    authenticator (a lost one is reset by a supervisor, ``second_factor_reset``).
    """
    if not user.email:
        raise DomainError(
            _("This account has no e-mail address to send the set-up link to. Ask a supervisor to add one.")
        )
    now = timezone.now()
    pending = SecondFactorEnrolment.objects.select_for_update().filter(
        user=user, used_at__isnull=True, expires_at__gt=now
    )
    if issued_by is None:
        if _has_device(user):
            raise DomainError(
                _("Your authenticator app is already set up. If you lost it, ask a supervisor to reset it.")
            )
        latest = pending.order_by("-created_at").first()
        if latest is not None and now - latest.created_at < RESEND_AFTER:
            raise DomainError(
                _(
                    "A link was sent at %(time)s. Check your inbox (and spam folder), "
                    "or ask for a new one after %(next)s."
                )
                % {
                    "time": formats.time_format(timezone.localtime(latest.created_at), "TIME_FORMAT"),
                    "next": formats.time_format(timezone.localtime(latest.created_at + RESEND_AFTER), "TIME_FORMAT"),
                }
            )
    pending.update(expires_at=now)
    token = secrets.token_urlsafe(32)
    enrolment = SecondFactorEnrolment.objects.create(
        user=user, token_hash=_hash(token), issued_by=issued_by, created_at=now, expires_at=now + ENROLMENT_VALID
    )
    audit_record(
        actor=issued_by or user,
        action="second_factor.link_sent",
        obj=user,
        comment=f"to {user.email}, valid until {enrolment.expires_at:%Y-%m-%d %H:%M}",
    )
    transaction.on_commit(lambda: _mail_link(user, token, issued_by=issued_by))
    return enrolment


@transaction.atomic
def second_factor_reset(*, user, actor) -> SecondFactorEnrolment:
    """A supervisor removes every authenticator of a staff member and e-mails them a new set-up link."""
    if not (getattr(actor, "is_authenticated", False) and actor.has_role(SUPERVISOR)):
        raise NotPermitted(_("Only a supervisor may reset someone's second factor."))
    if not (user.is_regulator_staff or user.is_staff):
        raise DomainError(_("Only staff accounts use a second factor."))
    removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, action="second_factor.reset", obj=user, comment=f"{removed} device(s) removed")
    return second_factor_enrolment_send(user=user, issued_by=actor)


_INVALID_LINK = gettext_noop(
    "This set-up link is not valid any more. Ask for a new one; each link works once, for 24 hours."
)


@transaction.atomic
def second_factor_enrolment_start(*, user, token: str) -> TOTPDevice:
    """Use the link: it is spent, and a new authenticator with a new secret awaits its first code.

    A link of another account is refused exactly like an unknown one, so the page reveals nothing.
    """
    enrolment = SecondFactorEnrolment.objects.select_for_update().filter(token_hash=_hash(token), user=user).first()
    if enrolment is None or enrolment.used_at is not None or enrolment.expires_at <= timezone.now():
        raise DomainError(_(_INVALID_LINK))
    enrolment.used_at = timezone.now()
    enrolment.save(update_fields=["used_at"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    audit_record(actor=user, action="second_factor.setup_started", obj=user)
    return device


@transaction.atomic
def second_factor_confirm(*, request, device: TOTPDevice, token: str) -> bool:
    """Confirm the new authenticator with its first code; it replaces any earlier one of the person."""
    if device.user_id != request.user.pk or device.confirmed:
        raise DomainError(_(_INVALID_LINK))
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    audit_record(actor=request.user, action="second_factor.enrolled", obj=request.user)
    otp_login(request, device)
    note_code_confirmed(request)
    return True
