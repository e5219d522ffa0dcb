"""What every app's admin shares: the read-only admin of records that only services change."""

from __future__ import annotations


class ReadOnlyAdminMixin:
    """Show, never add, change or delete: these rows change only through services that audit the change.

    SPEC section 4: staff work in the dashboard; the admin is for superusers and reference data.
    """

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
