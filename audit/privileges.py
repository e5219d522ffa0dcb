"""The role the portal runs as on PostgreSQL: it uses tables it does not own.

Migrations run as the owner of the tables. The web server, the workers and the management
commands connect as a runtime role that may read and write the tables, but may only read and
append to the audit chain, and read the migration history. Not owning the tables, it cannot
disable their triggers either; so a bug, an injection or a stolen runtime password cannot rewrite
the audit trail. ``migrate`` grants this after every run when ``DATABASE_RUNTIME_ROLE`` names the
role (``audit.apps``); see the README, "Production".
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["RESTRICTED_TABLES", "runtime_role_grant"]

# Tables on which the runtime role gets less than the read and write it has everywhere else.
RESTRICTED_TABLES = {
    "audit_auditentry": "SELECT, INSERT",
    "audit_audithead": "SELECT, INSERT, UPDATE",  # its triggers let the head move forward only
    "django_migrations": "SELECT",
}


def runtime_role_grant(*, connection: BaseDatabaseWrapper, role: str) -> None:
    """Give ``role`` what the portal needs at run time on every table of the schema, and no more.

    Run as the owner after the tables exist (again after every migration: new tables get nothing).
    Refuses a role that could undo the protection: a superuser, or the owner of the audit table.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        if found is None:
            raise ImproperlyConfigured(f"DATABASE_RUNTIME_ROLE: there is no database role {role!r}.")
        cursor.execute(
            "SELECT current_schema(), (SELECT tableowner FROM pg_tables"
            " WHERE schemaname = current_schema() AND tablename = 'audit_auditentry')"
        )
        schema, audit_owner = cursor.fetchone()
        if found[0] or audit_owner == role:
            raise ImproperlyConfigured(
                f"DATABASE_RUNTIME_ROLE: {role!r} is a superuser or owns the tables, so it could disable the "
                "audit trail's triggers; the portal must run as a role without either power."
            )
        statements = [
            f"GRANT USAGE ON SCHEMA {quote(schema)} TO {quote(role)}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {quote(schema)} TO {quote(role)}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quote(schema)} TO {quote(role)}",
        ]
        for table, privileges in RESTRICTED_TABLES.items():
            statements.append(f"REVOKE ALL ON {quote(table)} FROM {quote(role)}")
            statements.append(f"GRANT {privileges} ON {quote(table)} TO {quote(role)}")
        for statement in statements:
            cursor.execute(statement)
