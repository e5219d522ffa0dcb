"""Drop the custom permissions of applications: the services check staff groups, never these.

Django never deletes a permission whose model no longer declares it, so the rows (and the groups'
links to them) are removed here.
"""

from django.db import migrations

CODENAMES = ["review_application", "decide_application", "supervise_applications"]


def drop_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="licensing", codename__in=CODENAMES).delete()


class Migration(migrations.Migration):
    dependencies = [("licensing", "0009_statutory_due_dates")]

    # Going back, the permissions come back with the model option (created after migrate); their
    # links to the groups do not: nothing ever read them.
    operations = [
        migrations.AlterModelOptions(
            name="application",
            options={"ordering": ["-created_at"], "verbose_name": "application", "verbose_name_plural": "applications"},
        ),
        migrations.RunPython(drop_permissions, migrations.RunPython.noop),
    ]
