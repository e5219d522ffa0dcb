"""The warning list of SPEC section 15: other names, LEI, home authority and country, reason, removal
with its date, public history, and domains as normalised host names.

Existing rows are carried over: ``is_active=False`` becomes ``removed`` on the day the row was last
changed; domains typed as a JSON string (shown one character at a time until now) or as a list are
split and normalised, and an address that cannot be read is kept in the note rather than lost; a
second active entry of the same name is merged into the first. Each entry gets its history: listed
on its date, and removed where it was. Constraints follow in 0008, in their own transaction
(PostgreSQL refuses to alter a table with pending trigger events from these inserts).
"""

import contextlib
import json

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

from common.domains import InvalidHost, normalise_host, split_hosts
from registry.models import warning_keys


def _hosts(value) -> tuple[list[str], list[str]]:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = json.loads(value)
    pieces = split_hosts(value) if isinstance(value, str) else value if isinstance(value, list) else []
    hosts, unreadable = [], []
    for piece in pieces:
        for text in split_hosts(piece) if isinstance(piece, str) else [str(piece)]:
            try:
                host = normalise_host(text)
            except InvalidHost:
                unreadable.append(text)
                continue
            if host not in hosts:
                hosts.append(host)
    return hosts, unreadable


def _add_note(entry, text: str) -> None:
    entry.note = f"{entry.note}\n\n{text}" if entry.note else text


def forward(apps, schema_editor):
    WarningEntry = apps.get_model("registry", "WarningEntry")
    WarningEvent = apps.get_model("registry", "WarningEvent")
    now = timezone.now()
    active_by_name = {}
    for entry in WarningEntry.objects.order_by("listed_on", "id"):
        entry.domains, unreadable = _hosts(entry.domains)
        if unreadable:
            _add_note(entry, "Addresses that could not be read when the list was migrated: " + ", ".join(unreadable))
        if not entry.is_active:
            entry.status, entry.removed_on = "removed", timezone.localdate(entry.updated_at)
        entry.name_key, entry.search_text = warning_keys(entry.name, [], entry.domains)
        first = active_by_name.get(entry.name_key) if entry.status == "active" else None
        if first is not None:
            first.domains += [host for host in entry.domains if host not in first.domains]
            first.name_key, first.search_text = warning_keys(first.name, [], first.domains)
            first.save()
            entry.status, entry.removed_on = "removed", timezone.localdate(now)
            _add_note(entry, f"Merged into entry {first.pk} of the same name when the list was migrated.")
        elif entry.status == "active":
            active_by_name[entry.name_key] = entry
        entry.save()
        WarningEvent.objects.create(entry=entry, event="listed", at=entry.listed_on, recorded_at=entry.created_at)
        if entry.status == "removed":
            WarningEvent.objects.create(entry=entry, event="removed", at=entry.removed_on, recorded_at=now)


def backward(apps, schema_editor):
    WarningEntry = apps.get_model("registry", "WarningEntry")
    apps.get_model("registry", "WarningEvent").objects.all().delete()
    WarningEntry.objects.filter(status="removed").update(is_active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_capital_classes"),
    ]

    operations = [
        migrations.CreateModel(
            name="WarningEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "event",
                    models.CharField(
                        choices=[
                            ("listed", "Listed"),
                            ("relisted", "Listed again"),
                            ("updated", "Details changed"),
                            ("removed", "Removed from the list"),
                        ],
                        max_length=16,
                        verbose_name="event",
                    ),
                ),
                ("at", models.DateField(verbose_name="effective date")),
                ("recorded_at", models.DateTimeField(db_index=True, verbose_name="recorded")),
                ("changed", models.JSONField(blank=True, default=list, verbose_name="changed fields")),
                ("reason", models.TextField(blank=True, verbose_name="public reason")),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="registry.warningentry",
                    ),
                ),
            ],
            options={
                "verbose_name": "warning-list event",
                "verbose_name_plural": "warning-list events",
                "ordering": ["at", "recorded_at", "id"],
            },
        ),
        migrations.AlterField(
            model_name="warningentry",
            name="name",
            field=models.CharField(max_length=300, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="warningentry",
            name="other_names",
            field=models.JSONField(blank=True, default=list, verbose_name="other names"),
        ),
        migrations.AddField(
            model_name="warningentry",
            name="lei",
            field=models.CharField(blank=True, max_length=20, verbose_name="LEI"),
        ),
        migrations.AddField(
            model_name="warningentry",
            name="home_authority",
            field=models.CharField(blank=True, max_length=300, verbose_name="home authority"),
        ),
        migrations.AddField(
            model_name="warningentry",
            name="home_country",
            field=models.CharField(blank=True, max_length=40, verbose_name="home country"),
        ),
        migrations.AddField(
            model_name="warningentry",
            name="reason",
            field=models.TextField(blank=True, verbose_name="reason"),
        ),
        migrations.AddField(
            model_name="warningentry",
            name="status",
            field=models.CharField(
                choices=[("active", "On the list"), ("removed", "Removed from the list")],
                default="active",
                max_length=8,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="warningentry",
            name="removed_on",
            field=models.DateField(blank=True, null=True, verbose_name="removed on"),
        ),
        migrations.AddField(
            model_name="warningentry",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=300),
        ),
        migrations.AddField(
            model_name="warningentry",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(forward, backward),
    ]
