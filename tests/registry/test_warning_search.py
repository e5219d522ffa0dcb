"""The public warning list: ``/registry/warnings/`` and ``GET /api/v1/warnings/`` search and pages.

The same tests run in the PostgreSQL and the SQLite pass: the search behaves alike on both.
"""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from registry.warning_list.services import warning_add, warning_remove

pytestmark = pytest.mark.django_db


@pytest.fixture
def warning_list():
    add = warning_add
    entries = {
        "steppe": add(
            actor=None,
            name="Steppe Crypto Exchange",
            other_names=["SteppeX"],
            listed_on=date(2026, 4, 1),
            domains=["steppe-crypto.io", "app.steppex.com"],
            home_authority="Autorité des marchés financiers (AMF)",
            home_country="FR",
            reason="Crypto-asset services without authorisation.",
        ),
        "tengri": add(actor=None, name="Tengri Profit", listed_on=date(2026, 3, 1), domains=["tengri-profit.com"]),
        "kazakh": add(actor=None, name="Қазақ Мұнай Инвест", listed_on=date(2026, 2, 1), domains=["kmi.kz"]),
        "old": add(actor=None, name="Steppe Old Scam", listed_on=date(2025, 1, 1), domains=["old-scam.io"]),
    }
    entries["old"] = warning_remove(entry=entries["old"], actor=None, removed_on=date(2026, 1, 1), reason="Ceased.")
    return entries


def api(client, **params):
    response = client.get("/api/v1/warnings/?" + urlencode(params))
    return response.status_code, json.loads(response.content)


def names(body) -> list[str]:
    return [result["name"] for result in body["results"]]


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("steppe", ["Steppe Crypto Exchange"]),  # a fragment; the removed "Steppe Old Scam" is not active
        ("crypto exch", ["Steppe Crypto Exchange"]),
        ("Stepe", ["Steppe Crypto Exchange"]),  # one letter missing
        ("Tengri Proffit", ["Tengri Profit"]),  # one letter too many
        ("Tnegri", ["Tengri Profit"]),  # two letters swapped
        ("steppex", ["Steppe Crypto Exchange"]),  # another name
        ("St\u0435\u0440\u0440\u0435", ["Steppe Crypto Exchange"]),  # typed with Cyrillic look-alike letters
        ("қазақ мұнай", ["Қазақ Мұнай Инвест"]),
        ("https://www.steppe-crypto.io/bonus?ref=1", ["Steppe Crypto Exchange"]),  # a full URL finds its host
        ("login.tengri-profit.com", ["Tengri Profit"]),  # a subdomain finds its site
        ("steppex.com", ["Steppe Crypto Exchange"]),  # a site finds its listed subdomain
        ("profit.com", []),  # another site that ends alike is not the same
        ("Altyn Custody", []),
    ],
)
def test_the_api_searches_by_name_or_web_address(client, warning_list, q, found):
    status, body = api(client, q=q)

    assert status == 200
    assert names(body) == found
    assert body["count"] == len(found)


def test_each_result_has_the_home_authority_the_listing_date_and_the_history(client, warning_list):
    _, body = api(client, q="steppe-crypto.io")

    [result] = body["results"]
    assert result["home_authority"] == "Autorité des marchés financiers (AMF)"
    assert result["home_country"] == "FR"
    assert result["listed_on"] == "2026-04-01"
    assert result["domains"] == ["steppe-crypto.io", "app.steppex.com"]
    assert result["status"] == "active"
    assert [(event["event"], event["at"]) for event in result["history"]] == [("listed", "2026-04-01")]
    assert set(result["history"][0]) == {"event", "at", "recorded_at", "changed", "reason"}


def test_a_removed_entry_shows_as_removed_and_only_when_asked_for(client, warning_list):
    _, active = api(client, q="Old Scam")
    _, removed = api(client, q="Old Scam", status="removed")
    _, everything = api(client, status="all")

    assert active["count"] == 0
    [old] = removed["results"]
    assert (old["status"], old["removed_on"]) == ("removed", "2026-01-01")
    assert old["history"][-1] == {**old["history"][-1], "event": "removed", "reason": "Ceased."}
    assert everything["count"] == 4


def test_the_list_is_paginated_like_the_license_list_newest_first(client, warning_list):
    _, first = api(client, page_size=2)
    _, second = api(client, page_size=2, page=2)

    assert first["count"] == 3
    assert names(first) == ["Steppe Crypto Exchange", "Tengri Profit"]
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/warnings/?page_size=2&page=2"
    assert names(second) == ["Қазақ Мұнай Инвест"]
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/warnings/?page_size=2&page=1"


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"status": "gone"}, "status"),
        ({"q": "x"}, "q"),
        ({"page": 9}, "page"),
        ({"page_size": 500}, "page_size"),
        ({"page": "first"}, "page"),
    ],
)
def test_bad_parameters_answer_400_naming_them(client, warning_list, params, parameter):
    status, body = api(client, **params)

    assert status == 400
    assert body["parameter"] == parameter
    assert body["error"]


def test_the_page_searches_and_shows_authority_date_and_websites(client, warning_list):
    response = client.get(reverse("registry:warnings") + "?" + urlencode({"q": "https://steppe-crypto.io/x"}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Steppe Crypto Exchange" in html
    assert "Autorité des marchés financiers (AMF) (FR)" in html
    assert '<time datetime="2026-04-01">' in html
    assert '<span class="domain">app.steppex.com</span>' in html
    assert "Tengri Profit" not in html


def test_the_page_marks_removed_entries_and_keeps_what_was_typed(client, warning_list):
    html = client.get(reverse("registry:warnings") + "?q=Old+Scam&status=all").content.decode()

    assert "Steppe Old Scam" in html
    assert '<span class="badge status-removed">Removed from the list</span>' in html
    assert 'value="Old Scam"' in html


def test_the_page_paginates(client, warning_list):
    html = client.get(reverse("registry:warnings") + "?page_size=1&page=2").content.decode()

    assert "Tengri Profit" in html and "Steppe Crypto Exchange" not in html
    assert "Page 2 of 3" in html
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_a_search_costs_the_same_queries_for_ten_entries_or_two_hundred(client, django_assert_max_num_queries):
    for number in range(200):
        warning_add(actor=None, name=f"Scam Number {number}", listed_on=date(2026, 1, 1), domains=[f"s{number}.io"])
    with django_assert_max_num_queries(4):
        status, body = api(client, q="scam numbr", page_size=50)
    assert (status, body["count"], len(body["results"])) == (200, 200, 50)


def test_the_export_is_csv_with_every_entry_and_an_etag(client, warning_list):
    response = client.get("/api/v1/export/warnings.csv")
    body = b"".join(response.streaming_content).decode()

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.splitlines()[0] == (
        "name,other_names,domains,lei,home_authority,home_country,listed_on,reason,note,status,removed_on"
    )
    assert len(body.splitlines()) == 5
    assert "Steppe Old Scam,,old-scam.io,,,,2025-01-01,,,removed,2026-01-01" in body
    again = client.get("/api/v1/export/warnings.csv", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
