from django.urls import path

from licensing.views import applicant, staff

app_name = "licensing"

# The applicant face (SPEC section 13).
applicant_urlpatterns = [
    path("apply/", applicant.home, name="applicant_home"),
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
