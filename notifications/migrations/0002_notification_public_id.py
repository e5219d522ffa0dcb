import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for notification in Notification.objects.only("pk").iterator():
        Notification.objects.filter(pk=notification.pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_outbox_deliveries_notifications")]

    operations = [
        migrations.AddField(
            model_name="notification", name="public_id", field=models.UUIDField(editable=False, null=True)
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notification",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
