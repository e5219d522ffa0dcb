from django.contrib import admin

from common.admin import ReadOnlyAdminMixin
from notifications.models import Delivery, Notification, OutboxMessage

# Notices are written by services and sent by workers; the admin reads them.


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "subject_type", "subject_id"]
    list_filter = ["kind"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "threshold", "subject_type", "subject_id", "recipient", "status", "attempts"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__username", "recipient__email"]
    raw_id_fields = ["recipient", "message"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "title", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "delivery"]
