"""Small builders for the docs/registry/audit tests: users by role, an organization, a case, a license.

Plain functions rather than fixtures, so the threaded concurrency tests can build fresh objects per
round. Applications are put into a state with a queryset update: the workflow services have their
own tests, and these tests are about what happens from that state on.
"""

from __future__ import annotations

import itertools
from datetime import date

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from licensing.models import Application, DocumentRequirement, KeyPerson, Membership, Organization
from registry.models import Activity, License, LicenseType
from registry.services import Holder, license_issue

_counter = itertools.count(1)

# Valid Kazakhstan BINs (check digit per the official algorithm), from the demo data and the spec tests.
BINS = ["250140001232", "241240005673"]


def make_user(role: str | None = None, *, username: str | None = None) -> User:
    user = User.objects.create_user(
        username=username or f"{role or 'applicant'}-{next(_counter)}",
        password="x" * 16,
        email="u@example.kz",
        email_verified_at=timezone.now(),
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_organization(*, owner: User | None = None, bin: str | None = None) -> Organization:
    n = next(_counter)
    organization = Organization.objects.create(
        legal_name=f"Test Exchange {n} JSC",
        bin=bin or f"{n:012d}",
        registered_address="Mangilik El 1, Astana",
        website="https://exchange.example.kz",
        other_domains=["exchange.example.kz"],
        paid_up_capital_kzt=10**10,
    )
    if owner is not None:
        Membership.objects.create(organization=organization, user=owner, role=Membership.Role.OWNER)
    return organization


def make_application(
    *, organization: Organization, created_by: User, code: str = "DAX", state: str = Application.State.DRAFT, **fields
) -> Application:
    license_type = LicenseType.objects.get(code=code)
    application = Application.objects.create(
        organization=organization, license_type=license_type, created_by=created_by
    )
    application.activities.set(license_type.allowed_activities()[:2])
    update = {"state": state, **fields}
    Application.objects.filter(pk=application.pk).update(**update)
    return Application.objects.get(pk=application.pk)


def requirement(code: str) -> DocumentRequirement:
    return DocumentRequirement.objects.get(code=code)


def make_key_person(organization: Organization) -> KeyPerson:
    return KeyPerson.objects.create(
        organization=organization, role=KeyPerson.Role.CHIEF_EXECUTIVE, full_name="Aigul Bekova"
    )


def holder(name: str = "Steppe Digital Exchange JSC", bin: str = BINS[0]) -> Holder:
    return Holder(name=name, bin=bin, address="Astana", website="https://steppe.example.kz", domains=("steppe.kz",))


def issue_license(
    *, code: str = "DAX", issued_on: date = date(2026, 3, 2), actor=None, application_id: int | None = None
) -> License:
    license_type = LicenseType.objects.get(code=code)
    with transaction.atomic():
        return license_issue(
            license_type=license_type,
            holder=holder(),
            activities=list(license_type.allowed_activities()[:2]),
            assets=[],
            application_id=application_id,
            issued_on=issued_on,
            actor=actor,
        )


def activities_of(code: str) -> list[Activity]:
    return list(LicenseType.objects.get(code=code).allowed_activities())
