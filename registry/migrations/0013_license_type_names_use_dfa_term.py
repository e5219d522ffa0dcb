"""License type names in Kazakh and Russian use the statutory term for what is licensed.

The law licenses services with цифрлық қаржы активтері / цифровые финансовые активы (docs/glossary.md);
the first names said "цифрлық активтер / цифровые активы", a wider term of another law. Names only:
codes, classes and everything else stay. Values are written here, not read from reference_data, so
this step means the same whenever it runs.
"""

from django.db import migrations

NAMES = {
    "DAX": ("Цифрлық қаржы активтерінің биржасы (3-сынып)", "Биржа цифровых финансовых активов (класс 3)"),
    "DAC": (
        "Цифрлық қаржы активтерін сақтау және айырбастау (2-сынып)",
        "Хранение и обмен цифровых финансовых активов (класс 2)",
    ),
    "DAB": (
        "Цифрлық қаржы активтерімен брокерлік және консультациялық қызметтер (1-сынып)",
        "Брокерские и консультационные услуги с цифровыми финансовыми активами (класс 1)",
    ),
}


def rename(apps, schema_editor):
    LicenseType = apps.get_model("registry", "LicenseType")
    for code, (name_kk, name_ru) in NAMES.items():
        LicenseType.objects.filter(code=code).update(name_kk=name_kk, name_ru=name_ru)


class Migration(migrations.Migration):
    dependencies = [("registry", "0012_drop_unchecked_permissions")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
