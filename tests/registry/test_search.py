"""The one search box: name fragments (typo-tolerant on PostgreSQL), BIN, license number, domain; filters."""

import pytest
from django.db import connection, transaction

from registry import selectors
from registry.models import Activity, DigitalAsset, License, LicenseType
from registry.selectors import LicenseFilters, domain_from, parse_query

pytestmark = pytest.mark.django_db


def numbers(filters: LicenseFilters, *, limit: int = 50) -> list[str]:
    return [license.number for license in selectors.license_search(filters=filters).page(0, limit)]


@pytest.mark.parametrize(
    ("q", "kind", "text"),
    [
        ("250140001232", "bin", "250140001232"),
        ("dax-2026", "number", "DAX-2026"),
        ("DAX-2026-0001", "number", "DAX-2026-0001"),
        ("https://www.steppe-exchange.example.kz/about", "domain", "steppe-exchange.example.kz"),
        ("Steppe.KZ", "domain", "steppe.kz"),
        ("  Steppe   Digital ", "name", "Steppe Digital"),
        ("12345", "name", "12345"),
        ("", "", ""),
    ],
)
def test_the_search_box_recognises_what_it_was_given(q, kind, text):
    assert parse_query(q) == selectors.ParsedQuery(kind, text)


def test_domain_is_stripped_of_scheme_www_port_path_and_case():
    assert domain_from("HTTPS://WWW.Steppe-Exchange.example.kz:8443/about?x=1#top") == "steppe-exchange.example.kz"
    assert domain_from("not a domain") == ""


def test_a_name_fragment_finds_the_holder_in_any_case(register):
    assert numbers(LicenseFilters(q="steppe digital")) == [register["steppe"].number]
    assert numbers(LicenseFilters(q="CUSTODY")) == [register["altyn"].number]


def test_an_exact_bin_finds_its_licenses_only(register):
    assert numbers(LicenseFilters(q="241240005673")) == [register["altyn"].number]


def test_a_license_number_is_found_exactly_or_by_its_beginning_in_any_case(register):
    assert numbers(LicenseFilters(q=register["qazaq"].number.lower())) == [register["qazaq"].number]
    assert numbers(LicenseFilters(q="dax-2026")) == sorted([register["steppe"].number, register["qazaq"].number])


@pytest.mark.parametrize(
    "q",
    [
        "https://www.steppe-exchange.example.kz/about",
        "steppe-exchange.example.kz",
        "steppe-exchange.kz",
        "https://app.steppe-exchange.kz/login",
    ],
)
def test_a_website_address_finds_the_holder_by_website_or_other_domain(register, q):
    assert numbers(LicenseFilters(q=q)) == [register["steppe"].number]


def test_an_unknown_domain_finds_nothing(register):
    assert numbers(LicenseFilters(q="unlicensed-exchange.example.com")) == []


def test_filters_narrow_by_status_type_activity_and_asset(register):
    assert numbers(LicenseFilters(status=License.Status.SUSPENDED)) == [register["altyn"].number]
    assert numbers(LicenseFilters(license_type=LicenseType.objects.get(code="DAC"))) == [register["altyn"].number]
    assert numbers(LicenseFilters(activity=Activity.objects.get(code="trading_platform"))) == sorted(
        [register["steppe"].number, register["qazaq"].number]
    )
    assert numbers(LicenseFilters(asset=DigitalAsset.objects.get(symbol="BTC"), status="revoked")) == [
        register["qazaq"].number
    ]


def test_without_a_query_every_license_is_listed_by_number_whatever_its_status(register):
    assert numbers(LicenseFilters()) == sorted(license.number for license in register.values())


def test_a_page_costs_the_same_queries_for_two_or_twenty_licenses(make_license, django_assert_max_num_queries):
    def page_queries() -> int:
        from django.core.cache import cache
        from django.test.utils import CaptureQueriesContext

        cache.clear()
        with CaptureQueriesContext(connection) as context:
            search = selectors.license_search(filters=LicenseFilters())
            search.count()
            for license in search.page(0, 50):
                license.license_type.name, list(license.activities.all()), list(license.assets.all())
        return len(context.captured_queries)

    for _ in range(2):
        make_license(assets=["BTC"])
    few = page_queries()
    for _ in range(18):
        make_license(assets=["ETH", "BTC"])
    assert page_queries() == few <= 6


def test_the_count_is_computed_once_per_minute_for_the_same_search(register):
    from django.test.utils import CaptureQueriesContext

    selectors.license_search(filters=LicenseFilters(q="steppe")).count()
    # The COUNT comes from the cache, under the register version.
    with CaptureQueriesContext(connection) as queries:
        assert selectors.license_search(filters=LicenseFilters(q="steppe")).count() == 1
    assert not [query for query in queries.captured_queries if "COUNT(" in query["sql"].upper()]


def test_a_new_license_invalidates_the_cached_count(register, make_license):
    assert selectors.license_search(filters=LicenseFilters()).count() == 3
    make_license()
    assert selectors.license_search(filters=LicenseFilters()).count() == 4


# --- PostgreSQL: trigram search and its indexes ---------------------------------------------------


def test_a_misspelt_name_still_finds_the_holder_on_postgresql(postgres, register):
    assert numbers(LicenseFilters(q="Stepe Digitl")) == [register["steppe"].number]
    assert numbers(LicenseFilters(q="Altn Custody")) == [register["altyn"].number]


