"""Synthetic volume for the case files: many pending documents in batched inserts (``seed_bulk``).

The reminders benchmark needs a million documents waiting for review, of which only a small,
known fraction is due. This module creates synthetic organizations, one application each (in
``completeness_check`` or ``under_review``), and one pending document per required document of the
application's license type, in batches written with ``common.bulk.insert_rows`` (``COPY`` on
PostgreSQL).

The documents are synthetic: their ``storage_name`` points at no file, so ``verify_documents``
reports them missing. They exist to give the sweeps volume, never to be downloaded. Each run
creates new organizations (fresh BINs), so repeated runs add more.

Which documents are due: a pending document is due for review 5 working days after it arrived and
its reviewer is reminded one working day before (SPEC section 9), so a document is "due" for the
sweep once 4 working days have passed since its upload. ``due_fraction`` of the documents are
uploaded between that point and 60 days ago; all others within the last few days, before any
reminder threshold.
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import REVIEWER
from common.bulk import insert_rows, next_ids
from common.identifiers import bin_check_digit
from licensing.calendar import add_working_days, local_date
from licensing.models import Application, Document, DocumentRequirement, Organization
from registry.models import LicenseType

__all__ = [
    "BULK_USERNAME",
    "REMINDER_AFTER_WORKING_DAYS",
    "applications_bulk_create",
    "documents_bulk_create",
    "not_due_since",
]

# ruff: noqa: S311  (synthetic data from a seeded generator, no secrets)

BULK_USERNAME = "bulk-applicant"
# Review is due after 5 working days; the first reminder goes one working day earlier.
REMINDER_AFTER_WORKING_DAYS = 4
_OLDEST_DAYS = 60

_FORMATS = (
    ("pdf", "application/pdf", 60_000, 8_000_000),
    ("pdf", "application/pdf", 60_000, 8_000_000),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 20_000, 2_000_000),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 15_000, 3_000_000),
)
_ORG_WORDS = ("Steppe", "Altyn", "Baiterek", "Nomad", "Silk Road", "Qazaq", "Tengri", "Tulpar", "Esil", "Alatau")
_ORG_SUFFIXES = ("Digital Exchange JSC", "Custody LLP", "Brokerage LLP", "Crypto Exchange JSC", "Capital LLP")


def not_due_since(now: datetime) -> datetime:
    """The earliest upload moment at which a pending document has not reached a reminder by ``now``.

    A document uploaded on day d is first reminded on ``add_working_days(d, 4)``; it is not due yet
    while that day lies after today.
    """
    today = local_date(now)
    day = today
    while add_working_days(day - timedelta(days=1), REMINDER_AFTER_WORKING_DAYS) > today:
        day -= timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, datetime.min.time())).astimezone(UTC)


def _bulk_user():
    user, created = get_user_model().objects.get_or_create(
        username=BULK_USERNAME,
        defaults={"first_name": "Synthetic", "last_name": "Applicant", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def bin_generate(rng: random.Random) -> str:
    """A random, well-formed legal-entity BIN: registration year and month, entity type 4/5/6, check digit."""
    while True:
        first = (
            f"{rng.randint(0, 25):02d}{rng.randint(1, 12):02d}"
            f"{rng.choice('444445456')}{rng.randint(0, 5)}{rng.randint(0, 99999):05d}"
        )
        check = bin_check_digit(first)
        if check is not None:
            return first + str(check)


def _fresh_bins(rng: random.Random, count: int) -> list[str]:
    """``count`` valid BINs that no organization has yet (BINs are unique per organization)."""
    bins: set[str] = set()
    while len(bins) < count:
        while len(bins) < count:
            bins.add(bin_generate(rng))
        taken = set(Organization.objects.filter(bin__in=bins).values_list("bin", flat=True))
        bins -= taken
    return sorted(bins, key=lambda _: rng.random())


def _active_reviewers() -> list[int]:
    return list(
        get_user_model()
        .objects.filter(groups__name=REVIEWER, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def _allowed_activities(types: list[LicenseType]) -> dict[int, list[tuple[int, int]]]:
    # Each application asks for one activity of its type's own class (so the type is the lowest that
    # covers it, as SPEC 5 has it) and perhaps others the type allows.
    return {t.pk: list(t.allowed_activities().values_list("pk", "capital_class")) for t in types}


def _activity_rows(rng: random.Random, app_id: int, license_type: LicenseType, allowed: dict) -> list[tuple]:
    activities = allowed[license_type.pk]
    own = rng.choice([pk for pk, capital_class in activities if capital_class == license_type.capital_class])
    others = rng.sample([pk for pk, _class in activities if pk != own], rng.randint(0, 2))
    return [(app_id, activity_id) for activity_id in [own, *others]]


def _organization_row(rng: random.Random, org_id: int, bin_: str, created: datetime) -> tuple:
    name = f"{rng.choice(_ORG_WORDS)} {org_id:x} {rng.choice(_ORG_SUFFIXES)}"
    domain = f"org-{org_id:x}.example.kz"
    return (org_id, name, "", [], bin_, "", "Dostyk avenue 1, Almaty, 050000", domain, [],
            f"compliance@{domain}", "+7 727 000 00 00", 2_000_000_000, created, created, uuid.uuid4())  # fmt: skip


_ORGANIZATION_FIELDS = (
    "id", "legal_name", "latin_name", "trading_names", "bin", "lei", "registered_address", "website", "other_domains",
    "contact_email", "contact_phone", "paid_up_capital_kzt", "created_at", "updated_at", "public_id",
)  # fmt: skip


class _DueDates:
    """The stored next due date (``Application.statutory_due_on``) of synthetic cases, which have no
    clock pauses: the working days of the running clock counted from its start, memoised by day."""

    def __init__(self) -> None:
        self._memo: dict[tuple, date] = {}

    def __call__(self, license_type: LicenseType, submitted: datetime, confirmed: datetime | None) -> date:
        start = local_date(confirmed or submitted)
        days = license_type.decision_days if confirmed else license_type.completeness_days
        if (start, days) not in self._memo:
            self._memo[(start, days)] = add_working_days(start, days)
        return self._memo[(start, days)]


def _application_states(rng: random.Random, uploaded: datetime) -> tuple[str, datetime, datetime | None]:
    submitted = uploaded + timedelta(minutes=rng.randint(5, 240))
    if rng.random() < 0.7:
        return Application.State.COMPLETENESS_CHECK.value, submitted, None
    return Application.State.UNDER_REVIEW.value, submitted, submitted + timedelta(hours=rng.randint(1, 48))


def documents_bulk_create(
    *,
    count: int,
    due_fraction: float = 0.01,
    batch_size: int = 10_000,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Add ``count`` pending documents; ``round(count * due_fraction)`` of them due for review now.

    Returns ``(documents created, of which due)``. Documents are spread over new synthetic
    organizations and applications assigned to the active reviewers (unassigned if there are none).
    """
    if count < 0 or batch_size < 1 or not 0 <= due_fraction <= 1:
        raise ValueError("count >= 0, batch_size >= 1 and 0 <= due_fraction <= 1 are required")
    rng = random.Random(seed)
    now = timezone.now()
    recent_from = not_due_since(now)
    oldest = now - timedelta(days=_OLDEST_DAYS)
    due_before = recent_from - timedelta(seconds=1)
    user = _bulk_user()
    reviewers = _active_reviewers()
    types = list(LicenseType.objects.filter(is_active=True).order_by("code"))
    requirements = {
        t.pk: list(
            DocumentRequirement.objects.filter(license_types=t, per_key_person=False).order_by("position", "code")
        )
        for t in types
    }
    types = [t for t in types if requirements[t.pk]]
    if not types:
        raise RuntimeError("No license type has document requirements: run migrate first.")
    allowed = _allowed_activities(types)
    due_total = round(count * due_fraction)
    # Exactly due_total documents are due, spread evenly over the run.
    due_positions = set(rng.sample(range(count), due_total)) if due_total else set()
    due_dates = _DueDates()

    done = 0
    while done < count:
        size = min(batch_size, count - done)
        with transaction.atomic():
            _batch(
                rng=rng,
                size=size,
                offset=done,
                due_positions=due_positions,
                now=now,
                recent_from=recent_from,
                oldest=oldest,
                due_before=due_before,
                user_id=user.pk,
                reviewers=reviewers,
                types=types,
                requirements=requirements,
                allowed=allowed,
                due_dates=due_dates,
            )
        done += size
        if progress:
            progress(done, count)
    return done, due_total


