"""The public history of the permitted-asset list; assets already listed get their addition (and
current status, if not permitted) as their first events."""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone


def history_from_the_list(apps, schema_editor):
    DigitalAsset = apps.get_model("registry", "DigitalAsset")
    DigitalAssetEvent = apps.get_model("registry", "DigitalAssetEvent")
    now = timezone.now()
    events = []
    for asset in DigitalAsset.objects.order_by("pk"):
        events.append(DigitalAssetEvent(asset=asset, event="added", effective_on=asset.added_on, recorded_at=now))
        if asset.status != "permitted":
            events.append(
                DigitalAssetEvent(
                    asset=asset,
                    event=asset.status,
                    effective_on=asset.status_changed_on or asset.added_on,
                    recorded_at=now,
                )
            )
    DigitalAssetEvent.objects.bulk_create(events)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0010_decisions"),
    ]

    operations = [
        migrations.CreateModel(
            name="DigitalAssetEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "event",
                    models.CharField(
                        choices=[
                            ("added", "Added to the list"),
                            ("suspended", "Suspended"),
                            ("reinstated", "Permitted again"),
                            ("delisted", "Delisted"),
                        ],
                        max_length=16,
                        verbose_name="event",
                    ),
                ),
                ("effective_on", models.DateField(verbose_name="with effect from")),
                ("recorded_at", models.DateTimeField(verbose_name="recorded")),
                ("reason", models.TextField(blank=True, verbose_name="public reason")),
                (
                    "asset",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="events", to="registry.digitalasset"
                    ),
                ),
            ],
            options={
                "verbose_name": "permitted-asset list event",
                "verbose_name_plural": "permitted-asset list history",
                "ordering": ["-effective_on", "-id"],
            },
        ),
        migrations.RunPython(history_from_the_list, migrations.RunPython.noop),
    ]
