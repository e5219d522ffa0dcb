"""Load activities, license types and the permitted-asset list (SPEC section 5).

Idempotent: rows are matched by code or symbol, so re-running it (or editing reference_data.py and
adding a new migration that calls ``load``) updates names without duplicating anything.
"""

import datetime

from django.db import migrations

from registry import reference_data


def load(apps, schema_editor):
    Activity = apps.get_model("registry", "Activity")
    LicenseType = apps.get_model("registry", "LicenseType")
    DigitalAsset = apps.get_model("registry", "DigitalAsset")

    activities = {}
    for position, (code, name_en, name_ru, name_kk) in enumerate(reference_data.ACTIVITIES):
        activities[code], _ = Activity.objects.update_or_create(
            code=code, defaults={"name_en": name_en, "name_ru": name_ru, "name_kk": name_kk, "position": position}
        )
    for spec in reference_data.LICENSE_TYPES:
        fields = {key: value for key, value in spec.items() if key not in {"code", "activities", "documents"}}
        license_type, _ = LicenseType.objects.update_or_create(code=spec["code"], defaults=fields)
        license_type.activities.set([activities[code] for code in spec["activities"]])  # dropped in 0006
    for symbol, name, dfa_class, status, added_on in reference_data.ASSETS:
        DigitalAsset.objects.update_or_create(
            symbol=symbol,
            defaults={
                "name": name,
                "dfa_class": dfa_class,
                "status": status,
                "added_on": datetime.date.fromisoformat(added_on),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
