"""An organization's profile as the regulator assesses it (SPEC section 6).

The live profile is the organization's rows; a submitted application keeps a snapshot of it, taken
at submission (and again when the applicant answers an information request), so staff decide on
what was submitted while the applicant stays free to keep the profile current. Both are read as
the same ``OrganizationProfile``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.dateparse import parse_datetime

from licensing.models import KeyPerson, Organization

SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class OwnerRecord:
    full_name: str
    share_percent: Decimal
    country: str
    is_politically_exposed: bool


@dataclass(frozen=True)
class KeyPersonRecord:
    id: int
    role: str
    full_name: str
    email: str

    @property
    def role_label(self) -> str:
        return str(KeyPerson.Role(self.role).label) if self.role in KeyPerson.Role.values else self.role


@dataclass(frozen=True)
class OrganizationProfile:
    legal_name: str
    latin_name: str
    trading_names: tuple[str, ...]
    bin: str
    lei: str
    registered_address: str
    website: str
    other_domains: tuple[str, ...]
    contact_email: str
    contact_phone: str
    paid_up_capital_kzt: int
    beneficial_owners: tuple[OwnerRecord, ...]
    key_persons: tuple[KeyPersonRecord, ...]
    # When the snapshot was taken; None for the live profile.
    taken_at: datetime | None = None

    @property
    def names(self) -> list[str]:
        """Every name the organization goes by: legal, Latin and trading names."""
        return [name for name in (self.legal_name, self.latin_name, *self.trading_names) if name]

    @property
    def domains(self) -> list[str]:
        return [domain for domain in (self.website, *self.other_domains) if domain]

    @property
    def owners_total_percent(self) -> Decimal:
        return sum((owner.share_percent for owner in self.beneficial_owners), Decimal("0"))


def profile_of(organization: Organization) -> OrganizationProfile:
    """The live profile (two queries, none when owners and key persons are prefetched)."""
    return OrganizationProfile(
        legal_name=organization.legal_name,
        latin_name=organization.latin_name,
        trading_names=tuple(organization.trading_names or ()),
        bin=organization.bin,
        lei=organization.lei,
        registered_address=organization.registered_address,
        website=organization.website,
        other_domains=tuple(organization.other_domains or ()),
        contact_email=organization.contact_email,
        contact_phone=organization.contact_phone,
        paid_up_capital_kzt=organization.paid_up_capital_kzt,
        beneficial_owners=tuple(
            OwnerRecord(o.full_name, o.share_percent, o.country, o.is_politically_exposed)
            for o in sorted(organization.beneficial_owners.all(), key=lambda o: (-o.share_percent, o.full_name))
        ),
        key_persons=tuple(
            KeyPersonRecord(p.pk, p.role, p.full_name, p.email)
            # Archived persons (removed from the profile, kept for their documents) are not on it.
            for p in sorted(organization.key_persons.all(), key=lambda p: (p.role, p.full_name))
            if p.archived_at is None
        ),
    )


def profile_to_json(profile: OrganizationProfile) -> dict:
    return {
        "version": SNAPSHOT_VERSION,
        "taken_at": profile.taken_at.isoformat() if profile.taken_at else None,
        "legal_name": profile.legal_name,
        "latin_name": profile.latin_name,
        "trading_names": list(profile.trading_names),
        "bin": profile.bin,
        "lei": profile.lei,
        "registered_address": profile.registered_address,
        "website": profile.website,
        "other_domains": list(profile.other_domains),
        "contact_email": profile.contact_email,
        "contact_phone": profile.contact_phone,
        "paid_up_capital_kzt": profile.paid_up_capital_kzt,
        "beneficial_owners": [
            {
                "full_name": o.full_name,
                "share_percent": str(o.share_percent),
                "country": o.country,
                "is_politically_exposed": o.is_politically_exposed,
            }
            for o in profile.beneficial_owners
        ],
        "key_persons": [
            {"id": p.id, "role": p.role, "full_name": p.full_name, "email": p.email} for p in profile.key_persons
        ],
    }


def profile_from_json(data: dict) -> OrganizationProfile:
    taken_at = data.get("taken_at")
    return OrganizationProfile(
        legal_name=data["legal_name"],
        latin_name=data.get("latin_name", ""),
        trading_names=tuple(data.get("trading_names", ())),
        bin=data["bin"],
        lei=data.get("lei", ""),
        registered_address=data.get("registered_address", ""),
        website=data.get("website", ""),
        other_domains=tuple(data.get("other_domains", ())),
        contact_email=data.get("contact_email", ""),
        contact_phone=data.get("contact_phone", ""),
        paid_up_capital_kzt=int(data.get("paid_up_capital_kzt", 0)),
        beneficial_owners=tuple(
            OwnerRecord(o["full_name"], Decimal(o["share_percent"]), o["country"], bool(o["is_politically_exposed"]))
            for o in data.get("beneficial_owners", ())
        ),
        key_persons=tuple(
            KeyPersonRecord(int(p["id"]), p["role"], p["full_name"], p.get("email", ""))
            for p in data.get("key_persons", ())
        ),
        taken_at=parse_datetime(taken_at) if taken_at else None,
    )
