"""Organizations, their members, beneficial owners and key persons (SPEC section 6)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.errors import DomainError, NotPermitted
from common.identifiers import validate_bin, validate_lei
from licensing import permissions
from licensing.models import Application, BeneficialOwner, KeyPerson, Membership, Organization

__all__ = [
    "beneficial_owner_add",
    "beneficial_owner_update",
    "key_person_add",
    "organization_create",
    "organization_update",
]

# Fields an applicant edits on the profile; the BIN identifies the organization and never changes.
PROFILE_FIELDS = (
    "legal_name",
    "lei",
    "registered_address",
    "website",
    "other_domains",
    "contact_email",
    "contact_phone",
    "paid_up_capital_kzt",
)
MAX_TOTAL_SHARE = Decimal("100")
# While an application is in one of these states the regulator assesses the profile as submitted,
# and approval copies it into the register: it must not change under the reviewer's feet. A draft
# is still the applicant's own, and an information request is the moment to correct the profile.
PROFILE_FROZEN_STATES = (
    Application.State.SUBMITTED,
    Application.State.COMPLETENESS_CHECK,
    Application.State.UNDER_REVIEW,
    Application.State.PENDING_DECISION,
)


def _validate_profile(fields: dict) -> None:
    """Raise ValidationError keyed by field for every value a person must correct."""
    errors: dict[str, list] = {}
    checks: dict[str, Callable[[Any], None]] = {
        "bin": validate_bin,
        "lei": validate_lei,
        "website": URLValidator(schemes=["https", "http"]),
        "contact_email": EmailValidator(),
    }
    optional = {"lei", "website", "contact_email"}
    for name, check in checks.items():
        if name not in fields or (name in optional and not fields[name]):
            continue
        try:
            check(fields[name])
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.error_list)
    if "legal_name" in fields and not str(fields["legal_name"]).strip():
        errors.setdefault("legal_name", []).append(ValidationError(_("Enter the organization's legal name.")))
    if "paid_up_capital_kzt" in fields and (fields["paid_up_capital_kzt"] or 0) < 0:
        errors.setdefault("paid_up_capital_kzt", []).append(ValidationError(_("Paid-up capital cannot be negative.")))
    if "other_domains" in fields and not isinstance(fields["other_domains"], list | tuple):
        errors.setdefault("other_domains", []).append(ValidationError(_("List the other domains one by one.")))
    if errors:
        raise ValidationError(errors)


def _require_member(actor, organization: Organization, *, owner: bool = False) -> None:
    allowed = permissions.is_owner(actor, organization) if owner else permissions.is_member(actor, organization)
    if not allowed:
        raise NotPermitted(
            _("Only the owner of %(organization)s may do this.") % {"organization": organization.legal_name}
            if owner
            else _("Only members of %(organization)s may do this.") % {"organization": organization.legal_name}
        )


def _lock(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


def _refuse_while_under_consideration(organization: Organization) -> None:
    """Refuse a profile change while an application of ``organization`` is being assessed.

    Call with the organization row locked: ``application_submit`` takes the same lock, so a change
    and a submission cannot interleave.
    """
    application = (
        Application.objects.filter(organization=organization, state__in=PROFILE_FROZEN_STATES)
        .order_by("submitted_at", "pk")
        .first()
    )
    if application is None:
        return
    raise DomainError(
        _(
            "The profile of %(organization)s cannot be changed while application %(reference)s is under "
            "consideration (%(state)s): the regulator assesses the profile as it was submitted. To change it, "
            "withdraw the application, or correct the profile when the regulator sends an information request "
            "and answer it."
        )
        % {
            "organization": organization.legal_name,
            "reference": application.reference,
            "state": application.get_state_display(),
        }
    )


@transaction.atomic
def organization_create(
    *,
    actor,
    legal_name: str,
    bin: str,  # the field's name in SPEC and the model
    lei: str = "",
    registered_address: str = "",
    website: str = "",
    other_domains: Iterable[str] = (),
    contact_email: str = "",
    contact_phone: str = "",
    paid_up_capital_kzt: int = 0,
) -> Organization:
    """Register an organization; the person who registers it becomes its owner."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise NotPermitted(_("Sign in to register an organization."))
    fields = {
        "legal_name": legal_name,
        "bin": bin,
        "lei": lei,
        "registered_address": registered_address,
        "website": website,
        "other_domains": list(other_domains),
        "contact_email": contact_email,
        "contact_phone": contact_phone,
        "paid_up_capital_kzt": paid_up_capital_kzt,
    }
    _validate_profile(fields)
    if Organization.objects.filter(bin=bin).exists():
        raise DomainError(
            _(
                "An organization with BIN %(bin)s is already registered. Ask its owner to add you as a member "
                "instead of registering it again."
            )
            % {"bin": bin}
        )
    organization = Organization.objects.create(**fields)
    Membership.objects.create(organization=organization, user=actor, role=Membership.Role.OWNER)
    audit_record(actor=actor, action="organization.create", obj=organization, comment=organization.legal_name)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, actor, **changes) -> Organization:
    """Change profile fields of an organization (any member); the BIN cannot change."""
    organization = _lock(organization)
    _require_member(actor, organization)
    _refuse_while_under_consideration(organization)
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    _validate_profile(changes)
    changed = sorted(name for name, value in changes.items() if getattr(organization, name) != value)
    for name in changed:
        setattr(organization, name, list(changes[name]) if name == "other_domains" else changes[name])
    if changed:
        organization.save()
        audit_record(actor=actor, action="organization.update", obj=organization, comment=", ".join(changed))
    return organization


