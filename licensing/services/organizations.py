"""Organizations, their members, beneficial owners and key persons (SPEC section 6)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.domains import InvalidHost, normalise_host, normalise_hosts
from common.errors import DomainError, NotPermitted
from common.identifiers import validate_bin, validate_lei
from licensing import permissions
from licensing.models import BeneficialOwner, KeyPerson, Membership, Organization, WarningScreening
from licensing.services.screening import SCREENED_FIELDS, organization_screen

__all__ = [
    "beneficial_owner_add",
    "beneficial_owner_remove",
    "beneficial_owner_update",
    "key_person_add",
    "key_person_remove",
    "key_person_update",
    "organization_create",
    "organization_update",
]

# Fields an applicant edits on the profile; the BIN identifies the organization and never changes.
PROFILE_FIELDS = (
    "legal_name",
    "latin_name",
    "trading_names",
    "lei",
    "registered_address",
    "website",
    "other_domains",
    "contact_email",
    "contact_phone",
    "paid_up_capital_kzt",
)
MAX_TOTAL_SHARE = Decimal("100")
MAX_CAPITAL_KZT = 10**15  # far above any real firm's capital, far below the column's limit
_PHONE = re.compile(r"^\+?[0-9 ()-]{7,32}$")
_LENGTHS = {
    "legal_name": Organization._meta.get_field("legal_name").max_length,
    "latin_name": Organization._meta.get_field("latin_name").max_length,
    "registered_address": Organization._meta.get_field("registered_address").max_length,
    "contact_email": Organization._meta.get_field("contact_email").max_length,
}
_TRADING_NAME_LENGTH = 200


def _is_latin(text: str) -> bool:
    return all(unicodedata.name(char, "").startswith("LATIN") for char in text if char.isalpha())


def _clean_names(values) -> list[str]:
    names: list[str] = []
    for value in values or ():
        name = " ".join(str(value).split())
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


def _clean_profile(fields: dict, *, organization: Organization | None = None) -> dict:
    """The profile values as they will be stored, or a ValidationError keyed by field for each to correct.

    Text is trimmed, web addresses become normalised host names and duplicate trading names go;
    every refusal says what to type instead. A BIN or LEI another organization holds is named.
    """
    errors: dict[str, list] = {}
    cleaned: dict = {}

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(ValidationError(message))

    for name in ("legal_name", "latin_name", "registered_address", "contact_phone", "contact_email", "lei", "bin"):
        if name in fields:
            cleaned[name] = " ".join(str(fields[name] or "").split())
    if "legal_name" in cleaned and not cleaned["legal_name"]:
        refuse("legal_name", _("Enter the organization's legal name as registered."))
    for name, limit in _LENGTHS.items():
        if limit is not None and len(cleaned.get(name, "")) > limit:
            refuse(name, _("Shorten this to %(limit)d characters or fewer.") % {"limit": limit})
    if cleaned.get("latin_name") and not _is_latin(cleaned["latin_name"]):
        refuse("latin_name", _("Write this name in Latin letters (A-Z), e.g. Steppe Digital Exchange JSC."))
    if "trading_names" in fields:
        if isinstance(fields["trading_names"], str) or not isinstance(fields["trading_names"], list | tuple):
            refuse("trading_names", _("List the trading names one by one."))
        else:
            cleaned["trading_names"] = _clean_names(fields["trading_names"])
            if any(len(name) > _TRADING_NAME_LENGTH for name in cleaned["trading_names"]):
                refuse(
                    "trading_names",
                    _("Shorten each trading name to %(limit)d characters or fewer.") % {"limit": _TRADING_NAME_LENGTH},
                )
    checks: dict[str, Callable[[str], None]] = {
        "bin": validate_bin,
        "lei": validate_lei,
        "contact_email": EmailValidator(),
    }
    for name, check in checks.items():
        if cleaned.get(name) or (name == "bin" and "bin" in cleaned):
            try:
                check(cleaned[name])
            except ValidationError as error:
                errors.setdefault(name, []).extend(error.error_list)
    if cleaned.get("contact_phone") and not _PHONE.match(cleaned["contact_phone"]):
        refuse("contact_phone", _("Enter a phone number with its country code, e.g. +7 7172 55 55 55."))
    if "website" in fields:
        try:
            cleaned["website"] = normalise_host(fields["website"]) if str(fields["website"] or "").strip() else ""
        except InvalidHost as error:
            refuse("website", _("Enter the website's address, e.g. steppe.kz: %(reason)s.") % {"reason": error})
    if "other_domains" in fields:
        values = fields["other_domains"]
        if isinstance(values, str) or not isinstance(values, list | tuple):
            refuse("other_domains", _("List the other domains one by one."))
        else:
            try:
                cleaned["other_domains"] = normalise_hosts(str(value) for value in values if str(value).strip())
            except InvalidHost as error:
                refuse("other_domains", _("Correct this domain: %(problem)s.") % {"problem": error})
    if "paid_up_capital_kzt" in fields:
        try:
            capital = int(fields["paid_up_capital_kzt"] or 0)
        except (TypeError, ValueError):
            refuse("paid_up_capital_kzt", _("Enter the paid-up capital as a whole number of tenge."))
        else:
            if capital < 0:
                refuse("paid_up_capital_kzt", _("Paid-up capital cannot be negative."))
            elif capital > MAX_CAPITAL_KZT:
                refuse("paid_up_capital_kzt", _("Check the paid-up capital: it is more than anyone could hold."))
            cleaned["paid_up_capital_kzt"] = capital
    others = Organization.objects.exclude(pk=organization.pk) if organization else Organization.objects.all()
    if cleaned.get("bin") and "bin" not in errors:
        holder = others.filter(bin=cleaned["bin"]).first()
        if holder is not None:
            refuse(
                "bin",
                _(
                    "%(organization)s is already registered with BIN %(bin)s. Ask its owner to invite you as a "
                    "member instead of registering it again."
                )
                % {"organization": holder.legal_name, "bin": cleaned["bin"]},
            )
    if cleaned.get("lei") and "lei" not in errors:
        holder = others.filter(lei=cleaned["lei"]).first()
        if holder is not None:
            refuse(
                "lei",
                _("LEI %(lei)s is already registered for %(organization)s. Check the code: each LEI names one firm.")
                % {"lei": cleaned["lei"], "organization": holder.legal_name},
            )
    if errors:
        raise ValidationError(errors)
    return cleaned


def _require_member(actor, organization: Organization, *, owner: bool = False) -> None:
    allowed = permissions.is_owner(actor, organization) if owner else permissions.is_member(actor, organization)
    if not allowed:
        raise NotPermitted(
            _("Only the owner of %(organization)s may do this.") % {"organization": organization.legal_name}
            if owner
            else _("Only members of %(organization)s may do this.") % {"organization": organization.legal_name}
        )


def _lock(organization: Organization) -> Organization:
    # application_submit takes the same lock to snapshot the profile: a change and a submission never
    # interleave, so the snapshot is one consistent profile.
    return Organization.objects.select_for_update().get(pk=organization.pk)


@transaction.atomic
def organization_create(
    *,
    actor,
    legal_name: str,
    bin: str,  # the field's name in SPEC and the model
    latin_name: str = "",
    trading_names: Iterable[str] = (),
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
    if not actor.email_verified:
        raise NotPermitted(
            _(
                "Confirm your e-mail address before you register an organization: follow the link we sent you, "
                "or ask for a new link on your account page."
            )
        )
    fields = _clean_profile(
        {
            "legal_name": legal_name,
            "latin_name": latin_name,
            "trading_names": list(trading_names),
            "bin": bin,
            "lei": lei,
            "registered_address": registered_address,
            "website": website,
            "other_domains": list(other_domains),
            "contact_email": contact_email,
            "contact_phone": contact_phone,
            "paid_up_capital_kzt": paid_up_capital_kzt,
        }
    )
    organization = Organization.objects.create(**fields)
    Membership.objects.create(organization=organization, user=actor, role=Membership.Role.OWNER)
    audit_record(actor=actor, action="organization.create", obj=organization, comment=organization.legal_name)
    organization_screen(organization=organization, trigger=WarningScreening.Trigger.REGISTRATION)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, actor, **changes) -> Organization:
    """Change profile fields of an organization (any member); the BIN cannot change.

    Submitted applications keep the profile they were submitted with (``Application.profile_snapshot``),
    so the profile stays the applicant's to keep current.
    """
    organization = _lock(organization)
    _require_member(actor, organization)
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    cleaned = _clean_profile(changes, organization=organization)
    changed = sorted(name for name, value in cleaned.items() if getattr(organization, name) != value)
    for name in changed:
        setattr(organization, name, cleaned[name])
    if changed:
        organization.save()
        audit_record(actor=actor, action="organization.update", obj=organization, comment=", ".join(changed))
    if set(changed) & set(SCREENED_FIELDS):
        organization_screen(organization=organization, trigger=WarningScreening.Trigger.PROFILE_CHANGE)
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


def _check_key_person_fields(role: str, full_name: str, email: str) -> None:
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


@transaction.atomic
def key_person_add(*, organization: Organization, actor, role: str, full_name: str, email: str = "") -> KeyPerson:
    """Add a key person (chief executive, compliance officer, ...) to the organization."""
    organization = _lock(organization)
    _require_member(actor, organization)
    _check_key_person_fields(role, full_name, email)
    person = KeyPerson.objects.create(organization=organization, role=role, full_name=full_name.strip(), email=email)
    audit_record(actor=actor, action="key_person.add", obj=person, comment=f"{person.full_name} ({role})")
    return person


# --- the applicant face's profile pages: change and remove owners and key persons ----------------


@transaction.atomic
def beneficial_owner_remove(*, owner: BeneficialOwner, actor) -> None:
    """Remove a beneficial owner from the profile (a submitted application keeps its snapshot)."""
    organization = _lock(owner.organization)
    _require_member(actor, organization)
    found = BeneficialOwner.objects.select_for_update().filter(pk=owner.pk, organization=organization).first()
    if found is None:
        raise DomainError(_("This beneficial owner has already been removed."))
    owner = found
    audit_record(
        actor=actor, action="beneficial_owner.remove", obj=owner, comment=f"{owner.full_name}: {owner.share_percent} %"
    )
    owner.delete()


@transaction.atomic
def key_person_update(
    *, person: KeyPerson, actor, role: str | None = None, full_name: str | None = None, email: str | None = None
) -> KeyPerson:
    """Change a key person's role, name or e-mail."""
    organization = _lock(person.organization)
    _require_member(actor, organization)
    person = KeyPerson.objects.select_for_update().get(pk=person.pk, organization=organization)
    if person.archived_at is not None:
        raise DomainError(_("This key person has been removed from the profile and cannot be changed."))
    role = person.role if role is None else role
    full_name = person.full_name if full_name is None else full_name
    email = person.email if email is None else email.strip()
    _check_key_person_fields(role, full_name, email)
    person.role, person.full_name, person.email = role, full_name.strip(), email
    person.save(update_fields=["role", "full_name", "email"])
    audit_record(actor=actor, action="key_person.update", obj=person, comment=f"{person.full_name} ({role})")
    return person


@transaction.atomic
def key_person_remove(*, person: KeyPerson, actor) -> bool:
    """Take a key person off the profile. Returns True if archived rather than deleted.

    A person with documents on file (on any application, draft or submitted) is archived: the
    documents and the regulator's record keep their holder, and the person leaves the live profile
    and the document slots of drafts.
    """
    organization = _lock(person.organization)
    _require_member(actor, organization)
    found = KeyPerson.objects.select_for_update().filter(pk=person.pk, organization=organization).first()
    if found is None or found.archived_at is not None:
        raise DomainError(_("This key person has already been removed."))
    person = found
    if person.documents.exists():
        person.archived_at = timezone.now()
        person.save(update_fields=["archived_at"])
        audit_record(
            actor=actor, action="key_person.archive", obj=person, comment=f"{person.full_name} ({person.role})"
        )
        return True
    audit_record(actor=actor, action="key_person.remove", obj=person, comment=f"{person.full_name} ({person.role})")
    person.delete()
    return False