def test_exact_matches_come_before_near_misses_ranked_by_similarity(postgres, make_license):
    near = make_license(holder_name="Steppi Exchange LLP")
    exact = make_license(holder_name="Steppe Exchange LLP")
    far = make_license(holder_name="Stepnogorsk Exchange LLP")

    found = numbers(LicenseFilters(q="Steppe Exchange"))

    assert found[0] == exact.number
    assert found.index(near.number) < found.index(far.number) if far.number in found else near.number in found
    assert selectors.license_search(filters=LicenseFilters(q="Steppe Exchange")).count() == len(found)


def _plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # A test table is tiny, so the planner would rather scan it; forbid that to see which index serves.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_name_search_is_served_by_the_word_indexes(postgres, register):
    phrase = selectors.license_search(filters=LicenseFilters(q="Stepe Digitl"))
    fragment = selectors.license_search(filters=LicenseFilters(q="stepp", status="active"))

    assert "registry_licenseword_pkey" in _plan(phrase.fuzzy.order_by().values("pk"))
    # The vocabulary, then the word index, never a re-check of names. (Which index reads the
    # vocabulary depends on its size: on a test's handful of words any plan is cheap.)
    fragment_plan = _plan(fragment.exact.order_by().values("pk"))
    assert "registry_licenseword" in fragment_plan
    assert "holder_name" not in fragment_plan and "search_key" not in fragment_plan


def test_a_word_inside_a_name_is_found_as_a_substring_would_be(postgres, make_license):
    inner = make_license(holder_name="Zholbarys Digital Exchange JSC")
    make_license(holder_name="Altyn Custody LLP")

    # "olbar" lies inside a word; "ital" inside another. Count and page come from the word index.
    assert numbers(LicenseFilters(q="olbar")) == [inner.number]
    assert selectors.license_search(filters=LicenseFilters(q="ital")).count() == 1
    assert numbers(LicenseFilters(q="ital")) == [inner.number]


def test_the_word_index_follows_new_and_renamed_holders(postgres, make_license):
    license = make_license(holder_name="Irbis Digital Assets LLP")
    assert numbers(LicenseFilters(q="Irbsi")) == [license.number]  # a typo, through the vocabulary

    license.holder_name = "Tulpar Digital Assets LLP"
    license.save(update_fields=["holder_name"])

    assert numbers(LicenseFilters(q="irbis")) == []
    assert numbers(LicenseFilters(q="tulpar")) == [license.number]
    assert numbers(LicenseFilters(q="Tulpr")) == [license.number]


def test_a_misspelling_with_swapped_letters_is_found(postgres, make_license):
    license = make_license(holder_name="Mazholkaz Eurasia Exchange Ltd")

    assert numbers(LicenseFilters(q="Mazhlokaz")) == [license.number]


def test_domain_search_is_served_by_the_host_and_domain_indexes(postgres, register):
    qs = selectors._domain_filter(License.objects.all(), "steppe-exchange.kz").order_by().values("pk")
    plan = _plan(qs)
    assert "registry_license_website_host" in plan
    assert "registry_license_domains_lower" in plan


# --- Both databases: what the search box understands -------------------------------------------------


def test_a_bare_license_type_code_lists_that_type_in_any_case(register, client):
    dax = sorted([register["steppe"].number, register["qazaq"].number])

    assert numbers(LicenseFilters(q="DAX")) == dax
    assert numbers(LicenseFilters(q="dac")) == [register["altyn"].number]
    body = client.get("/api/v1/licenses/", {"q": "DAX"}).json()
    assert [result["number"] for result in body["results"]] == dax


def test_a_one_letter_typo_in_a_distinctive_word_finds_the_holder_on_any_database(register):
    assert numbers(LicenseFilters(q="Altn Custody")) == [register["altyn"].number]  # missing
    assert numbers(LicenseFilters(q="Qazaq Crypot")) == [register["qazaq"].number]  # swapped
    assert numbers(LicenseFilters(q="Stappe")) == [register["steppe"].number]  # wrong
    assert numbers(LicenseFilters(q="Altyyn")) == [register["altyn"].number]  # added


def test_exact_matches_come_before_near_misses(make_license):
    near = make_license(holder_name="Tulpan Exchange LLP")
    exact = make_license(holder_name="Tulpar Exchange LLP")

    assert numbers(LicenseFilters(q="Tulpar")) == [exact.number, near.number]


def test_every_example_the_search_page_shows_finds_something(client, register):
    import re

    page = client.get("/registry/").content.decode()
    help_text = re.search(r">For example: (.+?), (\d{12}), ([A-Z]+-\d{4}-\d{4}) or ([^<]+)\.</p>", page)
    assert help_text, page
    for example in help_text.groups():
        found = client.get("/registry/", {"q": example}).context["count"]
        assert found >= 1, example


def test_the_search_page_gives_no_examples_for_an_empty_register(client):
    page = client.get("/registry/").content.decode()

    assert "For example" not in page
    assert "in any script" in page


def test_more_than_ten_thousand_matches_are_a_lower_bound(register, monkeypatch, client):
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)

    body = client.get("/api/v1/licenses/").json()

    assert (body["count"], body["count_is_exact"]) == (2, False)
    assert "of more than 2" in client.get("/registry/", {"status": ""}).content.decode()
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    assert client.get("/api/v1/licenses/", {"page": 2, "page_size": 2}).json()["count_is_exact"] is True
