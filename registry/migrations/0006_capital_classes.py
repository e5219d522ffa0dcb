"""License types become capital classes (SPEC section 5, after MiCA article 67).

Each activity gets the lowest class that allows it and each type a class; a type allows every
activity of its class and below, so the hand-kept list of a type's activities goes. A type a
superuser added keeps the highest class among the activities it allowed. The three seeded types
take their new names and descriptions.
"""

from django.db import migrations, models

from registry import reference_data


def assign_classes(apps, schema_editor):
    Activity = apps.get_model("registry", "Activity")
    LicenseType = apps.get_model("registry", "LicenseType")
    for code, capital_class in reference_data.ACTIVITY_CAPITAL_CLASSES.items():
        Activity.objects.filter(code=code).update(capital_class=capital_class)
    specs = {spec["code"]: spec for spec in reference_data.LICENSE_TYPES}
    for license_type in LicenseType.objects.all():
        capital_class = reference_data.LICENSE_TYPE_CAPITAL_CLASSES.get(license_type.code) or max(
            (activity.capital_class for activity in license_type.activities.all()), default=1
        )
        license_type.capital_class = capital_class
        spec = specs.get(license_type.code)
        if spec:
            for field in ("name_en", "name_ru", "name_kk", "description_en", "description_ru", "description_kk"):
                setattr(license_type, field, spec[field])
        license_type.save()


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_name_words")]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="capital_class",
            field=models.PositiveSmallIntegerField(
                choices=[(1, "Class 1"), (2, "Class 2"), (3, "Class 3")],
                default=1,
                help_text="The lowest license class that allows this activity.",
                verbose_name="capital class",
            ),
        ),
        migrations.AddField(
            model_name="licensetype",
            name="capital_class",
            field=models.PositiveSmallIntegerField(
                choices=[(1, "Class 1"), (2, "Class 2"), (3, "Class 3")],
                default=1,
                help_text="A license of this type allows every activity of this class and of the classes below.",
                verbose_name="capital class",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(assign_classes, migrations.RunPython.noop),
        migrations.RemoveField(model_name="licensetype", name="activities"),
        migrations.AlterModelOptions(
            name="licensetype",
            options={
                "ordering": ["capital_class", "code"],
                "verbose_name": "license type",
                "verbose_name_plural": "license types",
            },
        ),
    ]
