"""Writes of the licensing process. Each function locks, checks, transitions, saves, audits, queues.

Import from here (``from licensing import services``); the submodules group related services.
"""

from licensing.services.answers import information_request_answer, response_attachment_open
from licensing.services.applications import (
    Problem,
    application_approve,
    application_confirm_complete,
    application_create,
    application_lapse,
    application_recommend,
    application_refuse,
    application_request_information,
    application_respond,
    application_return_to_review,
    application_start_check,
    application_submission_problems,
    application_submit,
    application_update_scope,
    application_withdraw,
)
from licensing.services.cases import (
    application_assign,
    application_unchanged,
    applications_assign,
    internal_note_add,
)
from licensing.services.documents import document_accept, document_open, document_reject, document_upload
from licensing.services.drafts import application_delete_draft, application_keep_input, application_update_business
from licensing.services.members import (
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_revoke,
    membership_remove,
)
from licensing.services.organizations import (
    beneficial_owner_add,
    beneficial_owner_remove,
    beneficial_owner_update,
    key_person_add,
    key_person_remove,
    key_person_update,
    organization_create,
    organization_update,
)
from licensing.services.screening import organization_screen

__all__ = [
    "Problem",
    "application_approve",
    "application_assign",
    "application_confirm_complete",
    "application_create",
    "application_delete_draft",
    "application_keep_input",
    "application_lapse",
    "application_recommend",
    "application_refuse",
    "application_request_information",
    "application_respond",
    "application_return_to_review",
    "application_start_check",
    "application_submission_problems",
    "application_submit",
    "application_unchanged",
    "application_update_business",
    "application_update_scope",
    "application_withdraw",
    "applications_assign",
    "beneficial_owner_add",
    "beneficial_owner_remove",
    "beneficial_owner_update",
    "document_accept",
    "document_open",
    "document_reject",
    "document_upload",
    "information_request_answer",
    "internal_note_add",
    "invitation_accept",
    "invitation_create",
    "invitation_for_token",
    "invitation_revoke",
    "key_person_add",
    "key_person_remove",
    "key_person_update",
    "membership_remove",
    "organization_create",
    "organization_screen",
    "organization_update",
    "response_attachment_open",
]
