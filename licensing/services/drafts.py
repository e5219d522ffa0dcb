"""The applicant's work on a draft between creation and submission (SPEC section 13).

Every task page saves what was typed, even when it does not validate yet: what cannot be stored
in its proper field is kept in ``Application.draft_input`` under the task's name and shown again,
with its errors, when the task is reopened. Valid input goes to its field and clears the kept copy.
"""

from __future__ import annotations

from django.core.files.storage import storages
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from common.errors import DomainError
from licensing.models import Application, Document
from licensing.services.applications import _is_member, _run, _Step
from licensing.services.documents import STORAGE_ALIAS

__all__ = ["application_delete_draft", "application_keep_input", "application_update_business"]

_MEMBERS_ONLY = gettext_lazy("Only members of the applicant organization may do this.")
_EDIT_DRAFT = _Step("submit", "edit", "be changed (only a draft can)")
BUSINESS_SUMMARY_MAX_LENGTH = 5000


def _draft(application: Application, actor) -> Application:
    locked, _state = _run(application, _EDIT_DRAFT, actor=actor, allowed=_is_member(actor), refusal=_MEMBERS_ONLY)
    return locked


@transaction.atomic
def application_keep_input(*, application: Application, actor, task: str, data: dict) -> Application:
    """Keep what was typed into ``task`` although it does not validate yet (no audit: nothing decided)."""
    application = _draft(application, actor)
    application.draft_input = {**application.draft_input, task: {k: str(v) for k, v in data.items()}}
    application.save(update_fields=["draft_input", "updated_at"])
    return application


def _clear_input(application: Application, task: str) -> None:
    if task in application.draft_input:
        application.draft_input = {k: v for k, v in application.draft_input.items() if k != task}


@transaction.atomic
def application_update_business(*, application: Application, actor, business_summary: str) -> Application:
    """Store the business summary of a draft: what the firm will do, for whom, where."""
    application = _draft(application, actor)
    business_summary = business_summary.strip()
    if len(business_summary) > BUSINESS_SUMMARY_MAX_LENGTH:
        raise DomainError(
            _("Shorten the business summary to %(limit)d characters; it has %(length)d.")
            % {"limit": BUSINESS_SUMMARY_MAX_LENGTH, "length": len(business_summary)}
        )
    changed = application.business_summary != business_summary
    application.business_summary = business_summary
    _clear_input(application, "business")
    application.save(update_fields=["business_summary", "draft_input", "updated_at"])
    if changed:
        audit_record(actor=actor, action="application.update_business", obj=application, comment="business summary")
    return application


@transaction.atomic
def application_delete_draft(*, application: Application, actor) -> None:
    """Delete a draft the organization no longer wants, with its uploaded files.

    Only a draft: nothing of it has reached the regulator. The audit entry lists each file's
    SHA-256, so what was deleted stays on record.
    """
    application = _draft(application, actor)
    documents = list(Document.objects.select_for_update().filter(application=application))
    audit_record(
        actor=actor,
        action="application.delete_draft",
        obj=application,
        from_state=application.state,
        comment="; ".join(f"{d.original_name} sha256 {d.sha256}" for d in documents) or "no documents",
    )
    names = [document.storage_name for document in documents]
    Document.objects.filter(pk__in=[d.pk for d in documents]).delete()
    application.delete()

    def remove_files() -> None:
        storage = storages[STORAGE_ALIAS]
        for name in names:
            storage.delete(name)

    # Files go only once the rows are gone for good: a rollback keeps both.
    transaction.on_commit(remove_files)
