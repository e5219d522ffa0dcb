"""Streamed CSV and JSON exports of the whole register, with spreadsheet formulas neutralised."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry import exports, selectors

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
    # three reference maps, then per chunk: licenses, activities, assets
    assert len(context.captured_queries) == 3 + 3 * 3


def test_exports_answer_304_while_the_register_is_unchanged_and_carry_cors(client, register, make_license):
    first = client.get("/api/v1/export/licenses.csv")
    etag = first["ETag"]
    assert first["Access-Control-Allow-Origin"] == "*"
    assert first["Cache-Control"] == "public, max-age=60"

    assert client.get("/api/v1/export/licenses.csv", HTTP_IF_NONE_MATCH=etag).status_code == 304

    make_license()
    assert client.get("/api/v1/export/licenses.csv", HTTP_IF_NONE_MATCH=etag).status_code == 200
