from django.apps import AppConfig
from django.conf import settings
from django.db import connections
from django.db.models.signals import post_migrate


def grant_runtime_role(sender, using: str, **kwargs) -> None:
    """After ``migrate`` (run as the owner), give DATABASE_RUNTIME_ROLE its privileges on every table."""
    from audit.privileges import runtime_role_grant

    connection = connections[using]
    if settings.DATABASE_RUNTIME_ROLE and connection.vendor == "postgresql":
        runtime_role_grant(connection=connection, role=settings.DATABASE_RUNTIME_ROLE)


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        # Once per migrate, after every app's migrations ran: audit's signal is as good as any.
        post_migrate.connect(grant_runtime_role, sender=self, dispatch_uid="audit.grant_runtime_role")
