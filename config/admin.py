"""The Django admin of the portal: for superusers only (SPEC section 4).

Staff of the regulator work in the dashboard; even a staff member with ``is_staff`` set by mistake
cannot enter the admin.
"""

from django.contrib import admin


class PortalAdminSite(admin.AdminSite):
    site_header = "Digital Asset Licensing Portal: reference data"

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser
