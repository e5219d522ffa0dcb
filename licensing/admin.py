from django.contrib import admin

from common.admin import ReadOnlyAdminMixin
from common.dates import ADMIN_DATE_FIELDS
from licensing.models import (
    Application,
    BeneficialOwner,
    ClockPause,
    Document,
    DocumentRequirement,
    InformationRequest,
    InternalNote,
    KeyPerson,
    Membership,
    Organization,
    WorkdayTransfer,
)


@admin.register(WorkdayTransfer)
class WorkdayTransferAdmin(admin.ModelAdmin):
    formfield_overrides = ADMIN_DATE_FIELDS
    list_display = ("day_off", "working_day", "decree")


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "mandatory", "per_key_person", "max_size_mb")
    filter_horizontal = ("license_types",)


# Reference data (holidays, document requirements) is edited here; everything else changes only through
# licensing.services, which audits every change, so the admin shows it read-only.


class MembershipInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


class BeneficialOwnerInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = BeneficialOwner
    extra = 0


class KeyPersonInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = KeyPerson
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("legal_name", "bin", "paid_up_capital_kzt")
    search_fields = ("legal_name", "bin")
    inlines = [MembershipInline, BeneficialOwnerInline, KeyPersonInline]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "organization", "license_type", "state", "assigned_reviewer", "submitted_at")
    list_filter = ("state", "license_type")
    search_fields = ("organization__legal_name", "organization__bin")


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "application", "requirement", "version", "state", "uploaded_at")
    list_filter = ("state",)


@admin.register(InformationRequest)
class InformationRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "application", "state", "deadline")
    list_filter = ("state",)


@admin.register(ClockPause)
class ClockPauseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "application", "started_at", "ended_at")


@admin.register(InternalNote)
class InternalNoteAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "application", "author", "created_at")
