"""Writes of the warning list: add, update, remove; audited, with public history, no duplicates."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditEntry
from common.errors import ConcurrentChange, DomainError, NotPermitted, TransitionNotAllowed
from registry.models import WarningEntry, WarningEvent
from registry.warning_list.services import DuplicateWarning, warning_add, warning_remove, warning_update
from tests.registry.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-06-15 12:00 +05:00", tick=False):
        yield


@pytest.fixture
def supervisor():
    return make_user("supervisor")


@pytest.fixture
def entry(supervisor):
    return warning_add(
        actor=supervisor,
        name="Steppe Crypto Exchange",
        listed_on=date(2026, 5, 4),
        domains=["https://www.Steppe-Crypto.io/offer", "steppe-x.com"],
        home_authority="Autorité des marchés financiers (AMF)",
        home_country="fr",
        reason="Offers crypto-asset services without a license.",
    )


def _audit(action: str, entry: WarningEntry):
    return AuditEntry.objects.filter(action=action, object_type="registry.warningentry", object_id=str(entry.pk))


def test_adding_stores_host_names_and_records_the_listing_and_an_audit_entry(entry, supervisor):
    assert entry.domains == ["steppe-crypto.io", "steppe-x.com"]
    assert entry.home_country == "FR"
    assert entry.status == WarningEntry.Status.ACTIVE
    assert [(e.event, e.at) for e in entry.events.all()] == [("listed", date(2026, 5, 4))]
    [audit] = _audit("warning.add", entry)
    assert (audit.actor_name, audit.to_state, audit.comment) == (supervisor.username, "active", entry.name)


def test_a_domain_that_is_not_one_is_refused_next_to_its_field_and_nothing_is_saved(supervisor):
    with pytest.raises(ValidationError) as refusal:
        warning_add(actor=supervisor, name="Odd", listed_on=date(2026, 5, 4), domains=["good.kz", "bad_host.kz"])

    assert list(refusal.value.message_dict) == ["domains"]
    assert refusal.value.message_dict["domains"][0].startswith("bad_host.kz: ")
    assert not WarningEntry.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"listed_on": date(2026, 7, 1)}, "listed_on"),
        ({"home_country": "France"}, "home_country"),
        ({"lei": "5493001KJTIIGC8Y1R13"}, "lei"),
    ],
)
def test_bad_values_are_refused_by_field(supervisor, fields, field):
    values = {"name": "Odd Entity", "listed_on": date(2026, 5, 4), **fields}
    with pytest.raises(ValidationError) as refusal:
        warning_add(actor=supervisor, **values)
    assert field in refusal.value.message_dict


@pytest.mark.parametrize(
    "duplicate",
    [
        {"name": "STEPPE crypto exchange"},
        {"name": "St\u0435\u0440\u0440\u0435 Crypto Exchange"},  # Cyrillic look-alike letters
        {"name": "Other Name", "domains": ["http://steppe-x.com/"]},
        {"name": "Other Name", "other_names": ["Steppe Crypto Exchange"]},
    ],
)
def test_a_second_active_entry_for_the_same_name_or_domain_is_refused_naming_the_first(entry, supervisor, duplicate):
    with pytest.raises(DuplicateWarning) as refusal:
        warning_add(actor=supervisor, listed_on=date(2026, 6, 1), **duplicate)

    assert refusal.value.existing == entry
    assert f"entry {entry.pk}" in str(refusal.value) and "Steppe Crypto Exchange" in str(refusal.value)
    assert WarningEntry.objects.count() == 1


def test_the_database_refuses_two_active_entries_of_one_name_whatever_writes_them(entry):
    with pytest.raises(IntegrityError), transaction.atomic():
        WarningEntry.objects.create(name="steppe  CRYPTO exchange", listed_on=date(2026, 6, 1))


def test_a_removed_entry_does_not_block_listing_the_name_again(entry, supervisor):
    warning_remove(entry=entry, actor=supervisor, removed_on=date(2026, 6, 1), reason="Licensed abroad since.")

    again = warning_add(actor=supervisor, name="Steppe Crypto Exchange", listed_on=date(2026, 6, 10))

    assert again.pk != entry.pk


def test_only_a_supervisor_changes_the_list(entry):
    for actor in (make_user("reviewer"), make_user("approver"), make_user(), AnonymousUser()):
        with pytest.raises(NotPermitted):
            warning_add(actor=actor, name="Another", listed_on=date(2026, 6, 1))
        with pytest.raises(NotPermitted):
            warning_update(entry=entry, actor=actor, note="x")
        with pytest.raises(NotPermitted):
            warning_remove(entry=entry, actor=actor, removed_on=date(2026, 6, 1), reason="x")
    assert WarningEntry.objects.count() == 1


def test_updating_records_which_fields_changed_with_its_effective_date(entry, supervisor):
    updated = warning_update(
        entry=entry,
        actor=supervisor,
        effective_on=date(2026, 6, 10),
        change_reason="The entity opened another site.",
        domains=[*entry.domains, "steppe-crypto.net"],
        note="Also advertises on social media.",
    )

    assert updated.domains == ["steppe-crypto.io", "steppe-x.com", "steppe-crypto.net"]
    event = updated.events.get(event=WarningEvent.Kind.UPDATED)
    assert (event.at, event.changed, event.reason) == (
        date(2026, 6, 10),
        ["domains", "note"],
        "The entity opened another site.",
    )
    assert [a.comment for a in _audit("warning.update", entry)] == ["domains, note"]


def test_an_update_that_changes_nothing_records_nothing(entry, supervisor):
    warning_update(entry=entry, actor=supervisor, domains=["steppe-crypto.io", "www.steppe-x.com"])

    assert not entry.events.filter(event=WarningEvent.Kind.UPDATED).exists()
    assert not _audit("warning.update", entry).exists()


def test_an_update_made_on_a_stale_copy_is_refused(entry, supervisor):
    stale = WarningEntry.objects.get(pk=entry.pk)
    warning_update(entry=entry, actor=supervisor, note="First edit.")

    with pytest.raises(ConcurrentChange, match="changed by someone else"):
        warning_update(entry=stale, actor=supervisor, note="Second edit.")
    assert WarningEntry.objects.get(pk=entry.pk).note == "First edit."


def test_an_update_cannot_take_another_entrys_domain(entry, supervisor):
    other = warning_add(actor=supervisor, name="Tengri Profit", listed_on=date(2026, 5, 5))
    with pytest.raises(DuplicateWarning):
        warning_update(entry=other, actor=supervisor, domains=["steppe-x.com"])


def test_removal_keeps_the_entry_with_its_date_and_public_reason(entry, supervisor):
    removed = warning_remove(entry=entry, actor=supervisor, removed_on=date(2026, 6, 1), reason="Authorised in FR.")

    removed.refresh_from_db()
    assert (removed.status, removed.removed_on) == (WarningEntry.Status.REMOVED, date(2026, 6, 1))
    assert [(e.event, e.at, e.reason) for e in removed.events.all()] == [
        ("listed", date(2026, 5, 4), ""),
        ("removed", date(2026, 6, 1), "Authorised in FR."),
    ]
    [audit] = _audit("warning.remove", entry)
    assert (audit.from_state, audit.to_state) == ("active", "removed")


@pytest.mark.parametrize(
    ("removed_on", "reason", "field"),
    [
        (date(2026, 6, 1), " ", "reason"),
        (date(2026, 7, 1), "Why", "removed_on"),
        (date(2026, 5, 1), "Why", "removed_on"),
    ],
)
def test_removal_needs_a_reason_and_a_date_between_listing_and_today(entry, supervisor, removed_on, reason, field):
    with pytest.raises(ValidationError) as refusal:
        warning_remove(entry=entry, actor=supervisor, removed_on=removed_on, reason=reason)
    assert field in refusal.value.message_dict
    assert WarningEntry.objects.get(pk=entry.pk).is_active


def test_a_removed_entry_is_kept_as_it_was(entry, supervisor):
    removed = warning_remove(entry=entry, actor=supervisor, removed_on=date(2026, 6, 1), reason="Authorised.")

    with pytest.raises(TransitionNotAllowed, match="removed from the list on 1 June 2026"):
        warning_update(entry=removed, actor=supervisor, note="Late note.")
    with pytest.raises(TransitionNotAllowed):
        warning_remove(entry=removed, actor=supervisor, removed_on=date(2026, 6, 2), reason="Again.")


def test_unknown_fields_are_refused(entry, supervisor):
    with pytest.raises(DomainError, match="status"):
        warning_update(entry=entry, actor=supervisor, status="removed")


def test_the_admin_only_shows_the_list(admin_client, entry):
    assert admin_client.get(f"/admin/registry/warningentry/{entry.pk}/change/").status_code == 200
    assert admin_client.get("/admin/registry/warningentry/add/").status_code == 403
    response = admin_client.post(f"/admin/registry/warningentry/{entry.pk}/change/", {"name": "Renamed"})
    assert response.status_code == 403
    assert admin_client.post(f"/admin/registry/warningentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert WarningEntry.objects.get(pk=entry.pk).name == "Steppe Crypto Exchange"
