"""Documents an applicant files: upload into private storage, review by staff, download.

Files live in the ``documents`` storage (``DOCUMENT_STORAGE_ROOT``, outside static and media) under
random names; the original name, size, SHA-256 and uploader are kept on the ``Document`` row.
A file is never overwritten or deleted once its row exists: a new upload is a new version.

Every check that can refuse an upload runs before a byte is written. The one window left is a
failure after the file was written (a database error, a state change that won the row lock): the
database work runs in its own atomic block and the ``except`` around it removes the new file.
Django has no ``on_rollback`` hook, so if a caller's *outer* transaction rolls back after this
returned, the file stays behind unreferenced; ``verify_documents`` lists such orphans.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
import unicodedata
import zipfile
from pathlib import Path
from typing import IO, cast

import filetype
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.errors import ConcurrentChange, DomainError, NotPermitted, TransitionNotAllowed
from licensing.models import Application, Document, DocumentRequirement, KeyPerson
from licensing.permissions import can_review, can_view_as_staff, is_member

logger = logging.getLogger(__name__)

STORAGE_ALIAS = "documents"
MAX_NAME_LENGTH = 255
_SNIFF_BYTES = 8192
# [Content_Types].xml of a real document is a few kilobytes; refuse to inflate anything bigger.
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The formats a requirement may allow, by the code used in DocumentRequirement.formats.
FORMAT_MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": DOCX_MIME,
    "xlsx": XLSX_MIME,
}
FORMAT_EXTENSIONS = {
    "pdf": (".pdf",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg"),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
}
_MIME_FORMAT = {mime: code for code, mime in FORMAT_MIME.items()}
# The main part's content type is what tells a Word document from a macro-enabled one (.docm)
# renamed .docx; only the macro-free types are accepted.
_OOXML_MAIN = {
    "docx": ("word/", b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "xlsx": ("xl/", b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}

UPLOAD_STATES = (Application.State.DRAFT, Application.State.INFORMATION_REQUESTED)
REVIEW_STATES = (Application.State.COMPLETENESS_CHECK, Application.State.UNDER_REVIEW)


# --- checks that run before anything is written ------------------------------------------------


def clean_original_name(name: str | None) -> str:
    """The uploaded file's name as it will be shown, or DomainError if it is hostile or unusable.

    Browsers send a bare name; anything with a path, a control character or an absurd length did not
    come from a person picking a file, so it is refused rather than silently repaired.
    """
    name = unicodedata.normalize("NFC", name or "")
    if "\x00" in name:
        raise DomainError(_("The file name contains a NUL character. Rename the file and upload it again."))
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in name):
        raise DomainError(_("The file name contains control characters. Rename the file and upload it again."))
    if "/" in name or "\\" in name:
        raise DomainError(
            _("The file name must not contain a folder path (“/” or “\\”). Rename the file and upload it again.")
        )
    name = name.strip()
    if len(name) > MAX_NAME_LENGTH:
        raise DomainError(
            _("The file name is %(length)d characters long; the limit is %(limit)d. Shorten it and upload again.")
            % {"length": len(name), "limit": MAX_NAME_LENGTH}
        )
    stem, dot, _extension = name.rpartition(".")
    if not (stem if dot else name).strip(". "):
        raise DomainError(_("The file has no usable name. Rename the file and upload it again."))
    return name


def _extension_of(name: str) -> str:
    # Not Path.suffix: that sees no extension in ".pdf", which clean_original_name already refused.
    _stem, dot, extension = name.rpartition(".")
    return f".{extension.lower()}" if dot else ""


def size_limit_bytes(requirement: DocumentRequirement | None) -> int:
    """The upload limit of a requirement (an answer's attachment: the portal's own limit)."""
    limit_mb = settings.DOCUMENT_MAX_SIZE_MB
    if requirement is not None:
        limit_mb = min(requirement.max_size_mb, limit_mb)
    return limit_mb * 1024 * 1024


def _too_big(limit: int) -> DomainError:
    return DomainError(
        _("The file is larger than the limit of %(limit)d MB for this document.") % {"limit": limit // (1024 * 1024)}
    )


def _ooxml_format(uploaded_file: IO[bytes]) -> str | None:
    """``docx`` or ``xlsx`` when the zip really is one (by its parts), otherwise None."""
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" not in names:
                return None
            if archive.getinfo("[Content_Types].xml").file_size > _MAX_CONTENT_TYPES_BYTES:
                return None
            content_types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, ValueError):
        return None
    finally:
        uploaded_file.seek(0)
    for code, (folder, main_type) in _OOXML_MAIN.items():
        if main_type in content_types and any(name.startswith(folder) for name in names):
            return code
    return None


def sniff_format(uploaded_file: IO[bytes]) -> tuple[str | None, str]:
    """The format code of the content (or None) and what the content looked like, for messages."""
    uploaded_file.seek(0)
    head = uploaded_file.read(_SNIFF_BYTES)
    uploaded_file.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime in ("application/zip", DOCX_MIME, XLSX_MIME):
        # filetype looks at the first bytes only; open the archive to be sure it is a document.
        code = _ooxml_format(uploaded_file)
        return code, FORMAT_MIME[code] if code else "application/zip"
    return _MIME_FORMAT.get(mime), mime or _("unrecognised content")


def _format_list(formats) -> str:
    return ", ".join(code.upper() for code in formats)


def _check_file(*, uploaded_file: IO[bytes], formats, limit: int) -> tuple[str, str]:
    """Refuse the file or return (clean original name, format code). Reads the file; writes nothing."""
    original_name = clean_original_name(getattr(uploaded_file, "name", ""))
    declared_size = getattr(uploaded_file, "size", None)
    if declared_size == 0:
        raise DomainError(_("The file is empty."))
    if declared_size is not None and declared_size > limit:
        raise _too_big(limit)
    allowed = [code for code in formats if code in FORMAT_MIME]
    code, seen = sniff_format(uploaded_file)
    if code is None or code not in allowed:
        raise DomainError(
            _("The content of this file is not an allowed type (it looks like %(seen)s). Allowed: %(allowed)s.")
            % {"seen": seen, "allowed": _format_list(allowed)}
        )
    extension = _extension_of(original_name)
    if extension not in FORMAT_EXTENSIONS[code]:
        raise DomainError(
            _("The file is named “%(name)s” but its content is %(format)s; the name must end in %(ext)s.")
            % {"name": original_name, "format": code.upper(), "ext": " or ".join(FORMAT_EXTENSIONS[code])}
        )
    return original_name, code


def _check_upload_allowed(
    *, application: Application, requirement: DocumentRequirement, actor, key_person: KeyPerson | None
) -> None:
    if not is_member(actor, application.organization_id):
        raise NotPermitted(_("Only members of the applying organization may upload its documents."))
    if application.state not in UPLOAD_STATES:
        raise TransitionNotAllowed(
            _(
                "Documents can be uploaded while the application is a draft or while information is requested; "
                "this application is %(state)s."
            )
            % {"state": application.get_state_display()}
        )
    if not requirement.license_types.filter(pk=application.license_type_id).exists():
        raise DomainError(
            _("“%(requirement)s” is not a document of this license type.") % {"requirement": requirement.name}
        )
    if requirement.per_key_person:
        if key_person is None:
            raise DomainError(
                _("“%(requirement)s” is filed for each key person: choose whose document this is.")
                % {"requirement": requirement.name}
            )
        if key_person.organization_id != application.organization_id:
            raise DomainError(_("This key person does not belong to the applying organization."))
    elif key_person is not None:
        raise DomainError(
            _("“%(requirement)s” is filed once for the organization, not per key person.")
            % {"requirement": requirement.name}
        )


# --- private storage ----------------------------------------------------------------------------


def _write_new_file(*, uploaded_file: File, extension: str, limit: int) -> tuple[str, int, str]:
    """Stream the upload into a new file under a random name; return (storage name, size, SHA-256).

    Opened with O_EXCL, so an existing file is never overwritten, even by a name collision. The file
    is fsync'ed before its row is committed: nothing an applicant was told is stored may be lost.
    """
    # Written through os.open for O_EXCL and fsync: the documents storage is a FileSystemStorage.
    storage = cast(FileSystemStorage, storages[STORAGE_ALIAS])
    token = secrets.token_hex(16)
    name = f"{token[:2]}/{token}{extension}"
    path = Path(storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    if storage.directory_permissions_mode is not None:
        path.parent.chmod(storage.directory_permissions_mode)
    mode = storage.file_permissions_mode or 0o600
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags, mode)
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(descriptor, "wb") as out:
            for chunk in uploaded_file.chunks():
                size += len(chunk)
                if size > limit:
                    # The declared size lied (or was unknown): stop reading at the limit.
                    raise _too_big(limit)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise DomainError(_("The file is empty."))
        os.chmod(path, mode)
    except BaseException:
        _discard(name)
        raise
    return name, size, digest.hexdigest()


def _discard(name: str) -> None:
    """Remove a file written by an upload that did not complete, and its shard folder if now empty."""
    storage = storages[STORAGE_ALIAS]
    path = Path(storage.path(name))
    try:
        path.unlink(missing_ok=True)
    except OSError:
        logger.exception("could not remove %s after a failed upload", name)
        return
    with contextlib.suppress(OSError):  # other documents share the folder
        path.parent.rmdir()


# --- services ------------------------------------------------------------------------------------


def document_upload(
    *,
    application: Application,
    requirement: DocumentRequirement,
    uploaded_file: File,
    actor,
    key_person: KeyPerson | None = None,
) -> Document:
    """File a document (a new version if the slot already has one) for a draft or questioned case."""
    _check_upload_allowed(application=application, requirement=requirement, actor=actor, key_person=key_person)
    limit = size_limit_bytes(requirement)
    original_name, code = _check_file(uploaded_file=uploaded_file, formats=requirement.formats, limit=limit)
    storage_name, size, sha256 = _write_new_file(
        uploaded_file=uploaded_file, extension=FORMAT_EXTENSIONS[code][0], limit=limit
    )
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            # The case may have moved on (submitted, withdrawn) while the file was being written.
            _check_upload_allowed(application=locked, requirement=requirement, actor=actor, key_person=key_person)
            previous = (
                Document.objects.select_for_update()
                .filter(application=locked, requirement=requirement, key_person=key_person)
                .order_by("-version")
                .first()
            )
            if previous is not None and previous.state != Document.State.SUPERSEDED:
                from_state = previous.state
                previous.supersede()
                previous.save(update_fields=["state"])
                audit_record(
                    actor=actor,
                    action="document.supersede",
                    obj=previous,
                    from_state=from_state,
                    to_state=previous.state,
                    comment=f"{requirement.code} v{previous.version}",
                )
            document = Document.objects.create(
                application=locked,
                requirement=requirement,
                key_person=key_person,
                version=previous.version + 1 if previous else 1,
                storage_name=storage_name,
                original_name=original_name,
                size=size,
                sha256=sha256,
                content_type=FORMAT_MIME[code],
                uploaded_by=actor,
                uploaded_at=timezone.now(),
            )
            audit_record(
                actor=actor,
                action="document.upload",
                obj=document,
                to_state=document.state,
                comment=f"{requirement.code} v{document.version}: {original_name} ({size} bytes, sha256 {sha256})",
            )
    except BaseException:
        _discard(storage_name)
        raise
    return document


def _review(*, document: Document, actor, accept: bool, reason: str = "") -> Document:
    # Application first, then document: the same order as uploads, so the two never deadlock.
    application = Application.objects.select_for_update().get(pk=document.application_id)
    if not can_review(actor, application):
        raise NotPermitted(_("Only the reviewer assigned to this case or a supervisor may review its documents."))
    if application.state not in REVIEW_STATES:
        raise TransitionNotAllowed(
            _("Documents are reviewed during the completeness check or the review; this application is %(state)s.")
            % {"state": application.get_state_display()}
        )
    reason = (reason or "").strip()
    if not accept and not reason:
        raise DomainError(_("Give the reason for rejecting the document; the applicant will read it."))
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.state != document.state:
        raise ConcurrentChange(
            _("The case changed meanwhile: this document is now %(state)s. Reload the case and check.")
            % {"state": locked.get_state_display()}
        )
    if locked.state != Document.State.PENDING:
        raise TransitionNotAllowed(
            _("This document is %(state)s; only a document pending review can be accepted or rejected.")
            % {"state": locked.get_state_display()}
        )
    from_state = locked.state
    now = timezone.now()
    if accept:
        locked.accept(by=actor, at=now)
    else:
        locked.reject(by=actor, reason=reason, at=now)
    locked.save(update_fields=["state", "reviewed_by", "reviewed_at", "rejection_reason"])
    audit_record(
        actor=actor,
        action="document.accept" if accept else "document.reject",
        obj=locked,
        from_state=from_state,
        to_state=locked.state,
        comment=reason,
    )
    return locked


@transaction.atomic
def document_accept(*, document: Document, actor) -> Document:
    """Accept a pending document (assigned reviewer or supervisor). Returns the updated document."""
    return _review(document=document, actor=actor, accept=True)


@transaction.atomic
def document_reject(*, document: Document, actor, reason: str) -> Document:
    """Reject a pending document with a reason the applicant reads (assigned reviewer or supervisor)."""
    return _review(document=document, actor=actor, accept=False, reason=reason)


def open_for(*, application_id: int, storage_name: str, actor, label: str) -> File:
    """A stored file of the application, opened for reading, for its members or staff who see the case.

    ``label`` names the file in the messages (``document 42``). The caller streams it and closes it.
    """
    application = Application.objects.only("id", "organization_id", "assigned_reviewer_id", "state").get(
        pk=application_id
    )
    if not (is_member(actor, application.organization_id) or can_view_as_staff(actor, application)):
        raise NotPermitted(_("You may not open this file."))
    try:
        return storages[STORAGE_ALIAS].open(storage_name, "rb")
    except FileNotFoundError:
        logger.error("%s: stored file %s is missing", label, storage_name)
        raise DomainError(
            _("The file cannot be found. The regulator's support has been told (%(label)s).") % {"label": label}
        ) from None


def document_open(*, document: Document, actor) -> File:
    """The document's stored file, for a member of the organization or staff who see the case."""
    return open_for(
        application_id=document.application_id,
        storage_name=document.storage_name,
        actor=actor,
        label=f"document {document.pk}",
    )
