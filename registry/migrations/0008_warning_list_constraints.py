"""The warning list's invariants, once 0007 has carried the rows over: one active entry per name, a
removed entry has its date; ``status`` replaces ``is_active``."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0007_warning_list"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="warningentry",
            name="is_active",
        ),
        migrations.AddIndex(
            model_name="warningentry",
            index=models.Index(fields=["status", "listed_on"], name="registry_wa_status_7a539b_idx"),
        ),
        migrations.AddConstraint(
            model_name="warningentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "active")), fields=("name_key",), name="one_active_warning_per_name"
            ),
        ),
        migrations.AddConstraint(
            model_name="warningentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("removed_on__isnull", True), ("status", "active")),
                    models.Q(("removed_on__isnull", False), ("status", "removed")),
                    _connector="OR",
                ),
                name="removed_warning_has_date",
            ),
        ),
    ]
