"""Public decision records (registry.Decision) for the applications decided before they existed.

Working days are counted as licensing.calendar counts them, on the holiday table as it stands at this
migration; a decision whose span reaches a year the table does not cover keeps no duration.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

from licensing.workdays import CalendarNotCovered, WorkdayCalendar

OUTCOMES = {"approved": "granted", "refused": "refused"}


def backfill(apps, schema_editor):
    Application = apps.get_model("licensing", "Application")
    Holiday = apps.get_model("licensing", "Holiday")
    Decision = apps.get_model("registry", "Decision")
    holidays = list(Holiday.objects.values_list("date", flat=True))
    calendar = WorkdayCalendar(holidays, covered_years={day.year for day in holidays})
    decided = Application.objects.filter(
        state__in=OUTCOMES, submitted_at__isnull=False, decided_at__isnull=False
    ).values_list("pk", "license_type_id", "state", "submitted_at", "decided_at")
    zone = timezone.get_default_timezone() if settings.USE_TZ else None
    records = []
    for pk, license_type_id, state, submitted_at, decided_at in decided.iterator():
        submitted_on = timezone.localtime(submitted_at, zone).date()
        decided_on = timezone.localtime(decided_at, zone).date()
        try:
            working_days = calendar.working_days_between(submitted_on, decided_on)
        except CalendarNotCovered:
            working_days = None
        records.append(
            Decision(
                application_id=pk,
                license_type_id=license_type_id,
                outcome=OUTCOMES[state],
                submitted_on=submitted_on,
                decided_on=max(decided_on, submitted_on),
                working_days=working_days,
            )
        )
    Decision.objects.bulk_create(records, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("licensing", "0007_applicant_face"), ("registry", "0010_decisions")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
