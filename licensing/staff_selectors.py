"""Reads of the regulator's dashboard (SPEC section 14): the case queues and the case page.

Each page costs the same number of queries for 10 cases or 100,000: the queues sort and count in
the database on the stored next due date (``Application.statutory_due_on``, see
``licensing.deadlines``), and the case page reads each of its parts in one query.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import CharField, Count, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import APPROVER, REVIEWER, SUPERVISOR
from audit.models import AuditEntry
from licensing import permissions
from licensing.calendar import get_calendar
from licensing.links import case_link
from licensing.models import Application, Document, InformationRequest, InternalNote
from licensing.selectors import application_required_slots
from licensing.workdays import CalendarNotCovered
from registry.models import License
from registry.warning_list.services import EDITABLE_FIELDS

__all__ = [
    "PAGE_SIZE",
    "QUEUE_TABS",
    "CaseActions",
    "QueueFilters",
    "QueuePage",
    "audit_action_label",
    "case_actions",
    "case_changes_since",
    "case_documents",
    "case_for_staff",
    "case_information_requests",
    "case_notes",
    "case_queue",
    "case_timeline",
    "case_version",
    "describe_change",
    "staff_assignees",
    "staff_tabs",
]

PAGE_SIZE = 25
# Tabs count exactly up to this many cases and say "more than" beyond: counting 100,000 rows to
# print one number costs more than the rest of the page (filters narrow a queue that long).
COUNT_CAP = 1_000
QUEUE_TABS = ("mine", "unassigned", "overdue", "decide", "all")
TAB_LABELS = {
    "mine": _("Assigned to me"),
    "unassigned": _("Unassigned"),
    "overdue": _("Overdue"),
    "decide": _("Awaiting my decision"),
    "all": _("All cases"),
}

# What a queue row shows (templates/licensing/staff/queue.html): nothing else is read.
QUEUE_COLUMNS = (
    "reference",
    "state",
    "submitted_at",
    "statutory_due_on",
    "organization__legal_name",
    "organization__bin",
    "license_type__code",
    "license_type__name_kk",
    "license_type__name_ru",
    "license_type__name_en",
    "assigned_reviewer__username",
    "assigned_reviewer__first_name",
    "assigned_reviewer__last_name",
)

_BIN = re.compile(r"^\d{12}$")
# APP-7K3Q9-XWD4M (licensing.models.new_reference), or the synthetic APP- and 11 hex digits of seed_bulk;
# typed with or without "APP-", in any case.
_REFERENCE = re.compile(r"^(?:APP-)?([0-9A-Z]{5}-[0-9A-Z]{5}|[0-9A-F]{11})$")


def _as_reference(text: str) -> str | None:
    match = _REFERENCE.match((text or "").strip().upper())
    return f"APP-{match.group(1)}" if match else None


# --- queues --------------------------------------------------------------------------------------


def staff_tabs(user) -> list[str]:
    """The queue tabs this person works with; "awaiting my decision" only for approvers."""
    return [tab for tab in QUEUE_TABS if tab != "decide" or permissions.is_approver(user)]


def default_tab(user) -> str:
    # An approver who neither reviews nor supervises has no cases of their own: decisions are theirs.
    if permissions.is_approver(user) and not (permissions.is_reviewer(user) or permissions.is_supervisor(user)):
        return "decide"
    return "mine"


def _visible(user) -> QuerySet[Application]:
    """Every case ``user`` may see (SPEC 4): never drafts; reviewers only theirs and unassigned ones."""
    cases = Application.objects.exclude(state=Application.State.DRAFT)
    if not (permissions.is_supervisor(user) or permissions.is_approver(user)):
        cases = cases.filter(Q(assigned_reviewer=user) | Q(assigned_reviewer__isnull=True))
    return cases


def _tab_conditions(user, today: date) -> dict[str, Q]:
    under_consideration = Q(state__in=Application.UNDER_CONSIDERATION)
    return {
        "mine": under_consideration & Q(assigned_reviewer=user),
        "unassigned": under_consideration & Q(assigned_reviewer__isnull=True),
        "overdue": under_consideration & Q(statutory_due_on__lt=today),
        # Four eyes: the case this approver recommended is not theirs to decide.
        "decide": Q(state=Application.State.PENDING_DECISION) & ~Q(recommended_by=user),
        "all": Q(),
    }


def _search(cases: QuerySet[Application], q: str) -> QuerySet[Application]:
    """A reference (``APP-7K3Q9-XWD4M``, also without ``APP-``), a BIN, or a fragment of the applicant's name."""
    text = " ".join(q.split())
    if not text:
        return cases
    if _BIN.match(text):
        return cases.filter(organization__bin=text)
    reference = _as_reference(text)
    if reference:
        return cases.filter(reference=reference)
    # On PostgreSQL a trigram index on UPPER(legal_name) serves this (migration 0009 of licensing).
    return cases.filter(organization__legal_name__icontains=text)


