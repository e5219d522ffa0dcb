from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the superusers-only site of ``config.admin``."""

    default_site = "config.admin.PortalAdminSite"
