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
staff_urlpatterns = [
    path("staff/", staff.queue, name="staff_queue"),
]

urlpatterns = applicant_urlpatterns + staff_urlpatterns
