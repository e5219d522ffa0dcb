"""Drafts take the license type their activities now call for (SPEC 5: the lowest class covering them).

Submitted and decided applications keep the type they were assessed under.
"""

from django.db import migrations


def retype_drafts(apps, schema_editor):
    Application = apps.get_model("licensing", "Application")
    LicenseType = apps.get_model("registry", "LicenseType")
    types = list(LicenseType.objects.filter(is_active=True).order_by("capital_class", "min_capital_kzt", "code"))
    for application in Application.objects.filter(state="draft").prefetch_related("activities"):
        needed = max((activity.capital_class for activity in application.activities.all()), default=0)
        license_type = next((t for t in types if t.capital_class >= needed), None)
        if license_type is not None and license_type.pk != application.license_type_id:
            Application.objects.filter(pk=application.pk).update(license_type=license_type)


class Migration(migrations.Migration):
    dependencies = [("licensing", "0003_roles"), ("registry", "0006_capital_classes")]
    operations = [migrations.RunPython(retype_drafts, migrations.RunPython.noop)]
