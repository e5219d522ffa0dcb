"""Public registry pages: search, a license's page, verification, assets, warnings."""

import re
from datetime import date
from urllib.parse import urlencode

import pytest
import time_machine
from django.urls import reverse

from registry.models import DigitalAsset, License, WarningEntry

pytestmark = pytest.mark.django_db


def page(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_search_page_lists_every_license_with_status_badges(client, register):
    html = page(client, reverse("registry:search"))

    for license in register.values():
        assert license.number in html
        assert license.holder_name in html
    assert '<span class="badge status-suspended">Suspended</span>' in html
    assert '<span class="badge status-revoked">Revoked</span>' in html


def _listed(client, query: dict) -> list[str]:
    # The licenses of the results table (the search box's examples name a license too).
    response = client.get(reverse("registry:search") + "?" + urlencode(query))
    assert response.status_code == 200
    return [license.number for license in response.context["licenses"]]


def test_the_search_box_and_filters_narrow_the_list(client, register):
    assert _listed(client, {"q": "altyn", "status": "suspended"}) == [register["altyn"].number]
    assert _listed(client, {"activity": "trading_platform", "asset": "USDT"}) == [register["steppe"].number]


def test_a_search_without_result_says_so_and_points_to_the_warning_list(client, register):
    html = page(client, reverse("registry:search") + "?q=Unlicensed+Exchange")
    assert "No license matches your search" in html
    assert reverse("registry:warnings") in html


@pytest.mark.parametrize(
    "query",
    [
        {"q": "a\x00b"},
        {"q": "x" * 10_000},
        {"status": "pending"},
        {"license_type": "XYZ"},
        {"asset": "\x00"},
    ],
)
def test_bad_search_input_shows_an_error_not_a_crash(client, register, query):
    html = page(client, reverse("registry:search") + "?" + urlencode(query))
    assert 'class="error-message"' in html or "form-errors" in html


@pytest.mark.parametrize("number", ["-1", "0", "9" * 50, "two", "\x00"])
def test_a_mangled_page_number_shows_the_first_page(client, register, number):
    html = page(client, reverse("registry:search") + "?" + urlencode({"page": number}))
    assert register["steppe"].number in html


def test_results_are_paginated_and_a_page_past_the_end_shows_the_last(client, make_license):
    for _ in range(25):
        make_license()

    first = page(client, reverse("registry:search"))
    assert "Licenses 1–20 of 25" in first
    assert 'rel="next" href="?page=2"' in first

    last = page(client, reverse("registry:search") + "?page=7")
    assert "Licenses 21–25 of 25" in last
    assert 'rel="prev" href="?page=1"' in last


def test_a_license_page_shows_holder_type_activities_assets_dates_and_history(client, register, settings):
    settings.SITE_URL = "https://licensing.example.kz"
    altyn = register["altyn"]

    html = page(client, reverse("registry:detail", args=[altyn.number]))

    assert f"License {altyn.number}" in html
    assert "Altyn Custody LLP" in html
    assert "241240005673" in html
    assert "https://altyn-custody.example.kz" in html
    assert "Digital asset custody and exchange (class 2)" in html
    assert "Custody of digital financial assets on behalf of clients" in html
    assert "ETH (Ethereum)" in html
    assert '<span class="badge status-suspended">Suspended</span>' in html
    assert "Capital below the minimum." in html
    assert html.index("Issued") < html.index("Capital below the minimum.")
    assert "https://licensing.example.kz/registry/verify/?number=" + altyn.number in html
    assert re.search(r'<img class="qr" src="data:image/svg\+xml;', html)
    assert "css/registry-print.css" in html


def test_a_license_page_speaks_the_visitor_s_language(client, register):
    html = page(client, reverse("registry:detail", args=[register["altyn"].number]), HTTP_ACCEPT_LANGUAGE="ru")
    assert "Хранение цифровых финансовых активов в интересах клиентов" in html


def test_a_lowercase_number_redirects_to_the_license_and_an_unknown_one_is_404(client, register):
    number = register["steppe"].number
    response = client.get(reverse("registry:detail", args=[number.lower()]))
    assert response.status_code == 301
    assert response["Location"] == reverse("registry:detail", args=[number])
    assert client.get(reverse("registry:detail", args=["DAX-2026-9999"])).status_code == 404
    assert client.get("/registry/%3Cscript%3E/").status_code == 404


def verify(client, **params) -> str:
    return page(client, reverse("registry:verify") + "?" + urlencode(params))


def test_verify_says_genuine_and_in_force(client, register):
    html = verify(client, number=register["steppe"].number.lower(), bin="250140001232")
    assert "Genuine and in force" in html


@pytest.mark.parametrize(("key", "status"), [("altyn", "suspended"), ("qazaq", "revoked")])
def test_verify_says_genuine_but_not_in_force_with_the_status(client, register, key, status):
    html = verify(client, number=register[key].number)
    assert "Genuine, but not in force" in html
    assert status in html.split("Status:")[1][:200]


def test_verify_treats_a_license_past_its_validity_as_expired_even_before_the_sweep(client, make_license):
    license = make_license(valid_until=date(2027, 1, 1))
    with time_machine.travel(date(2027, 1, 2)):
        html = verify(client, number=license.number)
    assert "Genuine, but not in force" in html
    assert "expired" in html.split("Status:")[1][:200]


def test_verify_flags_a_license_of_another_company(client, register):
    html = verify(client, number=register["steppe"].number, bin="241240005673")
    assert "This license belongs to another company" in html


@pytest.mark.parametrize("number", ["DAX-2026-9999", "NOT-A-NUMBER", "'; DROP TABLE x; --", "әғқңөұүһі", "\x00"])
def test_verify_says_not_found_or_explains_the_input_never_crashes(client, register, number):
    html = verify(client, number=number)
    assert "No such license" in html or 'class="error-message"' in html


def test_verify_refuses_a_malformed_bin(client, register):
    html = verify(client, number=register["steppe"].number, bin="12345abcdefg")
    assert "A BIN has 12 digits." in html


def test_the_asset_page_groups_the_list_by_dfa_class_with_statuses(client):
    DigitalAsset.objects.filter(symbol="XMR").update(status=DigitalAsset.Status.DELISTED)
    html = page(client, reverse("registry:assets"))

    unsecured = html.index("Unsecured digital asset")
    fiat = html.index("Backed by fiat currency (stablecoin)")
    assert unsecured < html.index("Bitcoin")
    assert fiat < html.index("USDT")
    assert '<span class="badge status-delisted">Delisted</span>' in html


def test_the_warning_page_lists_active_entries_only(client):
    WarningEntry.objects.create(name="Fake Steppe Exchange", domains=["steppe-exchange.io"], listed_on="2026-04-01")
    WarningEntry.objects.create(name="Settled Entry", listed_on="2026-04-02", status="removed", removed_on="2026-05-02")

    html = page(client, reverse("registry:warnings"))

    assert "Fake Steppe Exchange" in html
    assert "steppe-exchange.io" in html
    assert "Settled Entry" not in html


@pytest.mark.parametrize("name", ["search", "verify", "assets", "warnings"])
def test_pages_have_no_inline_script_or_style_and_are_labelled(client, register, name):
    html = page(client, reverse(f"registry:{name}"))
    assert "<script>" not in html
    assert "<style" not in html
    assert " style=" not in html
    assert 'href="/static/css/registry.css"' in html
    assert '<main id="main"' in html


def test_the_license_page_has_no_inline_script_or_style(client, register):
    html = page(client, reverse("registry:detail", args=[register["steppe"].number]))
    assert "<script>" not in html
    assert " style=" not in html


def test_page_queries_do_not_grow_with_the_number_of_licenses(client, make_license, django_assert_max_num_queries):
    for _ in range(20):
        make_license(assets=["BTC", "ETH"])
    with django_assert_max_num_queries(12):
        client.get(reverse("registry:search"))


def test_the_registry_lists_licenses_in_every_status(client, make_license):
    for status in License.Status.values:
        make_license(status=status, holder_name=f"Holder {status}")
    html = page(client, reverse("registry:search"))
    for status in License.Status.values:
        assert f"Holder {status}" in html


def test_a_website_that_is_not_http_is_shown_but_never_linked(client, make_license):
    license = make_license(holder_website="javascript:alert(1)")
    html = page(client, reverse("registry:detail", args=[license.number]))
    assert 'href="javascript:' not in html
