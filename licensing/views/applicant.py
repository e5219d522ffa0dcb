"""The applicant face (SPEC section 13): ``/apply/...``, applications from draft to decision.

Every URL names the application by its random reference; anyone who is not a member of its
organization (staff included) gets 404, anonymous visitors are sent to sign in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from common.errors import DomainError
from licensing import services
from licensing.calendar import get_calendar
from licensing.forms.applicant import (
    ActivitiesForm,
    AnswerForm,
    AssetsForm,
    BusinessForm,
    ConfirmForm,
    DeclarationForm,
    DocumentUploadForm,
)
from licensing.models import Application, Document, DocumentRequirement, InformationRequest, ResponseAttachment
from licensing.selectors import (
    SlotView,
    application_clock,
    application_document_slots,
    application_for_member,
    application_other_documents,
    application_profile,
    application_requests,
    application_timeline,
    applications_for_member,
    organization_licenses,
    organizations_for_member,
)
from licensing.services.answers import ATTACHMENT_FORMATS, MAX_ATTACHMENTS
from licensing.services.documents import FORMAT_EXTENSIONS, FORMAT_MIME, UPLOAD_STATES, size_limit_bytes
from licensing.views.common import case_rows
from licensing.views.organization import bound, organization_or_404, posted
from registry.models import Activity, CapitalClass, DFAClass, DigitalAsset, LicenseType


def application_or_404(request, reference: str, *, draft: bool | None = None) -> Application:
    application = application_for_member(request.user, reference)
    if application is None:
        raise Http404
    if draft is not None and (application.state == Application.State.DRAFT) != draft:
        # A task page of a submitted case (or a case page of a draft) leads to the page that exists now.
        raise _Redirect(reverse("licensing:applicant_case", args=[reference]))
    return application


class _Redirect(Http404):
    """Raised by lookups to send the person elsewhere; turned into a redirect by ``_redirects``."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


def _redirects(view):
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _Redirect as target:
            return redirect(target.url)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# --- home -------------------------------------------------------------------------------------------


@login_required
def home(request):
    today = timezone.localdate()
    organizations = list(organizations_for_member(request.user))
    rows = case_rows(applications_for_member(request.user), today)
    drafts = [row for row in rows if row["application"].state == Application.State.DRAFT]
    closed = [row for row in rows if row["application"].state in Application.CLOSED]
    open_cases = [row for row in rows if row not in drafts and row not in closed]
    return render(
        request,
        "licensing/applicant_home.html",
        {
            "organizations": organizations,
            "drafts": drafts,
            "open_cases": open_cases,
            "closed": closed,
            "today": today,
        },
    )


