"""Streamed CSV and JSON exports of the whole register, with spreadsheet formulas neutralised."""

import csv
import io
import json

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from registry import exports, selectors
from tests.registry.conftest import aware

pytestmark = pytest.mark.django_db


def body(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+77001234567", "'+77001234567"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Steppe = fair", "Steppe = fair"),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(value, expected):
    assert exports.neutralise(value) == expected


def test_csv_export_streams_every_license_with_neutralised_cells(client, register, make_license):
    make_license(holder_name="=cmd|' /C calc'!A0", holder_domains=["@evil.kz"])

    response = client.get("/api/v1/export/licenses.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="licenses.csv"'
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert len(rows) == 4
    evil = rows[-1]
    assert evil["holder_name"] == "'=cmd|' /C calc'!A0"
    assert evil["holder_domains"] == "'@evil.kz"
    steppe = next(row for row in rows if row["number"] == register["steppe"].number)
    assert steppe["activities"] == "custody trading_platform"
    assert steppe["assets"] == "BTC USDT"
    assert steppe["holder_bin"] == "250140001232"
    assert steppe["valid_until"] == "2031-03-02"


def test_json_export_streams_the_same_register(client, register):
    response = client.get("/api/v1/export/licenses.json")

    assert response["Content-Type"] == "application/json"
    rows = json.loads(body(response))
    assert [row["number"] for row in rows] == [license.number for license in register.values()]
    assert rows[1]["activities"] == ["custody"]
    assert rows[1]["status"] == "suspended"


def test_an_empty_register_exports_a_header_or_an_empty_array(client):
    assert body(client.get("/api/v1/export/licenses.csv")).startswith("number,status,license_type,")
    assert json.loads(body(client.get("/api/v1/export/licenses.json"))) == []


def test_exports_read_in_chunks_with_a_fixed_number_of_queries_per_chunk(make_license):
    for _ in range(7):
        make_license(assets=["BTC"])

    with CaptureQueriesContext(connection) as context:
        chunks = list(selectors.export_rows(chunk_size=3))

    assert [len(chunk) for chunk in chunks] == [3, 3, 1]
    # three reference maps, then per chunk: licenses, activities, assets, end dates
    assert len(context.captured_queries) == 3 + 3 * 4


def test_exports_answer_304_while_the_register_is_unchanged_and_carry_cors(client, register, make_license):
    first = client.get("/api/v1/export/licenses.csv")
    etag = first["ETag"]
    assert first["Access-Control-Allow-Origin"] == "*"
    assert first["Cache-Control"] == "public, max-age=60"

    assert client.get("/api/v1/export/licenses.csv", HTTP_IF_NONE_MATCH=etag).status_code == 304

    make_license()
    assert client.get("/api/v1/export/licenses.csv", HTTP_IF_NONE_MATCH=etag).status_code == 200


# --- PostgreSQL: the COPY export writes exactly what the Python export writes --------------------


@pytest.fixture
def awkward_register(make_license):
    """Licenses whose cells exercise quoting, escaping, neutralisation, empty values and sorting."""
    from registry.models import DigitalAsset

    DigitalAsset.objects.create(symbol="=Z", name="Formula", dfa_class="unsecured", added_on="2026-01-01")
    DigitalAsset.objects.create(symbol="ä-€", name="Unicode", dfa_class="unsecured", added_on="2026-01-01")
    make_license(
        holder_name='Quote "Q", comma, and\nnewline\r\nCRLF \\ backslash',
        holder_address="-Abay street 1\tAstana",
        holder_website="",
        holder_domains=["b.kz", "a.kz", "=evil.kz", 'q"uote.kz'],
        assets=["USDT", "BTC", "=Z", "ä-€", "ETH"],
        valid_until=None,
    )
    make_license(
        holder_name="\tTab start, Қазақ Ұлттық Әділет \x01\x1f\x7f",
        holder_lei="+LEI",
        holder_address="@home",
        holder_domains=["-dash.kz"],
        activities=[],
    )
    make_license(holder_name="\rCarriage", holder_address="'already quoted", holder_domains=[""])
    make_license(holder_name="Plain Holder LLP", holder_domains=[])
    make_license(
        holder_name="Revoked Brand Holder Ltd",
        holder_latin_name='+Latin, "quoted"',
        holder_trading_names=["-Brand, one", 'Brand "two"\n'],
        status="revoked",
        valid_until=None,
        events=[
            ("issued", aware(2026, 3, 2, 10), ""),
            ("revoked", aware(2026, 6, 30, 23, 30), "Late at night in Almaty."),
        ],
    )


@pytest.mark.parametrize(
    ("postgres_export", "python_export"), [("postgres_csv", "python_csv"), ("postgres_json", "python_json")]
)
def test_the_postgres_export_writes_the_same_bytes_as_the_python_export(
    postgres, awkward_register, register, monkeypatch, postgres_export, python_export
):
    monkeypatch.setattr(exports, "FLUSH_BYTES", 200)  # several writes, and flushes inside the loop

    written = list(getattr(exports, postgres_export)())
    expected = b"".join(getattr(exports, python_export)())

    assert len(written) > 2
    assert b"".join(written) == expected


def test_the_postgres_csv_keeps_formulas_neutralised_and_newlines_inside_cells(postgres, awkward_register):
    rows = list(csv.DictReader(io.StringIO(b"".join(exports.postgres_csv()).decode(), newline="")))

    first, second, third, plain, revoked = rows
    assert first["holder_name"] == 'Quote "Q", comma, and\nnewline\r\nCRLF \\ backslash'
    assert first["holder_address"] == "'-Abay street 1\tAstana"
    assert first["holder_domains"] == 'b.kz a.kz =evil.kz q"uote.kz'
    assert first["assets"] == "'=Z BTC ETH USDT ä-€"
    assert first["valid_until"] == ""
    assert second["holder_name"].startswith("'\tTab start, Қазақ")
    assert (second["holder_lei"], second["holder_address"], second["holder_domains"]) == (
        "'+LEI",
        "'@home",
        "'-dash.kz",
    )
    assert second["activities"] == ""
    assert third["holder_name"] == "'\rCarriage"
    assert plain["holder_domains"] == plain["assets"] == plain["holder_lei"] == ""
    assert revoked["holder_latin_name"] == '\'+Latin, "quoted"'
    assert revoked["holder_trading_names"] == '\'-Brand, one | Brand "two"\n'


def test_the_postgres_json_export_parses_to_the_stored_values(postgres, awkward_register):
    rows = json.loads(b"".join(exports.postgres_json()))

    assert rows[0]["holder_name"] == 'Quote "Q", comma, and\nnewline\r\nCRLF \\ backslash'
    assert rows[0]["holder_domains"] == ["b.kz", "a.kz", "=evil.kz", 'q"uote.kz']
    assert rows[0]["assets"] == ["=Z", "BTC", "ETH", "USDT", "ä-€"]
    assert rows[0]["valid_until"] is None
    assert rows[1]["holder_name"] == "\tTab start, Қазақ Ұлттық Әділет \x01\x1f\x7f"
    assert rows[1]["activities"] == []
    assert rows[3]["holder_domains"] == []


def test_the_postgres_export_of_an_empty_register_matches_too(postgres):
    assert b"".join(exports.postgres_csv()) == b"".join(exports.python_csv())
    assert b"".join(exports.postgres_json()) == b"".join(exports.python_json()) == b"[\n]\n"


def test_the_api_streams_the_copy_export_on_postgres(postgres, client, register, monkeypatch):
    expected = b"".join(exports.python_csv())

    def refuse():
        raise AssertionError("the API formatted the export in Python on PostgreSQL")

    monkeypatch.setattr(exports, "python_csv", refuse)
    response = client.get("/api/v1/export/licenses.csv")

    assert body(response).encode() == expected


# Outside a test transaction, as in production: the cancelled COPY must not poison what follows.
@pytest.mark.django_db(transaction=True)
def test_a_client_leaving_mid_export_ends_the_copy_and_leaves_the_connection_usable(
    postgres, client, make_license, monkeypatch
):
    monkeypatch.setattr(exports, "FLUSH_BYTES", 100)  # a write per license
    for _ in range(30):
        make_license()
    response = client.get("/api/v1/export/licenses.json")
    stream = iter(response.streaming_content)
    assert next(stream).startswith(b"[\n{")
    database = connection.connection

    # What the WSGI server does when the client disconnects; Django would then recycle the
    # connection at request end, which the test keeps from happening to look at the same one.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)

    with pytest.raises(StopIteration):
        next(stream)
    # Were the COPY still running, psycopg would refuse any other statement on this connection.
    assert connection.connection is database
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_license")
        assert cursor.fetchone() == (30,)


def test_export_etag_changes_when_a_holder_is_edited_without_a_new_event(client, register):
    # An edit in the admin adds no license and no event: the ETag must still change, or a client
    # holding the old export would be told (304) that it is current.
    before = client.get("/api/v1/export/licenses.csv")["ETag"]
    steppe = register["steppe"]
    steppe.holder_address = "Kabanbay Batyr avenue 1, Astana"
    steppe.save()

    after = client.get("/api/v1/export/licenses.csv", HTTP_IF_NONE_MATCH=before)

    assert after.status_code == 200
    assert after["ETag"] != before


# --- Filters and ESMA's layout ---------------------------------------------------------------------


def _rows(client, query: str) -> list[dict]:
    response = client.get("/api/v1/export/licenses.csv?" + query)
    assert response.status_code == 200, response.content
    return list(csv.DictReader(io.StringIO(body(response), newline="")))


def test_exports_take_the_list_s_filters(client, register):
    steppe, altyn, qazaq = register["steppe"], register["altyn"], register["qazaq"]

    assert [row["number"] for row in _rows(client, "status=active&activity=custody")] == [steppe.number]
    assert [row["number"] for row in _rows(client, "activity=custody")] == [steppe.number, altyn.number]
    assert [row["number"] for row in _rows(client, "q=Qazaq")] == [qazaq.number]
    response = client.get("/api/v1/export/licenses.json?license_type=DAC")
    assert [row["number"] for row in json.loads(body(response))] == [altyn.number]


def test_a_filtered_export_has_its_own_etag(client, register):
    everything = client.get("/api/v1/export/licenses.csv")["ETag"]
    active = client.get("/api/v1/export/licenses.csv?status=active")["ETag"]
    esma = client.get("/api/v1/export/licenses.csv?format=esma")["ETag"]

    assert len({everything, active, esma}) == 3
    assert client.get("/api/v1/export/licenses.csv?status=active", HTTP_IF_NONE_MATCH=active).status_code == 304


@pytest.mark.parametrize("query", ["status=dormant", "activity=mining", "format=xlsx", "q=x"])
def test_a_bad_export_parameter_answers_400_json(client, register, query):
    response = client.get("/api/v1/export/licenses.csv?" + query)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["parameter"] in query


def test_the_esma_layout_has_esma_s_columns_codes_and_dates(client, make_license):
    from registry.models import LicenseEvent

    custody = make_license(
        holder_name="ТОО «Алтын Кастоди»",
        holder_lei="529900T8BM49AURSDO55",
        holder_trading_names=["=AltynPay", "Altyn"],
        holder_address="Mangilik El 55, Astana",
        holder_website="altyn.kz",
        holder_domains=["app.altyn.kz", "altyn.exchange"],
        activities=["custody", "trading_platform", "transfer"],
    )
    revoked = make_license(
        code="DAB",
        holder_name="Revoked Advice LLP",
        status="revoked",
        valid_until=None,
        activities=["advice"],
        events=[
            (LicenseEvent.Kind.ISSUED, aware(2026, 3, 2, 10), ""),
            (LicenseEvent.Kind.REVOKED, aware(2026, 7, 9, 15), "Fraud."),
        ],
    )
    open_ended = make_license(code="DAB", holder_name="Open Advice LLP", valid_until=None, activities=["advice"])

    response = client.get("/api/v1/export/licenses.csv?format=esma")
    assert response["Content-Disposition"] == 'attachment; filename="licenses-esma.csv"'
    rows = list(csv.DictReader(io.StringIO(body(response), newline="")))

    assert list(rows[0]) == exports.ESMA_FIELDS
    first = rows[0]
    assert first["ae_competentAuthority"] == "National Bank of the Republic of Kazakhstan"
    assert (first["ae_homeMemberState"], first["ae_lei_cou_code"], first["ac_serviceCode_cou"]) == ("KZ", "KZ", "KZ")
    assert (first["ae_lei_name"], first["ae_lei"]) == ("ТОО «Алтын Кастоди»", "529900T8BM49AURSDO55")
    assert first["ae_commercial_name"] == "'=AltynPay | Altyn"
    assert (first["ae_website"], first["ae_website_platform"]) == ("altyn.kz", "app.altyn.kz | altyn.exchange")
    assert first["ac_serviceCode"] == (
        "a. providing custody and administration of crypto-assets on behalf of clients"
        " | b. operation of a trading platform for crypto-assets"
        " | j. providing transfer services for crypto-assets on behalf of clients"
    )
    assert (first["ac_authorisationNotificationDate"], first["ac_authorisationEndDate"]) == ("02/03/2026", "02/03/2031")
    assert first["ac_comments"] == f"License {custody.number}; status: active"
    assert rows[1]["ac_authorisationEndDate"] == "09/07/2026"
    assert rows[1]["ac_comments"] == f"License {revoked.number}; status: revoked"
    # An open-ended license in force has no end date, invented or otherwise.
    assert rows[2]["ac_authorisationEndDate"] == ""
    assert rows[2]["ac_comments"] == f"License {open_ended.number}; status: active"
    assert all(row["ac_lastupdate"] for row in rows)


def test_each_activity_has_its_own_esma_service_letter():
    from registry.models import Activity

    letters = [exports.ESMA_SERVICES[code][0] for code in Activity.objects.values_list("code", flat=True)]
    assert sorted(letters) == list("abcdefghij")


@pytest.mark.parametrize("layout", ["portal", "esma"])
@pytest.mark.parametrize("filters", [None, {"status": "active"}, {"q": "Plain"}])
def test_the_postgres_esma_and_filtered_exports_match_the_python_ones(postgres, awkward_register, layout, filters):
    from registry.models import License

    licenses = None if filters is None else License.objects.filter(**filters) if "status" in filters else None
    if filters and "q" in filters:
        licenses = selectors.export_selection(filters=selectors.LicenseFilters(q=filters["q"]))

    postgres_bytes = b"".join(exports.postgres_csv(licenses=licenses, layout=layout))
    assert postgres_bytes == b"".join(exports.python_csv(licenses=licenses, layout=layout))
    if layout == "portal":
        assert b"".join(exports.postgres_json(licenses=licenses)) == b"".join(exports.python_json(licenses=licenses))


@pytest.mark.parametrize("url", ["/api/v1/export/licenses.csv?q=%25%25", "/api/v1/export/licenses.json?q=%C2%AB%C2%BB"])
def test_an_export_of_a_query_that_can_match_nothing_is_empty(client, register, url):
    content = body(client.get(url))

    assert content.count("\n") <= 2 and register["steppe"].number not in content
