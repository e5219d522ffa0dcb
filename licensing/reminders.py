"""What the periodic sweeps find due (SPEC section 9), derived from the database every time.

Each sweep turns today's date into date boundaries on the working-day calendar once, then asks
the database for exactly the rows past a boundary that have no delivery for that reminder yet
(an index-backed range plus NOT EXISTS). Rows that are not due are never fetched, so a sweep costs
the same number of queries over a thousand documents or a million; the queries grow only with
what is due (inserts in batches of 1,000). Nothing is scheduled for later: running a sweep late
catches up, running it twice (or twice at once) adds nothing, because each reminder is a
``Delivery`` row with a unique key, inserted with ON CONFLICT DO NOTHING.

Thresholds, in working days of the holiday calendar unless stated:

============================  =====================================  =============================
sweep                          reminders (threshold names)             recipients
============================  =====================================  =============================
document review (N = 5)        ``before_1``: N-1 days after arrival;   assigned reviewer, else the
                               ``overdue``: N+1 (a working day past)    supervisors
                               ``escalation``: N+2 (2 days past)       supervisors
statutory deadlines            ``before_5``, ``before_1``, ``overdue``  assigned reviewer and
(completeness, decision)       (days left on the paused clock)          supervisors
information requests           ``before_5``, ``before_1`` before the    applicant's members;
                               deadline; lapse after deadline + grace   lapse notice by the service
license validity               ``before_90/60/30`` calendar days;       holder's members
                               expiry on ``valid_until``
============================  =====================================  =============================

A document "arrives" when it is uploaded to a submitted application: the later of its upload and
the application's submission.
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import SUPERVISOR
from common.errors import DomainError
from licensing.calendar import get_calendar, local_date
from licensing.links import case_link
from licensing.models import Application, Document, InformationRequest, Membership
from licensing.selectors import application_clock, license_holder_ids
from licensing.workdays import WorkdayCalendar
from notifications.models import Delivery
from notifications.services import DeliveryRow, deliveries_create, deliveries_dispatch, notice_enqueue
from registry.models import License, LicenseType

logger = logging.getLogger(__name__)

KIND_DOCUMENT_REVIEW = "document_review"
KIND_COMPLETENESS_DEADLINE = "completeness_deadline"
KIND_DECISION_DEADLINE = "decision_deadline"
KIND_INFORMATION_REQUEST_DEADLINE = "information_request_deadline"
KIND_LICENSE_VALIDITY = "license_validity"
KIND_LICENSE_EXPIRED = "license_expired"

# Documents wait for review while the case is in these states: reviewable in the two review
# states, and waiting to be picked up (supervisors are reminded) while submitted. A case with the
# applicant (information requested) or with the approver cannot have its documents reviewed, so
# nobody is chased for them.
DOCUMENT_REVIEW_STATES = [
    Application.State.SUBMITTED,
    Application.State.COMPLETENESS_CHECK,
    Application.State.UNDER_REVIEW,
]
LICENSE_REMINDER_DAYS = (90, 60, 30)

DOCUMENT = "licensing.document"
APPLICATION = "licensing.application"
INFORMATION_REQUEST = "licensing.informationrequest"
LICENSE = "registry.license"


@dataclass
class SweepResult:
    """What one sweep did: deliveries it created, actions it took, problems it could not solve."""

    name: str
    delivery_ids: list[int] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def created(self) -> int:
        return len(self.delivery_ids)

    def as_dict(self) -> dict:
        return {"sweep": self.name, "created": self.created, "actions": self.actions, "problems": self.problems}


# --- calendar helpers -----------------------------------------------------------------------------------
def latest_start(calendar: WorkdayCalendar, today: date, working_days: int) -> date:
    """The last day d for which ``working_days`` working days have passed by ``today``.

    That is the largest d with ``calendar.working_days_between(d, today) >= working_days``: every
    start on or before it has reached the threshold, every later start has not.
    """
    if working_days <= 0:
        return today + timedelta(days=-working_days)
    seen = 0
    d = today
    while True:
        if calendar.is_working_day(d):
            seen += 1
            if seen == working_days:
                return d - timedelta(days=1)
        d -= timedelta(days=1)


def day_start(d: date) -> datetime:
    """Midnight at the start of ``d`` in the portal's time zone (deadlines count local days)."""
    return timezone.make_aware(datetime.combine(d, time.min))


