"""Migrations 0007-0008 carry the old warning list over: statuses, domains as host names, duplicates."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("registry", "0006_capital_classes"), ("licensing", "0005_profile_fields_and_snapshot")]


@pytest.mark.django_db(transaction=True)
def test_old_rows_become_entries_with_host_names_status_and_history(database_owner):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("registry", "WarningEntry")
    fake = old.objects.create(
        name="Fake Steppe", domains=["https://www.Steppe-Fake.io/x", "not an address"], listed_on=date(2026, 1, 5)
    )
    typed = old.objects.create(name="Typed As Text", domains="a.kz, https://b.kz/x", listed_on=date(2026, 2, 1))
    settled = old.objects.create(name="Settled", domains=[], listed_on=date(2025, 1, 1), is_active=False)
    twin = old.objects.create(name="FAKE  steppe", domains=["steppe-fake2.io"], listed_on=date(2026, 3, 1))

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    from registry.models import WarningEntry

    fake, typed, settled, twin = (WarningEntry.objects.get(pk=row.pk) for row in (fake, typed, settled, twin))
    assert fake.domains == ["steppe-fake.io", "steppe-fake2.io"]
    assert "could not be read when the list was migrated: not, an, address" in fake.note
    assert typed.domains == ["a.kz", "b.kz"]
    assert (settled.status, settled.removed_on is not None) == ("removed", True)
    assert [event.event for event in settled.events.all()] == ["listed", "removed"]
    assert (twin.status, f"Merged into entry {fake.pk}") == (
        "removed",
        twin.note[: len(f"Merged into entry {fake.pk}")],
    )
    assert list(WarningEntry.objects.active().order_by("pk")) == [fake, typed]
    assert fake.search_text.startswith(" fake steppe # ")
