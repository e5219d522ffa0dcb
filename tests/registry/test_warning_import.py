"""``manage.py import_warnings``: a regulator's file (ESMA's NCASP layout) or the portal's own export.

``data/esma_ncasp.csv`` holds every case real files of that register carry (the first test names
them line by line); ``data/portal_export.csv`` is the portal's own export as a spreadsheet may
leave it.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from common.errors import ConcurrentChange
from registry.models import WarningEntry, WarningEvent
from registry.warning_list.imports import warning_import_apply, warning_import_preview
from registry.warning_list.services import warning_add, warning_remove
from tests.registry.factories import make_user

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
ESMA = DATA / "esma_ncasp.csv"
EXPORT = DATA / "portal_export.csv"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-06-15 12:00 +05:00", tick=False):
        yield


def run(path: Path, *options: str) -> str:
    out = io.StringIO()
    call_command("import_warnings", str(path), *options, stdout=out)
    return out.getvalue()


def entry(name: str) -> WarningEntry:
    return WarningEntry.objects.get(name=name)


def test_the_esma_file_is_read_with_every_case_real_files_carry():
    output = run(ESMA, "--format", "esma")

    assert ESMA.read_bytes().startswith(b"\xef\xbb\xbf")  # the byte-order mark is in the file, not in a name
    # Exact duplicate (line 7) and a relisting with other addresses and the legal name (line 8): one entry.
    steppe = entry("Steppe Crypto Exchange")
    assert steppe.other_names == ["Steppe Crypto Exchange Ltd", "SteppeX"]
    assert steppe.domains == ["steppe-crypto.io", "steppe-x.com"]
    assert steppe.lei == "5493001KJTIIGC8Y1R12"
    assert steppe.home_country == "FR, NL"
    assert steppe.listed_on == date(2025, 1, 27)
    assert [(e.event, e.at) for e in steppe.events.all()] == [
        ("listed", date(2025, 1, 27)),
        ("relisted", date(2025, 9, 16)),
    ]
    assert "duplicate  line 7 repeats line 2" in output
    assert "added      line 2, 8: Steppe Crypto Exchange" in output
    # Day first: 05/03/2025 is 5 March. Addresses split on |, space and comma, www. dropped; the same
    # entity relisted by name (line 13) in two more home states, with "75012 Paris" kept in the report.
    horde = entry("Golden Horde Invest")
    assert horde.listed_on == date(2025, 3, 5)
    assert horde.domains == [
        "golden-horde.com",
        "goldenhorde.net",
        "golden-horde.org",
        "bonus-horde.io",
        "goldenhorde.app",
    ]
    assert horde.home_country == "IT, CY, IE"
    assert horde.reason == ""  # "None" and empty reasons are no reason
    assert 'address    line 13: "75012" left out' in output
    assert 'address    line 13: "Paris" left out' in output
    # Newlines, " I ", trailing spaces and no-break spaces between addresses; "https.//" and "ttps://".
    tengri = entry("Tengri Profit")
    assert tengri.domains == ["tengri-profit.com", "tengriprofit.net", "tengri-pro.org"]
    assert tengri.note == "Clone of a licensed firm.\nDo not invest."
    assert tengri.lei == ""
    # Characters lost to a bad encoding are reported for correction.
    assert entry("Soci\ufffdt\ufffd Bit Capital").domains == ["societe-bit.be"]
    assert "check      line 9: characters were lost to a bad encoding" in output
    # A page on a shared platform is not the entity's domain; a bad LEI is left out, said so.
    moon = entry("Kazakh Moon")
    assert (moon.domains, moon.lei, moon.listed_on) == (["kazakh-moon.fr"], "", date(2025, 12, 1))
    assert 'address    line 14: "https://t.me/kazakhmoon" left out: a page on t.me' in output
    assert "check      line 14: LEI 529900T8BM49AURSDO99 is not valid" in output
    # Dates that cannot be read are refused, never guessed.
    assert 'refused    line 10: Bad Date Coin: ae_decision_date "31/02/2025" is not a date read day first' in output
    assert 'refused    line 11: Swapped Date Coin: ae_decision_date "09/13/2025" is not a date' in output
    assert "refused    line 12: No Date Coin: no date in ae_decision_date" in output
    assert not WarningEntry.objects.filter(name__in=["Bad Date Coin", "Swapped Date Coin", "No Date Coin"]).exists()
    assert output.rstrip().endswith("5 added, 0 updated, 0 unchanged, 3 refused.")
    assert AuditEntry.objects.filter(action="warning.add", actor_name="system").count() == 5


def test_a_second_import_of_the_same_file_changes_nothing_and_says_so():
    run(ESMA, "--format", "esma")
    events, audits = WarningEvent.objects.count(), AuditEntry.objects.count()

    output = run(ESMA, "--format", "esma")

    assert "0 added, 0 updated, 5 unchanged, 3 refused. Nothing to change" in output
    assert (WarningEvent.objects.count(), AuditEntry.objects.count()) == (events, audits)


def test_a_dry_run_reports_and_changes_nothing():
    output = run(ESMA, "--format", "esma", "--dry-run")

    assert "5 added, 0 updated, 0 unchanged, 3 refused. Dry run: nothing was changed." in output
    assert not WarningEntry.objects.exists()
    assert not AuditEntry.objects.exists()


def test_an_entry_already_listed_gains_the_files_addresses_details_and_dates():
    supervisor = make_user("supervisor")
    listed = warning_add(
        actor=supervisor, name="Golden Horde Invest", listed_on=date(2025, 3, 5), domains=["golden-horde.com"]
    )

    output = run(ESMA, "--format", "esma", "--as-user", supervisor.username)

    listed.refresh_from_db()
    assert listed.domains[0] == "golden-horde.com" and "goldenhorde.app" in listed.domains
    assert [(e.event, e.at, e.changed) for e in listed.events.all()] == [
        ("listed", date(2025, 3, 5), []),
        ("relisted", date(2025, 10, 20), []),
        ("updated", date(2026, 6, 15), ["domains", "home_authority", "home_country"]),
    ]
    assert f"updated    line 3, 13: Golden Horde Invest (entry {listed.pk}): domains" in output
    assert AuditEntry.objects.filter(action="warning.update", actor_name=supervisor.username).count() == 1


def test_a_removed_entry_is_not_put_back_by_an_import():
    supervisor = make_user("supervisor")
    gone = warning_add(actor=supervisor, name="Tengri Profit", listed_on=date(2025, 11, 12))
    warning_remove(entry=gone, actor=supervisor, removed_on=date(2026, 1, 1), reason="Authorised.")

    output = run(ESMA, "--format", "esma")

    assert (
        f"refused    line 4: Tengri Profit: entry {gone.pk} of that name was removed from the list on 1 January 2026"
        in (output)
    )
    assert WarningEntry.objects.filter(name="Tengri Profit").count() == 1


def test_applying_a_preview_after_the_list_changed_is_refused():
    report = warning_import_preview(data=ESMA.read_bytes(), format="esma")
    warning_add(actor=None, name="Unrelated Entity", listed_on=date(2026, 1, 1))

    with pytest.raises(ConcurrentChange, match="changed since this preview"):
        warning_import_apply(report=report, actor=None)
    assert WarningEntry.objects.count() == 1


def test_a_preview_applies_once():
    report = warning_import_preview(data=ESMA.read_bytes(), format="esma")
    warning_import_apply(report=report, actor=None)

    with pytest.raises(ConcurrentChange):
        warning_import_apply(report=report, actor=None)
    assert WarningEntry.objects.count() == 5


def test_a_file_that_is_not_utf8_is_refused_whole(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(ESMA.read_text(encoding="utf-8-sig").encode("utf-8").replace("é".encode(), b"\xe9"))

    with pytest.raises(CommandError, match="not UTF-8"):
        run(path, "--format", "esma")
    assert not WarningEntry.objects.exists()


def test_a_file_without_the_layouts_columns_is_refused_naming_them(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,website\nX,x.io\n")

    with pytest.raises(CommandError, match="lacks the columns ae_competentAuthority"):
        run(path, "--format", "esma")


def test_the_portals_own_export_is_read_back():
    output = run(EXPORT, "--format", "csv")

    tengri = entry("Tengri Profit")
    assert tengri.other_names == ["Tengri Profit Ltd", "TP Markets"]
    assert tengri.domains == ["tengri-profit.com", "tengriprofit.net"]
    assert tengri.note == '=HYPERLINK("http://evil.example")'  # the export's quote taken off again
    horde = entry("Horde, Golden & Co")
    assert (horde.listed_on, horde.note) == (date(2026, 3, 4), "-1 day promotion")
    assert (
        "refused    line 4: Old Scam Ltd: the file marks it removed on 15 January 2026 and it is not on this list"
        in output
    )
    assert 'refused    line 5: Month First Ltd: listed_on "03/15/2026" is not a date read day first' in output


def test_the_export_and_the_import_round_trip(client):
    supervisor = make_user("supervisor")
    warning_add(
        actor=supervisor,
        name="Tengri Profit",
        other_names=["TP, Markets"],
        listed_on=date(2026, 2, 3),
        domains=["tengri-profit.com", "пример.қаз"],
        home_authority="National Bank of Kazakhstan",
        home_country="KZ",
        note="+7 700 000 00 00 calls investors",
    )
    gone = warning_add(actor=supervisor, name="Old Scam", listed_on=date(2025, 1, 10))
    warning_remove(entry=gone, actor=supervisor, removed_on=date(2026, 1, 15), reason="Ceased.")
    response = client.get("/api/v1/export/warnings.csv")
    body = b"".join(response.streaming_content)
    assert "'+7 700 000 00 00 calls investors" in body.decode()

    report = warning_import_preview(data=body, format="csv")

    assert [(entity.name, entity.action) for entity in report.entities] == [
        ("Old Scam", "unchanged"),
        ("Tengri Profit", "unchanged"),
    ]
    assert not report.refused and not report.unreadable


def test_a_confirmation_applies_only_the_preview_the_supervisor_saw():
    shown = warning_import_preview(data=ESMA.read_bytes(), format="esma")
    # The confirmation reads the uploaded file again; meanwhile someone added an entry.
    warning_add(actor=None, name="Unrelated Entity", listed_on=date(2026, 1, 1))
    confirmed = warning_import_preview(data=ESMA.read_bytes(), format="esma")

    with pytest.raises(ConcurrentChange):
        warning_import_apply(report=confirmed, actor=None, token=shown.token)
    warning_import_apply(report=confirmed, actor=None, token=confirmed.token)
    assert WarningEntry.objects.count() == 6


def test_an_entry_listed_without_a_reason_takes_the_files_reason(tmp_path):
    # The file's reason is the entry's own field; the update's public history gives the import as its cause.
    supervisor = make_user("supervisor")
    listed = warning_add(actor=supervisor, name="Steppe Crypto Exchange", listed_on=date(2026, 5, 4))
    path = tmp_path / "esma.csv"
    path.write_text(
        "ae_competentAuthority,ae_homeMemberState,ae_lei_name,ae_lei,ae_lei_cou_code,ae_commercial_name,"
        "ae_website,ae_infrigment,ae_reason,ae_decision_date,ae_comments,ae_lastupdate\n"
        "AMF,FR,Steppe Crypto Exchange,,,,steppe-crypto.io,,Offers crypto-asset services without authorisation.,"
        "04/05/2026,,05/05/2026\n",
        encoding="utf-8",
    )

    output = run(path, "--format", "esma", "--as-user", supervisor.username)

    listed.refresh_from_db()
    assert listed.reason == "Offers crypto-asset services without authorisation."
    event = listed.events.get(event="updated")
    assert "reason" in event.changed and event.reason == "Updated from a regulator's file."
    assert f"Steppe Crypto Exchange (entry {listed.pk})" in output
