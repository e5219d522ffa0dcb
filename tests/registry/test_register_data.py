"""What the register stores: validated holders, names in every form, effective and recorded dates."""

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from common.domains import normalise_host
from common.errors import DomainError
from registry.models import License, LicenseEvent, LicenseType
from registry.services import Holder, license_issue, license_suspend
from tests.registry.factories import activities_of, holder, make_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 9, 15, 6, 30, tzinfo=UTC)  # 11:30 in Almaty


@pytest.fixture
def approver():
    return make_user("approver")


def _issue(approver, *, holder: Holder, issued_on: date = date(2026, 3, 2), code: str = "DAX") -> License:
    license_type = LicenseType.objects.get(code=code)
    with transaction.atomic():
        return license_issue(
            license_type=license_type,
            holder=holder,
            activities=activities_of(code)[:1],
            assets=[],
            application_id=None,
            issued_on=issued_on,
            actor=approver,
        )


def _refusal(approver, **changes) -> str:
    with pytest.raises(DomainError) as refused:
        _issue(approver, holder=replace(holder(), **changes))
    return str(refused.value)


# --- validation ---------------------------------------------------------------------------------


def test_a_21_character_lei_is_refused_with_a_message_not_a_database_error(approver):
    assert "LEI: An LEI is exactly 20 characters" in _refusal(approver, lei="529900T8BM49AURSDO55X")
    assert not License.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"bin": "250140001233"}, "BIN: This BIN's last digit does not match"),
        ({"bin": "25014000123"}, "BIN: A BIN is exactly 12 digits"),
        ({"lei": "529900t8bm49aursdo55"}, "LEI: Write the LEI in capital letters"),
        ({"lei": "529900T8BM49AURSDO56"}, "LEI: This LEI's check digits do not match"),
        ({"name": "   "}, "The holder's name is missing."),
        ({"name": "X" * 301}, "The holder's name is longer than 300 characters."),
        ({"latin_name": "Y" * 301}, "The holder's Latin name is longer than 300 characters."),
        ({"trading_names": ("Z" * 301,)}, "is longer than 300 characters."),
        ({"trading_names": tuple(f"Brand {n}" for n in range(21))}, "at most 20 trading names"),
        ({"address": "A" * 501}, "The registered address is longer than 500 characters."),
        ({"name": "Steppe\x00Exchange"}, "may not contain control characters"),
        ({"website": "https://steppe exchange.kz"}, "Website: this is not a valid web address"),
        ({"domains": ("steppe.kz", "localhost")}, "Domains: localhost: a web address needs a dot"),
    ],
)
def test_bad_holder_data_is_refused_naming_the_field(approver, changes, message):
    assert message in _refusal(approver, **changes)


def test_every_problem_is_listed_at_once(approver):
    refusal = _refusal(approver, bin="1", lei="2", website="not a site")

    assert "BIN:" in refusal and "LEI:" in refusal and "Website:" in refusal


@time_machine.travel(NOW, tick=False)
def test_a_license_cannot_be_issued_in_the_future_or_in_an_implausible_past(approver):
    with pytest.raises(DomainError, match="date in the future"):
        _issue(approver, holder=holder(), issued_on=date(2026, 9, 16))
    with pytest.raises(DomainError, match="check the year"):
        _issue(approver, holder=holder(), issued_on=date(1026, 9, 15))


def test_a_reason_longer_than_the_public_history_takes_is_refused(approver):
    license = _issue(approver, holder=holder())
    with pytest.raises(DomainError, match="under 2000 characters"):
        license_suspend(license=license, actor=approver, reason="x" * 2001, recipients=[])


def test_website_and_domains_are_stored_as_host_names_and_names_as_given(approver):
    license = _issue(
        approver,
        holder=replace(
            holder(),
            name="  ТОО   «Жібек Жолы»  ",
            latin_name="Zhibek Zholy LLP",
            trading_names=("JibekPay", "JibekPay", " Silk Road Exchange "),
            website="HTTPS://WWW.Жібек-Жолы.kz/about",
            domains=("https://www.zhibek.exchange/", "ZHIBEK.EXCHANGE", "жібек-жолы.kz"),
        ),
    )

    assert license.holder_name == "ТОО «Жібек Жолы»"
    assert license.holder_latin_name == "Zhibek Zholy LLP"
    assert license.holder_trading_names == ["JibekPay", "Silk Road Exchange"]
    assert license.holder_website == normalise_host("жібек-жолы.kz")
    assert license.holder_website.startswith("xn--")
    # The website is not repeated among the other domains.
    assert license.holder_domains == ["zhibek.exchange"]