@dataclass(frozen=True)
class QueueFilters:
    state: str = ""
    license_type_id: int | None = None
    assignee: str = ""  # "", "none" (unassigned) or a user id
    q: str = ""

    def apply(self, cases: QuerySet[Application]) -> QuerySet[Application]:
        if self.state:
            cases = cases.filter(state=self.state)
        if self.license_type_id:
            cases = cases.filter(license_type_id=self.license_type_id)
        if self.assignee == "none":
            cases = cases.filter(assigned_reviewer__isnull=True)
        elif self.assignee:
            cases = cases.filter(assigned_reviewer_id=int(self.assignee))
        return _search(cases, self.q)


@dataclass(frozen=True)
class QueueRow:
    application: Application
    due: date | None
    days_left: int | None  # working days after today up to the due date; negative once overdue
    paused: bool
    deadline_unknown: bool
    # What the row shows, worked out here once: the template formats no date, translates nothing and
    # reverses no URL per row (a page of 25 rows took 7 ms to render with them, 2 ms without).
    url: str = ""
    state_label: str = ""
    reviewer_name: str = ""
    due_text: str = ""  # the due date as the language writes dates
    submitted_on: date | None = None  # the day of submission in the portal's time zone
    submitted_text: str = ""
    deadline_note: str = ""  # "3 working days left", "overdue 2 working days", "clock paused"...
    pick_up_url: str = ""  # where a submitted, unassigned case is picked up; "" for any other

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def selectable(self) -> bool:
        """Whether a supervisor may tick it for assignment: only cases still under consideration."""
        return self.application.state in Application.UNDER_CONSIDERATION

    @property
    def can_be_picked_up(self) -> bool:
        return bool(self.pick_up_url)


