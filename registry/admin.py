from django.contrib import admin

from registry.models import Activity, DigitalAsset, License, LicenseEvent, LicenseType, WarningEntry


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
    list_display = ("symbol", "name", "dfa_class", "status", "added_on")
    list_filter = ("dfa_class", "status")
    search_fields = ("symbol", "name")


@admin.register(WarningEntry)
class WarningEntryAdmin(admin.ModelAdmin):
    list_display = ("name", "listed_on", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)


class LicenseEventInline(admin.TabularInline):
    model = LicenseEvent
    extra = 0
    readonly_fields = ("event", "at", "reason")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(License)
class LicenseAdmin(admin.ModelAdmin):
    # Status changes go through registry.services (audited, with public history), never the admin.
    list_display = ("number", "holder_name", "license_type", "status", "issued_at", "valid_until")
    list_filter = ("status", "license_type")
    search_fields = ("number", "holder_name", "holder_bin")
    readonly_fields = ("status",)
    inlines = [LicenseEventInline]
