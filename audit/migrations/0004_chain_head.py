"""The chain head: the newest entry recorded beside the table, so a cut or rewritten tail is detected.

Created from the table as it is. The database refuses to delete the head or to move it anywhere
but forward (saving it unchanged is harmless), as it refuses to change entries.
"""

from django.db import migrations, models

GENESIS_HASH = "0" * 64

PG_FORWARD = """
CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (
        (NEW.entries > OLD.entries AND NEW.entry_id > OLD.entry_id)
        OR (NEW.entries = OLD.entries AND NEW.entry_id = OLD.entry_id AND NEW.hash = OLD.hash)
    ) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit chain head only moves forward: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_head_no_rewind BEFORE UPDATE OR DELETE ON audit_audithead
    FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_audithead
    FOR EACH STATEMENT EXECUTE FUNCTION audit_head_forward_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_audithead;
DROP TRIGGER IF EXISTS audit_head_no_rewind ON audit_audithead;
DROP FUNCTION IF EXISTS audit_head_forward_only();
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER audit_head_no_rewind BEFORE UPDATE ON audit_audithead "
    "WHEN NOT ((NEW.entries > OLD.entries AND NEW.entry_id > OLD.entry_id) "
    "OR (NEW.entries = OLD.entries AND NEW.entry_id = OLD.entry_id AND NEW.hash = OLD.hash)) "
    "BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward: UPDATE refused'); END;",
    "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_audithead "
    "BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward: DELETE refused'); END;",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS audit_head_no_rewind;", "DROP TRIGGER IF EXISTS audit_head_no_delete;"]


def create_head(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditHead = apps.get_model("audit", "AuditHead")
    last = AuditEntry.objects.order_by("-id").first()
    AuditHead.objects.create(
        pk=1,
        entry_id=last.pk if last else 0,
        hash=last.hash if last else GENESIS_HASH,
        entries=AuditEntry.objects.count(),
    )


def install_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # params=None: the "%" of RAISE's format string must reach PostgreSQL, not the driver.
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def remove_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_cannot_fork")]

    operations = [
        migrations.CreateModel(
            name="AuditHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("entry_id", models.BigIntegerField(default=0)),
                ("hash", models.CharField(default=GENESIS_HASH, max_length=64)),
                ("entries", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "audit chain head"},
        ),
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
