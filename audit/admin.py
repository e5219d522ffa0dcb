from django.contrib import admin

from audit.models import AuditEntry
from common.admin import ReadOnlyAdminMixin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Append-only: the admin may read the trail, never change it.
    list_display = ("id", "at", "actor_name", "action", "object_type", "object_id", "from_state", "to_state")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_name", "request_id")