@dataclass
class QueuePage:
    tab: str
    tabs: list[tuple[str, str, int]]  # (tab, label, count; COUNT_CAP + 1 means "more than COUNT_CAP")
    rows: list[QueueRow]
    count: int
    page: int
    pages: int
    page_size: int = PAGE_SIZE
    # Tabs whose count is only "at least": those of a search that found more than COUNT_CAP cases.
    lower_bounds: frozenset[str] = frozenset()

    @property
    def count_is_exact(self) -> bool:
        return self.count <= COUNT_CAP

    @property
    def count_cap(self) -> int:
        return COUNT_CAP

    @property
    def first_shown(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.count else 0

    @property
    def last_shown(self) -> int:
        return min(self.page * self.page_size, self.count)


def _deadline_note(days_left: int | None, paused: bool, unknown: bool) -> str:
    if unknown:
        return gettext("unknown: holiday calendar incomplete")
    if paused:
        return gettext("clock paused")
    if days_left is None:
        return ""
    if days_left < 0:
        return ngettext("overdue %(days)s working day", "overdue %(days)s working days", -days_left) % {
            "days": -days_left
        }
    return ngettext("%(days)s working day left", "%(days)s working days left", days_left) % {"days": days_left}


def _row(application: Application, today: date, calendar, state_labels: dict[str, str], date_text) -> QueueRow:
    due = application.statutory_due_on
    paused = application.state == Application.State.INFORMATION_REQUESTED
    days_left = None
    unknown = False
    if due is None:
        unknown = application.state in Application.UNDER_CONSIDERATION
    else:
        try:
            days_left = calendar.working_days_between(today, due)
        except CalendarNotCovered:
            unknown = True
        if days_left == 0 and today > due:
            days_left = -1  # past the due date on a weekend: overdue already, though no working day passed
    reviewer = application.assigned_reviewer
    submitted_on = timezone.localdate(application.submitted_at) if application.submitted_at else None
    return QueueRow(
        application,
        due,
        days_left,
        paused,
        unknown,
        url=case_link(reference=application.reference, staff=True),
        state_label=state_labels[application.state],
        reviewer_name=(reviewer.get_full_name() or reviewer.get_username()) if reviewer else "",
        due_text=date_text(due) if due else "",
        submitted_on=submitted_on,
        submitted_text=date_text(submitted_on) if submitted_on else "",
        deadline_note=_deadline_note(days_left, paused, unknown),
        pick_up_url=reverse("licensing:staff_case_pick_up", args=[application.reference])
        if application.state == Application.State.SUBMITTED and not application.assigned_reviewer_id
        else "",
    )


class _CappedCount(Subquery):
    """The number of rows of a sliced queryset, as a scalar subquery (the pattern of Django's docs)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"
    output_field = IntegerField()


def _tab_counts(cases: QuerySet[Application], conditions: dict[str, Q], tabs: list[str]) -> dict[str, int]:
    """Each tab's count, up to ``COUNT_CAP + 1``, in one round trip.

    Each tab is its own capped subquery, which the queues' indexes answer (the open cases overall
    and per reviewer, by state, or all) without reading more than ``COUNT_CAP + 1`` entries; one
    statement carries them all, where a query per tab paid a round trip and a planning each.
    """
    capped = {
        name: _CappedCount(cases.filter(conditions[name]).order_by().values("pk")[: COUNT_CAP + 1]) for name in tabs
    }
    # Any one row to select the subqueries from; with no application at all, every count is 0.
    row = Application.objects.order_by().values(**capped).first()
    return {name: row[name] for name in tabs} if row else dict.fromkeys(tabs, 0)


def _search_counts(
    cases: QuerySet[Application], conditions: dict[str, Q], tabs: list[str], tab: str
) -> tuple[dict[str, int], frozenset[str]]:
    """A search's tab counts, and which of them are only lower bounds.

    A search narrows the cases to one applicant's, or to the thousands a common word finds. One pass
    over the first ``COUNT_CAP + 1`` cases it finds counts every tab (where a capped count per tab
    would read a sparse tab's matches to the end): exact if that is all of them. If there are more,
    each tab's count says how many of those it holds, at least, and the open tab is counted on its
    own, up to ``COUNT_CAP``, for its pages. (Counting every match of a common word took 50 ms at
    100,000 cases; this takes 13.)
    """
    found = cases.order_by()[: COUNT_CAP + 1].aggregate(
        found=Count("pk"), **{name: Count("pk", filter=conditions[name]) for name in tabs}
    )
    counts = {name: found[name] for name in tabs}
    if found["found"] <= COUNT_CAP:
        return counts, frozenset()
    if counts[tab] <= COUNT_CAP:  # else the open tab is past the cap already ("all" always is)
        counts.update(_tab_counts(cases, conditions, [tab]))
    return counts, frozenset(name for name in tabs if name != tab and counts[name] <= COUNT_CAP)


def case_queue(user, *, tab: str, filters: QueueFilters, page: int, today: date) -> QueuePage:
    """One page of a queue, sorted by next deadline (none last), with the count of every tab.

    The tabs are counted up to ``COUNT_CAP`` in one statement (``_tab_counts``), and the page is read
    from the (due date, id) index in order: the cost does not grow with the number of cases
    (bench/queues.py).
    """
    tabs = staff_tabs(user)
    tab = tab if tab in tabs else default_tab(user)
    conditions = _tab_conditions(user, today)
    cases = filters.apply(_visible(user))
    lower_bounds: frozenset[str] = frozenset()
    if filters.q:
        counts, lower_bounds = _search_counts(cases, conditions, tabs, tab)
    else:
        counts = _tab_counts(cases, conditions, tabs)
    count = counts[tab]
    pages = max(1, -(-min(count, COUNT_CAP) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    offset = (page - 1) * PAGE_SIZE
    order = (F("statutory_due_on").asc(nulls_last=True), "pk")
    # The page's ids come from the (due date, id) index alone; only those 25 rows are then joined,
    # so a deep page does not join every row it skips, and only the columns the list shows are read.
    page_ids = cases.filter(conditions[tab]).order_by(*order).values("pk")[offset : offset + PAGE_SIZE]
    applications = (
        Application.objects.filter(pk__in=page_ids)
        .select_related("organization", "license_type", "assigned_reviewer")
        .only(*QUEUE_COLUMNS)
        .order_by(*order)
    )
    calendar = get_calendar()
    state_labels = {state: str(label) for state, label in Application.State.choices}
    # Rows share dates (due dates bunch up): each is written out once per page.
    date_text = functools.cache(functools.partial(formats.date_format, format="DATE_FORMAT"))
    return QueuePage(
        tab=tab,
        tabs=[(name, str(TAB_LABELS[name]), counts[name]) for name in tabs],
        rows=[_row(application, today, calendar, state_labels, date_text) for application in applications],
        count=count,
        page=page,
        pages=pages,
        lower_bounds=lower_bounds,
    )


def staff_assignees() -> QuerySet:
    """Everyone a case can be assigned to: active reviewers and supervisors, by name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[REVIEWER, SUPERVISOR])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def staff_member_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


