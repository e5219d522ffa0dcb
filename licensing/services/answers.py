"""The applicant answers the regulator's information requests, with text and attached files.

Each open request is answered on its own; when the last open one is answered the case takes the
``respond`` transition back to where the request was made, and the statutory clock runs again
(SPEC section 7). Attached files are checked, streamed to private storage and hashed like
documents; a refusal stores nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.errors import ConcurrentChange, DomainError, NotPermitted, TransitionNotAllowed
from licensing.models import Application, InformationRequest, ResponseAttachment
from licensing.permissions import is_member
from licensing.services.applications import _resume_answered
from licensing.services.documents import (
    FORMAT_EXTENSIONS,
    FORMAT_MIME,
    _check_file,
    _discard,
    _write_new_file,
    open_for,
    size_limit_bytes,
)

__all__ = ["ATTACHMENT_FORMATS", "MAX_ATTACHMENTS", "information_request_answer", "response_attachment_open"]

ATTACHMENT_FORMATS = ("pdf", "docx", "xlsx", "png", "jpeg")
MAX_ATTACHMENTS = 10
RESPONSE_MAX_LENGTH = 20000


def _check_answer(application: Application, request: InformationRequest, actor, response: str) -> None:
    if not is_member(actor, application.organization_id):
        raise NotPermitted(_("Only members of the applicant organization may answer its information requests."))
    if application.state != Application.State.INFORMATION_REQUESTED:
        raise TransitionNotAllowed(
            _("This application is %(state)s: there is no information request to answer.")
            % {"state": application.get_state_display()}
        )
    if request.state != InformationRequest.State.OPEN:
        raise ConcurrentChange(
            _("This request is %(state)s already. Reload the page to see the answer.")
            % {"state": request.get_state_display().lower()}
        )
    if not response.strip():
        raise DomainError(_("Write your answer to the questions."))
    if len(response) > RESPONSE_MAX_LENGTH:
        raise DomainError(
            _("Shorten the answer to %(limit)d characters, and attach longer texts as files.")
            % {"limit": RESPONSE_MAX_LENGTH}
        )


def information_request_answer(
    *, request: InformationRequest, actor, response: str, attachments: Sequence[File] = ()
) -> InformationRequest:
    """Answer one open request; the last answer resumes the case. Refusals store nothing."""
    application = Application.objects.get(pk=request.application_id)
    _check_answer(application, request, actor, response)
    if len(attachments) > MAX_ATTACHMENTS:
        raise DomainError(_("Attach at most %(count)d files to one answer.") % {"count": MAX_ATTACHMENTS})
    limit = size_limit_bytes(None)
    checked = []
    for uploaded in attachments:
        try:
            checked.append((uploaded, *_check_file(uploaded_file=uploaded, formats=ATTACHMENT_FORMATS, limit=limit)))
        except DomainError as error:
            raise DomainError(
                _("%(name)s: %(problem)s") % {"name": getattr(uploaded, "name", ""), "problem": error.message}
            ) from None
    written: list[tuple[str, int, str, str, str]] = []
    try:
        for uploaded, original_name, code in checked:
            name, size, sha256 = _write_new_file(
                uploaded_file=uploaded, extension=FORMAT_EXTENSIONS[code][0], limit=limit
            )
            written.append((name, size, sha256, original_name, code))
        with transaction.atomic():
            return _record_answer(request=request, actor=actor, response=response.strip(), written=written)
    except BaseException:
        for name, *_rest in written:
            _discard(name)
        raise


def _record_answer(*, request: InformationRequest, actor, response: str, written) -> InformationRequest:
    application = (
        Application.objects.select_for_update()
        .select_related("organization", "license_type")
        .get(pk=request.application_id)
    )
    request = InformationRequest.objects.select_for_update().get(pk=request.pk)
    _check_answer(application, request, actor, response)
    now = timezone.now()
    request.answer(by=actor, response=response, at=now)
    request.save()
    files = ResponseAttachment.objects.bulk_create(
        ResponseAttachment(
            information_request=request,
            storage_name=name,
            original_name=original_name,
            size=size,
            sha256=sha256,
            content_type=FORMAT_MIME[code],
            uploaded_by=actor,
            uploaded_at=now,
        )
        for name, size, sha256, original_name, code in written
    )
    audit_record(
        actor=actor,
        action="information_request.answer",
        obj=request,
        from_state=InformationRequest.State.OPEN,
        to_state=request.state,
        comment="; ".join(f"{f.original_name} ({f.size} bytes, sha256 {f.sha256})" for f in files),
    )
    if not application.information_requests.filter(state=InformationRequest.State.OPEN).exists():
        _resume_answered(application, actor=actor, from_state=application.state, at=now)
    return request


def response_attachment_open(*, attachment: ResponseAttachment, actor) -> File:
    """The stored file of an answer's attachment, for the organization's members and the case's staff."""
    return open_for(
        application_id=InformationRequest.objects.values_list("application_id", flat=True).get(
            pk=attachment.information_request_id
        ),
        storage_name=attachment.storage_name,
        actor=actor,
        label=f"attachment {attachment.public_id}",
    )
