"""Each delivery carries the link its producer chose: notifications no longer knows other apps' pages."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_notification_public_id")]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="link",
            field=models.CharField(blank=True, max_length=500, verbose_name="link"),
        ),
    ]
