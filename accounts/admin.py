from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import Http404
from django.urls import path
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from common.admin import ReadOnlyAdminMixin


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Portal", {"fields": ("preferred_language",)}))
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "preferred_language")


# django-otp's own device admin shows the secret (and 500s on a missing id in its QR views): replaced.
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Which staff have an authenticator; set-up and resets go through the dashboard (audited)."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__email"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]

    def get_urls(self):
        # The QR code and configuration pages django-otp links to: gone, for any id.
        return [
            path("<path:object_id>/config/", self.admin_site.admin_view(self.secret_view)),
            path("<path:object_id>/qrcode/", self.admin_site.admin_view(self.secret_view)),
            *super().get_urls(),
        ]

    def secret_view(self, request, object_id):
        raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().change_view(request, object_id, form_url, extra_context)