def _uniform(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + timedelta(seconds=rng.uniform(0, max((end - start).total_seconds(), 0)))


def _batch(*, rng, size, offset, due_positions, now, recent_from, oldest, due_before, user_id, reviewers, types,
           requirements, allowed, due_dates) -> None:  # fmt: skip
    # Plan the applications first: each takes one document per requirement of its type.
    plan = []  # (type, number of documents)
    left = size
    while left:
        license_type = rng.choice(types)
        n = min(len(requirements[license_type.pk]), left)
        plan.append((license_type, n))
        left -= n
    bins = _fresh_bins(rng, len(plan))
    org_ids = next_ids(Organization, len(plan))
    app_ids = next_ids(Application, len(plan))
    doc_ids = next_ids(Document, size)

    organizations, applications, app_activities, documents = [], [], [], []
    position = offset
    doc_index = 0
    for (license_type, n), org_id, app_id, bin_ in zip(plan, org_ids, app_ids, bins, strict=True):
        created = oldest - timedelta(days=rng.randint(1, 90))
        organizations.append(_organization_row(rng, org_id, bin_, created))
        reviewer = rng.choice(reviewers) if reviewers else None
        uploads = []
        for _ in range(n):
            if position in due_positions:
                uploads.append(_uniform(rng, oldest, due_before))
            else:
                uploads.append(_uniform(rng, recent_from, now))
            position += 1
        state, submitted, confirmed = _application_states(rng, min(uploads))
        submitted = min(submitted, now)
        confirmed = min(confirmed, now) if confirmed else None
        # Synthetic references come from the id (never drawn twice in a batch of millions); a real one
        # is random, with a dash after five characters, so the two never meet.
        applications.append(
            (app_id, org_id, license_type.pk, state, "", user_id, created, submitted, submitted, confirmed, reviewer,
             "", "", "", due_dates(license_type, submitted, confirmed), f"APP-{app_id:011X}", "", {})
        )  # fmt: skip
        app_activities.extend(_activity_rows(rng, app_id, license_type, allowed))
        for requirement, uploaded in zip(requirements[license_type.pk], uploads, strict=False):
            extension, content_type, low, high = rng.choice(_FORMATS)
            documents.append(
                (doc_ids[doc_index], app_id, requirement.pk, None, 1, Document.State.PENDING.value,
                 f"bulk/{secrets.token_hex(16)}", f"{requirement.code}.{extension}", rng.randint(low, high),
                 rng.randbytes(32).hex(), content_type, user_id, uploaded, "", uuid.uuid4())
            )  # fmt: skip
            doc_index += 1

    insert_rows(Organization, _ORGANIZATION_FIELDS, organizations)
    insert_rows(
        Application,
        ("id", "organization_id", "license_type_id", "state", "resume_state", "created_by_id", "created_at",
         "updated_at", "submitted_at", "completeness_confirmed_at", "assigned_reviewer_id", "recommendation",
         "recommendation_reasons", "decision_reasons", "statutory_due_on", "reference", "business_summary",
         "draft_input"),
        applications,
    )  # fmt: skip
    insert_rows(Application.activities.through, ("application_id", "activity_id"), app_activities)
    insert_rows(
        Document,
        ("id", "application_id", "requirement_id", "key_person_id", "version", "state", "storage_name",
         "original_name", "size", "sha256", "content_type", "uploaded_by_id", "uploaded_at", "rejection_reason",
         "public_id"),
        documents,
    )  # fmt: skip


# --- cases in every state staff work with: the queues' benchmark -----------------------------------

# Most of a mature register's applications are closed. Approved ones are left out: an approval
# carries its license, and the licenses are the other half of seed_bulk.
_CASE_STATES = (
    (Application.State.SUBMITTED, 5),
    (Application.State.COMPLETENESS_CHECK, 10),
    (Application.State.INFORMATION_REQUESTED, 5),
    (Application.State.UNDER_REVIEW, 10),
    (Application.State.PENDING_DECISION, 5),
    (Application.State.REFUSED, 25),
    (Application.State.WITHDRAWN, 25),
    (Application.State.LAPSED, 15),
)
_CASE_DAYS = 200  # submissions spread over this many days back: a good share of open cases is overdue
_DECISION_STATES = (Application.State.UNDER_REVIEW, Application.State.PENDING_DECISION)
_APPLICATION_FIELDS = (
    "id", "organization_id", "license_type_id", "state", "resume_state", "created_by_id", "created_at", "updated_at",
    "submitted_at", "completeness_confirmed_at", "assigned_reviewer_id", "recommendation", "recommendation_reasons",
    "recommended_by_id", "decision_reasons", "decided_at", "closed_at", "statutory_due_on", "reference",
    "business_summary", "draft_input",
)  # fmt: skip


def applications_bulk_create(
    *,
    count: int,
    batch_size: int = 10_000,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add ``count`` applications over the states staff see, each of a new synthetic organization.

    Submitted over the last ``_CASE_DAYS`` days; cases under consideration carry the stored due date
    of their running clock (so the queues can sort them and find the overdue ones), and all but the
    submitted ones are assigned to the active reviewers. No documents. Returns how many were made.
    """
    if count < 0 or batch_size < 1:
        raise ValueError("count >= 0 and batch_size >= 1 are required")
    rng = random.Random(seed)
    now = timezone.now()
    user_id = _bulk_user().pk
    reviewers = _active_reviewers()
    types = list(LicenseType.objects.filter(is_active=True).order_by("code"))
    allowed = _allowed_activities(types)
    states = [state for state, _weight in _CASE_STATES]
    weights = [weight for _state, weight in _CASE_STATES]
    due_dates = _DueDates()
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        with transaction.atomic():
            bins = _fresh_bins(rng, size)
            org_ids = next_ids(Organization, size)
            app_ids = next_ids(Application, size)
            organizations, applications, app_activities = [], [], []
            for org_id, app_id, bin_ in zip(org_ids, app_ids, bins, strict=True):
                license_type = rng.choice(types)
                state = rng.choices(states, weights)[0]
                submitted = now - timedelta(days=rng.uniform(1, _CASE_DAYS))
                created = submitted - timedelta(days=rng.randint(1, 30))
                organizations.append(_organization_row(rng, org_id, bin_, created))
                applications.append(
                    _case_row(rng, app_id, org_id, license_type, state, user_id, created, submitted, now, reviewers,
                              due_dates)
                )  # fmt: skip
                app_activities.extend(_activity_rows(rng, app_id, license_type, allowed))
            insert_rows(Organization, _ORGANIZATION_FIELDS, organizations)
            insert_rows(Application, _APPLICATION_FIELDS, applications)
            insert_rows(Application.activities.through, ("application_id", "activity_id"), app_activities)
        done += size
        if progress:
            progress(done, count)
    return done


def _case_row(rng, app_id, org_id, license_type, state, user_id, created, submitted, now, reviewers, due_dates):
    confirmed = submitted + timedelta(days=rng.uniform(5, 30)) if state in _DECISION_STATES else None
    reviewer = rng.choice(reviewers) if reviewers and state != Application.State.SUBMITTED else None
    recommended = state == Application.State.PENDING_DECISION and reviewer is not None
    closed = decided = due = None
    if state in Application.CLOSED:
        closed = min(submitted + timedelta(days=rng.uniform(10, 90)), now)
        if state == Application.State.REFUSED:
            decided = closed
    else:
        due = due_dates(license_type, submitted, confirmed)
    recommendation = ("grant", "Synthetic.", reviewer) if recommended else ("", "", None)
    return (
        app_id, org_id, license_type.pk, state, "", user_id, created, closed or submitted, submitted, confirmed,
        reviewer, *recommendation, "Synthetic." if decided else "", decided, closed, due, f"APP-{app_id:011X}", "", {},
    )  # fmt: skip