# --- recipients -------------------------------------------------------------------------------------------
def _supervisor_ids() -> list[int]:
    return list(
        get_user_model()
        .objects.filter(groups__name=SUPERVISOR, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def _members_by_organization(organization_ids: Iterable[int]) -> dict[int, list[int]]:
    members: dict[int, list[int]] = {}
    rows = Membership.objects.filter(organization_id__in=set(organization_ids), user__is_active=True).values_list(
        "organization_id", "user_id"
    )
    for organization_id, user_id in rows.order_by("organization_id", "user_id"):
        members.setdefault(organization_id, []).append(user_id)
    return members


def _has_delivery(subject_type: str, kind: str, threshold: str) -> Exists:
    return Exists(
        Delivery.objects.filter(subject_type=subject_type, subject_id=OuterRef("pk"), kind=kind, threshold=threshold)
    )


def _finish(result: SweepResult, rows: Iterable[DeliveryRow], *, dispatch: bool) -> SweepResult:
    with transaction.atomic():
        result.delivery_ids = deliveries_create(rows=rows)
        if dispatch:
            deliveries_dispatch(result.delivery_ids)
    return result


# --- document review ------------------------------------------------------------------------------------
def sweep_document_reviews(*, today: date | None = None, dispatch: bool = True) -> SweepResult:
    """Remind reviewers of pending documents about to be or already overdue; escalate to supervisors."""
    result = SweepResult("document review")
    today = today or timezone.localdate()
    calendar = get_calendar()
    days = settings.DOCUMENT_REVIEW_DAYS
    boundaries = {
        "before_1": day_start(latest_start(calendar, today, days - 1) + timedelta(days=1)),
        "overdue": day_start(latest_start(calendar, today, days + 1) + timedelta(days=1)),
        "escalation": day_start(latest_start(calendar, today, days + 2) + timedelta(days=1)),
    }
    supervisors = _supervisor_ids()

    def due(threshold: str, *, not_before: datetime | None = None):
        # Arrived before the boundary: both the upload and the submission lie before it.
        boundary = boundaries[threshold]
        queryset = Document.objects.filter(
            state=Document.State.PENDING,
            application__state__in=DOCUMENT_REVIEW_STATES,
            uploaded_at__lt=boundary,
            application__submitted_at__lt=boundary,
        ).exclude(_has_delivery(DOCUMENT, KIND_DOCUMENT_REVIEW, threshold))
        if not_before is not None:
            # Not yet overdue: the one-day-before reminder only makes sense before the due date.
            queryset = queryset.exclude(uploaded_at__lt=not_before, application__submitted_at__lt=not_before)
        return queryset.values_list(
            "pk", "uploaded_at", "application__reference", "application__submitted_at", "application__assigned_reviewer"
        )

    # One link per case, however many of its documents are due (reversing a URL costs tens of µs).
    staff_link = functools.cache(lambda reference: case_link(reference=reference, staff=True))

    def rows() -> Iterator[DeliveryRow]:
        for threshold in ("before_1", "overdue", "escalation"):
            not_before = boundaries["overdue"] if threshold == "before_1" else None
            found = due(threshold, not_before=not_before).iterator(2000)
            for pk, uploaded_at, reference, submitted_at, reviewer_id in found:
                arrived = local_date(max(uploaded_at, submitted_at))
                context = {"due": calendar.add_working_days(arrived, days).isoformat(), "arrived": arrived.isoformat()}
                recipients = supervisors if threshold == "escalation" or reviewer_id is None else [reviewer_id]
                link = staff_link(reference)
                for user_id in recipients:
                    yield DeliveryRow(KIND_DOCUMENT_REVIEW, DOCUMENT, pk, threshold, user_id, context, link)

    return _finish(result, rows(), dispatch=dispatch)


# --- statutory deadlines ----------------------------------------------------------------------------------
def _clock_threshold(days_left: int) -> str | None:
    if days_left <= -1:
        return "overdue"
    if days_left <= 1:
        return "before_1"
    if days_left <= 5:
        return "before_5"
    return None


def sweep_statutory_deadlines(*, today: date | None = None, dispatch: bool = True) -> SweepResult:
    """Remind the reviewer and supervisors of completeness and decision deadlines (5, 1, overdue)."""
    result = SweepResult("statutory deadlines")
    today = today or timezone.localdate()
    calendar = get_calendar()
    supervisors = _supervisor_ids()
    clocks = (
        (KIND_COMPLETENESS_DEADLINE, [Application.State.SUBMITTED, Application.State.COMPLETENESS_CHECK]),
        (KIND_DECISION_DEADLINE, [Application.State.UNDER_REVIEW, Application.State.PENDING_DECISION]),
    )
    rows: list[DeliveryRow] = []
    for license_type in LicenseType.objects.order_by("pk"):
        for kind, states in clocks:
            completeness = kind == KIND_COMPLETENESS_DEADLINE
            working_days = license_type.completeness_days if completeness else license_type.decision_days
            # Pauses only push a deadline later, so a case whose unpaused clock has not reached
            # "5 days left" cannot have reached it: the boundary excludes it in the database.
            boundary = day_start(latest_start(calendar, today, working_days - 5) + timedelta(days=1))
            started = "submitted_at" if completeness else "completeness_confirmed_at"
            candidates = (
                Application.objects.filter(license_type=license_type, state__in=states, **{f"{started}__lt": boundary})
                .exclude(_has_delivery(APPLICATION, kind, "overdue"))
                .select_related("license_type")
                .prefetch_related("clock_pauses")
                .order_by("pk")
            )
            for application in candidates.iterator(500):
                clock = application_clock(application, today=today)
                running = clock.completeness if completeness else clock.decision
                if running is None or not running.running or running.status.paused:
                    continue
                threshold = _clock_threshold(running.status.days_left)
                if threshold is None:
                    continue
                context = {
                    "reference": application.reference,
                    "due": running.status.due.isoformat(),
                    "days_left": running.status.days_left,
                }
                recipients = list(dict.fromkeys([application.assigned_reviewer_id, *supervisors]))
                link = case_link(reference=application.reference, staff=True)
                rows.extend(
                    DeliveryRow(kind, APPLICATION, application.pk, threshold, user_id, context, link)
                    for user_id in recipients
                    if user_id is not None
                )
    return _finish(result, rows, dispatch=dispatch)


# --- information requests ---------------------------------------------------------------------------------
def sweep_information_requests(*, today: date | None = None, dispatch: bool = True) -> SweepResult:
    """Remind applicants 5 and 1 working days before a response deadline; lapse cases past grace."""
    from licensing.services.applications import application_lapse

    result = SweepResult("information requests")
    today = today or timezone.localdate()
    calendar = get_calendar()
    open_requests = InformationRequest.objects.filter(
        state=InformationRequest.State.OPEN, application__state=Application.State.INFORMATION_REQUESTED
    )
    rows: list[DeliveryRow] = []
    one_left = calendar.add_working_days(today, 1)
    five_left = calendar.add_working_days(today, 5)
    windows = {"before_1": (today, one_left), "before_5": (one_left + timedelta(days=1), five_left)}
    found = []
    for threshold, (first, last) in windows.items():
        due = (
            open_requests.filter(deadline__gte=first, deadline__lte=last)
            .exclude(_has_delivery(INFORMATION_REQUEST, KIND_INFORMATION_REQUEST_DEADLINE, threshold))
            .values_list("pk", "deadline", "application__reference", "application__organization_id")
        )
        found.extend((threshold, *row) for row in due)
    members = _members_by_organization(row[4] for row in found)
    for threshold, pk, deadline, reference, organization_id in found:
        context = {"deadline": deadline.isoformat(), "reference": reference}
        link = case_link(reference=reference, staff=False)
        rows.extend(
            DeliveryRow(KIND_INFORMATION_REQUEST_DEADLINE, INFORMATION_REQUEST, pk, threshold, user_id, context, link)
            for user_id in members.get(organization_id, [])
        )
    _finish(result, rows, dispatch=dispatch)

    # Lapse: the deadline plus the type's grace (working days) has passed, i.e. the grace ended
    # yesterday or earlier. The service re-checks under its lock (latest open deadline) and tells the
    # applicant in its own transaction.
    yesterday = today - timedelta(days=1)
    for license_type in LicenseType.objects.order_by("pk"):
        last_deadline = latest_start(calendar, yesterday, license_type.lapse_grace_days)
        application_ids = (
            open_requests.filter(application__license_type=license_type, deadline__lte=last_deadline)
            .values_list("application_id", flat=True)
            .distinct()
        )
        for application in Application.objects.filter(pk__in=list(application_ids)).order_by("pk"):
            try:
                application_lapse(application=application, today=today)
            except DomainError as exc:
                # A later request is still open, or someone acted first: not this sweep's business.
                logger.info("Application %s not lapsed: %s", application.reference, exc)
            else:
                result.actions.append(f"lapsed {application.reference}")
    return result


# --- license validity -------------------------------------------------------------------------------------
def sweep_license_validity(*, today: date | None = None, dispatch: bool = True) -> SweepResult:
    """Remind holders 90, 60 and 30 days before a license ends; expire it on its last day."""
    from registry.services import license_expire

    result = SweepResult("license validity")
    today = today or timezone.localdate()
    in_force = License.objects.filter(
        status__in=[License.Status.ACTIVE, License.Status.SUSPENDED], valid_until__isnull=False
    )
    found = []
    bounds = [*LICENSE_REMINDER_DAYS, 0]
    for days, next_days in itertools.pairwise(bounds):
        threshold = f"before_{days}"
        due = (
            in_force.filter(valid_until__gt=today + timedelta(days=next_days), valid_until__lte=today + timedelta(days))
            .exclude(_has_delivery(LICENSE, KIND_LICENSE_VALIDITY, threshold))
            .only("pk", "number", "valid_until")
        )
        found.extend((threshold, license) for license in due)
    holders = license_holder_ids(license_ids={license.pk for _threshold, license in found})
    rows = [
        DeliveryRow(
            KIND_LICENSE_VALIDITY,
            LICENSE,
            license.pk,
            threshold,
            user_id,
            {
                "number": license.number,
                "valid_until": license.valid_until.isoformat(),
                "days_left": (license.valid_until - today).days,
            },
            license.get_absolute_url(),
        )
        for threshold, license in found
        for user_id in holders.get(license.pk, [])
    ]
    _finish(result, rows, dispatch=dispatch)

    # valid_until is the last day in force: expire from the day after.
    for license in in_force.filter(valid_until__lt=today).order_by("pk"):
        with transaction.atomic():
            if license_expire(license=license, today=today):
                notice_enqueue(
                    kind=KIND_LICENSE_EXPIRED,
                    recipients=license_holder_ids(license_ids=[license.pk]).get(license.pk, []),
                    subject=license,
                    link=license.get_absolute_url(),
                    context={"number": license.number, "valid_until": license.valid_until.isoformat()},
                )
                result.actions.append(f"expired {license.number}")
    return result


SWEEPS = {
    "document_reviews": sweep_document_reviews,
    "statutory_deadlines": sweep_statutory_deadlines,
    "information_requests": sweep_information_requests,
    "license_validity": sweep_license_validity,
}


def run_all(*, today: date | None = None, dispatch: bool = True) -> list[SweepResult]:
    """Every sweep once; one sweep's failure is logged and does not stop the others."""
    results = []
    for name, sweep in SWEEPS.items():
        try:
            results.append(sweep(today=today, dispatch=dispatch))
        except Exception as exc:
            logger.exception("Sweep %s failed.", name)
            results.append(SweepResult(name, problems=[f"{type(exc).__name__}: {exc}"]))
    return results
