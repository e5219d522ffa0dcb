"""The working-day calendar comes from the ``holidays`` library; the table keeps decreed transfers only.

The 2025-2027 holidays entered by hand go with their table: the library has them, and has the 2026
move of Constitution Day that the hand-made table lacked.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0010_drop_unchecked_permissions"),
    ]

    operations = [
        migrations.CreateModel(
            name="WorkdayTransfer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "day_off",
                    models.DateField(
                        blank=True,
                        help_text="A working day the decree gives off, e.g. the Friday between a holiday and the weekend.",
                        null=True,
                        unique=True,
                        verbose_name="becomes a day off",
                    ),
                ),
                (
                    "working_day",
                    models.DateField(
                        blank=True,
                        help_text="The day worked instead, usually a Saturday; or a holiday the calendar expected on another day.",
                        null=True,
                        unique=True,
                        verbose_name="becomes a working day",
                    ),
                ),
                (
                    "decree",
                    models.CharField(
                        help_text="For example: Government resolution No. 123 of 1 December 2027.",
                        max_length=300,
                        verbose_name="decree",
                    ),
                ),
            ],
            options={
                "verbose_name": "transfer of a working day",
                "verbose_name_plural": "transfers of working days",
                "ordering": ["-day_off", "-working_day"],
            },
        ),
        migrations.DeleteModel(
            name="Holiday",
        ),
        migrations.AddConstraint(
            model_name="workdaytransfer",
            constraint=models.CheckConstraint(
                condition=models.Q(("day_off__isnull", False), ("working_day__isnull", False), _connector="OR"),
                name="transfer_changes_a_day",
            ),
        ),
        migrations.AddConstraint(
            model_name="workdaytransfer",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("day_off__isnull", True),
                    ("working_day__isnull", True),
                    models.Q(("day_off", models.F("working_day")), _negated=True),
                    _connector="OR",
                ),
                name="transfer_moves_to_another_day",
            ),
        ),
    ]