# --- the case page -------------------------------------------------------------------------------


def case_for_staff(user, reference: str) -> Application | None:
    """The case ``reference`` names, if ``user`` may see it as staff; None otherwise (answer 404)."""
    if not (reference or "").upper().startswith("APP-") or _as_reference(reference) is None:
        return None
    application = (
        Application.objects.select_related(
            "organization", "license_type", "assigned_reviewer", "recommended_by", "decided_by", "license"
        )
        .filter(reference=_as_reference(reference))
        .first()
    )
    if application is None or not permissions.can_view_as_staff(user, application):
        return None
    return application


@dataclass(frozen=True)
class CaseActions:
    """What this person may do to the case now: the page offers exactly these."""

    pick_up: bool = False
    assign: bool = False
    review_documents: bool = False
    request_information: bool = False
    confirm_complete: bool = False
    recommend: bool = False
    decide: bool = False
    # An approver who recommended this case sees why they may not decide it.
    recommended_by_me: bool = False

    @property
    def any(self) -> bool:
        return any(
            (
                self.pick_up,
                self.assign,
                self.review_documents,
                self.request_information,
                self.confirm_complete,
                self.recommend,
                self.decide,
            )
        )


def case_actions(user, application: Application) -> CaseActions:
    state = application.state
    states = Application.State
    reviewing = permissions.can_review(user, application)
    pending = state == states.PENDING_DECISION
    return CaseActions(
        pick_up=state == states.SUBMITTED and permissions.can_pick_up(user, application),
        assign=permissions.is_supervisor(user) and state in Application.UNDER_CONSIDERATION,
        review_documents=reviewing and state in (states.COMPLETENESS_CHECK, states.UNDER_REVIEW),
        request_information=reviewing and state in (states.COMPLETENESS_CHECK, states.UNDER_REVIEW),
        confirm_complete=reviewing and state == states.COMPLETENESS_CHECK,
        recommend=reviewing and state == states.UNDER_REVIEW,
        decide=pending and permissions.can_decide(user, application),
        recommended_by_me=pending and permissions.is_approver(user) and application.recommended_by_id == user.pk,
    )


@dataclass
class DocumentRow:
    """One document slot of the case: its current version (if any) and the versions it replaced."""

    label: str
    mandatory: bool
    current: Document | None
    earlier: list[Document] = field(default_factory=list)


INLINE_CONTENT_TYPES = ("application/pdf", "image/png", "image/jpeg")


def case_documents(application: Application) -> list[DocumentRow]:
    """Every required slot in order, then any document filed outside today's slots, with all versions."""
    documents = list(
        application.documents.select_related("requirement", "key_person", "uploaded_by", "reviewed_by").order_by(
            "requirement__position", "requirement__code", "key_person_id", "-version"
        )
    )
    by_slot: dict[tuple[int, int | None], list[Document]] = {}
    for document in documents:
        by_slot.setdefault((document.requirement_id, document.key_person_id), []).append(document)
    rows = []
    for slot in application_required_slots(application):
        versions = by_slot.pop((slot.requirement_id, slot.key_person.pk if slot.key_person else None), [])
        rows.append(_document_row(slot.label, slot.mandatory, versions))
    for versions in by_slot.values():  # e.g. a key person no longer listed
        first = versions[0]
        label = str(first.requirement.name)
        if first.key_person:
            label = f"{label} ({first.key_person.full_name})"
        rows.append(_document_row(label, False, versions))
    return rows


def _document_row(label: str, mandatory: bool, versions: list[Document]) -> DocumentRow:
    current = next((d for d in versions if d.state != Document.State.SUPERSEDED), None)
    return DocumentRow(label, mandatory, current, [d for d in versions if d is not current])


