"""Organizations, applications, documents, information requests and the working-day calendar.

State machines are django-fsm-2 transitions. A transition method only sets fields of its own
object: ``licensing.services`` locks the row, checks who may act and the rule, calls the
transition, saves, writes the audit entry and queues side effects on commit.
"""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from common.identifiers import validate_bin, validate_lei
from registry.models import Activity, DigitalAsset, License, LicenseType, TrilingualNamed

# Crockford's base32 without I, L, O, U: nothing a person reading a reference aloud can confuse.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    """A random application reference such as ``APP-7K3Q9-XWD4M``: not a count, not guessable.

    50 bits, so that even a million applications are unlikely ever to draw the same one twice.
    """
    code = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(10))
    return f"APP-{code[:5]}-{code[5:]}"


def public_id_field():
    """The id a URL carries instead of the sequential primary key (SPEC section 12: IDOR-proof)."""
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False)


class WorkdayTransfer(models.Model):
    """A government decree that changes the working-day calendar (SPEC section 5).

    Public holidays, the days off in lieu the Labour Code moves to Mondays and the transfers decreed
    in past years come from the ``holidays`` library (``licensing.calendar``). A decree published
    before the library knows it is entered here by a superuser: usually a transfer, a working day
    between holidays made a day off and a Saturday worked instead. Either side may stand alone: a
    day off declared outright, or a holiday of the lunar calendar (Kurban Ait) announced on another
    date than the library estimated (the estimated date worked, the announced one off).
    """

    day_off = models.DateField(
        _("becomes a day off"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("A working day the decree gives off, e.g. the Friday between a holiday and the weekend."),
    )
    working_day = models.DateField(
        _("becomes a working day"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("The day worked instead, usually a Saturday; or a holiday the calendar expected on another day."),
    )
    decree = models.CharField(
        _("decree"), max_length=300, help_text=_("For example: Government resolution No. 123 of 1 December 2027.")
    )

    class Meta:
        ordering = ["-day_off", "-working_day"]
        verbose_name = _("transfer of a working day")
        verbose_name_plural = _("transfers of working days")
        constraints = [
            models.CheckConstraint(
                condition=Q(day_off__isnull=False) | Q(working_day__isnull=False), name="transfer_changes_a_day"
            ),
            models.CheckConstraint(
                condition=Q(day_off__isnull=True) | Q(working_day__isnull=True) | ~Q(day_off=F("working_day")),
                name="transfer_moves_to_another_day",
            ),
        ]

    def __str__(self) -> str:
        days = [
            f"{day:%Y-%m-%d} {label}" for day, label in ((self.day_off, "off"), (self.working_day, "worked")) if day
        ]
        return ", ".join(days)


class Organization(models.Model):
    legal_name = models.CharField(_("legal name"), max_length=300)
    # Kazakh and Russian legal names are usually Cyrillic; many firms also register a Latin one.
    latin_name = models.CharField(_("name in Latin letters"), max_length=300, blank=True)
    trading_names = models.JSONField(_("trading names"), default=list, blank=True)
    bin = models.CharField(_("BIN"), max_length=12, unique=True, validators=[validate_bin])
    lei = models.CharField(_("LEI"), max_length=20, blank=True, validators=[validate_lei])
    registered_address = models.CharField(_("registered address"), max_length=500, blank=True)
    # Host names, normalised by common.domains: "steppe.kz", never "https://www.Steppe.kz/".
    website = models.CharField(_("website"), max_length=253, blank=True)
    other_domains = models.JSONField(_("other domains"), default=list, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    paid_up_capital_kzt = models.PositiveBigIntegerField(_("paid-up capital, KZT"), default=0)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="organizations")
    public_id = public_id_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(fields=["lei"], condition=~Q(lei=""), name="one_organization_per_lei"),
        ]

    def __str__(self) -> str:
        return self.legal_name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)
    public_id = public_id_field()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"


class BeneficialOwner(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="beneficial_owners")
    full_name = models.CharField(_("full name"), max_length=200)
    share_percent = models.DecimalField(
        _("share, %"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    country = models.CharField(_("country (ISO code)"), max_length=2)
    is_politically_exposed = models.BooleanField(_("politically exposed person"), default=False)
    public_id = public_id_field()

    class Meta:
        ordering = ["-share_percent", "full_name"]
        verbose_name = _("beneficial owner")
        constraints = [
            models.CheckConstraint(
                condition=Q(share_percent__gt=0) & Q(share_percent__lte=100), name="owner_share_between_0_and_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.share_percent} %)"


class KeyPerson(models.Model):
    class Role(models.TextChoices):
        CHIEF_EXECUTIVE = "chief_executive", _("Chief executive")
        COMPLIANCE_OFFICER = "compliance_officer", _("Compliance officer")
        AML_OFFICER = "aml_officer", _("AML officer")
        INFOSEC_OFFICER = "infosec_officer", _("Information-security officer")
        CHIEF_FINANCIAL_OFFICER = "chief_financial_officer", _("Chief financial officer")
        BOARD_MEMBER = "board_member", _("Board member")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="key_persons")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    public_id = public_id_field()
    # A person whose documents are on file is archived, never deleted: the documents keep their holder.
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["role", "full_name"]
        verbose_name = _("key person")
        verbose_name_plural = _("key persons")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class DocumentRequirement(TrilingualNamed):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    per_key_person = models.BooleanField(_("one per key person"), default=False)
    formats = models.JSONField(_("allowed formats"), default=list, help_text=_('e.g. ["pdf", "docx"]'))
    max_size_mb = models.PositiveSmallIntegerField(_("size limit, MB"), default=20)
    license_types = models.ManyToManyField(LicenseType, related_name="document_requirements", blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("document requirement")
        verbose_name_plural = _("document requirements")


# Submitted and not yet closed: the cases staff work on (a module constant, so the partial indexes of
# the queues in Application.Meta can name them too).
UNDER_CONSIDERATION_STATES = (
    "submitted",
    "completeness_check",
    "information_requested",
    "under_review",
    "pending_decision",
)


class Application(FSMModelMixin, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        COMPLETENESS_CHECK = "completeness_check", _("Completeness check")
        INFORMATION_REQUESTED = "information_requested", _("Information requested")
        UNDER_REVIEW = "under_review", _("Under review")
        PENDING_DECISION = "pending_decision", _("Pending decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        LAPSED = "lapsed", _("Lapsed")

    class Recommendation(models.TextChoices):
        GRANT = "grant", _("Grant")
        REFUSE = "refuse", _("Refuse")

    WITHDRAWABLE = [
        State.DRAFT,
        State.SUBMITTED,
        State.COMPLETENESS_CHECK,
        State.INFORMATION_REQUESTED,
        State.UNDER_REVIEW,
        State.PENDING_DECISION,
    ]
    CLOSED = [State.APPROVED, State.REFUSED, State.WITHDRAWN, State.LAPSED]
    UNDER_CONSIDERATION = list(UNDER_CONSIDERATION_STATES)

    reference = models.CharField(_("reference"), max_length=16, unique=True, default=new_reference, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="applications")
    license_type = models.ForeignKey(LicenseType, on_delete=models.PROTECT, related_name="applications")
    business_summary = models.TextField(_("business summary"), blank=True)
    # What the applicant last typed into a task that did not validate, by task: kept so a draft
    # saves everything a person typed, and shown again with its errors when the task is reopened.
    draft_input = models.JSONField(default=dict, blank=True, editable=False)
    activities = models.ManyToManyField(Activity, related_name="applications", blank=True)
    assets = models.ManyToManyField(DigitalAsset, related_name="applications", blank=True)
    state = FSMField(_("state"), max_length=32, choices=State.choices, default=State.DRAFT, protected=True)
    # Where `respond` returns to: the state the information request was made from.
    resume_state = models.CharField(max_length=32, blank=True, choices=State.choices)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    completeness_confirmed_at = models.DateTimeField(_("completeness confirmed"), null=True, blank=True)

    assigned_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_applications"
    )
    recommendation = models.CharField(max_length=8, choices=Recommendation.choices, blank=True)
    recommendation_reasons = models.TextField(blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recommended_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    license = models.OneToOneField(License, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The due date of the statutory clock that runs now (completeness, then decision); None when none
    # runs. Queues sort by it and find overdue cases with it in the database, so it is kept current by
    # the services on every transition and clock pause, and by a periodic refresh (licensing.deadlines).
    statutory_due_on = models.DateField(_("next statutory due date"), null=True, blank=True, editable=False)
    # The organization's profile as submitted (licensing.profiles): staff decide on it, approval issues
    # the license from it. Empty while a draft; taken again when the applicant answers a request.
    profile_snapshot = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["state", "assigned_reviewer"]),
            # The staff queues read pages in next-deadline order (ascending puts the NULLs of closed
            # cases last) and count each tab from an index: all cases, by state, and the open ones
            # overall and per reviewer (bench/queues.py measures them at 100,000 applications).
            models.Index(fields=["statutory_due_on", "id"], name="application_due"),
            models.Index(fields=["state", "statutory_due_on", "id"], name="application_state_due"),
            # A queue filtered by state and license type counts every tab from this index alone
            # (each tab's condition is on these columns), instead of reading the rows.
            models.Index(
                fields=["state", "license_type", "assigned_reviewer", "statutory_due_on", "recommended_by"],
                name="application_queue_filters",
            ),
            models.Index(
                fields=["statutory_due_on", "id"],
                name="application_open_due",
                condition=Q(state__in=UNDER_CONSIDERATION_STATES),
            ),
            models.Index(
                fields=["assigned_reviewer", "statutory_due_on", "id"],
                name="application_open_reviewer_due",
                condition=Q(state__in=UNDER_CONSIDERATION_STATES),
            ),
            # "Awaiting my decision" leaves out what this approver recommended (four eyes).
            models.Index(
                fields=["recommended_by"], name="application_pending_by", condition=Q(state="pending_decision")
            ),
        ]
        constraints = [
            # Four eyes: whoever decides did not recommend.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | Q(recommended_by__isnull=True)
                | ~Q(decided_by=F("recommended_by")),
                name="approver_differs_from_recommender",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(license__isnull=False), name="approved_application_has_license"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.organization}"

    # --- transitions: this object's fields only ------------------------------------------------
    @transition(field=state, source=State.DRAFT, target=State.SUBMITTED)
    def submit(self, *, at) -> None:
        self.submitted_at = at

    @transition(field=state, source=State.SUBMITTED, target=State.COMPLETENESS_CHECK)
    def start_check(self, *, reviewer) -> None:
        self.assigned_reviewer = reviewer

    @transition(field=state, source=[State.COMPLETENESS_CHECK, State.UNDER_REVIEW], target=State.INFORMATION_REQUESTED)
    def request_information(self) -> None:
        self.resume_state = self.state

    @transition(
        field=state,
        source=State.INFORMATION_REQUESTED,
        target=RETURN_VALUE(State.COMPLETENESS_CHECK, State.UNDER_REVIEW),
    )
    def respond(self) -> str:
        """Back to the state the request was made from (SPEC section 7)."""
        back_to = (
            self.State.UNDER_REVIEW if self.resume_state == self.State.UNDER_REVIEW else self.State.COMPLETENESS_CHECK
        )
        self.resume_state = ""
        return back_to

    @transition(field=state, source=State.COMPLETENESS_CHECK, target=State.UNDER_REVIEW)
    def confirm_complete(self, *, at) -> None:
        self.completeness_confirmed_at = at

    @transition(field=state, source=State.UNDER_REVIEW, target=State.PENDING_DECISION)
    def recommend(self, *, by, recommendation: str, reasons: str, at) -> None:
        self.recommendation = recommendation
        self.recommendation_reasons = reasons
        self.recommended_by = by
        self.recommended_at = at

    @transition(field=state, source=State.PENDING_DECISION, target=State.UNDER_REVIEW)
    def return_to_review(self) -> None:
        self.recommendation = ""
        self.recommendation_reasons = ""
        self.recommended_by = None
        self.recommended_at = None

    @transition(field=state, source=State.PENDING_DECISION, target=State.APPROVED)
    def approve(self, *, by, license: License, reasons: str, at) -> None:
        self.decided_by = by
        self.decided_at = at
        self.decision_reasons = reasons
        self.license = license
        self.closed_at = at

    @transition(field=state, source=State.PENDING_DECISION, target=State.REFUSED)
    def refuse(self, *, by, reasons: str, at) -> None:
        self.decided_by = by
        self.decided_at = at
        self.decision_reasons = reasons
        self.closed_at = at

    @transition(field=state, source=WITHDRAWABLE, target=State.WITHDRAWN)
    def withdraw(self, *, at) -> None:
        self.closed_at = at

    @transition(field=state, source=State.INFORMATION_REQUESTED, target=State.LAPSED)
    def lapse(self, *, at) -> None:
        self.closed_at = at


class ClockPause(models.Model):
    """A span during which the statutory clock stood still (an open information request)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="clock_pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    information_request = models.OneToOneField(
        "InformationRequest", on_delete=models.CASCADE, related_name="clock_pause", null=True, blank=True
    )

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(ended_at__isnull=True), name="one_open_pause_per_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} paused {self.started_at:%Y-%m-%d} to {self.ended_at or '…'}"


