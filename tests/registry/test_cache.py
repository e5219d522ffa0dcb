"""Cached license answers (registry.cache): free on a warm cache, never stale after a change."""

import pytest
from django.urls import reverse

from registry import cache as registry_cache
from registry.models import DigitalAsset, License
from registry.services import license_suspend
from tests.registry.factories import make_user

pytestmark = pytest.mark.django_db


def api_url(license: License) -> str:
    return f"/api/v1/licenses/{license.number}/"


def page_url(license: License) -> str:
    return reverse("registry:detail", args=[license.number])


def test_the_api_detail_costs_no_query_on_a_warm_cache(client, register, django_assert_num_queries):
    first = client.get(api_url(register["steppe"]))
    with django_assert_num_queries(0):
        again = client.get(api_url(register["steppe"]))
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Type"] == first["Content-Type"]


def test_the_api_detail_answers_304_from_the_cache(client, register, django_assert_num_queries):
    etag = client.get(api_url(register["steppe"]))["ETag"]
    with django_assert_num_queries(0):
        response = client.get(api_url(register["steppe"]), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag


def test_the_license_page_costs_no_query_on_a_warm_cache(client, register, django_assert_num_queries):
    client.get(page_url(register["steppe"]))
    with django_assert_num_queries(0):
        again = client.get(page_url(register["steppe"]))
    assert again.status_code == 200
    assert register["steppe"].holder_name in again.content.decode()


@pytest.fixture
def approver():
    return make_user("approver")


def test_a_suspension_shows_at_once_in_the_api_and_on_the_page(client, register, approver):
    steppe = register["steppe"]
    assert client.get(api_url(steppe)).json()["status"] == "active"
    assert "status-active" in client.get(page_url(steppe)).content.decode()

    license_suspend(license=steppe, actor=approver, reason="Quarterly report missing.", recipients=[])

    detail = client.get(api_url(steppe)).json()
    assert detail["status"] == "suspended"
    assert detail["history"][-1]["reason"] == "Quarterly report missing."
    html = client.get(page_url(steppe)).content.decode()
    assert "status-suspended" in html
    assert "Quarterly report missing." in html


def test_a_suspension_changes_the_etag_so_a_client_gets_the_new_answer(client, register, approver):
    steppe = register["steppe"]
    etag = client.get(api_url(steppe))["ETag"]

    license_suspend(license=steppe, actor=approver, reason="Capital below the minimum.", recipients=[])

    response = client.get(api_url(steppe), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_renaming_an_asset_shows_in_every_cached_license(client, register):
    assert {"symbol": "BTC", "name": "Bitcoin"} in client.get(api_url(register["steppe"])).json()["asset_names"]
    asset = DigitalAsset.objects.get(symbol="BTC")
    asset.name = "Bitcoin (renamed)"
    asset.save()
    names = client.get(api_url(register["steppe"])).json()["asset_names"]
    assert {"symbol": "BTC", "name": "Bitcoin (renamed)"} in names


def test_each_language_gets_its_own_cached_answer(client, register):
    english = client.get(api_url(register["steppe"]), HTTP_ACCEPT_LANGUAGE="en").json()
    russian = client.get(api_url(register["steppe"]), HTTP_ACCEPT_LANGUAGE="ru").json()
    assert english["activity_names"] != russian["activity_names"]
    assert client.get(api_url(register["steppe"]), HTTP_ACCEPT_LANGUAGE="en").json() == english


def test_a_lost_version_key_is_a_miss_not_a_stale_answer(client, register):
    from django.core.cache import cache

    client.get(api_url(register["steppe"]))
    License.objects.filter(pk=register["steppe"].pk).update(holder_name="Renamed Behind The Cache JSC")
    cache.delete(registry_cache.VERSION_KEY)  # e.g. evicted or flushed
    assert client.get(api_url(register["steppe"])).json()["holder"]["name"] == "Renamed Behind The Cache JSC"


def test_a_cached_page_holds_nothing_of_the_visitor_and_sets_no_cookie(register):
    from django.test import Client

    url = page_url(register["steppe"])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    rendered = first.get(url)
    served = second.get(url)  # from the cache
    assert served.content == rendered.content
    assert "csrfmiddlewaretoken" not in served.content.decode()
    assert not served.cookies and not rendered.cookies
    # The language switcher on it works for this visitor, who holds no token.
    switched = second.post(reverse("set_language"), {"language": "ru", "next": url})
    assert switched.status_code == 302
    assert '<html lang="ru">' in second.get(url).content.decode()


def test_a_signed_in_visitor_never_gets_the_anonymous_cached_page(client, register):
    url = page_url(register["steppe"])
    client.get(url)
    user = make_user("approver", username="nurlan-approver")
    client.force_login(user)
    html = client.get(url).content.decode()
    assert "nurlan-approver" in html
    assert "Sign out" in html


def test_the_page_of_a_lowercase_number_still_redirects_to_the_canonical_one(client, register):
    number = register["steppe"].number
    client.get(page_url(register["steppe"]))
    response = client.get(reverse("registry:detail", args=[number.lower()]))
    assert response.status_code == 301
    assert response["Location"].endswith(f"/{number}/")


def test_an_unknown_number_is_404_and_not_cached(client, register):
    assert client.get("/api/v1/licenses/DAX-2026-9999/").status_code == 404
    assert client.get(reverse("registry:detail", args=["DAX-2026-9999"])).status_code == 404


# --- PostgreSQL: the filtered list reads its page from an index ---------------------------------------


def test_the_list_filtered_by_status_and_type_is_read_in_number_order_from_an_index(postgres, register):
    from django.db import connection, transaction

    from registry import selectors
    from registry.models import LicenseType

    search = selectors.license_search(
        filters=selectors.LicenseFilters(status="active", license_type=LicenseType.objects.get(code="DAX"))
    )
    sql, params = search.exact.values("pk")[:20].query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "registry_license_status_type_number" in plan


def test_a_process_serves_its_own_answers_and_sees_other_processes_changes_within_the_poll(
    client, register, settings, django_assert_num_queries
):
    import time_machine
    from django.core.cache import cache

    from registry import cache as registry_cache

    settings.REGISTRY_VERSION_POLL_SECONDS = 1.0
    url = f"/api/v1/licenses/{register['steppe'].number}/"
    with time_machine.travel(0, tick=False) as traveller:
        first = client.get(url)
        with django_assert_num_queries(0):
            assert client.get(url).content == first.content
        # Another process changes the register: only the shared version moves.
        cache.set(registry_cache.VERSION_KEY, "changed-elsewhere", timeout=None)
        type(register["steppe"]).objects.filter(pk=register["steppe"].pk).update(holder_name="Renamed LLP")
        assert client.get(url).json()["holder"]["name"] == "Steppe Digital Exchange JSC"  # within the second
        traveller.shift(1.5)
        assert client.get(url).json()["holder"]["name"] == "Renamed LLP"
