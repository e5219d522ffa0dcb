"""A small public register for the registry page, API, export and privacy tests.

Licenses are created as rows (not through ``registry.services``): these tests are about reading
the register, and the services have their own tests.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime

import pytest
from django.utils import timezone

from registry.models import Activity, DigitalAsset, License, LicenseEvent, LicenseType

_sequence = itertools.count(1)


def aware(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def make_license(db):
    """Build a license: ``make_license(holder_name=..., status=..., activities=[...], assets=[...])``."""

    def build(
        *,
        code: str = "DAX",
        number: str | None = None,
        status: str = License.Status.ACTIVE,
        holder_name: str = "Steppe Digital Exchange JSC",
        holder_bin: str | None = None,
        holder_website: str = "",
        holder_domains: list[str] | None = None,
        activities: list[str] | None = None,
        assets: list[str] | None = None,
        issued_at: date = date(2026, 3, 2),
        valid_until: date | None = date(2031, 3, 2),
        events: list[tuple[str, datetime, str]] | None = None,
        **fields,
    ) -> License:
        n = next(_sequence)
        license_type = LicenseType.objects.get(code=code)
        license = License.objects.create(
            number=number or f"{code}-{issued_at.year}-{n:04d}",
            license_type=license_type,
            status=status,
            holder_name=holder_name,
            holder_bin=holder_bin or f"{260000000000 + n:012d}",
            holder_website=holder_website,
            holder_domains=holder_domains or [],
            issued_at=issued_at,
            valid_until=valid_until,
            **fields,
        )
        allowed = list(license_type.allowed_activities())
        chosen = [a for a in allowed if a.code in activities] if activities is not None else allowed[:2]
        license.activities.set(chosen)
        if assets:
            license.assets.set(DigitalAsset.objects.filter(symbol__in=assets))
        history = events or [(LicenseEvent.Kind.ISSUED, aware(issued_at.year, issued_at.month, issued_at.day, 10), "")]
        for kind, at, reason in history:
            LicenseEvent.objects.create(license=license, event=kind, at=at, recorded_at=at, reason=reason)
        return license

    return build


@pytest.fixture
def register(make_license):
    """Three licenses of different holders, types, statuses, activities and assets."""
    steppe = make_license(
        holder_name="Steppe Digital Exchange JSC",
        holder_bin="250140001232",
        holder_website="https://www.steppe-exchange.example.kz/",
        holder_domains=["steppe-exchange.kz"],
        activities=["trading_platform", "custody"],
        assets=["BTC", "USDT"],
    )
    altyn = make_license(
        code="DAC",
        holder_name="Altyn Custody LLP",
        holder_bin="241240005673",
        holder_website="https://altyn-custody.example.kz",
        status=License.Status.SUSPENDED,
        activities=["custody"],
        assets=["ETH"],
        events=[
            (LicenseEvent.Kind.ISSUED, aware(2026, 3, 2, 10), ""),
            (LicenseEvent.Kind.SUSPENDED, aware(2026, 5, 4, 12), "Capital below the minimum."),
        ],
    )
    qazaq = make_license(
        holder_name="Qazaq Crypto Hub JSC",
        holder_website="https://qazaqhub.example.kz",
        status=License.Status.REVOKED,
        activities=["trading_platform"],
        assets=["BTC"],
    )
    return {"steppe": steppe, "altyn": altyn, "qazaq": qazaq}


@pytest.fixture
def activity():
    return Activity.objects.get(code="custody")