@dataclass
class RequestRow:
    request: InformationRequest
    documents: list[Document]  # filed (new versions) while the request was open

    @property
    def attachments(self) -> list:
        """The files sent with the answer itself."""
        return list(self.request.attachments.all())


def case_information_requests(application: Application) -> list[RequestRow]:
    """Each request with what it asked, its answer with its attachments, and the documents filed while
    it was open."""
    requests = list(
        application.information_requests.select_related("requested_by", "responded_by").prefetch_related("attachments")
    )
    uploads = list(
        application.documents.select_related("requirement", "key_person").order_by("uploaded_at") if requests else []
    )
    rows = []
    for request in requests:
        closed = request.responded_at
        documents = [
            d for d in uploads if d.uploaded_at >= request.requested_at and (closed is None or d.uploaded_at <= closed)
        ]
        rows.append(RequestRow(request, documents))
    return rows


def case_notes(application: Application) -> list[InternalNote]:
    return list(application.internal_notes.select_related("author").order_by("created_at", "pk"))


# --- the audit trail of a case and the version token ---------------------------------------------

AUDIT_ACTION_LABELS = {
    "application.create": _("started the draft"),
    "application.update_scope": _("changed the activities or assets"),
    "application.update_business": _("changed the business summary"),
    "application.submit": _("submitted the application"),
    "application.start_check": _("started the completeness check"),
    "application.assign": _("reassigned the case"),
    "application.request_information": _("requested information"),
    "application.respond": _("answered the information request"),
    "application.confirm_complete": _("confirmed the application complete"),
    "application.recommend": _("recommended a decision"),
    "application.return_to_review": _("returned the case to review"),
    "application.approve": _("approved the application"),
    "application.refuse": _("refused the application"),
    "application.withdraw": _("withdrew the application"),
    "application.lapse": _("closed the case as lapsed"),
    "document.upload": _("uploaded a document"),
    "document.supersede": _("replaced a document with a new version"),
    "document.accept": _("accepted a document"),
    "document.reject": _("rejected a document"),
    "information_request.answer": _("answered a question"),
    "information_request.expire": _("closed an unanswered request"),
    "internal_note.add": _("added an internal note"),
    "license.issue": _("issued the license"),
    "license.suspend": _("suspended the license"),
    "license.reinstate": _("reinstated the license"),
    "license.revoke": _("revoked the license"),
    "license.surrender": _("recorded the surrender of the license"),
    "license.expire": _("recorded the expiry of the license"),
}


def audit_action_label(action: str) -> str:
    return str(AUDIT_ACTION_LABELS.get(action, action))


def _ids_as_text(queryset: QuerySet) -> QuerySet:
    # AuditEntry.object_id is text: compare with the ids cast in the database, not fetched first.
    return queryset.annotate(key=Cast("pk", CharField())).values("key")


def _case_audit(application: Application, *, with_notes: bool) -> QuerySet[AuditEntry]:
    pk = application.pk
    condition = (
        Q(object_type="licensing.application", object_id=str(pk))
        | Q(object_type="licensing.document", object_id__in=_ids_as_text(Document.objects.filter(application_id=pk)))
        | Q(
            object_type="licensing.informationrequest",
            object_id__in=_ids_as_text(InformationRequest.objects.filter(application_id=pk)),
        )
    )
    if with_notes:
        condition |= Q(
            object_type="licensing.internalnote",
            object_id__in=_ids_as_text(InternalNote.objects.filter(application_id=pk)),
        )
    return AuditEntry.objects.filter(condition)


def case_version(application: Application) -> int:
    """The id of the latest audit entry about the case, its documents or its requests.

    Pages put it in every form; a service wrapper compares it under the row lock
    (``licensing.services.cases.application_unchanged``). Notes are left out: a colleague's note
    does not change what a decision rests on.
    """
    return _case_audit(application, with_notes=False).aggregate(latest=Max("id"))["latest"] or 0


def case_changes_since(application: Application, version: int) -> list[AuditEntry]:
    return list(_case_audit(application, with_notes=False).filter(id__gt=version).order_by("id"))


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    action: str
    label: str
    subject: str  # the document or request concerned, "" for the case itself
    comment: str
    from_state: str
    to_state: str


