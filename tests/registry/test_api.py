"""The public JSON API: shapes, refusals (400 naming the parameter), 404, ETag, caching, CORS, rate limit."""

import json
from urllib.parse import urlencode

import pytest

from registry.models import LicenseEvent, WarningEntry
from tests.registry.conftest import aware

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    response = client.get(url, **headers)
    return response, (json.loads(response.content) if response.content else None)


def test_list_answers_count_links_and_the_public_fields_of_each_license(client, register):
    response, body = get(client, "/api/v1/licenses/?page_size=2")

    assert response.status_code == 200
    assert body["count"] == 3
    assert body["previous"] is None
    assert body["next"] == "http://testserver/api/v1/licenses/?page_size=2&page=2"
    first = body["results"][0]
    assert set(first) >= {
        "number",
        "status",
        "holder",
        "license_type",
        "activities",
        "assets",
        "issued_at",
        "valid_until",
    }
    assert first["holder"]["name"] == "Altyn Custody LLP"
    assert first["holder"]["bin"] == "241240005673"
    assert first["license_type"] == "DAC"
    assert first["activities"] == ["custody"]
    assert first["assets"] == ["ETH"]
    assert first["status"] == "suspended"

    _, second = get(client, body["next"])
    assert second["previous"] == "http://testserver/api/v1/licenses/?page_size=2&page=1"
    assert second["next"] is None
    assert len(second["results"]) == 1


def test_list_filters_and_searches_like_the_page(client, register):
    _, body = get(client, "/api/v1/licenses/?q=https://www.steppe-exchange.example.kz/about")
    assert [r["number"] for r in body["results"]] == [register["steppe"].number]
    _, body = get(client, "/api/v1/licenses/?status=revoked&asset=BTC&license_type=DAX&activity=trading_platform")
    assert [r["number"] for r in body["results"]] == [register["qazaq"].number]


def test_names_follow_the_requested_language_and_codes_do_not(client, register):
    _, body = get(client, f"/api/v1/licenses/{register['steppe'].number}/", HTTP_ACCEPT_LANGUAGE="ru")
    assert body["license_type"] == "DAX"
    custody = next(a for a in body["activity_names"] if a["code"] == "custody")
    assert custody["name"] == "Хранение цифровых финансовых активов в интересах клиентов"


def test_detail_adds_the_public_history_oldest_first(client, register):
    response, body = get(client, f"/api/v1/licenses/{register['altyn'].number.lower()}/")

    assert response.status_code == 200
    assert body["number"] == register["altyn"].number
    assert [(e["event"], e["reason"]) for e in body["history"]] == [
        ("issued", ""),
        ("suspended", "Capital below the minimum."),
    ]


