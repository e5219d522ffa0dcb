"""Writes of the licensing process. Each function locks, checks, transitions, saves, audits, queues.

Import from here (``from licensing import services``); the submodules group related services.
"""

from licensing.services.applications import (
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
    application_submit,
    application_update_scope,
    application_withdraw,
)
from licensing.services.documents import document_accept, document_open, document_reject, document_upload
from licensing.services.organizations import (
    beneficial_owner_add,
    beneficial_owner_update,
    key_person_add,
    organization_create,
    organization_update,
)
from licensing.services.screening import organization_screen

__all__ = [
    "application_approve",
    "application_confirm_complete",
    "application_create",
    "application_lapse",
    "application_recommend",
    "application_refuse",
    "application_request_information",
    "application_respond",
    "application_return_to_review",
    "application_start_check",
    "application_submit",
    "application_update_scope",
    "application_withdraw",
    "beneficial_owner_add",
    "beneficial_owner_update",
    "document_accept",
    "document_open",
    "document_reject",
    "document_upload",
    "key_person_add",
    "organization_create",
    "organization_screen",
    "organization_update",
]
