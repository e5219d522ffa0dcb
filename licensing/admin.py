from django.contrib import admin

from licensing.models import (
    Application,
    BeneficialOwner,
    Document,
    DocumentRequirement,
    InformationRequest,
    KeyPerson,
    Membership,
    Organization,
    WorkdayTransfer,
)


@admin.register(WorkdayTransfer)
class WorkdayTransferAdmin(admin.ModelAdmin):
    list_display = ("day_off", "working_day", "decree")


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "mandatory", "per_key_person", "max_size_mb")
    filter_horizontal = ("license_types",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


class BeneficialOwnerInline(admin.TabularInline):
    model = BeneficialOwner
    extra = 0


class KeyPersonInline(admin.TabularInline):
    model = KeyPerson
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("legal_name", "bin", "paid_up_capital_kzt")
    search_fields = ("legal_name", "bin")
    inlines = [MembershipInline, BeneficialOwnerInline, KeyPersonInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    # Read-only here: every change of state goes through licensing.services, which audits it.
    list_display = ("id", "organization", "license_type", "state", "assigned_reviewer", "submitted_at")
    list_filter = ("state", "license_type")
    search_fields = ("organization__legal_name", "organization__bin")
    readonly_fields = [f.name for f in Application._meta.concrete_fields]

    def has_add_permission(self, request):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("id", "application", "requirement", "version", "state", "uploaded_at")
    list_filter = ("state",)
    readonly_fields = [f.name for f in Document._meta.concrete_fields]

    def has_add_permission(self, request):
        return False


@admin.register(InformationRequest)
class InformationRequestAdmin(admin.ModelAdmin):
    list_display = ("id", "application", "state", "deadline")
    list_filter = ("state",)
    readonly_fields = [f.name for f in InformationRequest._meta.concrete_fields]

    def has_add_permission(self, request):
        return False
