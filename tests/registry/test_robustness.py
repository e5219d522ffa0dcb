"""The public register under stress: a cache that is down, late commits, HEAD on exports, proxies."""

import json
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import resolve
from django.utils import timezone

from licensing.calendar import get_calendar
from licensing.models import WorkdayTransfer
from registry import selectors
from registry.models import LicenseEvent

pytestmark = pytest.mark.django_db

# A Redis nobody listens on: every cache call fails with a connection error.
DEAD_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


# --- The cache is down --------------------------------------------------------------------------------


@pytest.fixture
def dead_cache(settings):
    settings.CACHES = DEAD_CACHE


def test_the_public_pages_and_api_answer_when_the_cache_is_down(client, register, dead_cache):
    steppe = register["steppe"]

    page = client.get(f"/registry/{steppe.number}/")
    assert page.status_code == 200
    assert steppe.holder_name in page.content.decode()

    search = client.get("/registry/?q=Altyn")
    assert search.status_code == 200
    assert "Altyn Custody LLP" in search.content.decode()
    assert "Qazaq Crypto Hub" not in search.content.decode()

    detail = client.get(f"/api/v1/licenses/{steppe.number}/")
    assert detail.status_code == 200
    assert detail.json()["holder"]["name"] == steppe.holder_name

    found = client.get("/api/v1/licenses/?q=Altyn")
    assert found.status_code == 200
    assert [result["holder"]["name"] for result in found.json()["results"]] == ["Altyn Custody LLP"]
    assert found.json()["count"] == 1


def test_the_working_day_calendar_is_built_when_the_cache_is_down(dead_cache):
    WorkdayTransfer.objects.create(day_off=date(2026, 3, 10), decree="Test resolution")

    # Friday 6 March 2026; Monday 9 March is a holiday and Tuesday 10 a decreed day off.
    assert get_calendar().add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 11)


# --- Change feed settle window --------------------------------------------------------------------------


def test_the_change_feed_holds_back_events_younger_than_the_settle_window(client, register):
    now = timezone.now().replace(microsecond=0)
    with time_machine.travel(now, tick=False):
        event = LicenseEvent.objects.create(license=register["qazaq"], event="revoked", at=now, reason="Fraud.")
        since = (now - timedelta(minutes=1)).isoformat()

        body = json.loads(client.get("/api/v1/changes/", {"since": since}).content)
        assert body["results"] == []
        assert body["next"] is None

    with time_machine.travel(now + selectors.CHANGE_FEED_SETTLE, tick=False):
        body = json.loads(client.get("/api/v1/changes/", {"since": since}).content)
        assert [(c["number"], c["event"]) for c in body["results"]] == [(event.license.number, "revoked")]


def test_the_change_feed_settle_window_is_documented(client):
    description = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/changes/"]["get"]["description"]
    assert f"{int(selectors.CHANGE_FEED_SETTLE.total_seconds())} seconds" in description


# --- HEAD on the exports ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "content_type"),
    [("/api/v1/export/licenses.csv", "text/csv"), ("/api/v1/export/licenses.json", "application/json")],
)
def test_head_on_an_export_answers_the_headers_without_running_the_export(
    client, rf, register, url, content_type, django_assert_max_num_queries
):
    # Called without the test client, which drops a HEAD body itself; a WSGI server iterates it.
    view = resolve(url).func
    # One query: the register version behind the ETag. The export itself would read the licenses.
    with django_assert_max_num_queries(1):
        response = view(rf.head(url))
        body = b"".join(response)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["ETag"] == client.get(url)["ETag"]
    assert "attachment" in response["Content-Disposition"]
    assert body == b""
    # No "Content-Length: 0": the export is not empty, its length is just not known in advance.
    through_middleware = client.head(url)
    assert through_middleware.status_code == 200
    assert "Content-Length" not in through_middleware


# --- Rate limit behind a proxy --------------------------------------------------------------------------


def test_clients_behind_the_proxy_have_buckets_of_their_own(client, register, settings):
    settings.API_TRUSTED_PROXY_COUNT = 1
    settings.API_RATE_LIMIT = 1
    first = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    second = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "203.0.113.10"}

    assert client.get("/api/v1/assets/", **first).status_code == 200
    assert client.get("/api/v1/assets/", **first).status_code == 429
    assert client.get("/api/v1/assets/", **second).status_code == 200
