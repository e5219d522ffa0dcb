"""Reads of the licensing process: querysets shaped for their page, and the statutory clocks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from licensing.calendar import get_calendar, local_date
from licensing.clock import ClockStatus, Pause, clock_status
from licensing.models import (
    Application,
    Document,
    DocumentRequirement,
    InformationRequest,
    KeyPerson,
    Membership,
    Organization,
    WarningMatch,
    WarningScreening,
)
from licensing.profiles import OrganizationProfile, profile_from_json, profile_of
from registry.models import License

__all__ = [
    "APPLICANT_TIMELINE",
    "ApplicationClock",
    "SlotView",
    "StatutoryClock",
    "TimelineEvent",
    "application_clock",
    "application_document_slots",
    "application_for_member",
    "application_other_documents",
    "application_profile",
    "application_requests",
    "application_required_slots",
    "application_timeline",
    "application_warning_matches",
    "application_warning_screening",
    "applications_for_member",
    "license_holder_ids",
    "next_deadline",
    "organization_licenses",
    "organizations_for_member",
]


@dataclass(frozen=True)
class StatutoryClock:
    """One statutory deadline of a case.

    ``status`` is read on ``today`` while the clock runs; once the step it measures is done
    (``stopped_on``) it is read on that day, so it tells whether the step was done in time and how
    many working days were left.
    """

    start: date
    working_days: int
    status: ClockStatus
    stopped_on: date | None

    @property
    def running(self) -> bool:
        return self.stopped_on is None


@dataclass(frozen=True)
class ApplicationClock:
    """Both statutory clocks of an application and the pauses (information requests) behind them."""

    completeness: StatutoryClock | None
    decision: StatutoryClock | None
    pauses: tuple[Pause, ...]


def _pauses(application: Application) -> tuple[Pause, ...]:
    return tuple(
        Pause(started=local_date(p.started_at), ended=local_date(p.ended_at) if p.ended_at else None)
        for p in application.clock_pauses.all()
    )


def _clock(
    *, start: date, working_days: int, pauses: tuple[Pause, ...], stopped_on: date | None, today: date
) -> StatutoryClock:
    read_on = stopped_on or today
    status = clock_status(calendar=get_calendar(), start=start, working_days=working_days, pauses=pauses, today=read_on)
    return StatutoryClock(start=start, working_days=working_days, status=status, stopped_on=stopped_on)


def application_clock(application: Application, *, today: date | None = None) -> ApplicationClock:
    """The completeness and decision clocks of ``application`` as they stand on ``today``.

    Completeness runs from the day of submission for ``license_type.completeness_days`` working
    days and stops when completeness is confirmed; the decision clock runs from that day for
    ``license_type.decision_days`` and stops at the decision. A case closed early (withdrawn,
    lapsed) stops whichever clock was running. Open information requests pause both (see
    ``licensing.clock``). Prefetch ``clock_pauses`` and select ``license_type`` for lists.
    """
    today = today or timezone.localdate()
    license_type = application.license_type
    pauses = _pauses(application)
    closed_on = local_date(application.closed_at) if application.closed_at else None
    completeness = decision = None
    if application.submitted_at:
        confirmed_on = (
            local_date(application.completeness_confirmed_at) if application.completeness_confirmed_at else None
        )
        completeness = _clock(
            start=local_date(application.submitted_at),
            working_days=license_type.completeness_days,
            pauses=pauses,
            stopped_on=confirmed_on or closed_on,
            today=today,
        )
        if confirmed_on:
            decision = _clock(
                start=confirmed_on,
                working_days=license_type.decision_days,
                pauses=pauses,
                stopped_on=closed_on,
                today=today,
            )
    return ApplicationClock(completeness=completeness, decision=decision, pauses=pauses)


@dataclass(frozen=True)
class DocumentSlot:
    """One document the license type asks for: a requirement, for one key person if per person."""

    requirement_id: int
    requirement_name: str
    mandatory: bool
    key_person: KeyPerson | None

    @property
    def label(self) -> str:
        if self.key_person is None:
            return self.requirement_name
        return f"{self.requirement_name} ({self.key_person.full_name})"


def application_profile(application: Application) -> OrganizationProfile:
    """The profile staff assess: the snapshot of a submitted application, the live profile of a draft."""
    if application.profile_snapshot:
        return profile_from_json(application.profile_snapshot)
    return profile_of(application.organization)


def application_required_slots(application: Application) -> list[DocumentSlot]:
    """Every document slot of the application: per-key-person requirements once per key person.

    A submitted application's key persons are those of its snapshot, whatever the profile says now.
    """
    key_persons: list[KeyPerson | None]
    if application.profile_snapshot:
        ids = [person.id for person in profile_from_json(application.profile_snapshot).key_persons]
        key_persons = list(KeyPerson.objects.filter(pk__in=ids).order_by("role", "full_name"))
    else:
        key_persons = list(application.organization.key_persons.filter(archived_at__isnull=True))
    slots: list[DocumentSlot] = []
    for requirement in application.license_type.document_requirements.order_by("position", "code"):
        holders: list[KeyPerson | None] = key_persons if requirement.per_key_person else [None]
        slots.extend(
            DocumentSlot(
                requirement_id=requirement.pk,
                requirement_name=str(requirement.name),
                mandatory=requirement.mandatory,
                key_person=holder,
            )
            for holder in holders
        )
    return slots


def applications_for_member(user) -> QuerySet[Application]:
    """Every application of the organizations ``user`` belongs to, newest first, shaped for a list."""
    return (
        Application.objects.filter(organization__memberships__user=user)
        .select_related("organization", "license_type", "license")
        .prefetch_related("clock_pauses")
        .order_by("-created_at")
    )


def next_deadline(clock: ApplicationClock) -> StatutoryClock | None:
    """The running clock of a case (decision once completeness is confirmed), or None."""
    for candidate in (clock.decision, clock.completeness):
        if candidate is not None and candidate.running:
            return candidate
    return None


def license_holder_ids(*, license_ids: Iterable[int]) -> dict[int, list[int]]:
    """The active members of each license's holder organization, by license id, in one query.

    The register keeps the holder as printed on the license; who belongs to the holder is known
    here, through the application that led to the license. Notices about a license (expiry,
    suspension, revocation) go to these people: ``registry``'s services take them from the caller.
    """
    holders: dict[int, list[int]] = {}
    license_ids = set(license_ids)
    if not license_ids:
        return holders
    rows = (
        Membership.objects.filter(organization__applications__license_id__in=license_ids, user__is_active=True)
        .values_list("organization__applications__license_id", "user_id")
        .order_by("organization__applications__license_id", "user_id")
        .distinct()
    )
    for license_id, user_id in rows:
        holders.setdefault(license_id, []).append(user_id)
    return holders


def application_warning_screening(application: Application) -> WarningScreening | None:
    """The screening of the profile snapshot staff decide the case on, with its matches; None for a draft.

    Taken at submission and again when an answer to an information request retakes the snapshot.
    Matches come with their warning-list entry, best first: ``screening.matches.all()`` costs no
    further query.
    """
    matches = WarningMatch.objects.select_related("entry").order_by("-score", "kind", "id")
    return (
        WarningScreening.objects.filter(application=application)
        .prefetch_related(Prefetch("matches", queryset=matches))
        .order_by("-screened_at", "-id")
        .first()
    )


def application_warning_matches(application: Application) -> list[WarningMatch]:
    """The warning-list lookalikes of the application's organization (see ``application_warning_screening``).

    Each match says which of the organization's names or domains (``value``, ``kind``) resembles which
    entry (``entry``, ``listed``), how closely (``score``, 0.8 to 1) and why (``get_reason_display``).
    """
    screening = application_warning_screening(application)
    return list(screening.matches.all()) if screening else []


# --- the applicant face ---------------------------------------------------------------------------
# Each returns what one page shows, in a fixed number of queries whatever the number of documents,
# requests or events of the case.


def organizations_for_member(user) -> QuerySet[Organization]:
    return Organization.objects.filter(memberships__user=user).order_by("legal_name")


def application_for_member(user, reference: str) -> Application | None:
    """The application with ``reference`` if ``user`` is a member of its organization, else None."""
    return (
        Application.objects.filter(reference=reference, organization__memberships__user=user)
        .select_related("organization", "license_type", "license")
        .prefetch_related("clock_pauses")
        .first()
    )


@dataclass(frozen=True)
class SlotView:
    """One document slot of an application with its current document and every version filed."""

    slot: DocumentSlot
    requirement: DocumentRequirement
    versions: tuple[Document, ...]

    @property
    def current(self) -> Document | None:
        for document in self.versions:
            if document.state != Document.State.SUPERSEDED:
                return document
        return None

    @property
    def key_person(self) -> KeyPerson | None:
        return self.slot.key_person


def application_document_slots(application: Application) -> list[SlotView]:
    """Every slot of the application with its versions (newest first): three queries in all."""
    requirements = {r.pk: r for r in application.license_type.document_requirements.all()}
    versions: dict[tuple[int, int | None], list[Document]] = {}
    for document in (
        Document.objects.filter(application=application)
        .select_related("uploaded_by", "key_person")
        .order_by("requirement_id", "key_person_id", "-version")
    ):
        versions.setdefault((document.requirement_id, document.key_person_id), []).append(document)
    return [
        SlotView(
            slot=slot,
            requirement=requirements[slot.requirement_id],
            versions=tuple(versions.get((slot.requirement_id, slot.key_person.pk if slot.key_person else None), ())),
        )
        for slot in application_required_slots(application)
    ]


def application_other_documents(application: Application, slots: list[SlotView]) -> list[Document]:
    """Documents of the application outside today's slots (e.g. of a key person since archived)."""
    in_slots = {document.pk for view in slots for document in view.versions}
    return [
        document
        for document in Document.objects.filter(application=application)
        .select_related("requirement", "key_person", "uploaded_by")
        .exclude(state=Document.State.SUPERSEDED)
        if document.pk not in in_slots
    ]


