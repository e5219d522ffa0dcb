"""Load document requirements (linked to license types) and Kazakhstan's public holidays."""

import datetime

from django.db import migrations

from licensing import reference_data
from registry import reference_data as registry_reference_data


def load(apps, schema_editor):
    DocumentRequirement = apps.get_model("licensing", "DocumentRequirement")
    LicenseType = apps.get_model("registry", "LicenseType")
    Holiday = apps.get_model("licensing", "Holiday")

    requirements = {}
    for position, spec in enumerate(reference_data.DOCUMENT_REQUIREMENTS):
        fields = {key: value for key, value in spec.items() if key != "code"}
        requirements[spec["code"]], _ = DocumentRequirement.objects.update_or_create(
            code=spec["code"], defaults={**fields, "position": position}
        )
    for spec in registry_reference_data.LICENSE_TYPES:
        license_type = LicenseType.objects.get(code=spec["code"])
        license_type.document_requirements.set([requirements[code] for code in spec["documents"]])
    for day, name_en, name_ru, name_kk in reference_data.HOLIDAYS:
        Holiday.objects.update_or_create(
            date=datetime.date.fromisoformat(day), defaults={"name_en": name_en, "name_ru": name_ru, "name_kk": name_kk}
        )


class Migration(migrations.Migration):
    dependencies = [("licensing", "0001_initial"), ("registry", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
