"""The regulator's dashboard (SPEC section 14): ``/staff/...``.

Every view is behind ``staff_required`` (or ``supervisor_required``): anonymous visitors are sent to
sign in; anyone else who is not regulator staff gets 404, because the staff area does not exist for
them. Who may do what is the services' rule (SPEC section 4); the pages offer only what the person
may do now (``case_actions``), and an action on a case that changed since its page was loaded is
refused under the row lock with the list of what changed (``application_unchanged``).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import confirm_fresh_code, needs_fresh_code, second_factor_reset
from common.errors import ConcurrentChange, DomainError, NotPermitted
from licensing import permissions, services
from licensing.calendar import add_working_days
from licensing.forms import staff as forms
from licensing.metrics import METRICS, metrics_csv_response
from licensing.models import Application, Document, ResponseAttachment
from licensing.selectors import application_clock, application_profile, application_warning_matches, license_holder_ids
from licensing.services.cases import application_assign, application_unchanged, applications_assign, internal_note_add
from licensing.staff_selectors import (
    INLINE_CONTENT_TYPES,
    QueueFilters,
    case_actions,
    case_documents,
    case_for_staff,
    case_information_requests,
    case_notes,
    case_queue,
    case_timeline,
    case_version,
    license_audit,
    staff_assignees,
    staff_team,
    warning_entry_version,
)
from licensing.workdays import CalendarNotCovered
from registry import selectors as registry_selectors
from registry import services as registry_services
from registry.forms import DEFAULT_PAGE_SIZE, LicenseSearchForm
from registry.models import DFAClass, DigitalAsset, LicenseType, WarningEntry
from registry.warning_list import imports as warning_imports
from registry.warning_list import selectors as warning_selectors
from registry.warning_list import services as warning_services
from registry.warning_list.forms import WarningSearchForm

# --- access --------------------------------------------------------------------------------------


def staff_required(view):
    """Anonymous: to the sign-in page. Signed in but not regulator staff: 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_regulator_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def supervisor_required(view):
    """Supervisors' pages (lists, metrics, team): 404 for other staff, as for everyone else."""

    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not permissions.is_supervisor(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _case_or_404(request: HttpRequest, reference: str) -> Application:
    application = case_for_staff(request.user, reference)
    if application is None:
        raise Http404
    return application


def _to_case(application: Application) -> HttpResponse:
    return redirect("licensing:staff_case", reference=application.reference)


def _local_path(request: HttpRequest, value: str, fallback: str) -> str:
    if value.startswith("/") and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return fallback


# --- queues --------------------------------------------------------------------------------------


def _query(request: HttpRequest, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


def _paginate(request: HttpRequest, results, *, page: int | None, page_size: int) -> dict:
    """A page of ``results`` (anything with ``count()`` and ``page(offset, limit)``), past the end: the last."""
    count = results.count()
    pages = max(1, -(-count // page_size))
    page = min(page or 1, pages)
    return {
        "items": results.page((page - 1) * page_size, page_size),
        "count": count,
        "page": page,
        "pages": pages,
        "previous_query": _query(request, page=str(page - 1)) if page > 1 else "",
        "next_query": _query(request, page=str(page + 1)) if page < pages else "",
    }


@staff_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    assignees = list(staff_assignees())
    license_types = {t.code: t for t in LicenseType.objects.order_by("code")}
    form = forms.QueueFilterForm(request.GET, assignees=assignees, license_types=license_types.values())
    form.is_valid()  # a mangled filter in a link is dropped, not shown as an error
    data = form.cleaned_data
    license_type = license_types.get(data.get("license_type") or "")
    filters = QueueFilters(
        state=data.get("state") or "",
        license_type_id=license_type.pk if license_type else None,
        assignee=data.get("assignee") or "",
        q=data.get("q") or "",
    )
    today = timezone.localdate()
    page = case_queue(request.user, tab=data.get("tab") or "", filters=filters, page=data.get("page") or 1, today=today)
    supervisor = permissions.is_supervisor(request.user)
    context = {
        "form": form,
        "page": page,
        "today": today,
        "filtered": bool(filters.state or filters.license_type_id or filters.assignee or filters.q),
        "tab_links": [
            (name, label, count, name in page.lower_bounds, _query(request, tab=name, page=None))
            for name, label, count in page.tabs
        ],
        "previous_query": _query(request, tab=page.tab, page=str(page.page - 1)) if page.page > 1 else "",
        "next_query": _query(request, tab=page.tab, page=str(page.page + 1)) if page.page < page.pages else "",
        "can_assign": supervisor,
        "can_pick_up": permissions.is_reviewer(request.user) or supervisor,
        "assignees": assignees,
        "here": request.get_full_path(),
    }
    return render(request, "licensing/staff/queue.html", context)


@staff_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    back = _local_path(request, request.POST.get("next", ""), reverse("licensing:staff_queue"))
    if not permissions.is_supervisor(request.user):
        raise Http404
    posted = [value for value in request.POST.getlist("cases") if value.isdigit()]
    form = forms.BulkAssignForm(request.POST, assignees=staff_assignees(), case_ids=[int(v) for v in posted])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    reviewer = form.cleaned_data["reviewer"]
    cases = list(
        Application.objects.exclude(state=Application.State.DRAFT)
        .filter(pk__in=form.cleaned_data["cases"])
        .order_by("pk")
    )
    outcome = applications_assign(applications=cases, actor=request.user, reviewer=reviewer)
    name = reviewer.get_full_name() or reviewer.get_username()
    if outcome.assigned:
        messages.success(
            request,
            _("Assigned to %(name)s: %(cases)s.")
            % {"name": name, "cases": ", ".join(a.reference for a in outcome.assigned)},
        )
    for reference, why in outcome.refused:
        messages.error(request, _("%(reference)s was not assigned: %(why)s") % {"reference": reference, "why": why})
    return redirect(back)


# --- the case page -------------------------------------------------------------------------------


def _default_deadline(application: Application):
    try:
        return add_working_days(timezone.localdate(), application.license_type.response_days)
    except CalendarNotCovered:
        return None


def _case_context(request: HttpRequest, application: Application, **extra) -> dict:
    today = timezone.localdate()
    actions = case_actions(request.user, application)
    version = case_version(application)
    profile = application_profile(application)
    documents = case_documents(application)
    clock = clock_problem = None
    try:
        clock = application_clock(application, today=today)
    except CalendarNotCovered as exc:
        clock_problem = str(exc)
    mandatory_open = [
        row
        for row in documents
        if row.mandatory and (row.current is None or row.current.state != Document.State.ACCEPTED)
    ]
    reject_form = extra.pop("reject_form", None)  # (document id, bound form) after a refused rejection
    document_rows = []
    for row in documents:
        form = None
        if actions.review_documents and row.current and row.current.state == Document.State.PENDING:
            if reject_form and reject_form[0] == row.current.pk:
                form = reject_form[1]
            else:
                form = forms.DocumentRejectForm(initial={"version": version}, auto_id=f"reject-{row.current.pk}-%s")
        document_rows.append((row, form))
    context = {
        "application": application,
        "actions": actions,
        "version": version,
        "profile": profile,
        "lookalikes": application_warning_matches(application),
        "activities": list(application.activities.order_by("position", "code")),
        "assets": list(application.assets.order_by("dfa_class", "symbol")),
        "document_rows": document_rows,
        "mandatory_open": mandatory_open,
        "inline_types": INLINE_CONTENT_TYPES,
        "requests": case_information_requests(application),
        "notes": case_notes(application),
        "timeline": case_timeline(application),
        "clock": clock,
        "clock_items": [(_("Completeness check"), clock.completeness), (_("Decision"), clock.decision)]
        if clock
        else [],
        "clock_problem": clock_problem,
        "today": today,
        "note_form": forms.NoteForm(),
        "assign_form": forms.AssignForm(initial={"version": version}, assignees=staff_assignees())
        if actions.assign
        else None,
    }
    context["reject_form_bound"] = reject_form[1] if reject_form else None
    context.update(extra)
    return context


def _render_case(request: HttpRequest, application: Application, *, status: int = 200, **extra) -> HttpResponse:
    return render(request, "licensing/staff/case.html", _case_context(request, application, **extra), status=status)


@staff_required
@require_safe
def case(request: HttpRequest, reference: str) -> HttpResponse:
    return _render_case(request, _case_or_404(request, reference))


def _refusal_context(exc: DomainError) -> dict:
    if isinstance(exc, ConcurrentChange):
        return {"changed": exc}
    return {"problems": [str(exc.message), *[str(p) for p in exc.problems]]}


def _refusal_status(exc: DomainError) -> int:
    if isinstance(exc, ConcurrentChange):
        return 409
    return 403 if isinstance(exc, NotPermitted) else 400


def _perform(
    request: HttpRequest,
    application: Application,
    form,
    run: Callable[[Application, dict], object],
    *,
    success: str,
    again: Callable[[Application, int, dict], HttpResponse],
) -> HttpResponse:
    """Validate, check a fresh code where asked, run the action on the unchanged case, redirect to it.

    ``again(application, status, extra)`` shows the page that sent the form once more: with the
    form's errors, or with the refusal and the case as it is now.
    """
    if not form.is_valid():
        return again(application, 400, {"form": form})
    if getattr(form, "needs_code", False) and not confirm_fresh_code(request, form.cleaned_data["otp_token"]):
        form.add_error("otp_token", _("That code is not valid now. Enter the code your app shows at this moment."))
        return again(application, 400, {"form": form})
    version = form.cleaned_data["version"]
    try:
        if version is None:
            run(application, form.cleaned_data)
        else:
            with application_unchanged(application=application, seen_version=version) as locked:
                run(locked, form.cleaned_data)
    except DomainError as exc:
        application.refresh_from_db()
        return again(application, _refusal_status(exc), _refusal_context(exc))
    messages.success(request, success)
    return _to_case(application)


def _case_again(request: HttpRequest, form_name: str = "") -> Callable[[Application, int, dict], HttpResponse]:
    def again(application: Application, status: int, extra: dict) -> HttpResponse:
        form = extra.pop("form", None)
        if form is not None and form_name:
            extra[form_name] = form
        return _render_case(request, application, status=status, **extra)

    return again


@staff_required
@require_POST
def case_pick_up(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case_or_404(request, reference)
    return _perform(
        request,
        application,
        forms.PickUpForm(request.POST),
        lambda locked, data: services.application_start_check(application=locked, actor=request.user),
        success=_("You picked up %(reference)s: its completeness check has started.")
        % {"reference": application.reference},
        again=_case_again(request),
    )


@staff_required
@require_POST
def case_assign(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case_or_404(request, reference)
    form = forms.AssignForm(request.POST, assignees=staff_assignees())
    return _perform(
        request,
        application,
        form,
        lambda locked, data: application_assign(application=locked, actor=request.user, reviewer=data["reviewer"]),
        success=_("%(reference)s is assigned.") % {"reference": application.reference},
        again=_case_again(request, "assign_form"),
    )


def _case_document(application: Application, document_id: int) -> Document:
    document = Document.objects.filter(pk=document_id, application=application).select_related("requirement").first()
    if document is None:
        raise Http404
    return document


# Pages the browser renders itself need a policy of their own: nothing may run or load, and an image
# is shown in a sandbox. Chromium's PDF viewer refuses to start in a sandbox, so a PDF gets the
# strict policy without it (its viewer runs apart from the page anyway).
_DOCUMENT_POLICY = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'"
)


def _stored_file(request: HttpRequest, handle, *, name: str, content_type: str) -> FileResponse:
    """A file an applicant filed: shown in the browser if it can show it safely, downloaded otherwise.

    The content type is the one sniffed from the content at upload, never the applicant's claim.
    """
    inline = content_type in INLINE_CONTENT_TYPES and request.GET.get("download") != "1"
    response = FileResponse(handle, as_attachment=not inline, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if inline and content_type == "application/pdf":
        response["Content-Security-Policy"] = _DOCUMENT_POLICY
    else:
        response["Content-Security-Policy"] = _DOCUMENT_POLICY + "; sandbox"
    return response


@staff_required
@require_safe
def case_document(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    application = _case_or_404(request, reference)
    document = _case_document(application, document_id)
    try:
        handle = services.document_open(document=document, actor=request.user)
    except NotPermitted:
        raise Http404 from None
    except DomainError as exc:
        return _render_case(request, application, status=404, problems=[exc.message])
    return _stored_file(request, handle, name=document.original_name, content_type=document.content_type)


@staff_required
@require_safe
def case_attachment(request: HttpRequest, reference: str, public_id) -> HttpResponse:
    """A file sent with the answer to one of the case's information requests."""
    application = _case_or_404(request, reference)
    attachment = ResponseAttachment.objects.filter(
        public_id=public_id, information_request__application=application
    ).first()
    if attachment is None:
        raise Http404
    try:
        handle = services.response_attachment_open(attachment=attachment, actor=request.user)
    except NotPermitted:
        raise Http404 from None
    except DomainError as exc:
        return _render_case(request, application, status=404, problems=[exc.message])
    return _stored_file(request, handle, name=attachment.original_name, content_type=attachment.content_type)


@staff_required
@require_POST
def document_accept(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    application = _case_or_404(request, reference)
    document = _case_document(application, document_id)
    return _perform(
        request,
        application,
        forms.DocumentAcceptForm(request.POST),
        lambda locked, data: services.document_accept(document=_case_document(locked, document.pk), actor=request.user),
        success=_("Accepted: %(document)s.") % {"document": document.requirement.name},
        again=_case_again(request),
    )


@staff_required
@require_POST
def document_reject(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    application = _case_or_404(request, reference)
    document = _case_document(application, document_id)
    form = forms.DocumentRejectForm(request.POST, auto_id=f"reject-{document.pk}-%s")

    def again(application: Application, status: int, extra: dict) -> HttpResponse:
        if "form" in extra:
            extra["reject_form"] = (document.pk, extra.pop("form"))
        return _render_case(request, application, status=status, **extra)

    return _perform(
        request,
        application,
        form,
        lambda locked, data: services.document_reject(
            document=_case_document(locked, document.pk), actor=request.user, reason=data["reason"]
        ),
        success=_("Rejected: %(document)s. The applicant is asked for a corrected version.")
        % {"document": document.requirement.name},
        again=again,
    )


@staff_required
@require_POST
def case_confirm_complete(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case_or_404(request, reference)
    return _perform(
        request,
        application,
        forms.ConfirmCompleteForm(request.POST),
        lambda locked, data: services.application_confirm_complete(application=locked, actor=request.user),
        success=_("%(reference)s is complete: the review has started and the decision clock runs.")
        % {"reference": application.reference},
        again=_case_again(request),
    )


@staff_required
@require_POST
def case_note_add(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case_or_404(request, reference)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        try:
            internal_note_add(application=application, actor=request.user, body=form.cleaned_data["body"])
        except DomainError as exc:
            form.add_error("body", exc.message)
        else:
            messages.success(request, _("Note added."))
            return redirect(reverse("licensing:staff_case", args=[application.reference]) + "#notes")
    return _render_case(request, application, status=400, note_form=form)


# --- actions with a page of their own: request information, recommend, decide, return -----------


def _action_page(
    request: HttpRequest,
    application: Application,
    *,
    allowed: Callable[[object], bool],
    template: str,
    make_form: Callable[..., object],
    run: Callable[[Application, dict], object],
    success: str,
) -> HttpResponse:
    """GET: the action's form with what it rests on. POST: the action, as ``_perform`` runs it."""
    if not allowed(case_actions(request.user, application)):
        # Not (or no longer) this person's to do: the case page says where the case stands.
        if request.method == "POST":
            return _render_case(
                request,
                application,
                status=409,
                problems=[_("This action is not available on this case to you now. Here is the case as it stands.")],
            )
        return _to_case(application)

    def again(current: Application, status: int, extra: dict) -> HttpResponse:
        if not allowed(case_actions(request.user, current)):
            return _render_case(request, current, status=status, **{k: v for k, v in extra.items() if k != "form"})
        if "form" not in extra:
            # Refused: a fresh form for the case as it is now, keeping what the person wrote.
            values = {key: value for key, value in request.POST.items() if key not in ("otp_token", "version")}
            extra["form"] = make_form(initial={**values, "version": case_version(current)})
        return render(request, template, {**_action_context(request, current), **extra}, status=status)

    if request.method == "POST":
        return _perform(request, application, make_form(data=request.POST), run, success=success, again=again)
    return render(
        request,
        template,
        {**_action_context(request, application), "form": make_form(initial={"version": case_version(application)})},
    )


def _action_context(request: HttpRequest, application: Application) -> dict:
    return {
        "application": application,
        "actions": case_actions(request.user, application),
        "documents": case_documents(application),
        "requests": case_information_requests(application),
    }


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_request_information(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case_or_404(request, reference)
    return _action_page(
        request,
        application,
        allowed=lambda actions: actions.request_information,
        template="licensing/staff/request_information.html",
        make_form=lambda **kw: forms.InformationRequestForm(default_deadline=_default_deadline(application), **kw),
        run=lambda locked, data: services.application_request_information(
            application=locked, actor=request.user, questions=data["questions"], deadline=data["deadline"]
        ),
        success=_("Information requested. The statutory clock is paused until the applicant answers."),
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_recommend(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case_or_404(request, reference)
    return _action_page(
        request,
        application,
        allowed=lambda actions: actions.recommend,
        template="licensing/staff/recommend.html",
        make_form=lambda **kw: forms.RecommendForm(**kw),
        run=lambda locked, data: services.application_recommend(
            application=locked, actor=request.user, recommendation=data["recommendation"], reasons=data["reasons"]
        ),
        success=_("Recommendation recorded. Another approver decides the case."),
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_approve(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case_or_404(request, reference)
    against = application.recommendation == Application.Recommendation.REFUSE
    return _action_page(
        request,
        application,
        allowed=lambda actions: actions.decide,
        template="licensing/staff/approve.html",
        make_form=lambda **kw: forms.ApproveForm(needs_code=needs_fresh_code(request), reasons_required=against, **kw),
        run=lambda locked, data: services.application_approve(
            application=locked, actor=request.user, reasons=data["reasons"]
        ),
        success=_("Approved. The license is issued and shown in the public registry."),
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_refuse(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case_or_404(request, reference)
    return _action_page(
        request,
        application,
        allowed=lambda actions: actions.decide,
        template="licensing/staff/refuse.html",
        make_form=lambda **kw: forms.RefuseForm(needs_code=needs_fresh_code(request), **kw),
        run=lambda locked, data: services.application_refuse(
            application=locked, actor=request.user, reasons=data["reasons"]
        ),
        success=_("Refused. The applicant receives the decision with its reasons."),
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_return(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case_or_404(request, reference)
    return _action_page(
        request,
        application,
        allowed=lambda actions: actions.decide,
        template="licensing/staff/return.html",
        make_form=lambda **kw: forms.ReturnToReviewForm(**kw),
        run=lambda locked, data: services.application_return_to_review(
            application=locked, actor=request.user, reason=data["reason"]
        ),
        success=_("Returned to review. The reviewer sees your reason on the case."),
    )


# --- licenses ------------------------------------------------------------------------------------

LICENSE_ACTIONS = {
    # action: (service, whether it is a deciding action that asks for a fresh second-factor code)
    "suspend": (registry_services.license_suspend, True),
    "reinstate": (registry_services.license_reinstate, False),
    "revoke": (registry_services.license_revoke, True),
    "surrender": (registry_services.license_surrender, False),
}


def _license_or_404(number: str) -> registry_selectors.LicenseRecord:
    """The license with its activities, assets and public history, as the registry reads it."""
    record = registry_selectors.license_get(number=number)
    if record is None:
        raise Http404
    return record


@staff_required
@require_safe
def licenses(request: HttpRequest) -> HttpResponse:
    form = LicenseSearchForm(request.GET)
    context: dict = {"form": form, "licenses": [], "count": 0}
    if form.is_valid():
        data = form.cleaned_data
        filters = registry_selectors.LicenseFilters(
            q=data["q"],
            status=data["status"],
            license_type=data["license_type"],
            activity=data["activity"],
            asset=data["asset"],
        )
        results = registry_selectors.license_search(filters=filters)
        context.update(_paginate(request, results, page=data["page"], page_size=DEFAULT_PAGE_SIZE))
        context["licenses"] = context.pop("items")
    return render(request, "licensing/staff/licenses.html", context)


def _license_context(request: HttpRequest, record: registry_selectors.LicenseRecord) -> dict:
    license = record.license
    return {
        "license": license,
        "activities": record.activities,
        "assets": record.assets,
        "events": record.events,
        "audit": license_audit(license),
        "available": registry_services.license_actions_available(license=license, actor=request.user),
        "application": Application.objects.filter(pk=license.application_id).first()
        if license.application_id
        else None,
        "today": timezone.localdate(),
    }


@staff_required
@require_safe
def license_page(request: HttpRequest, number: str) -> HttpResponse:
    return render(request, "licensing/staff/license.html", _license_context(request, _license_or_404(number)))


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def license_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    if action not in LICENSE_ACTIONS:
        raise Http404
    record = _license_or_404(number)
    license = record.license
    service, decisive = LICENSE_ACTIONS[action]
    context = _license_context(request, record)
    if action not in context["available"]:
        messages.error(request, _("This action is not available on this license to you now."))
        return redirect("licensing:staff_license", number=license.number)
    needs_code = decisive and needs_fresh_code(request)
    latest_event = max((event.pk for event in context["events"]), default=0)
    form = forms.LicenseActionForm(
        request.POST if request.method == "POST" else None, needs_code=needs_code, initial={"seen_event": latest_event}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            if needs_code and not confirm_fresh_code(request, form.cleaned_data["otp_token"]):
                form.add_error(
                    "otp_token", _("That code is not valid now. Enter the code your app shows at this moment.")
                )
            else:
                try:
                    with registry_services.license_unchanged(
                        license=license, seen_event_id=form.cleaned_data["seen_event"]
                    ) as locked:
                        # Suspension and revocation tell the holder's people, whom only licensing knows.
                        told = {"recipients": license_holder_ids(license_ids=[locked.pk]).get(locked.pk, [])}
                        extra = told if action in ("suspend", "revoke") else {}
                        updated = service(
                            license=locked, actor=request.user, reason=form.cleaned_data["reason"], **extra
                        )
                except DomainError as exc:
                    status = _refusal_status(exc)
                    context = _license_context(request, _license_or_404(number))
                    context.update(_refusal_context(exc))
                    form = forms.LicenseActionForm(
                        needs_code=needs_code,
                        initial={
                            "seen_event": max((e.pk for e in context["events"]), default=0),
                            "reason": request.POST.get("reason", ""),
                        },
                    )
                else:
                    messages.success(
                        request,
                        _("License %(number)s is now %(status)s. The public registry shows it.")
                        % {"number": updated.number, "status": updated.get_status_display().lower()},
                    )
                    return redirect("licensing:staff_license", number=updated.number)
    return render(
        request, "licensing/staff/license_action.html", {**context, "form": form, "action": action}, status=status
    )


# --- the permitted-asset list (supervisors) --------------------------------------------------------

ASSET_ACTIONS = {
    "suspend": registry_services.asset_suspend,
    "reinstate": registry_services.asset_reinstate,
    "delist": registry_services.asset_delist,
}


@supervisor_required
@require_safe
def assets(request: HttpRequest) -> HttpResponse:
    classes = [
        (code, label, [(asset, registry_services.asset_actions_available(asset)) for asset in listed])
        for code, label, listed in registry_selectors.assets_by_class()
    ]
    return render(
        request,
        "licensing/staff/assets.html",
        {"classes": classes, "history": registry_selectors.asset_history()[:50]},
    )


@supervisor_required
@require_http_methods(["GET", "HEAD", "POST"])
def asset_add(request: HttpRequest) -> HttpResponse:
    form = forms.AssetAddForm(
        request.POST or None, classes=DFAClass.choices, initial={"effective_on": timezone.localdate()}
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            asset = registry_services.asset_add(
                actor=request.user,
                symbol=data["symbol"],
                name=data["name"],
                dfa_class=data["dfa_class"],
                effective_on=data["effective_on"],
                reason=data["reason"],
            )
        except DomainError as exc:
            problems = [exc.message, *exc.problems]
        else:
            messages.success(request, _("%(symbol)s is on the permitted-asset list.") % {"symbol": asset.symbol})
            return redirect("licensing:staff_assets")
    status = 400 if request.method == "POST" else 200
    return render(request, "licensing/staff/asset_add.html", {"form": form, "problems": problems}, status=status)


@supervisor_required
@require_http_methods(["GET", "HEAD", "POST"])
def asset_action(request: HttpRequest, symbol: str, action: str) -> HttpResponse:
    asset = DigitalAsset.objects.filter(symbol=symbol.upper()).first()
    if action not in ASSET_ACTIONS or asset is None:
        raise Http404
    if action not in registry_services.asset_actions_available(asset):
        messages.error(
            request,
            _("%(symbol)s is %(status)s: that change does not apply.")
            % {"symbol": asset.symbol, "status": asset.get_status_display().lower()},
        )
        return redirect("licensing:staff_assets")
    form = forms.AssetStatusForm(
        request.POST or None, initial={"seen_status": asset.status, "effective_on": timezone.localdate()}
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ASSET_ACTIONS[action](
                asset=asset,
                actor=request.user,
                seen_status=data["seen_status"],
                effective_on=data["effective_on"],
                reason=data["reason"],
            )
        except DomainError as exc:
            problems = [exc.message, *exc.problems]
        else:
            asset.refresh_from_db()
            messages.success(
                request,
                _("%(symbol)s is now %(status)s.")
                % {"symbol": asset.symbol, "status": asset.get_status_display().lower()},
            )
            return redirect("licensing:staff_assets")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "licensing/staff/asset_action.html",
        {
            "asset": asset,
            "action": action,
            "form": form,
            "problems": problems,
            "history": registry_selectors.asset_history(asset),
        },
        status=status,
    )


# --- metrics (supervisors) -----------------------------------------------------------------------


@supervisor_required
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "licensing/staff/metrics.html", {"metrics": [metric(today) for metric in METRICS.values()]})


@supervisor_required
@require_safe
def metrics_csv(request: HttpRequest, name: str) -> HttpResponse:
    metric = METRICS.get(name)
    if metric is None:
        raise Http404
    return metrics_csv_response(metric(timezone.localdate()))


# --- the team and their second factor (supervisors) -------------------------------------------------


@supervisor_required
@require_safe
def team(request: HttpRequest) -> HttpResponse:
    return render(request, "licensing/staff/team.html", {"members": staff_team()})


@supervisor_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_reset_second_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    member = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if member is None or not (member.is_regulator_staff or member.is_staff):
        raise Http404
    problems: list[str] = []
    if request.method == "POST":
        try:
            second_factor_reset(user=member, actor=request.user)
        except DomainError as exc:
            problems = [exc.message]
        else:
            messages.success(
                request,
                _("The authenticator of %(name)s is removed; a set-up link is on its way to their e-mail.")
                % {"name": member.get_full_name() or member.get_username()},
            )
            return redirect("licensing:staff_team")
    return render(
        request,
        "licensing/staff/team_reset.html",
        {
            "member": member,
            "has_device": TOTPDevice.objects.filter(user=member, confirmed=True).exists(),
            "problems": problems,
        },
        status=400 if problems else 200,
    )


# --- the warning list (supervisors) ------------------------------------------------------------------

WARNINGS_PAGE_SIZE = 50
# An uploaded file waits in the session between its preview and the confirmation; larger files are
# for `manage.py import_warnings`.
IMPORT_MAX_BYTES = 2 * 1024 * 1024
_IMPORT_SESSION_KEY = "warning_import"


def _warning_or_404(entry_id: int) -> WarningEntry:
    entry = WarningEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


def _service_refusal(form, exc: Exception) -> list:
    """Field errors of a service's ``ValidationError`` go to their fields; a refusal becomes a problem."""
    if isinstance(exc, ValidationError):
        form.add_error(None, exc)
        return []
    problems: list = [exc.message, *exc.problems]
    existing = getattr(exc, "existing", None)
    if existing is not None:
        problems.append(
            (_("Open %(name)s") % {"name": existing.name}, reverse("licensing:staff_warning_edit", args=[existing.pk]))
        )
    return problems


@supervisor_required
@require_safe
def warnings(request: HttpRequest) -> HttpResponse:
    form = WarningSearchForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    results = warning_selectors.warning_search(
        filters=warning_selectors.WarningFilters(q=data.get("q") or "", status=data.get("status") or "active")
    )
    context = _paginate(request, results, page=data.get("page"), page_size=WARNINGS_PAGE_SIZE)
    context["entries"] = context.pop("items")
    return render(request, "licensing/staff/warnings.html", {"form": form, **context})


@supervisor_required
@require_http_methods(["GET", "HEAD", "POST"])
def warning_add(request: HttpRequest) -> HttpResponse:
    form = forms.WarningEntryForm(request.POST or None, initial={"listed_on": timezone.localdate()})
    problems: list = []
    if request.method == "POST" and form.is_valid():
        try:
            entry = warning_services.warning_add(actor=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            problems = _service_refusal(form, exc)
        else:
            messages.success(request, _("%(name)s is on the warning list.") % {"name": entry.name})
            return redirect("licensing:staff_warnings")
    status = 400 if request.method == "POST" else 200
    return render(request, "licensing/staff/warning_form.html", {"form": form, "problems": problems}, status=status)


def _entry_initial(entry: WarningEntry) -> dict:
    initial = {name: getattr(entry, name) for name in warning_services.EDITABLE_FIELDS}
    initial["other_names"] = "\n".join(entry.other_names)
    initial["domains"] = "\n".join(entry.domains)
    return {**initial, "seen": warning_entry_version(entry)}


def _changed_meanwhile(entry: WarningEntry) -> ConcurrentChange:
    return ConcurrentChange(
        _("%(name)s was changed by someone else after you opened it, so nothing was done. This is the entry now.")
        % {"name": entry.name}
    )


@supervisor_required
@require_http_methods(["GET", "HEAD", "POST"])
def warning_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _warning_or_404(entry_id)
    if not entry.is_active:
        messages.error(request, _("%(name)s was removed from the list; it is kept as it was.") % {"name": entry.name})
        return redirect("licensing:staff_warnings")
    initial = {**_entry_initial(entry), "effective_on": timezone.localdate()}
    form = forms.WarningEditForm(request.POST or None, initial=initial)
    problems: list = []
    changed = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.pop("seen") != warning_entry_version(entry):
            changed = _changed_meanwhile(entry)
            form = forms.WarningEditForm(initial={**initial, "change_reason": data["change_reason"]})
        else:
            try:
                warning_services.warning_update(
                    entry=entry,
                    actor=request.user,
                    effective_on=data.pop("effective_on"),
                    change_reason=data.pop("change_reason"),
                    **data,
                )
            except (ValidationError, DomainError) as exc:
                problems = _service_refusal(form, exc)
            else:
                messages.success(request, _("%(name)s is updated.") % {"name": data["name"]})
                return redirect("licensing:staff_warnings")
    status = 200 if request.method != "POST" else (409 if changed else 400)
    return render(
        request,
        "licensing/staff/warning_form.html",
        {"form": form, "entry": entry, "problems": problems, "changed": changed},
        status=status,
    )


@supervisor_required
@require_http_methods(["GET", "HEAD", "POST"])
def warning_remove(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _warning_or_404(entry_id)
    if not entry.is_active:
        return redirect("licensing:staff_warnings")
    initial = {"seen": warning_entry_version(entry), "removed_on": timezone.localdate()}
    form = forms.WarningRemoveForm(request.POST or None, initial=initial)
    problems: list = []
    changed = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["seen"] != warning_entry_version(entry):
            changed = _changed_meanwhile(entry)
            form = forms.WarningRemoveForm(initial={**initial, "reason": data["reason"]})
        else:
            try:
                warning_services.warning_remove(
                    entry=entry, actor=request.user, removed_on=data["removed_on"], reason=data["reason"]
                )
            except (ValidationError, DomainError) as exc:
                problems = _service_refusal(form, exc)
            else:
                messages.success(request, _("%(name)s is removed from the warning list.") % {"name": entry.name})
                return redirect("licensing:staff_warnings")
    status = 200 if request.method != "POST" else (409 if changed else 400)
    return render(
        request,
        "licensing/staff/warning_remove.html",
        {"form": form, "entry": entry, "problems": problems, "changed": changed},
        status=status,
    )


@supervisor_required
@require_http_methods(["GET", "HEAD", "POST"])
def warning_import(request: HttpRequest) -> HttpResponse:
    """Upload a regulator's file: the preview says what importing it would do; nothing is written."""
    form = forms.WarningImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            form.add_error("file", _("The file is larger than 2 MB: import it with manage.py import_warnings."))
        else:
            data = upload.read()
            try:
                report = warning_imports.warning_import_preview(data=data, format=form.cleaned_data["format"])
            except warning_imports.ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                request.session[_IMPORT_SESSION_KEY] = {
                    "token": report.token,
                    "format": report.format,
                    "name": upload.name,
                    "data": base64.b64encode(data).decode(),
                }
                return _import_preview(request, report, upload.name)
    status = 400 if request.method == "POST" else 200
    return render(request, "licensing/staff/warning_import.html", {"form": form}, status=status)


def _import_preview(request: HttpRequest, report, name: str, *, status: int = 200, **extra) -> HttpResponse:
    # What an update changes, by the fields' names as people read them.
    updated = [
        (entity, [str(WarningEntry._meta.get_field(field).verbose_name) for field in entity.changes])
        for entity in report.updated
    ]
    context = {"report": report, "name": name, "updated": updated, **extra}
    return render(request, "licensing/staff/warning_import_preview.html", context, status=status)


@supervisor_required
@require_POST
def warning_import_confirm(request: HttpRequest) -> HttpResponse:
    """Apply the previewed file, only if neither it nor the list changed since the preview was shown."""
    pending = request.session.get(_IMPORT_SESSION_KEY)
    if not pending or pending["token"] != request.POST.get("token"):
        messages.error(request, _("That preview is no longer here. Upload the file again."))
        return redirect("licensing:staff_warning_import")
    report = warning_imports.warning_import_preview(data=base64.b64decode(pending["data"]), format=pending["format"])
    try:
        warning_imports.warning_import_apply(report=report, actor=request.user, token=pending["token"])
    except ConcurrentChange as exc:
        request.session[_IMPORT_SESSION_KEY] = {**pending, "token": report.token}
        return _import_preview(request, report, pending["name"], status=409, changed=exc)
    del request.session[_IMPORT_SESSION_KEY]
    messages.success(
        request,
        _("Imported %(name)s: %(added)d added, %(updated)d updated, %(unchanged)d unchanged, %(refused)d refused.")
        % {
            "name": pending["name"],
            "added": len(report.added),
            "updated": len(report.updated),
            "unchanged": len(report.unchanged),
            "refused": len(report.refused),
        },
    )
    return redirect("licensing:staff_warnings")
