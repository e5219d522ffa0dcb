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