class Document(FSMModelMixin, models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        SUPERSEDED = "superseded", _("Superseded")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    requirement = models.ForeignKey(DocumentRequirement, on_delete=models.PROTECT, related_name="documents")
    key_person = models.ForeignKey(KeyPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    version = models.PositiveIntegerField(default=1)
    state = FSMField(_("state"), max_length=16, choices=State.choices, default=State.PENDING, protected=True)
    storage_name = models.CharField(max_length=200, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    public_id = public_id_field()

    class Meta:
        ordering = ["requirement__position", "key_person_id", "-version"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["state", "uploaded_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement", "key_person", "version"], name="one_document_per_slot_version"
            ),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(rejection_reason=""), name="rejected_document_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement} v{self.version}"

    @transition(field=state, source=State.PENDING, target=State.ACCEPTED)
    def accept(self, *, by, at) -> None:
        self.reviewed_by = by
        self.reviewed_at = at

    @transition(field=state, source=State.PENDING, target=State.REJECTED)
    def reject(self, *, by, reason: str, at) -> None:
        self.reviewed_by = by
        self.reviewed_at = at
        self.rejection_reason = reason

    @transition(field=state, source=[State.PENDING, State.ACCEPTED, State.REJECTED], target=State.SUPERSEDED)
    def supersede(self) -> None:
        pass


class InformationRequest(FSMModelMixin, models.Model):
    class State(models.TextChoices):
        # A context of its own: "expired" means the answer's deadline here, the validity for a license.
        OPEN = "open", pgettext_lazy("information request state", "Open")
        ANSWERED = "answered", pgettext_lazy("information request state", "Answered")
        EXPIRED = "expired", pgettext_lazy("information request state", "Expired")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="information_requests")
    state = FSMField(_("state"), max_length=16, choices=State.choices, default=State.OPEN, protected=True)
    questions = models.TextField(_("questions"))
    deadline = models.DateField(_("response deadline"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    response = models.TextField(_("response"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    public_id = public_id_field()

    class Meta:
        ordering = ["requested_at"]
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"Request {self.pk} on {self.application_id} due {self.deadline}"

    @transition(field=state, source=State.OPEN, target=State.ANSWERED)
    def answer(self, *, by, response: str, at) -> None:
        self.response = response
        self.responded_by = by
        self.responded_at = at

    @transition(field=state, source=State.OPEN, target=State.EXPIRED)
    def expire(self) -> None:
        pass


class InternalNote(models.Model):
    """Staff-only remarks on a case; never shown to the applicant or the public."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note {self.pk} on {self.application_id}"


class ResponseAttachment(models.Model):
    """A file an applicant sent with the answer to an information request; kept like a document."""

    information_request = models.ForeignKey(InformationRequest, on_delete=models.PROTECT, related_name="attachments")
    public_id = public_id_field()
    storage_name = models.CharField(max_length=200, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment to an answer")
        verbose_name_plural = _("attachments to answers")

    def __str__(self) -> str:
        return self.original_name


class Invitation(models.Model):
    """An owner's invitation to a colleague: a signed link sent by e-mail, usable once, until it expires."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    public_id = public_id_field()
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=8, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} to {self.organization_id}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class WarningScreening(models.Model):
    """One comparison of an organization's names and domains with the warning list (SPEC section 15).

    Made at registration, on every change of the profile's names or domains, and on an application's
    snapshot of the profile when it is taken (submission) or retaken (an answer to an information
    request): ``licensing.services.screening``. Kept, so staff see what was screened when; its
    matches are the lookalikes found then.
    """

    class Trigger(models.TextChoices):
        REGISTRATION = "registration", _("Organization registered")
        PROFILE_CHANGE = "profile_change", _("Profile changed")
        SUBMISSION = "submission", _("Application submitted")
        RESPONSE = "response", _("Information request answered")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="warning_screenings")
    # The application whose profile snapshot was screened, for those triggers.
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="warning_screenings"
    )
    trigger = models.CharField(_("trigger"), max_length=16, choices=Trigger.choices)
    screened_at = models.DateTimeField(_("screened at"), db_index=True)
    # What was compared: the profile's names and normalised hosts at that moment.
    names = models.JSONField(_("names screened"), default=list)
    hosts = models.JSONField(_("domains screened"), default=list)

    class Meta:
        ordering = ["-screened_at", "-id"]
        verbose_name = _("warning-list screening")
        verbose_name_plural = _("warning-list screenings")

    def __str__(self) -> str:
        return f"{self.organization_id} screened {self.screened_at:%Y-%m-%d %H:%M}"


class WarningMatch(models.Model):
    """A warning-list entry that one of the organization's names or domains resembles."""

    class Kind(models.TextChoices):
        NAME = "name", _("Name")
        DOMAIN = "domain", _("Domain")

    class Reason(models.TextChoices):
        SAME_NAME = "same_name", _("The same name")
        LOOKALIKE_LETTERS = "lookalike_letters", _("The same with look-alike letters of another alphabet")
        SPELLING = "spelling", _("Spelt a letter or two differently")
        ADDED_WORDS = "added_words", _("The same name with words added or left out")
        SAME_DOMAIN = "same_domain", _("The same domain")
        SAME_SITE = "same_site", _("A subdomain of the same site")
        OTHER_TLD = "other_tld", _("The same name on another top-level domain")
        DOMAIN_SPELLING = "domain_spelling", _("A domain a character or two apart")

    screening = models.ForeignKey(WarningScreening, on_delete=models.CASCADE, related_name="matches")
    entry = models.ForeignKey("registry.WarningEntry", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("matched on"), max_length=8, choices=Kind.choices)
    value = models.CharField(_("the organization's"), max_length=300)
    listed = models.CharField(_("the warning list's"), max_length=300)
    score = models.FloatField(_("closeness"), help_text=_("1 is the same; 0.8 and above is flagged."))
    reason = models.CharField(_("why"), max_length=24, choices=Reason.choices)

    class Meta:
        ordering = ["-score", "kind", "id"]
        verbose_name = _("warning-list match")
        verbose_name_plural = _("warning-list matches")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="warning_match_score_0_to_1"),
        ]

    def __str__(self) -> str:
        return f"{self.value} ~ {self.listed} ({self.score})"
