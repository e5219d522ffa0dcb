"""The stored next statutory due date of the staff queues.

Existing cases get it computed from the holiday table as it stands (licensing.deadlines keeps
them current from then on). The queues' indexes come with it, and on PostgreSQL a trigram index on
the applicant's name, so that searching the queues by part of a name is an index lookup.
"""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from licensing.clock import Pause, due_date
from licensing.workdays import CalendarNotCovered, WorkdayCalendar

UNDER_CONSIDERATION = ["submitted", "completeness_check", "information_requested", "under_review", "pending_decision"]


NAME_INDEX = "licensing_organization_legal_name_trgm"


def name_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        # UPPER(name::text): the expression Django's icontains compares, so the index serves it.
        f"CREATE INDEX IF NOT EXISTS {NAME_INDEX} ON licensing_organization "
        "USING gin (UPPER(legal_name::text) gin_trgm_ops)"
    )


def drop_name_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_INDEX}")


def backfill(apps, schema_editor):
    Application = apps.get_model("licensing", "Application")
    Holiday = apps.get_model("licensing", "Holiday")
    holidays = list(Holiday.objects.values_list("date", flat=True))
    calendar = WorkdayCalendar(holidays, covered_years={d.year for d in holidays})
    today = timezone.localdate()
    cases = (
        Application.objects.filter(state__in=UNDER_CONSIDERATION)
        .select_related("license_type")
        .prefetch_related("clock_pauses")
        .order_by("pk")
    )
    for application in cases.iterator(chunk_size=500):
        pauses = [
            Pause(
                started=timezone.localdate(p.started_at),
                ended=timezone.localdate(p.ended_at) if p.ended_at else None,
            )
            for p in application.clock_pauses.all()
        ]
        due = None
        try:
            if application.state in UNDER_CONSIDERATION:
                confirmed = application.completeness_confirmed_at
                start = timezone.localdate(confirmed or application.submitted_at)
                days = (
                    application.license_type.decision_days if confirmed else application.license_type.completeness_days
                )
                due = due_date(calendar=calendar, start=start, working_days=days, pauses=pauses, today=today)
        except CalendarNotCovered:
            pass
        Application.objects.filter(pk=application.pk).update(statutory_due_on=due)


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0008_backfill_decisions"),
        ("registry", "0011_asset_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="statutory_due_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="next statutory due date"),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["statutory_due_on", "id"], name="application_due"),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["state", "statutory_due_on", "id"], name="application_state_due"),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    (
                        "state__in",
                        (
                            "submitted",
                            "completeness_check",
                            "information_requested",
                            "under_review",
                            "pending_decision",
                        ),
                    )
                ),
                fields=["statutory_due_on", "id"],
                name="application_open_due",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    (
                        "state__in",
                        (
                            "submitted",
                            "completeness_check",
                            "information_requested",
                            "under_review",
                            "pending_decision",
                        ),
                    )
                ),
                fields=["assigned_reviewer", "statutory_due_on", "id"],
                name="application_open_reviewer_due",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(("state", "pending_decision")),
                fields=["recommended_by"],
                name="application_pending_by",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(name_index, drop_name_index),
    ]