def _shares_total(organization: Organization, *, excluding: BeneficialOwner | None = None) -> Decimal:
    owners = BeneficialOwner.objects.filter(organization=organization)
    if excluding is not None:
        owners = owners.exclude(pk=excluding.pk)
    return owners.aggregate(total=Sum("share_percent"))["total"] or Decimal("0")


def _percent(value: Decimal) -> Decimal:
    # The same figure whatever the database's aggregate returned (75 on SQLite, 75.00 on PostgreSQL).
    return value.quantize(Decimal("0.01"))


def _check_share(organization: Organization, share: Decimal, *, excluding: BeneficialOwner | None = None) -> None:
    if not Decimal("0") < share <= MAX_TOTAL_SHARE:
        raise DomainError(_("A beneficial owner's share must be more than 0 % and at most 100 %."))
    if share != _percent(share):
        raise DomainError(_("Give the share with at most two decimal places, e.g. 33.33 %."))
    others = _shares_total(organization, excluding=excluding)
    if others + share > MAX_TOTAL_SHARE:
        raise DomainError(
            _(
                "Beneficial owners' shares would total %(total)s %%, more than 100 %%. The other owners already "
                "hold %(others)s %%, so this owner can hold at most %(room)s %%."
            )
            % {
                "total": _percent(others + share),
                "others": _percent(others),
                "room": _percent(MAX_TOTAL_SHARE - others),
            }
        )


def _check_owner_fields(full_name: str, country: str) -> None:
    problems = []
    if not full_name.strip():
        problems.append(_("Enter the beneficial owner's full name."))
    if len(country) != 2 or not country.isascii() or not country.isalpha() or not country.isupper():
        problems.append(_("Enter the country as a two-letter ISO code in capitals, e.g. KZ."))
    if problems:
        raise DomainError(_("The beneficial owner cannot be saved."), problems=problems)


@transaction.atomic
def beneficial_owner_add(
    *,
    organization: Organization,
    actor,
    full_name: str,
    share_percent: Decimal,
    country: str,
    is_politically_exposed: bool = False,
) -> BeneficialOwner:
    """Add a beneficial owner; all owners' shares together may not exceed 100 %."""
    # The organization row is the lock that serialises share changes: two owners added at once
    # cannot both fit under the cap.
    organization = _lock(organization)
    _require_member(actor, organization)
    _refuse_while_under_consideration(organization)
    share_percent = Decimal(share_percent)
    _check_owner_fields(full_name, country)
    _check_share(organization, share_percent)
    owner = BeneficialOwner.objects.create(
        organization=organization,
        full_name=full_name.strip(),
        share_percent=share_percent,
        country=country,
        is_politically_exposed=is_politically_exposed,
    )
    audit_record(actor=actor, action="beneficial_owner.add", obj=owner, comment=f"{owner.full_name}: {share_percent} %")
    return owner


@transaction.atomic
def beneficial_owner_update(
    *,
    owner: BeneficialOwner,
    actor,
    full_name: str | None = None,
    share_percent: Decimal | None = None,
    country: str | None = None,
    is_politically_exposed: bool | None = None,
) -> BeneficialOwner:
    """Change a beneficial owner; the shares cap of 100 % applies to the new share."""
    organization = _lock(owner.organization)
    _require_member(actor, organization)
    _refuse_while_under_consideration(organization)
    owner = BeneficialOwner.objects.select_for_update().get(pk=owner.pk, organization=organization)
    full_name = owner.full_name if full_name is None else full_name
    country = owner.country if country is None else country
    share_percent = owner.share_percent if share_percent is None else Decimal(share_percent)
    _check_owner_fields(full_name, country)
    _check_share(organization, share_percent, excluding=owner)
    owner.full_name = full_name.strip()
    owner.country = country
    owner.share_percent = share_percent
    if is_politically_exposed is not None:
        owner.is_politically_exposed = is_politically_exposed
    owner.save()
    audit_record(
        actor=actor, action="beneficial_owner.update", obj=owner, comment=f"{owner.full_name}: {share_percent} %"
    )
    return owner


@transaction.atomic
def key_person_add(*, organization: Organization, actor, role: str, full_name: str, email: str = "") -> KeyPerson:
    """Add a key person (chief executive, compliance officer, ...) to the organization."""
    organization = _lock(organization)
    _require_member(actor, organization)
    _refuse_while_under_consideration(organization)
    problems = []
    if role not in KeyPerson.Role.values:
        problems.append(
            _("Choose one of the key-person roles: %(roles)s.") % {"roles": ", ".join(KeyPerson.Role.values)}
        )
    if not full_name.strip():
        problems.append(_("Enter the key person's full name."))
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            problems.append(_("Enter a valid e-mail address for the key person."))
    if problems:
        raise DomainError(_("The key person cannot be saved."), problems=problems)
    person = KeyPerson.objects.create(organization=organization, role=role, full_name=full_name.strip(), email=email)
    audit_record(actor=actor, action="key_person.add", obj=person, comment=f"{person.full_name} ({role})")
    return person
