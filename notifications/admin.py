from django.contrib import admin

from notifications.models import Delivery, Notification, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "subject_type", "subject_id"]
    list_filter = ["kind"]
    readonly_fields = ["kind", "subject_type", "subject_id", "context", "created_at"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "threshold", "subject_type", "subject_id", "recipient", "status", "attempts"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__username", "recipient__email"]
    raw_id_fields = ["recipient", "message"]
    readonly_fields = ["created_at", "claimed_at", "finished_at", "attempts", "last_error"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "title", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "delivery"]