@pytest.mark.parametrize("number", ["DAX-2026-9999", "NOPE", "DAX-2026-0001'--", "%00", "ә" * 40])
def test_an_unknown_or_malformed_number_answers_404_json(client, register, number):
    response, body = get(client, f"/api/v1/licenses/{number}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "error" in body


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=0", "page"),
        ("page=-3", "page"),
        ("page=99999999999999999999999", "page"),
        ("page=two", "page"),
        ("page=5", "page"),  # past the last page
        ("page_size=201", "page_size"),
        ("page_size=0", "page_size"),
        ("status=pending", "status"),
        ("license_type=XYZ", "license_type"),
        ("activity=mining", "activity"),
        ("asset=DOGE", "asset"),
        ("asset=%00", "asset"),
        ("q=%00", "q"),
        ("q=a%00b", "q"),
        ("q=" + "x" * 10_000, "q"),
        ("q=x", "q"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(client, register, query, parameter):
    response, body = get(client, "/api/v1/licenses/?" + query)

    assert response.status_code == 400
    assert body["parameter"] == parameter
    assert parameter in body["error"]


@pytest.mark.parametrize(
    "q",
    [
        "'; DROP TABLE registry_license; --",
        "<script>alert(1)</script>",
        '" OR 1=1 --',
        "%_%",
        "әғқңөұүһі",
        "Қазақстан Биржасы",
        "1 UNION SELECT password FROM accounts_user",
    ],
)
def test_hostile_or_foreign_queries_are_answered_not_crashed(client, register, q):
    response, body = get(client, "/api/v1/licenses/?" + urlencode({"q": q}))
    assert response.status_code == 200
    assert body["count"] == 0


def test_assets_list_every_asset_with_its_class_and_status(client):
    _, body = get(client, "/api/v1/assets/")
    btc = next(a for a in body["results"] if a["symbol"] == "BTC")
    assert btc["dfa_class"] == "unsecured"
    assert btc["status"] == "permitted"
    assert body["count"] == len(body["results"]) >= 30


def test_warnings_list_only_the_entries_shown_publicly(client):
    WarningEntry.objects.create(name="Fake Steppe Exchange", domains=["steppe-exchange.io"], listed_on="2026-04-01")
    WarningEntry.objects.create(
        name="Withdrawn Entry", listed_on="2026-04-02", status="removed", removed_on="2026-05-02"
    )

    _, body = get(client, "/api/v1/warnings/")

    assert [(w["name"], w["domains"]) for w in body["results"]] == [("Fake Steppe Exchange", ["steppe-exchange.io"])]


# --- Change feed ------------------------------------------------------------------------------------


def test_changes_lists_events_after_the_instant_oldest_first(client, register):
    moment = aware(2026, 6, 1, 9)
    LicenseEvent.objects.create(
        license=register["qazaq"], event="revoked", at=moment, recorded_at=moment, reason="Fraud."
    )

    _, body = get(client, "/api/v1/changes/?since=2026-05-01T00:00:00%2B05:00")

    assert [(c["number"], c["event"]) for c in body["results"]] == [
        (register["altyn"].number, "suspended"),
        (register["qazaq"].number, "revoked"),
    ]
    assert body["results"][1]["reason"] == "Fraud."
    assert body["results"][1]["status"] == "revoked"


def test_changes_follow_the_cursor_without_losing_or_repeating_events_at_the_same_instant(client, register):
    for license in register.values():
        moment = aware(2026, 7, 1, 12)
        LicenseEvent.objects.create(license=license, event="suspended", at=moment, recorded_at=moment, reason="Same.")

    seen, url = [], "/api/v1/changes/?since=2026-01-01&limit=2"
    while url:
        _, body = get(client, url)
        seen += [(c["number"], c["event"], c["at"]) for c in body["results"]]
        url = body["next"] if body["results"] else None

    assert len(seen) == len(set(seen)) == LicenseEvent.objects.count()


@pytest.mark.parametrize(
    "query",
    [
        "since=yesterday",
        "since=2026-13-45",
        "since=%00",
        "",
        "cursor=bm9wZQ",
        "cursor=!!!",
        "since=0001-01-01T00:00:00%2B14:00",
    ],
)
def test_changes_refuse_a_since_that_is_not_iso_8601(client, register, query):
    response, body = get(client, "/api/v1/changes/?" + query)
    assert response.status_code == 400
    assert body["parameter"] in {"since", "cursor"}


# --- HTTP manners -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/licenses/",
        "/api/v1/assets/",
        "/api/v1/warnings/",
        "/api/v1/openapi.json",
        "/api/v1/changes/?since=2026-01-01",
    ],
)
def test_every_answer_carries_etag_cache_control_and_cors_and_honours_if_none_match(client, register, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Access-Control-Allow-Origin"] == "*"
    etag = response["ETag"]

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_etag_changes_when_the_register_does(client, register):
    before = client.get("/api/v1/licenses/")["ETag"]
    LicenseEvent.objects.create(license=register["steppe"], event="suspended", at=aware(2026, 8, 1, 9))
    type(register["steppe"]).objects.filter(pk=register["steppe"].pk).update(status="suspended")
    assert client.get("/api/v1/licenses/")["ETag"] != before


def test_a_cors_preflight_for_get_is_answered(client):
    response = client.options(
        "/api/v1/licenses/", HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_head_is_answered_like_get_without_a_body(client, register):
    response = client.head("/api/v1/licenses/")
    assert response.status_code == 200
    assert response.content == b""
    assert response["ETag"] == client.get("/api/v1/licenses/")["ETag"]


def test_the_rate_limit_answers_429_with_retry_after_per_client(client, settings, register):
    settings.API_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get("/api/v1/assets/").status_code == 200

    response, body = get(client, "/api/v1/licenses/")
    assert response.status_code == 429
    # Up to two minutes: the window slides, so this minute's requests weigh on the next one too.
    assert 1 <= int(response["Retry-After"]) <= 120
    assert "error" in body

    assert client.get("/api/v1/assets/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_rate_limit_of_zero_turns_it_off(client, settings):
    settings.API_RATE_LIMIT = 0
    assert all(client.get("/api/v1/assets/").status_code == 200 for _ in range(30))


def test_openapi_describes_every_operation(client):
    _, schema = get(client, "/api/v1/openapi.json")
    assert set(schema["paths"]) == {
        "/api/v1/licenses/",
        "/api/v1/licenses/{number}/",
        "/api/v1/assets/",
        "/api/v1/warnings/",
        "/api/v1/changes/",
        "/api/v1/export/licenses.csv",
        "/api/v1/export/licenses.json",
        "/api/v1/statistics/",
        "/api/v1/export/warnings.csv",
    }
    csv = schema["paths"]["/api/v1/export/licenses.csv"]["get"]["responses"]["200"]
    assert "text/csv" in csv["content"]
    listing = schema["paths"]["/api/v1/licenses/"]["get"]["responses"]
    assert {"200", "304", "400", "429"} <= set(listing)


def test_a_repeated_search_is_answered_from_the_cache_until_the_register_changes(
    client, register, make_license, django_assert_num_queries
):
    first = client.get("/api/v1/licenses/", {"q": "steppe"})
    with django_assert_num_queries(0):
        again = client.get("/api/v1/licenses/", {"q": "steppe"})
    assert again.content == first.content and again["ETag"] == first["ETag"]

    make_license(holder_name="Steppe Second LLP")

    assert client.get("/api/v1/licenses/", {"q": "steppe"}).json()["count"] == 2
