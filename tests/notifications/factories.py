"""A small cast for the notification and reminder tests, built with plain ORM writes.

Reminders start from a state (a case under review with a document uploaded on a given day), not
from the path that led there, which the workflow tests cover; building rows directly lets each test
put uploads and deadlines exactly where the calendar makes them interesting.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group

from accounts.models import User
from licensing.models import (
    Application,
    ClockPause,
    Document,
    DocumentRequirement,
    InformationRequest,
    Membership,
    Organization,
)
from registry.models import License, LicenseType

ALMATY = ZoneInfo("Asia/Almaty")
_counter = itertools.count(1)


def at(day: date, hour: int = 10) -> datetime:
    """``hour`` o'clock on ``day`` in Almaty."""
    return datetime.combine(day, time(hour), tzinfo=ALMATY)


def make_user(role: str | None = None, *, email: str | None = "", language: str = "", **fields) -> User:
    n = next(_counter)
    username = fields.pop("username", f"{role or 'applicant'}-{n}")
    user = User.objects.create_user(
        username=username,
        password="unused-in-tests-0123",
        email=f"{username}@example.kz" if email == "" else (email or ""),
        preferred_language=language,
        **fields,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@dataclass
class Cast:
    applicant: User
    colleague: User
    reviewer: User
    supervisor: User
    supervisor2: User
    organization: Organization


def make_cast() -> Cast:
    applicant = make_user()
    colleague = make_user(language="ru")
    n = next(_counter)
    organization = Organization.objects.create(legal_name=f"Steppe Exchange {n} JSC", bin=f"{n:012d}")
    Membership.objects.create(organization=organization, user=applicant, role=Membership.Role.OWNER)
    Membership.objects.create(organization=organization, user=colleague)
    return Cast(
        applicant=applicant,
        colleague=colleague,
        reviewer=make_user("reviewer"),
        supervisor=make_user("supervisor"),
        supervisor2=make_user("supervisor"),
        organization=organization,
    )


def make_application(cast: Cast, *, state: str, submitted: datetime | None, reviewer: User | None = None, **fields):
    return Application.objects.create(
        organization=cast.organization,
        license_type=fields.pop("license_type", None) or LicenseType.objects.get(code="DAX"),
        created_by=cast.applicant,
        state=state,
        submitted_at=submitted,
        assigned_reviewer=reviewer,
        **fields,
    )


def make_document(application: Application, *, uploaded: datetime, state: str = Document.State.PENDING) -> Document:
    n = next(_counter)
    requirement = DocumentRequirement.objects.order_by("pk").first()
    return Document.objects.create(
        application=application,
        requirement=requirement,
        version=n,
        state=state,
        storage_name=f"test/{n}",
        original_name=f"charter-{n}.pdf",
        size=100,
        sha256="0" * 64,
        content_type="application/pdf",
        uploaded_by=application.created_by,
        uploaded_at=uploaded,
    )


def make_information_request(application: Application, *, requested: datetime, deadline: date, by: User):
    request = InformationRequest.objects.create(
        application=application, questions="Who audits you?", deadline=deadline, requested_by=by, requested_at=requested
    )
    ClockPause.objects.create(application=application, started_at=requested, information_request=request)
    return request


def make_license(cast: Cast, *, valid_until: date | None, issued: date = date(2025, 1, 10)) -> License:
    n = next(_counter)
    license = License.objects.create(
        number=f"DAX-2025-{n:04d}",
        license_type=LicenseType.objects.get(code="DAX"),
        holder_name=cast.organization.legal_name,
        holder_bin=cast.organization.bin,
        issued_at=issued,
        valid_until=valid_until,
    )
    application = make_application(cast, state=Application.State.SUBMITTED, submitted=at(issued))
    # The approved application links the holder's organization to the license (registry keeps only the id).
    Application.objects.filter(pk=application.pk).update(state=Application.State.APPROVED, license=license)
    License.objects.filter(pk=license.pk).update(application_id=application.pk)
    return license
