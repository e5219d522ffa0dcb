"""registry.middleware: a license's page and API answer served whole to visitors who are not signed in.

Served before sessions, CSRF, authentication and the rest run again, so each test checks what those
would have guarded: the visitor gets exactly what the whole stack made, a change to the register is
seen at once, signed-in people and pages that carry a visitor's own state never get a kept answer,
and the API's rate limit and conditional GET hold as for any other answer.
"""

import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from registry import cache as registry_cache
from registry.services import license_suspend
from tests.registry.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept_served(monkeypatch):
    """How many answers were served from what the middleware kept."""
    hits = []
    answer_get = registry_cache.answer_get

    def counting(key):
        value, version = answer_get(key)
        if key.split(":")[1] == "shared" and value is not None:
            hits.append(key)
        return value, version

    monkeypatch.setattr(registry_cache, "answer_get", counting)
    return lambda: len(hits)


def page_url(license) -> str:
    return reverse("registry:detail", args=[license.number])


def api_url(license) -> str:
    return f"/api/v1/licenses/{license.number}/"


def _headers(response) -> dict:
    return {name: value for name, value in response.items() if name != "X-Request-ID"}


@pytest.mark.parametrize("url", [page_url, api_url])
def test_the_next_visitor_gets_the_same_answer_without_the_stack_running(
    register, kept_served, django_assert_num_queries, url
):
    first = Client().get(url(register["steppe"]))
    with django_assert_num_queries(0):
        second = Client().get(url(register["steppe"]))

    assert kept_served() == 1
    assert second.status_code == first.status_code == 200
    assert second.content == first.content
    assert _headers(second) == _headers(first)
    assert second["X-Request-ID"] != first["X-Request-ID"]
    assert "Content-Security-Policy" in second or url is api_url


def test_a_change_to_the_register_is_served_at_once(register):
    url = page_url(register["steppe"])
    Client().get(url)
    Client().get(url)
    license_suspend(
        license=register["steppe"], actor=make_user("approver"), reason="Capital below the minimum.", recipients=[]
    )

    assert "Capital below the minimum." in Client().get(url).content.decode()
    assert "Capital below the minimum." in Client().get(api_url(register["steppe"])).content.decode()


def test_signed_in_people_and_visitors_with_notices_never_get_a_kept_answer(register, kept_served):
    url = page_url(register["steppe"])
    Client().get(url)
    person = Client()
    person.force_login(make_user("approver", username="nurlan-approver"))
    with_notice = Client()
    with_notice.cookies["messages"] = "anything"

    assert "nurlan-approver" in person.get(url).content.decode()
    with_notice.get(url)
    assert kept_served() == 0
    assert "nurlan-approver" not in Client().get(url).content.decode()
    assert kept_served() == 1


def test_each_language_has_its_own_answer_by_cookie_or_browser(register):
    url = page_url(register["steppe"])
    english = Client().get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    russian_by_browser = Client().get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    chooser = Client()
    chooser.post(reverse("set_language"), {"language": "kk", "next": url})
    kazakh_by_cookie = chooser.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert '<html lang="en">' in english
    assert '<html lang="ru">' in russian_by_browser
    assert '<html lang="kk">' in kazakh_by_cookie


def test_a_query_string_a_lowercase_number_or_a_head_goes_through_the_stack(register, kept_served):
    url = page_url(register["steppe"])
    Client().get(url)
    Client().get(url, {"print": "1"})
    Client().head(url)
    assert Client().get(url.lower()).status_code == 301
    assert kept_served() == 0


def test_a_kept_api_answer_answers_304_with_its_cors_headers(register):
    url = api_url(register["steppe"])
    etag = Client().get(url)["ETag"]
    response = Client().get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.content == b""


def test_kept_api_answers_count_against_the_rate_limit_once_each(register, settings):
    from django.core.cache import cache

    settings.API_RATE_LIMIT = 3
    url = api_url(register["steppe"])
    with time_machine.travel(datetime(2026, 12, 2, 10, 0, 30, tzinfo=UTC), tick=False):
        statuses = [Client().get(url).status_code for _ in range(4)]
        counted = cache.get(f"registry:rate:api:127.0.0.1:{int(time.time() // 60)}")

    assert statuses == [200, 200, 200, 429]
    assert counted == 4  # the refused one too, but once


def test_a_kept_page_is_not_served_the_next_day(register, kept_served):
    # The page shows the day's date (the extract, "validity ended"): yesterday's is not today's.
    url = page_url(register["steppe"])
    almaty = ZoneInfo("Asia/Almaty")
    with time_machine.travel(datetime(2026, 12, 2, 23, 58, tzinfo=almaty), tick=False):
        Client().get(url)
        Client().get(url)
    with time_machine.travel(datetime(2026, 12, 3, 0, 2, tzinfo=almaty), tick=False):  # within the cache's 600 s
        Client().get(url)

    assert kept_served() == 1
