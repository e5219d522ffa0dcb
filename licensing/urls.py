from django.urls import path

from licensing.views import applicant, organization, staff

app_name = "licensing"

# The applicant face (SPEC section 13). Applications are named by their random reference,
# everything else by a random public id: no URL carries a sequential primary key.
applicant_urlpatterns = [
    path("apply/", applicant.home, name="applicant_home"),
    path("apply/licenses/", applicant.licenses, name="applicant_licenses"),
    path("apply/invitations/<str:token>/", organization.invitation_accept, name="invitation_accept"),
    path("apply/organizations/new/", organization.organization_create, name="organization_create"),
    path("apply/organizations/<uuid:public_id>/", organization.organization_profile, name="organization"),
    path(
        "apply/organizations/<uuid:public_id>/details/", organization.organization_details, name="organization_details"
    ),
    path("apply/organizations/<uuid:public_id>/owners/", organization.owners, name="owners"),
    path("apply/organizations/<uuid:public_id>/owners/add/", organization.owner_edit, name="owner_add"),
    path("apply/organizations/<uuid:public_id>/owners/<uuid:owner_id>/", organization.owner_edit, name="owner_edit"),
    path(
        "apply/organizations/<uuid:public_id>/owners/<uuid:owner_id>/remove/",
        organization.owner_remove,
        name="owner_remove",
    ),
    path("apply/organizations/<uuid:public_id>/key-persons/", organization.people, name="people"),
    path("apply/organizations/<uuid:public_id>/key-persons/add/", organization.person_edit, name="person_add"),
    path(
        "apply/organizations/<uuid:public_id>/key-persons/<uuid:person_id>/",
        organization.person_edit,
        name="person_edit",
    ),
    path(
        "apply/organizations/<uuid:public_id>/key-persons/<uuid:person_id>/remove/",
        organization.person_remove,
        name="person_remove",
    ),
    path("apply/organizations/<uuid:public_id>/people/", organization.members, name="members"),
    path(
        "apply/organizations/<uuid:public_id>/people/<uuid:membership_id>/remove/",
        organization.member_remove,
        name="member_remove",
    ),
    path(
        "apply/organizations/<uuid:public_id>/invitations/<uuid:invitation_id>/revoke/",
        organization.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "apply/organizations/<uuid:public_id>/applications/new/", applicant.application_start, name="application_start"
    ),
    path("apply/<str:reference>/", applicant.case, name="applicant_case"),
    path("apply/<str:reference>/services/", applicant.task_activities, name="task_activities"),
    path("apply/<str:reference>/assets/", applicant.task_assets, name="task_assets"),
    path("apply/<str:reference>/business/", applicant.task_business, name="task_business"),
    path("apply/<str:reference>/documents/", applicant.task_documents, name="task_documents"),
    path(
        "apply/<str:reference>/documents/file/<uuid:document_id>/",
        applicant.document_download,
        name="document_download",
    ),
    path("apply/<str:reference>/documents/<slug:code>/", applicant.document_slot, name="document_slot"),
    path(
        "apply/<str:reference>/documents/<slug:code>/<uuid:person_id>/",
        applicant.document_slot,
        name="document_slot_person",
    ),
    path("apply/<str:reference>/check/", applicant.task_check, name="task_check"),
    path("apply/<str:reference>/submitted/", applicant.application_submitted, name="application_submitted"),
    path("apply/<str:reference>/delete/", applicant.application_delete, name="application_delete"),
    path("apply/<str:reference>/withdraw/", applicant.application_withdraw, name="application_withdraw"),
    path("apply/<str:reference>/requests/<uuid:request_id>/", applicant.request_answer, name="request_answer"),
    path(
        "apply/<str:reference>/attachments/<uuid:attachment_id>/",
        applicant.attachment_download,
        name="attachment_download",
    ),
]

# The regulator's dashboard (SPEC section 14).
_case = "staff/cases/<str:reference>/"
staff_urlpatterns = [
    path("staff/", staff.queue, name="staff_queue"),
    path("staff/assign/", staff.bulk_assign, name="staff_bulk_assign"),
    path(_case, staff.case, name="staff_case"),
    path(_case + "pick-up/", staff.case_pick_up, name="staff_case_pick_up"),
    path(_case + "assign/", staff.case_assign, name="staff_case_assign"),
    path(_case + "documents/<int:document_id>/", staff.case_document, name="staff_case_document"),
    path(_case + "attachments/<uuid:public_id>/", staff.case_attachment, name="staff_case_attachment"),
    path(_case + "documents/<int:document_id>/accept/", staff.document_accept, name="staff_document_accept"),
    path(_case + "documents/<int:document_id>/reject/", staff.document_reject, name="staff_document_reject"),
    path(_case + "request-information/", staff.case_request_information, name="staff_case_request_information"),
    path(_case + "confirm-complete/", staff.case_confirm_complete, name="staff_case_confirm_complete"),
    path(_case + "recommend/", staff.case_recommend, name="staff_case_recommend"),
    path(_case + "approve/", staff.case_approve, name="staff_case_approve"),
    path(_case + "refuse/", staff.case_refuse, name="staff_case_refuse"),
    path(_case + "return/", staff.case_return, name="staff_case_return"),
    path(_case + "notes/", staff.case_note_add, name="staff_case_note_add"),
    path("staff/licenses/", staff.licenses, name="staff_licenses"),
    path("staff/licenses/<str:number>/", staff.license_page, name="staff_license"),
    path("staff/licenses/<str:number>/<str:action>/", staff.license_action, name="staff_license_action"),
    path("staff/assets/", staff.assets, name="staff_assets"),
    path("staff/assets/add/", staff.asset_add, name="staff_asset_add"),
    path("staff/assets/<str:symbol>/<str:action>/", staff.asset_action, name="staff_asset_action"),
    path("staff/warnings/", staff.warnings, name="staff_warnings"),
    path("staff/warnings/add/", staff.warning_add, name="staff_warning_add"),
    path("staff/warnings/<int:entry_id>/", staff.warning_edit, name="staff_warning_edit"),
    path("staff/warnings/<int:entry_id>/remove/", staff.warning_remove, name="staff_warning_remove"),
    path("staff/warnings/import/", staff.warning_import, name="staff_warning_import"),
    path("staff/warnings/import/confirm/", staff.warning_import_confirm, name="staff_warning_import_confirm"),
    path("staff/metrics/", staff.metrics, name="staff_metrics"),
    path("staff/metrics/<slug:name>.csv", staff.metrics_csv, name="staff_metrics_csv"),
    path("staff/team/", staff.team, name="staff_team"),
    path("staff/team/<int:user_id>/second-factor/", staff.team_reset_second_factor, name="staff_team_reset"),
]

urlpatterns = applicant_urlpatterns + staff_urlpatterns
