"""The supervisors' pages for the warning list (SPEC section 15), on registry.warning_list's services:
list, add, edit, remove, and import with a preview to confirm."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from registry.models import WarningEntry
from registry.warning_list import services as warning_services

pytestmark = pytest.mark.django_db
ESMA = Path(__file__).resolve().parent.parent / "registry" / "data" / "esma_ncasp.csv"

ENTRY = {
    "name": "Steppe Crypto Profit",
    "other_names": "SC Profit\nStepProfit",
    "domains": "https://www.steppe-profit.io/offer\nsteppeprofit.net",
    "lei": "",
    "home_authority": "National Bank of Kazakhstan",
    "home_country": "kz",
    "listed_on": "2026-03-02",
    "reason": "Offers crypto trading without a license.",
    "note": "",
}


@pytest.fixture
def supervisor_client(client, cast):
    client.force_login(cast.supervisor)
    return client


@pytest.fixture
def entry(cast):
    return warning_services.warning_add(
        actor=cast.supervisor, name="Golden Horde Finance", domains=["golden-horde.com"], listed_on=date(2026, 2, 1)
    )


def test_a_supervisor_adds_an_entry_and_it_is_public_and_audited(supervisor_client):
    response = supervisor_client.post(reverse("licensing:staff_warning_add"), ENTRY)

    entry = WarningEntry.objects.get(name="Steppe Crypto Profit")
    assert response["Location"] == reverse("licensing:staff_warnings")
    assert entry.other_names == ["SC Profit", "StepProfit"]
    assert entry.domains == ["steppe-profit.io", "steppeprofit.net"]
    assert entry.home_country == "KZ"
    assert AuditEntry.objects.filter(action="warning.add", object_id=str(entry.pk)).exists()
    assert "Steppe Crypto Profit" in supervisor_client.get("/registry/warnings/").content.decode()


def test_a_duplicate_is_refused_with_a_link_to_the_entry_it_repeats(supervisor_client, entry):
    response = supervisor_client.post(
        reverse("licensing:staff_warning_add"), {**ENTRY, "name": "Golden Horde Finance", "domains": ""}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "is already on the warning list" in page
    assert reverse("licensing:staff_warning_edit", args=[entry.pk]) in page
    assert WarningEntry.objects.count() == 1


def test_bad_values_are_shown_at_their_fields_and_what_was_typed_is_kept(supervisor_client):
    response = supervisor_client.post(
        reverse("licensing:staff_warning_add"), {**ENTRY, "home_country": "Kazakhstan", "domains": "not a host!"}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_home_country_error"' in page
    assert 'id="id_domains_error"' in page
    assert "Kazakhstan" in page
    assert not WarningEntry.objects.exists()


def test_an_edit_records_what_changed_and_a_change_made_meanwhile_is_refused(supervisor_client, cast, entry):
    url = reverse("licensing:staff_warning_edit", args=[entry.pk])

    def edited(form) -> dict:
        values = {key: value for key, value in form.initial.items() if value is not None}
        return {**values, "other_names": "Golden Horde", "listed_on": "2026-02-01", "effective_on": "2026-06-01",
                "change_reason": "Trades under a second name."}  # fmt: skip

    opened = edited(supervisor_client.get(url).context["form"])
    warning_services.warning_update(entry=entry, actor=cast.recommender, note="Seen in a newspaper advert.")

    refused = supervisor_client.post(url, opened)
    saved = supervisor_client.post(url, edited(refused.context["form"]))  # the page as it is now

    entry.refresh_from_db()
    assert refused.status_code == 409
    assert "was changed by someone else" in refused.content.decode()
    assert "Trades under a second name." in refused.content.decode()  # kept for a second try
    assert saved.status_code == 302
    assert (entry.other_names, entry.note) == (["Golden Horde"], "Seen in a newspaper advert.")
    assert entry.events.order_by("id").last().changed == ["other_names"]


def test_a_supervisor_corrects_why_an_entry_is_listed(supervisor_client, entry):
    url = reverse("licensing:staff_warning_edit", args=[entry.pk])
    form = supervisor_client.get(url).context["form"]
    values = {key: value for key, value in form.initial.items() if value is not None}

    response = supervisor_client.post(
        url,
        {**values, "listed_on": "2026-02-01", "effective_on": "2026-06-01",
         "reason": "Promises fixed returns on crypto-assets.", "change_reason": "The reason was left out."},
    )  # fmt: skip

    entry.refresh_from_db()
    assert response.status_code == 302
    assert entry.reason == "Promises fixed returns on crypto-assets."
    event = entry.events.order_by("id").last()
    assert (event.changed, event.reason) == (["reason"], "The reason was left out.")


def test_removal_needs_a_reason_and_keeps_the_entry_public_as_removed(supervisor_client, entry):
    url = reverse("licensing:staff_warning_remove", args=[entry.pk])
    seen = supervisor_client.get(url).context["form"].initial["seen"]

    no_reason = supervisor_client.post(url, {"seen": seen, "removed_on": "2026-06-01"})
    removed = supervisor_client.post(url, {"seen": seen, "removed_on": "2026-06-01", "reason": "Licensed abroad."})

    entry.refresh_from_db()
    assert no_reason.status_code == 400
    assert removed.status_code == 302
    assert (entry.status, entry.removed_on) == ("removed", date(2026, 6, 1))


def test_an_import_is_previewed_then_applied_once_confirmed(supervisor_client):
    upload = SimpleUploadedFile("ncasp.csv", ESMA.read_bytes(), content_type="text/csv")

    preview = supervisor_client.post(reverse("licensing:staff_warning_import"), {"format": "esma", "file": upload})
    assert not WarningEntry.objects.exists()  # a preview writes nothing
    report = preview.context["report"]
    confirmed = supervisor_client.post(reverse("licensing:staff_warning_import_confirm"), {"token": report.token})
    again = supervisor_client.post(reverse("licensing:staff_warning_import_confirm"), {"token": report.token})

    assert preview.status_code == 200
    assert "What this import would do" in preview.content.decode()
    assert report.added and report.refused
    assert confirmed["Location"] == reverse("licensing:staff_warnings")
    assert WarningEntry.objects.count() == len(report.added)
    assert again["Location"] == reverse("licensing:staff_warning_import")  # a preview applies once
    assert WarningEntry.objects.count() == len(report.added)
    messages = [str(m) for m in get_messages(confirmed.wsgi_request)]
    assert messages[0].startswith(f"Imported ncasp.csv: {len(report.added)} added")


def test_an_import_is_refused_when_the_list_changed_after_the_preview(supervisor_client, cast):
    upload = SimpleUploadedFile("ncasp.csv", ESMA.read_bytes(), content_type="text/csv")
    preview = supervisor_client.post(reverse("licensing:staff_warning_import"), {"format": "esma", "file": upload})
    warning_services.warning_add(actor=cast.recommender, name="Someone Else Ltd", listed_on=date(2026, 2, 1))

    response = supervisor_client.post(
        reverse("licensing:staff_warning_import_confirm"), {"token": preview.context["report"].token}
    )

    assert response.status_code == 409
    assert "Nothing was imported: the list changed" in response.content.decode()
    assert WarningEntry.objects.count() == 1


def test_a_file_that_cannot_be_read_is_refused_at_the_field(supervisor_client):
    upload = SimpleUploadedFile("list.csv", "name;when\nx;y\n".encode("utf-16"), content_type="text/csv")

    response = supervisor_client.post(reverse("licensing:staff_warning_import"), {"format": "csv", "file": upload})

    assert response.status_code == 400
    assert 'id="id_file_error"' in response.content.decode()


def test_the_preview_names_what_an_update_changes(supervisor_client, cast):
    warning_services.warning_add(
        actor=cast.supervisor, name="Golden Horde Invest", listed_on=date(2025, 3, 5), domains=["golden-horde.com"]
    )
    upload = SimpleUploadedFile("ncasp.csv", ESMA.read_bytes(), content_type="text/csv")

    preview = supervisor_client.post(reverse("licensing:staff_warning_import"), {"format": "esma", "file": upload})

    page = preview.content.decode()
    assert "To update" in page
    assert "domains, home authority, home country" in page
