from django.contrib import admin

from common.admin import ReadOnlyAdminMixin
from registry.models import (
    Activity,
    Decision,
    DigitalAsset,
    DigitalAssetEvent,
    License,
    LicenseEvent,
    LicenseType,
    WarningEntry,
    WarningEvent,
)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_ru", "name_kk", "capital_class", "position")
    list_filter = ("capital_class",)


@admin.register(LicenseType)
class LicenseTypeAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_en",
        "capital_class",
        "min_capital_kzt",
        "validity_years",
        "completeness_days",
        "decision_days",
    )


@admin.register(DigitalAsset)
class DigitalAssetAdmin(admin.ModelAdmin):
    # Additions and status changes are the supervisors' (dashboard), with a public, audited history;
    # a superuser corrects a name or class here.
    list_display = ("symbol", "name", "dfa_class", "status", "added_on")
    list_filter = ("dfa_class", "status")
    search_fields = ("symbol", "name")
    readonly_fields = ("symbol", "status", "added_on", "status_changed_on")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DigitalAssetEvent)
class DigitalAssetEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("asset", "event", "effective_on", "recorded_at")
    list_filter = ("event",)


class WarningEventInline(admin.TabularInline):
    model = WarningEvent
    extra = 0
    fields = readonly_fields = ("event", "at", "recorded_at", "changed", "reason")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WarningEntry)
class WarningEntryAdmin(admin.ModelAdmin):
    # View only: entries change through registry.warning_list.services (audited, with public history),
    # which supervisors use in the dashboard and operators through `manage.py import_warnings`.
    list_display = ("name", "home_authority", "listed_on", "status", "removed_on")
    list_filter = ("status",)
    search_fields = ("name", "search_text")
    inlines = [WarningEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LicenseEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = LicenseEvent
    extra = 0


@admin.register(License)
class LicenseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Every change goes through registry.services (audited, with public history), never the admin.
    list_display = ("number", "holder_name", "license_type", "status", "issued_at", "valid_until")
    list_filter = ("status", "license_type")
    search_fields = ("number", "holder_name", "holder_bin")
    inlines = [LicenseEventInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    # Written by licensing's approval and refusal through registry.services; the public statistics
    # read them, so nobody edits them by hand.
    list_display = ("decided_on", "license_type", "outcome", "working_days")
    list_filter = ("outcome", "license_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