def application_requests(application: Application) -> list[InformationRequest]:
    """Information requests of the case, oldest first, with their answers' attachments."""
    return list(application.information_requests.prefetch_related("attachments").order_by("requested_at", "pk"))


# Actions of the audit trail an applicant sees on their case page, in plain words. Staff names,
# comments, recommendations and internal notes are never shown (SPEC section 13).
APPLICANT_TIMELINE = {
    "application.create": _("Draft started"),
    "application.submit": _("Application submitted to the National Bank"),
    "application.start_check": _("The National Bank started the completeness check"),
    "application.request_information": _("The National Bank asked for more information; the clock stopped"),
    "application.respond": _("Your answer was sent; the clock runs again"),
    "application.confirm_complete": _("Application confirmed complete; the review started"),
    "application.approve": _("License granted"),
    "application.refuse": _("Application refused"),
    "application.withdraw": _("Application withdrawn"),
    "application.lapse": _("Application lapsed: the information request was not answered in time"),
    "document.upload": _("Document uploaded"),
    "document.accept": _("Document accepted"),
    "document.reject": _("Document rejected"),
    "information_request.answer": _("Information request answered"),
}


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    what: str
    detail: str


def application_timeline(application: Application) -> list[TimelineEvent]:
    """What happened on the case that the applicant may see, newest first (two queries)."""
    documents = {
        str(document.pk): document
        for document in Document.objects.filter(application=application).select_related("requirement", "key_person")
    }
    requests = [str(pk) for pk in application.information_requests.values_list("pk", flat=True)]
    entries = AuditEntry.objects.filter(
        Q(object_type="licensing.application", object_id=str(application.pk))
        | Q(object_type="licensing.document", object_id__in=list(documents))
        | Q(object_type="licensing.informationrequest", object_id__in=requests),
        action__in=list(APPLICANT_TIMELINE),
    ).order_by("-at", "-pk")
    events = []
    for entry in entries.only("at", "action", "object_type", "object_id"):
        detail = ""
        document = documents.get(entry.object_id) if entry.object_type == "licensing.document" else None
        if document is not None:
            detail = str(document.requirement.name)
            if document.key_person:
                detail += f" ({document.key_person.full_name})"
            detail += " · " + _("version %(version)d") % {"version": document.version}
        events.append(TimelineEvent(at=entry.at, what=str(APPLICANT_TIMELINE[entry.action]), detail=detail))
    return events


def organization_licenses(organization: Organization) -> QuerySet[License]:
    """Licenses issued on the organization's applications, newest first."""
    return (
        License.objects.filter(application_id__in=organization.applications.values("pk"))
        .select_related("license_type")
        .order_by("-issued_at", "number")
    )