@login_required
@require_POST
def application_start(request, public_id):
    """Start a new draft for the organization (several drafts may exist side by side)."""
    organization = organization_or_404(request, public_id)
    try:
        application = services.application_create(organization=organization, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("licensing:applicant_home")
    messages.success(
        request, _("Draft %(reference)s is started. It is saved as you go.") % {"reference": application.reference}
    )
    return redirect("licensing:applicant_case", application.reference)


# --- the task list ---------------------------------------------------------------------------------

NOT_STARTED, IN_PROGRESS, COMPLETED, CANNOT_START = "not_started", "in_progress", "completed", "cannot_start"
STATUS_LABELS = {
    NOT_STARTED: gettext_lazy("Not started"),
    IN_PROGRESS: gettext_lazy("In progress"),
    COMPLETED: gettext_lazy("Completed"),
    CANNOT_START: gettext_lazy("Cannot start yet"),
}


@dataclass(frozen=True)
class Task:
    key: str
    name: str
    url: str
    status: str
    hint: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _task_urls(application: Application) -> dict[str, str]:
    reference, organization = application.reference, application.organization.public_id
    return {
        "profile": reverse("licensing:organization", args=[organization]),
        "owners": reverse("licensing:owners", args=[organization]),
        "people": reverse("licensing:people", args=[organization]),
        "activities": reverse("licensing:task_activities", args=[reference]),
        "assets": reverse("licensing:task_assets", args=[reference]),
        "business": reverse("licensing:task_business", args=[reference]),
        "documents": reverse("licensing:task_documents", args=[reference]),
        "check": reverse("licensing:task_check", args=[reference]),
    }


def _tasks(application: Application, problems, slots: list[SlotView]) -> list[Task]:
    urls = _task_urls(application)
    failing = {getattr(problem, "task", "") for problem in problems}
    kept = application.draft_input
    activities = application.activities.count()
    assets = application.assets.count()

    def status(key: str, *, started: bool) -> str:
        if key in failing or key in kept:
            return IN_PROGRESS if started or key in kept else NOT_STARTED
        return COMPLETED if started else NOT_STARTED

    profile_failing = failing & {"profile", "owners", "people"}
    documents_started = any(view.versions for view in slots)
    tasks = [
        Task(
            "profile",
            _("Organization profile, owners and key persons"),
            urls["profile"],
            IN_PROGRESS if profile_failing else COMPLETED,
            _("Shared by all your organization's applications."),
        ),
        Task(
            "activities",
            _("Services and license type"),
            urls["activities"],
            status("activities", started=activities > 0),
            _("License %(code)s · %(name)s")
            % {"code": application.license_type.code, "name": application.license_type.name}
            if activities
            else "",
        ),
        Task("assets", _("Digital assets"), urls["assets"], status("assets", started=assets > 0 or "assets" in kept)),
        Task(
            "business",
            _("Capital and business summary"),
            urls["business"],
            status("business", started=bool(application.business_summary)),
        ),
        Task("documents", _("Documents"), urls["documents"], status("documents", started=documents_started)),
    ]
    # "Assets: none" is an answer too, saved as such; it is not kept input to show again.
    if "assets" in kept and "assets" not in failing:
        tasks[2] = Task(tasks[2].key, tasks[2].name, tasks[2].url, COMPLETED)
    ready = all(task.status == COMPLETED for task in tasks)
    tasks.append(
        Task(
            "check",
            _("Check your answers and submit"),
            urls["check"],
            NOT_STARTED if ready else CANNOT_START,
        )
    )
    return tasks


def _problem_links(application: Application, problems) -> list[tuple[str, str]]:
    urls = _task_urls(application)
    return [(str(problem), urls.get(getattr(problem, "task", ""), "")) for problem in problems]


@login_required
def case(request, reference: str):
    """The application's page: the task list while a draft, the case page once submitted."""
    application = application_or_404(request, reference)
    if application.state == Application.State.DRAFT:
        return _task_list(request, application)
    return _case_page(request, application)


def _task_list(request, application: Application):
    problems = services.application_submission_problems(application)
    slots = application_document_slots(application)
    tasks = _tasks(application, problems, slots)
    return render(
        request,
        "licensing/applicant/task_list.html",
        {
            "application": application,
            "tasks": tasks,
            "completed": sum(task.status == COMPLETED for task in tasks),
            "total": len(tasks),
        },
    )


# Each state in the words an applicant understands, with what happens next.
STATE_EXPLANATIONS = {
    Application.State.SUBMITTED: gettext_lazy(
        "The National Bank has received your application. A reviewer will start the completeness check soon."
    ),
    Application.State.COMPLETENESS_CHECK: gettext_lazy(
        "A reviewer is checking that the application and its documents are complete."
    ),
    Application.State.INFORMATION_REQUESTED: gettext_lazy(
        "The National Bank needs more information from you. The statutory clock is stopped until you answer."
    ),
    Application.State.UNDER_REVIEW: gettext_lazy(
        "Your application is complete and is being assessed. The decision is due within the statutory period."
    ),
    Application.State.PENDING_DECISION: gettext_lazy(
        "The assessment is finished. The application is with the decision-maker."
    ),
    Application.State.APPROVED: gettext_lazy("The license has been granted."),
    Application.State.REFUSED: gettext_lazy("The application has been refused. The reasons are below."),
    Application.State.WITHDRAWN: gettext_lazy("You withdrew this application. It will not be assessed."),
    Application.State.LAPSED: gettext_lazy(
        "The application lapsed because an information request was not answered in time. You may apply again."
    ),
}
STATE_TAGS = {
    Application.State.DRAFT: "grey",
    Application.State.SUBMITTED: "blue",
    Application.State.COMPLETENESS_CHECK: "blue",
    Application.State.INFORMATION_REQUESTED: "yellow",
    Application.State.UNDER_REVIEW: "blue",
    Application.State.PENDING_DECISION: "blue",
    Application.State.APPROVED: "green",
    Application.State.REFUSED: "red",
    Application.State.WITHDRAWN: "grey",
    Application.State.LAPSED: "red",
}


def _clock_rows(clock) -> list:
    rows = []
    if clock.completeness is not None:
        rows.append((_("Completeness check"), clock.completeness))
    if clock.decision is not None:
        rows.append((_("Decision"), clock.decision))
    return rows


def _case_page(request, application: Application):
    slots = application_document_slots(application)
    requests = application_requests(application)
    clock = application_clock(application)
    today = timezone.localdate()
    open_requests = [r for r in requests if r.state == InformationRequest.State.OPEN]
    for information_request in open_requests:
        information_request.working_days_left = get_calendar().working_days_between(today, information_request.deadline)
    return render(
        request,
        "licensing/applicant/case.html",
        {
            "application": application,
            "explanation": STATE_EXPLANATIONS.get(application.state, ""),
            "tag": STATE_TAGS.get(application.state, "grey"),
            "clock": clock,
            "clock_rows": _clock_rows(clock),
            "slot_rows": _slot_rows(application, slots),
            "other_documents": application_other_documents(application, slots),
            "open_requests": open_requests,
            "past_requests": [r for r in requests if r.state != InformationRequest.State.OPEN],
            "timeline": application_timeline(application),
            "profile": application_profile(application),
            "can_withdraw": application.state in Application.WITHDRAWABLE,
            "can_upload": application.state in UPLOAD_STATES,
        },
    )


# --- tasks ------------------------------------------------------------------------------------------


def _kept(application: Application, task: str):
    """The input kept for ``task`` (a QueryDict-like dict) or None."""
    return application.draft_input.get(task)


@login_required
@_redirects
def task_activities(request, reference: str):
    application = application_or_404(request, reference, draft=True)
    activities = list(Activity.objects.order_by("position", "code"))
    chosen = list(application.activities.values_list("code", flat=True))
    form = ActivitiesForm(posted(request), activities=activities, initial={"activities": chosen})
    if request.method == "POST":
        codes = request.POST.getlist("activities")
        # Saved even when none is chosen: the page keeps exactly what the person left ticked.
        services.application_update_scope(
            application=application, actor=request.user, activities=[a for a in activities if a.code in codes]
        )
        if form.is_valid():
            messages.success(request, _("Services saved."))
            return redirect("licensing:applicant_case", application.reference)
        application.refresh_from_db()
    groups = []
    by_class = {license_type.capital_class: license_type for license_type in _license_types()}
    for capital_class, label in CapitalClass.choices:
        codes = {a.code for a in activities if a.capital_class == capital_class}
        options = [option for option in form["activities"] if option.data["value"] in codes]
        if options:
            groups.append({"label": label, "license_type": by_class.get(capital_class), "options": options})
    return render(
        request,
        "licensing/applicant/task_activities.html",
        {"application": application, "form": form, "groups": groups},
    )


def _license_types():
    return LicenseType.objects.filter(is_active=True).order_by("capital_class", "min_capital_kzt")


DFA_CLASS_EXPLANATIONS = {
    DFAClass.FIAT_BACKED: gettext_lazy("Stablecoins: digital assets backed by a fiat currency."),
    DFAClass.ASSET_TOKENIZED: gettext_lazy("Shares, bonds, real estate and other traditional assets as tokens."),
    DFAClass.ELECTRONIC_FINANCIAL_INSTRUMENT: gettext_lazy(
        "Financial contracts and rights issued and recorded digitally."
    ),
    DFAClass.UNSECURED: gettext_lazy("Digital assets backed by nothing, Bitcoin being the model."),
}


@login_required
@_redirects
def task_assets(request, reference: str):
    application = application_or_404(request, reference, draft=True)
    permitted = list(DigitalAsset.objects.filter(status=DigitalAsset.Status.PERMITTED).order_by("dfa_class", "symbol"))
    chosen = list(application.assets.values_list("symbol", flat=True))
    form = AssetsForm(posted(request), assets=permitted, initial={"assets": chosen})
    if request.method == "POST" and form.is_valid():
        symbols = set(form.cleaned_data["assets"])
        services.application_update_scope(
            application=application, actor=request.user, assets=[a for a in permitted if a.symbol in symbols]
        )
        if symbols:
            application.refresh_from_db()
            if "assets" in application.draft_input:
                services.application_keep_input(application=application, actor=request.user, task="assets", data={})
        else:
            # "None" is an answer: remembered so the task counts as done.
            services.application_keep_input(
                application=application, actor=request.user, task="assets", data={"assets": ""}
            )
        messages.success(request, _("Digital assets saved."))
        return redirect("licensing:applicant_case", application.reference)
    unavailable = [a for a in application.assets.all() if a.status != DigitalAsset.Status.PERMITTED]
    groups = []
    for code, label in DFAClass.choices:
        options = [
            option
            for option in form["assets"]
            if option.data["value"] in {a.symbol for a in permitted if a.dfa_class == code}
        ]
        if options:
            groups.append({"label": label, "explanation": DFA_CLASS_EXPLANATIONS[code], "options": options})
    return render(
        request,
        "licensing/applicant/task_assets.html",
        {"application": application, "form": form, "groups": groups, "unavailable": unavailable},
    )


@login_required
@_redirects
def task_business(request, reference: str):
    application = application_or_404(request, reference, draft=True)
    organization = application.organization
    kept = _kept(application, "business")
    if request.method == "POST":
        form = BusinessForm(request.POST)
    elif kept:
        form = BusinessForm(kept)  # what was typed last time, with its errors
    else:
        capital = organization.paid_up_capital_kzt
        form = BusinessForm(
            initial={
                "paid_up_capital_kzt": f"{capital:,}".replace(",", " ") if capital else "",
                "business_summary": application.business_summary,
            }
        )
    problems: list = []
    if request.method == "POST":
        if form.is_valid():
            try:
                services.organization_update(
                    organization=organization,
                    actor=request.user,
                    paid_up_capital_kzt=form.cleaned_data["paid_up_capital_kzt"],
                )
                services.application_update_business(
                    application=application, actor=request.user, business_summary=form.cleaned_data["business_summary"]
                )
            except DomainError as error:
                problems = [str(error.message), *map(str, error.problems)]
            else:
                messages.success(request, _("Capital and business summary saved."))
                return redirect("licensing:applicant_case", application.reference)
        services.application_keep_input(
            application=application,
            actor=request.user,
            task="business",
            data={name: request.POST.get(name, "") for name in ("paid_up_capital_kzt", "business_summary")},
        )
    return render(
        request,
        "licensing/applicant/task_business.html",
        {"application": application, "form": form, "problems": problems},
    )


# --- documents ---------------------------------------------------------------------------------------


def _slot_url(application: Application, view: SlotView) -> str:
    args = [application.reference, view.requirement.code]
    if view.key_person is not None:
        return reverse("licensing:document_slot_person", args=[*args, view.key_person.public_id])
    return reverse("licensing:document_slot", args=args)


def _slot_rows(application: Application, slots: list[SlotView]) -> list[dict]:
    return [{"view": view, "current": view.current, "url": _slot_url(application, view)} for view in slots]


@login_required
def task_documents(request, reference: str):
    application = application_or_404(request, reference)
    slots = application_document_slots(application)
    return render(
        request,
        "licensing/applicant/task_documents.html",
        {
            "application": application,
            "rows": _slot_rows(application, slots),
            "can_upload": application.state in UPLOAD_STATES,
        },
    )


class _SizeLimitHandler(FileUploadHandler):
    """Stops reading a file past the slot's limit, so a too-big upload gets a readable refusal.

    Django's own handlers then never hold it in memory or on disk beyond the limit.
    """

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_big = False
        self._received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self._received = 0

    def receive_data_chunk(self, raw_data, start):
        self._received += len(raw_data)
        if self._received > self.limit:
            self.too_big = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def _refuse_file(form, field: str, message: str) -> None:
    """Show ``message`` as the only error of the file field (the skipped file left it empty)."""
    form.is_valid()
    form.errors[field] = form.error_class([message])


def _format_summary(formats) -> str:
    return ", ".join(code.upper() for code in formats)


def _accept_attribute(formats) -> str:
    parts = []
    for code in formats:
        parts.extend(FORMAT_EXTENSIONS.get(code, ()))
        if code in FORMAT_MIME:
            parts.append(FORMAT_MIME[code])
    return ",".join(parts)


@csrf_exempt
@login_required
def document_slot(request, reference: str, code: str, person_id=None):
    """One document slot: what is asked for, the versions filed, and the upload of a new version."""
    # The size limit must be in place before the body is read, so CSRF is checked after it.
    application = application_or_404(request, reference)
    requirement = DocumentRequirement.objects.filter(code=code, license_types=application.license_type_id).first()
    if requirement is None:
        raise Http404
    limit = size_limit_bytes(requirement)
    handler = _SizeLimitHandler(request, limit)
    request.upload_handlers.insert(0, handler)
    return csrf_protect(_document_slot)(request, application, requirement, person_id, handler)


def _document_slot(request, application, requirement, person_id, handler):
    slots = application_document_slots(application)
    view = next(
        (
            v
            for v in slots
            if v.requirement.pk == requirement.pk
            and (str(v.key_person.public_id) if v.key_person else None) == (str(person_id) if person_id else None)
        ),
        None,
    )
    if view is None:
        raise Http404
    can_upload = application.state in UPLOAD_STATES
    form = DocumentUploadForm(*bound(request))
    if request.method == "POST":
        if not can_upload:
            raise Http404
        if handler.too_big:
            _refuse_file(
                form,
                "file",
                _("The file is larger than %(limit)d MB, the limit for this document. Choose a smaller file.")
                % {"limit": handler.limit // (1024 * 1024)},
            )
        elif form.is_valid():
            try:
                document = services.document_upload(
                    application=application,
                    requirement=requirement,
                    uploaded_file=form.cleaned_data["file"],
                    actor=request.user,
                    key_person=view.key_person,
                )
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                messages.success(
                    request,
                    _("%(document)s: %(name)s is uploaded as version %(version)d.")
                    % {"document": view.slot.label, "name": document.original_name, "version": document.version},
                )
                target = (
                    "licensing:task_documents"
                    if application.state == Application.State.DRAFT
                    else "licensing:applicant_case"
                )
                return redirect(target, application.reference)
    return render(
        request,
        "licensing/applicant/document_slot.html",
        {
            "application": application,
            "view": view,
            "current": view.current,
            "form": form,
            "can_upload": can_upload,
            "formats": _format_summary(requirement.formats),
            "accept": _accept_attribute(requirement.formats),
            "limit_mb": handler.limit // (1024 * 1024),
            "limit_bytes": handler.limit,
        },
    )


@login_required
def document_download(request, reference: str, document_id):
    application = application_or_404(request, reference)
    document = Document.objects.filter(application=application, public_id=document_id).first()
    if document is None:
        raise Http404
    try:
        handle = services.document_open(document=document, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("licensing:applicant_case", application.reference)
    return FileResponse(handle, as_attachment=True, filename=document.original_name, content_type=document.content_type)


# --- check your answers and submit -------------------------------------------------------------


@login_required
@_redirects
def task_check(request, reference: str):
    application = application_or_404(request, reference, draft=True)
    form = DeclarationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(application=application, actor=request.user)
        except DomainError:
            pass  # the pre-check below lists every problem with its link
        else:
            return redirect("licensing:application_submitted", application.reference)
    problems = services.application_submission_problems(application)
    slots = application_document_slots(application)
    return render(
        request,
        "licensing/applicant/task_check.html",
        {
            "application": application,
            "form": form,
            "problems": _problem_links(application, problems),
            "organization": application.organization,
            "owners": list(application.organization.beneficial_owners.all()),
            "people": list(application.organization.key_persons.filter(archived_at__isnull=True)),
            "activities": list(application.activities.order_by("position", "code")),
            "assets": list(application.assets.order_by("dfa_class", "symbol")),
            "rows": _slot_rows(application, slots),
            "urls": _task_urls(application),
        },
    )


@login_required
def application_submitted(request, reference: str):
    application = application_or_404(request, reference)
    if application.state == Application.State.DRAFT:
        return redirect("licensing:applicant_case", application.reference)
    return render(
        request,
        "licensing/applicant/submitted.html",
        {"application": application, "clock": application_clock(application)},
    )


@login_required
@_redirects
def application_delete(request, reference: str):
    application = application_or_404(request, reference, draft=True)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_delete_draft(application=application, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("licensing:applicant_case", application.reference)
        messages.success(request, _("Draft %(reference)s is deleted.") % {"reference": application.reference})
        return redirect("licensing:applicant_home")
    return render(
        request,
        "licensing/applicant/delete.html",
        {"application": application, "form": form, "documents": application.documents.count()},
    )


# --- the case after submission -----------------------------------------------------------------


@login_required
def application_withdraw(request, reference: str):
    application = application_or_404(request, reference)
    if application.state not in Application.WITHDRAWABLE or application.state == Application.State.DRAFT:
        return redirect("licensing:applicant_case", application.reference)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Application %(reference)s is withdrawn.") % {"reference": application.reference}
            )
        return redirect("licensing:applicant_case", application.reference)
    return render(request, "licensing/applicant/withdraw.html", {"application": application, "form": form})


@csrf_exempt
@login_required
def request_answer(request, reference: str, request_id):
    application = application_or_404(request, reference)
    information_request = InformationRequest.objects.filter(application=application, public_id=request_id).first()
    if information_request is None:
        raise Http404
    handler = _SizeLimitHandler(request, size_limit_bytes(None))
    request.upload_handlers.insert(0, handler)
    return csrf_protect(_request_answer)(request, application, information_request, handler)


def _request_answer(request, application, information_request, handler):
    if information_request.state != InformationRequest.State.OPEN:
        return redirect("licensing:applicant_case", application.reference)
    form = AnswerForm(*bound(request))
    if request.method == "POST":
        if handler.too_big:
            _refuse_file(
                form,
                "attachments",
                _("A file is larger than %(limit)d MB, the limit for attachments. Attach a smaller file.")
                % {"limit": handler.limit // (1024 * 1024)},
            )
        elif form.is_valid():
            try:
                services.information_request_answer(
                    request=information_request,
                    actor=request.user,
                    response=form.cleaned_data["response"],
                    attachments=form.cleaned_data["attachments"],
                )
            except DomainError as error:
                field = "attachments" if form.cleaned_data["attachments"] and ":" in str(error.message) else "response"
                form.add_error(field, error.message)
            else:
                application.refresh_from_db()
                messages.success(
                    request,
                    _("Your answer is sent. The statutory clock runs again.")
                    if application.state != Application.State.INFORMATION_REQUESTED
                    else _("Your answer is sent. Answer the other open request too."),
                )
                return redirect("licensing:applicant_case", application.reference)
    return render(
        request,
        "licensing/applicant/request_answer.html",
        {
            "application": application,
            "information_request": information_request,
            "form": form,
            "formats": _format_summary(ATTACHMENT_FORMATS),
            "accept": _accept_attribute(ATTACHMENT_FORMATS),
            "max_files": MAX_ATTACHMENTS,
            "limit_mb": handler.limit // (1024 * 1024),
            "limit_bytes": handler.limit,
        },
    )


@login_required
def attachment_download(request, reference: str, attachment_id):
    application = application_or_404(request, reference)
    attachment = ResponseAttachment.objects.filter(
        information_request__application=application, public_id=attachment_id
    ).first()
    if attachment is None:
        raise Http404
    try:
        handle = services.response_attachment_open(attachment=attachment, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("licensing:applicant_case", application.reference)
    return FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
def licenses(request):
    """Every license of the person's organizations."""
    organizations = list(organizations_for_member(request.user))
    return render(
        request,
        "licensing/applicant/licenses.html",
        {"groups": [(organization, list(organization_licenses(organization))) for organization in organizations]},
    )
