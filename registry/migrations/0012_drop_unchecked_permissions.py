"""Drop ``change_license_status``: the license services check the approver group, never this permission.

Django never deletes a permission whose model no longer declares it, so the row (and the groups'
links to it) is removed here.
"""

from django.db import migrations


def drop_permission(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="registry", codename="change_license_status").delete()


class Migration(migrations.Migration):
    # After licensing's 0003, which gave the permission to the approvers' group: on a fresh database
    # it must still exist then. (An order between migrations only; the code imports nothing.)
    dependencies = [("registry", "0011_asset_history"), ("licensing", "0003_roles")]

    operations = [
        migrations.AlterModelOptions(
            name="license",
            options={"ordering": ["number"], "verbose_name": "license", "verbose_name_plural": "licenses"},
        ),
        migrations.RunPython(drop_permission, migrations.RunPython.noop),
    ]
