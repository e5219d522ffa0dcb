"""Two supervisors add the same entity at the same instant on PostgreSQL: one entry, one clear refusal."""

from __future__ import annotations

from datetime import date

import pytest

from audit.selectors import audit_chain_check
from registry.models import WarningEntry
from registry.warning_list.services import DuplicateWarning, warning_add
from tests.licensing.test_concurrency import race
from tests.registry.factories import make_user

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

ROUNDS = 20


def test_simultaneous_adds_of_one_entity_leave_one_entry(postgres):
    supervisors = [make_user("supervisor"), make_user("supervisor")]

    def add(round_, actor):
        # Different spellings of one name, sharing a domain: both checks must see the other writer.
        name = f"Steppe Crypto {round_}" if actor == supervisors[0] else f"STEPPE crypto {round_}"
        return warning_add(actor=actor, name=name, listed_on=date(2026, 1, 5), domains=[f"steppe-{round_}.io"])

    outcomes = race(supervisors, ROUNDS, add)

    for first, second in outcomes:
        assert sorted(type(outcome).__name__ for outcome in (first, second)) == ["DuplicateWarning", "WarningEntry"]
        refusal = first if isinstance(first, DuplicateWarning) else second
        assert refusal.existing.pk == (second if refusal is first else first).pk
    assert WarningEntry.objects.count() == ROUNDS
    assert audit_chain_check().problem is None