def _subjects(entries: Iterable[AuditEntry]) -> dict[tuple[str, str], str]:
    """What each document or request entry is about, in words, from two queries at most."""
    entries = list(entries)
    document_ids = {int(e.object_id) for e in entries if e.object_type == "licensing.document"}
    names: dict[tuple[str, str], str] = {}
    for document in Document.objects.filter(pk__in=document_ids).select_related("requirement", "key_person"):
        label = str(document.requirement.name)
        if document.key_person:
            label = f"{label} ({document.key_person.full_name})"
        names[("licensing.document", str(document.pk))] = gettext("%(document)s, version %(version)s") % {
            "document": label,
            "version": document.version,
        }
    for entry in entries:
        if entry.object_type == "licensing.informationrequest":
            names[(entry.object_type, entry.object_id)] = gettext("information request")
    return names


_STATE_LABELS = {
    "licensing.application": dict(Application.State.choices),
    "licensing.document": dict(Document.State.choices),
    "licensing.informationrequest": dict(InformationRequest.State.choices),
    "registry.license": dict(License.Status.choices),
}


def _state_label(object_type: str, value: str) -> str:
    return str(_STATE_LABELS.get(object_type, {}).get(value, value))


def _timeline(entries: list[AuditEntry]) -> list[TimelineEntry]:
    subjects = _subjects(entries)
    # The trail keeps the username (it outlives the account); people read names.
    names = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in={e.actor_id for e in entries if e.actor_id})
    }
    return [
        TimelineEntry(
            at=entry.at,
            actor=names.get(entry.actor_id, entry.actor_name) if entry.actor_id else entry.actor_name,
            action=entry.action,
            label=audit_action_label(entry.action),
            subject=subjects.get((entry.object_type, entry.object_id), ""),
            # A note's text is shown with the notes; the trail says only that one was added.
            comment="" if entry.object_type == "licensing.internalnote" else entry.comment,
            from_state=_state_label(entry.object_type, entry.from_state),
            to_state=_state_label(entry.object_type, entry.to_state),
        )
        for entry in entries
    ]


def case_timeline(application: Application) -> list[TimelineEntry]:
    """The case's audit trail, newest first: every change to it, its documents, requests and notes."""
    return _timeline(list(_case_audit(application, with_notes=True).order_by("-id")))


def describe_change(entry: TimelineEntry) -> str:
    """One line of "what changed" for a refused action: time, who, what."""
    what = f"{entry.label}: {entry.subject}" if entry.subject else entry.label
    return gettext("%(time)s, %(actor)s %(what)s") % {
        "time": formats.date_format(timezone.localtime(entry.at), "SHORT_DATETIME_FORMAT"),
        "actor": entry.actor,
        "what": what,
    }


def case_change_lines(application: Application, version: int) -> list[str]:
    return [describe_change(entry) for entry in _timeline(case_changes_since(application, version))]


def license_audit(license) -> list[TimelineEntry]:
    """Who changed the license and when (the staff's view; the public history has no names)."""
    entries = AuditEntry.objects.filter(object_type="registry.license", object_id=str(license.pk)).order_by("-id")
    return _timeline(list(entries))


@dataclass(frozen=True)
class TeamMember:
    user: object
    roles: list[str]
    has_authenticator: bool
    open_cases: int


def staff_team() -> list[TeamMember]:
    """Every active member of the regulator's staff, with roles, second factor and open cases."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[REVIEWER, APPROVER, SUPERVISOR])
        .distinct()
        .annotate(
            open_cases=Count(
                "assigned_applications",
                filter=Q(assigned_applications__state__in=Application.UNDER_CONSIDERATION),
                distinct=True,
            ),
            has_authenticator=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        )
        .prefetch_related("groups")
        .order_by("first_name", "last_name", "username")
    )
    labels = {REVIEWER: _("Reviewer"), APPROVER: _("Approver"), SUPERVISOR: _("Supervisor")}
    return [
        TeamMember(
            user=user,
            roles=[str(labels[g.name]) for g in user.groups.all() if g.name in labels],
            has_authenticator=user.has_authenticator,
            open_cases=user.open_cases,
        )
        for user in users
    ]


def warning_entry_version(entry) -> str:
    """A digest of what a supervisor sees of a warning-list entry: the edit and removal forms carry it,
    and a change made by someone else meanwhile is refused instead of overwritten."""
    seen = [str(getattr(entry, name)) for name in (*EDITABLE_FIELDS, "status")]
    return hashlib.sha256("\x1f".join(seen).encode()).hexdigest()[:32]
