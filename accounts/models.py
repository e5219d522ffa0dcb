from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

REVIEWER = "reviewer"
APPROVER = "approver"
SUPERVISOR = "supervisor"
STAFF_ROLES = (REVIEWER, APPROVER, SUPERVISOR)


class User(AbstractUser):
    """A person who signs in: an applicant's member or a regulator's staff member."""

    email = models.EmailField(_("e-mail address"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The portal and its e-mails use this language once you sign in."),
    )
    # Set when the person followed the signed link sent to ``email`` (accounts.verification).
    email_verified_at = models.DateTimeField(_("e-mail verified"), null=True, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def staff_roles(self) -> set[str]:
        """Names of the regulator's groups (reviewer, approver, supervisor) this user belongs to."""
        if not hasattr(self, "_staff_roles"):
            self._staff_roles = set(self.groups.filter(name__in=STAFF_ROLES).values_list("name", flat=True))
        return self._staff_roles

    def has_role(self, role: str) -> bool:
        return self.is_active and role in self.staff_roles

    @property
    def is_regulator_staff(self) -> bool:
        return self.is_active and bool(self.staff_roles)


class SecondFactorEnrolment(models.Model):
    """A single-use link with which one staff member sets up an authenticator app (SPEC section 4).

    A password alone never enrols a device: the link goes to the account's own e-mail address, sent
    when its owner asks for it or when a supervisor resets their second factor. Only its SHA-256 is
    kept, so the table does not hold usable links.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("second-factor enrolment link")
        verbose_name_plural = _("second-factor enrolment links")

    def __str__(self) -> str:
        return f"enrolment of {self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}"
