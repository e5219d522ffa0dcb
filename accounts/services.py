"""Accounts an applicant opens for themselves: sign-up, e-mail verification (SPEC section 13).

The verification link is a ``django.core.signing`` token (HMAC of the user id and the address, with a
timestamp): it needs no table, expires after ``EMAIL_VERIFICATION_MAX_AGE`` and stops working when
the account's address changes. Sign-up answers the same way whether or not the address already has
an account, so the form cannot be used to find out who is registered (OWASP ASVS 2.1).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.errors import DomainError

__all__ = [
    "EMAIL_VERIFICATION_MAX_AGE",
    "account_email_send",
    "account_sign_up",
    "email_verification_send",
    "email_verify",
]

EMAIL_VERIFICATION_MAX_AGE = timedelta(hours=48)
_VERIFICATION_SALT = "accounts.email-verification"
# One verification e-mail per address per minute: "resend" must not become a mail cannon.
_RESEND_INTERVAL_SECONDS = 60


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def account_email_send(*, to: str, template: str, context: dict, language: str = "") -> None:
    """Send the e-mail in template folder ``template`` (subject.txt, body.txt, body.html) in ``language``.

    For messages to an address rather than to a member of a case (sign-up, invitations), which the
    notices outbox does not cover: they are sent after commit, and a failure is the caller's error.
    """
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, **context}
        folder = template
        subject = " ".join(render_to_string(f"{folder}/subject.txt", context).split())
        text = render_to_string(f"{folder}/body.txt", context)
        html = render_to_string(f"{folder}/body.html", {**context, "title": subject})
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)


def _verification_link(user) -> str:
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=_VERIFICATION_SALT, compress=True)
    return settings.SITE_URL + reverse("accounts:verify_email", args=[token])


def email_verification_send(*, user, force: bool = False) -> bool:
    """E-mail ``user`` a fresh verification link; False when one went out less than a minute ago."""
    if user.email_verified or not user.email:
        return False
    key = f"accounts:verification-sent:{user.pk}"
    if not force and not cache.add(key, 1, _RESEND_INTERVAL_SECONDS):
        return False
    cache.set(key, 1, _RESEND_INTERVAL_SECONDS)
    hours = int(EMAIL_VERIFICATION_MAX_AGE.total_seconds() // 3600)
    transaction.on_commit(
        lambda: account_email_send(
            to=user.email,
            template="accounts/emails/verify_email",
            context={"user": user, "link": _verification_link(user), "hours": hours},
            language=user.preferred_language,
        )
    )
    return True


@transaction.atomic
def account_sign_up(*, email: str, password: str, language: str = "") -> object | None:
    """Open an applicant account for ``email`` and send the verification link.

    Returns the new user, or None when the address already has an account: that person is told by
    e-mail instead (how to sign in or reset the password), and the caller shows the same page.
    ``password`` must have passed Django's password validators (the form runs them).
    """
    User = get_user_model()
    email = _normalise_email(email)
    existing = User.objects.filter(email__iexact=email).first() or User.objects.filter(username__iexact=email).first()
    if existing is not None:
        transaction.on_commit(
            lambda: account_email_send(
                to=existing.email or email,
                template="accounts/emails/already_registered",
                context={
                    "user": existing,
                    "sign_in": settings.SITE_URL + reverse("accounts:login"),
                    "reset": settings.SITE_URL + reverse("accounts:password_reset"),
                },
                language=existing.preferred_language or language,
            )
        )
        return None
    user = User.objects.create_user(username=email, email=email, password=password, preferred_language=language)
    audit_record(actor=user, action="user.sign_up", obj=user)
    email_verification_send(user=user, force=True)
    return user


@transaction.atomic
def email_verify(*, token: str):
    """Mark the address of the link's account verified and return the user; DomainError when unusable."""
    User = get_user_model()
    try:
        payload = signing.loads(token, salt=_VERIFICATION_SALT, max_age=EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(_("This link has expired: links work for 48 hours. Sign in and ask for a new one.")) from None
    except signing.BadSignature:
        raise DomainError(
            _("This link is not valid. Copy the whole link from the e-mail, or sign in and ask for a new one.")
        ) from None
    user = User.objects.select_for_update().filter(pk=payload.get("u"), is_active=True).first()
    if user is None or user.email != payload.get("e"):
        raise DomainError(_("This link is for an address that is no longer on the account. Ask for a new link."))
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        audit_record(actor=user, action="user.verify_email", obj=user, comment=user.email)
    return user