def test_the_api_and_page_show_latin_and_trading_names(client, approver):
    license = _issue(approver, holder=replace(holder(), latin_name="Steppe Latin JSC", trading_names=("StepPay",)))

    body = json.loads(client.get(f"/api/v1/licenses/{license.number}/").content)
    page = client.get(f"/registry/{license.number}/").content.decode()

    assert body["holder"]["latin_name"] == "Steppe Latin JSC"
    assert body["holder"]["trading_names"] == ["StepPay"]
    assert "Steppe Latin JSC" in page and "StepPay" in page


def test_trading_and_latin_names_are_searched_like_legal_names(client, approver):
    license = _issue(
        approver, holder=replace(holder(), name="ТОО «Тұмар»", latin_name="Tumar LLP", trading_names=("TumarX",))
    )

    for q in ("TumarX", "Tumar", "Тумар"):
        body = json.loads(client.get("/api/v1/licenses/", {"q": q}).content)
        assert [result["number"] for result in body["results"]] == [license.number], q


# --- dates ------------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_a_license_loaded_from_an_earlier_register_is_issued_on_its_own_date(approver, client):
    license = _issue(approver, holder=holder(), issued_on=date(2024, 11, 5))

    issued = license.events.get()
    assert timezone.localdate(issued.at) == date(2024, 11, 5)
    assert issued.recorded_at == NOW
    history = json.loads(client.get(f"/api/v1/licenses/{license.number}/").content)["history"]
    # Given in the register's time zone, so the date reads as the date it took effect.
    assert history[0]["at"] == "2024-11-05T00:00:00+05:00"
    assert history[0]["recorded_at"] == "2026-09-15T11:30:00+05:00"
    assert "recorded in this register on" in client.get(f"/registry/{license.number}/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_license_issued_today_takes_effect_now(approver):
    license = _issue(approver, holder=holder(), issued_on=date(2026, 9, 15))

    issued = license.events.get()
    assert issued.at == issued.recorded_at == NOW


def test_the_change_feed_is_ordered_and_resumed_by_recorded_time(client, approver):
    with time_machine.travel(NOW, tick=False):
        recent = _issue(approver, holder=holder(), issued_on=date(2026, 9, 14))
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        loaded = _issue(approver, holder=replace(holder(), name="Loaded Custody LLP"), issued_on=date(2020, 1, 10))
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        # A client that read the feed up to the first day still sees the license loaded on the
        # second, although it took effect six years before.
        body = json.loads(client.get("/api/v1/changes/", {"since": "2026-09-15T12:00:00+05:00"}).content)
        everything = json.loads(client.get("/api/v1/changes/", {"since": "2019-01-01"}).content)

    assert [(c["number"], c["at"][:10]) for c in body["results"]] == [(loaded.number, "2020-01-10")]
    assert [c["number"] for c in everything["results"]] == [recent.number, loaded.number]


def test_existing_issued_events_take_the_issue_date_in_the_migration(approver):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("registry.migrations.0009_holder_names_event_dates")
    license = _issue(approver, holder=holder(), issued_on=date(2025, 6, 2))
    recorded = timezone.now()
    LicenseEvent.objects.filter(license=license).update(at=recorded, recorded_at=recorded)

    migration._date_events(apps, SimpleNamespace(connection=connection))

    event = LicenseEvent.objects.get(license=license)
    assert timezone.localdate(event.at) == date(2025, 6, 2)
    assert event.recorded_at == recorded


def test_an_open_ended_type_gets_no_invented_end_date(approver, client):
    license = _issue(approver, holder=holder(), code="DAB")

    body = json.loads(client.get(f"/api/v1/licenses/{license.number}/").content)
    assert license.valid_until is None and body["valid_until"] is None
    assert "Open-ended" in client.get(f"/registry/{license.number}/").content.decode()


def test_an_internationalised_website_is_shown_in_its_own_script(client, approver):
    license = _issue(approver, holder=replace(holder(), website="жібек-жолы.kz", domains=("қазақ.kz",)))

    page = client.get(f"/registry/{license.number}/").content.decode()

    assert "жібек-жолы.kz" in page and "қазақ.kz" in page
    assert f'href="https://{license.holder_website}/"' in page  # the link keeps the ASCII form
