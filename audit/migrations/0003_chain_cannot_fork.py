"""At most one entry may follow any entry (unique ``prev_hash``): the chain cannot fork.

On SQLite, adding the constraint rebuilds the table, which drops its triggers; the append-only
triggers of 0002 are installed again afterwards.
"""

import importlib

from django.db import migrations, models

APPEND_ONLY = importlib.import_module("audit.migrations.0002_append_only")


def reinstall_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in APPEND_ONLY.SQLITE_BACKWARD + APPEND_ONLY.SQLITE_FORWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    # Reinstalled after the rebuild going forward, and after the reverse rebuild going back.
    operations = [
        migrations.RunPython(migrations.RunPython.noop, reinstall_sqlite_triggers),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(fields=("prev_hash",), name="audit_chain_cannot_fork"),
        ),
        migrations.RunPython(reinstall_sqlite_triggers, migrations.RunPython.noop),
    ]
