"""Streamed exports of the whole register: CSV and JSON, in constant memory.

Two implementations that write byte-for-byte the same output (a test on PostgreSQL compares them):

- On PostgreSQL each line is built by the database and streamed with ``COPY (SELECT ...) TO STDOUT``:
  one query, one snapshot, no Python object per row. Activities and assets are aggregated by merge
  joins over the through tables' ``license_id`` indexes, so the server streams too. This is what
  reaches 100,000 rows/s at a million licenses.
- Elsewhere (SQLite) rows come from ``registry.selectors.export_rows`` a few thousand at a time and
  are formatted in Python.

Every license is public record whatever its status. An export holds the whole register, or the
licenses a list with the same filters would show (its exact matches); ``layout="esma"`` writes the
columns of ESMA's interim MiCA register of crypto-asset service providers instead of the portal's.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from registry.models import License
from registry.selectors import ENDED, EXPORT_FIELDS, export_rows

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Bytes handed to the server per write: large enough that a million rows cost few syscalls, small
# enough that memory stays flat.
FLUSH_BYTES = 1 << 16


def neutralise(value: str) -> str:
    """Prefix a single quote to a cell a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


# Names may hold spaces: a list of them is joined with this; codes and host names with a space.
NAME_SEPARATOR = " | "

# --- ESMA's layout ------------------------------------------------------------------------------

ESMA_FIELDS = [
    "ae_competentAuthority",
    "ae_homeMemberState",
    "ae_lei_name",
    "ae_lei",
    "ae_lei_cou_code",
    "ae_commercial_name",
    "ae_address",
    "ae_website",
    "ae_website_platform",
    "ac_authorisationNotificationDate",
    "ac_authorisationEndDate",
    "ac_serviceCode",
    "ac_serviceCode_cou",
    "ac_comments",
    "ac_lastupdate",
]
COMPETENT_AUTHORITY = "National Bank of the Republic of Kazakhstan"
COUNTRY = "KZ"
# The ten activities are one to one with the crypto-asset services of MiCA article 3(1)(16), a to j,
# written as ESMA's register writes them.
ESMA_SERVICES = {
    "custody": "a. providing custody and administration of crypto-assets on behalf of clients",
    "trading_platform": "b. operation of a trading platform for crypto-assets",
    "dfa_fiat_exchange": "c. exchange of crypto-assets for funds",
    "dfa_dfa_exchange": "d. exchange of crypto-assets for other crypto-assets",
    "order_execution": "e. execution of orders for crypto-assets on behalf of clients",
    "placing": "f. placing of crypto-assets",
    "order_transmission": "g. reception and transmission of orders for crypto-assets on behalf of clients",
    "advice": "h. providing advice on crypto-assets",
    "portfolio_management": "i. providing portfolio management on crypto-assets",
    "transfer": "j. providing transfer services for crypto-assets on behalf of clients",
}


def _esma_date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def esma_row(row: dict) -> dict:
    """One license in ESMA's CASP layout, from a row of ``export_rows``."""
    valid_until = date.fromisoformat(row["valid_until"]) if row["valid_until"] else None
    # The end of the authorisation: when it ended, or the last day of a fixed validity; an
    # open-ended license in force has none.
    ended = row["ended_on"] if row["status"] in ENDED else valid_until
    return {
        "ae_competentAuthority": COMPETENT_AUTHORITY,
        "ae_homeMemberState": COUNTRY,
        "ae_lei_name": row["holder_name"],
        "ae_lei": row["holder_lei"],
        "ae_lei_cou_code": COUNTRY,
        "ae_commercial_name": NAME_SEPARATOR.join(row["holder_trading_names"]),
        "ae_address": row["holder_address"],
        "ae_website": row["holder_website"],
        "ae_website_platform": NAME_SEPARATOR.join(row["holder_domains"]),
        "ac_authorisationNotificationDate": _esma_date(date.fromisoformat(row["issued_at"])),
        "ac_authorisationEndDate": _esma_date(ended),
        "ac_serviceCode": NAME_SEPARATOR.join(sorted(ESMA_SERVICES.get(code, code) for code in row["activities"])),
        "ac_serviceCode_cou": COUNTRY,
        "ac_comments": f"License {row['number']}; status: {row['status']}",
        "ac_lastupdate": _esma_date(row["updated_on"]),
    }


# --- Python: any database -----------------------------------------------------------------------


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(str(item) for item in value)
    return neutralise(str(value))


def _csv_header(fields: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(fields)
    return buffer.getvalue()


def _portal_row(row: dict) -> dict:
    return {**row, "holder_trading_names": NAME_SEPARATOR.join(row["holder_trading_names"])}


def csv_chunks(chunks: Iterable[list[dict]], *, layout: str = "portal") -> Iterator[str]:
    fields, shape = (ESMA_FIELDS, esma_row) if layout == "esma" else (EXPORT_FIELDS, _portal_row)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield _csv_header(fields)
    for rows in chunks:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_csv_cell(shaped[field]) for field in fields] for shaped in map(shape, rows))
        yield buffer.getvalue()


def json_chunks(chunks: Iterable[list[dict]]) -> Iterator[str]:
    yield "["
    first = True
    for rows in chunks:
        if not rows:
            continue
        text = ",\n".join(
            json.dumps({field: row[field] for field in EXPORT_FIELDS}, ensure_ascii=False, separators=(",", ":"))
            for row in rows
        )
        yield ("\n" if first else ",\n") + text
        first = False
    yield "\n]\n"


def python_csv(*, licenses: QuerySet[License] | None = None, layout: str = "portal") -> Iterator[bytes]:
    """The CSV export formatted in Python: any database."""
    return (part.encode() for part in csv_chunks(export_rows(licenses=licenses), layout=layout))


def python_json(*, licenses: QuerySet[License] | None = None) -> Iterator[bytes]:
    """The JSON export formatted in Python: any database."""
    return (part.encode() for part in json_chunks(export_rows(licenses=licenses)))


# --- PostgreSQL: lines built by the database, streamed with COPY ------------------------------------

# Where a selection of licenses goes into the statements below; empty for the whole register.
_SELECTION = "/*selection*/"
_LINKS = "/*links*/"

# Activities and assets per license, each list sorted like Python's sorted() (code point order, hence
# COLLATE "C"). The ORDER BY sits in the subquery rather than in the aggregate: PostgreSQL 15 sorts
# every group on its own for ``string_agg(... ORDER BY ...)``, which costs a second and a half at a
# million licenses; an ordered subquery is never flattened and feeds the aggregate in its order
# (the idiom the PostgreSQL manual gives for aggregates, section 4.2.7). The test comparing this with
# the Python export would see a difference.
_LISTS = """
activity_list AS (
    SELECT license_id, string_agg({activity}, {sep}) AS value
    FROM (
        SELECT link.license_id, {activity_value} AS code
        FROM registry_license_activities link
        JOIN registry_activity activity ON activity.id = link.activity_id
        /*links*/
        ORDER BY link.license_id, ({activity_value}) COLLATE "C"
    ) ordered
    GROUP BY license_id
),
asset_list AS (
    SELECT license_id, string_agg({asset}, {sep}) AS value
    FROM (
        SELECT link.license_id, asset.symbol
        FROM registry_license_assets link
        JOIN registry_digitalasset asset ON asset.id = link.digitalasset_id
        /*links*/
        ORDER BY link.license_id, asset.symbol COLLATE "C"
    ) ordered
    GROUP BY license_id
)
"""

# A JSON list in its stored order; nearly every list has none, one or two entries, which skip the subquery.
_JSON_LIST = """
CASE jsonb_array_length(license.{column})
    WHEN 0 THEN NULL
    WHEN 1 THEN {one}
    ELSE (
        SELECT string_agg({each}, {sep} ORDER BY position)
        FROM {elements}(license.{column}) WITH ORDINALITY AS item(value, position)
    )
END
"""


def _text_list(column: str, sep: str) -> str:
    return _JSON_LIST.format(
        column=column, one=f"license.{column} ->> 0", each="item.value", sep=sep, elements="jsonb_array_elements_text"
    )


def _json_list_of(column: str) -> str:
    return _JSON_LIST.format(
        column=column,
        one=f"(license.{column} -> 0)::text",
        each="item.value::text",
        sep="','",
        elements="jsonb_array_elements",
    )


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_FROM = """
FROM registry_license license
JOIN registry_licensetype license_type ON license_type.id = license.license_type_id
LEFT JOIN activity_list ON activity_list.license_id = license.id
LEFT JOIN asset_list ON asset_list.license_id = license.id
/*selection*/
ORDER BY license.id
"""

_NAME_SEPARATOR = _quoted(NAME_SEPARATOR)

# The cells as text, "" as NULL: COPY writes NULL as an empty field and "" as a quoted "" (Python's
# csv writes both as nothing). OFFSET 0 keeps this subquery from being flattened, so the outer
# neutralisation reads each cell once instead of computing it three times.
_CSV_CELLS = (
    "WITH "
    + _LISTS.format(activity="code", activity_value="activity.code", asset="symbol", sep="' '")
    + f"""
SELECT
    license.number AS number,
    license.status AS status,
    license_type.code AS license_type,
    license.holder_name AS holder_name,
    nullif(license.holder_latin_name, '') AS holder_latin_name,
    nullif({_text_list("holder_trading_names", _NAME_SEPARATOR)}, '') AS holder_trading_names,
    license.holder_bin AS holder_bin,
    nullif(license.holder_lei, '') AS holder_lei,
    nullif(license.holder_address, '') AS holder_address,
    nullif(license.holder_website, '') AS holder_website,
    nullif({_text_list("holder_domains", "' '")}, '') AS holder_domains,
    activity_list.value AS activities,
    asset_list.value AS assets,
    to_char(license.issued_at, 'YYYY-MM-DD') AS issued_at,
    to_char(license.valid_until, 'YYYY-MM-DD') AS valid_until
"""
    + _FROM
    + "OFFSET 0"
)

# The same test as neutralise(): a leading =, +, -, @, tab or carriage return gets a quote. ascii()
# gives the first character's code point (0 for ""), a second faster than comparing left(cell, 1).
_FORMULA_CODES = ", ".join(str(ord(prefix)) for prefix in FORMULA_PREFIXES)
_NEUTRALISED = "CASE WHEN ascii({cell}) IN (" + _FORMULA_CODES + ") THEN '''' || {cell} ELSE {cell} END"
# Dates start with a digit and constants are ours: neither needs neutralising.
_PLAIN = {
    "issued_at",
    "valid_until",
    "ae_competentAuthority",
    "ae_homeMemberState",
    "ae_lei_cou_code",
    "ac_authorisationNotificationDate",
    "ac_authorisationEndDate",
    "ac_serviceCode_cou",
    "ac_lastupdate",
}


def _neutralised_select(fields: list[str], cells: str) -> str:
    # Built from the constants of this module only: no input of any request reaches these statements.
    columns = ", ".join(f'"{field}"' if field in _PLAIN else _NEUTRALISED.format(cell=f'"{field}"') for field in fields)
    return f"SELECT {columns} FROM ({cells}) cells"  # noqa: S608


PG_CSV_QUERY = _neutralised_select(EXPORT_FIELDS, _CSV_CELLS)

_ESMA_SERVICE = (
    "CASE activity.code "
    + " ".join(f"WHEN {_quoted(code)} THEN {_quoted(label)}" for code, label in ESMA_SERVICES.items())
    + " ELSE activity.code END"
)
_LOCAL = _quoted(settings.TIME_ZONE)
_ENDED = ", ".join(_quoted(status) for status in ENDED)

# Built from the constants of this module only, like every statement here.
_ESMA_CELLS = (
    "WITH "  # noqa: S608
    + _LISTS.format(activity="code", activity_value=_ESMA_SERVICE, asset="symbol", sep=_NAME_SEPARATOR)
    + f"""
SELECT
    {_quoted(COMPETENT_AUTHORITY)} AS "ae_competentAuthority",
    {_quoted(COUNTRY)} AS "ae_homeMemberState",
    license.holder_name AS "ae_lei_name",
    nullif(license.holder_lei, '') AS "ae_lei",
    {_quoted(COUNTRY)} AS "ae_lei_cou_code",
    nullif({_text_list("holder_trading_names", _NAME_SEPARATOR)}, '') AS "ae_commercial_name",
    nullif(license.holder_address, '') AS "ae_address",
    nullif(license.holder_website, '') AS "ae_website",
    nullif({_text_list("holder_domains", _NAME_SEPARATOR)}, '') AS "ae_website_platform",
    to_char(license.issued_at, 'DD/MM/YYYY') AS "ac_authorisationNotificationDate",
    CASE WHEN license.status IN ({_ENDED}) THEN (
        SELECT to_char(max(event.at AT TIME ZONE {_LOCAL}), 'DD/MM/YYYY')
        FROM registry_licenseevent event
        WHERE event.license_id = license.id AND event.event = license.status
    ) ELSE to_char(license.valid_until, 'DD/MM/YYYY') END AS "ac_authorisationEndDate",
    activity_list.value AS "ac_serviceCode",
    {_quoted(COUNTRY)} AS "ac_serviceCode_cou",
    'License ' || license.number || '; status: ' || license.status AS "ac_comments",
    to_char(license.updated_at AT TIME ZONE {_LOCAL}, 'DD/MM/YYYY') AS "ac_lastupdate"
"""  # noqa: S608
    + _FROM
    + "OFFSET 0"
)

PG_ESMA_QUERY = _neutralised_select(ESMA_FIELDS, _ESMA_CELLS)


def _json_text(expression: str) -> str:
    # to_json() escapes exactly as Python's json.dumps(ensure_ascii=False) does: \" \\ \b \f \n \r \t,
    # other control characters as \u00XX in lower case, everything else as is.
    return f"to_json({expression})::text"


def _json_list(expression: str) -> str:
    return f"'[' || coalesce({expression}, '') || ']'"


def _json_object(pairs: list[tuple[str, str]]) -> str:
    # Keys in EXPORT_FIELDS order, no spaces: the text json.dumps(separators=(",", ":")) writes.
    parts = []
    for index, (key, value) in enumerate(pairs):
        parts.append("'" + ("{" if index == 0 else ",") + json.dumps(key) + ":'")
        parts.append(value)
    parts.append("'}'")
    return " || ".join(parts)


PG_JSON_QUERY = (
    "WITH "
    + _LISTS.format(activity=_json_text("code"), activity_value="activity.code", asset=_json_text("symbol"), sep="','")
    + "SELECT "
    + _json_object(
        [
            ("number", _json_text("license.number")),
            ("status", _json_text("license.status")),
            ("license_type", _json_text("license_type.code")),
            ("holder_name", _json_text("license.holder_name")),
            ("holder_latin_name", _json_text("license.holder_latin_name")),
            ("holder_trading_names", _json_list(_json_list_of("holder_trading_names"))),
            ("holder_bin", _json_text("license.holder_bin")),
            ("holder_lei", _json_text("license.holder_lei")),
            ("holder_address", _json_text("license.holder_address")),
            ("holder_website", _json_text("license.holder_website")),
            ("holder_domains", _json_list(_json_list_of("holder_domains"))),
            ("activities", _json_list("activity_list.value")),
            ("assets", _json_list("asset_list.value")),
            ("issued_at", "'\"' || to_char(license.issued_at, 'YYYY-MM-DD') || '\"'"),
            ("valid_until", "coalesce('\"' || to_char(license.valid_until, 'YYYY-MM-DD') || '\"', 'null')"),
        ]
    )
    + _FROM
)

# COPY's csv format with RFC 4180 quoting for the CSV. The JSON lines are one column each, written
# verbatim: to_json() leaves no raw newline, carriage return or control byte in them, so with control
# bytes as quote and delimiter the csv format never quotes (and, unlike the text format, never
# doubles a backslash).
_COPY_CSV = "COPY ({query}) TO STDOUT WITH (FORMAT csv)"
_COPY_JSON = "COPY ({query}) TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"


def _selected(query: str, licenses: QuerySet[License] | None) -> tuple[str, list | None]:
    """``query`` limited to ``licenses`` (their ids' subquery, with its bound parameters), or all."""
    if licenses is None:
        return query.replace(_SELECTION, "").replace(_LINKS, ""), None
    try:
        ids, params = licenses.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a selection that is empty by construction (a query of punctuation only)
        ids, params = "SELECT NULL::bigint WHERE FALSE", ()
    links = query.count(_LINKS)
    statement = query.replace(_SELECTION, f"WHERE license.id IN ({ids})").replace(
        _LINKS, f"WHERE link.license_id IN ({ids})"
    )
    # The subquery appears once per list and once for the licenses, in that order in the text.
    return statement, list(params) * (links + 1)


def _copy_lines(statement: str, params: list | None = None) -> Iterator[memoryview]:
    """Every line COPY writes (one per row, ending in a newline), on this thread's connection.

    The cursor and the COPY live exactly as long as the generator: when the client goes away the
    server closes the response, which closes the generator, and psycopg cancels the COPY on the way
    out, so nothing keeps running on the database.
    """
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        yield from copy


def postgres_csv(*, licenses: QuerySet[License] | None = None, layout: str = "portal") -> Iterator[bytes]:
    """The CSV export written by PostgreSQL."""
    fields, query = (ESMA_FIELDS, PG_ESMA_QUERY) if layout == "esma" else (EXPORT_FIELDS, PG_CSV_QUERY)
    yield _csv_header(fields).encode()
    statement, params = _selected(_COPY_CSV.format(query=query), licenses)
    buffer = bytearray()
    for line in _copy_lines(statement, params):
        # COPY ends lines with \n; CSV (and Python's writer) with \r\n. Only the last byte of each
        # line is the terminator: a newline inside a quoted address stays as it is.
        buffer += line
        buffer[-1:] = b"\r\n"
        if len(buffer) >= FLUSH_BYTES:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


def postgres_json(*, licenses: QuerySet[License] | None = None) -> Iterator[bytes]:
    """The JSON export written by PostgreSQL: one array, one object per line."""
    buffer = bytearray(b"[")
    separator = b"\n"
    statement, params = _selected(_COPY_JSON.format(query=PG_JSON_QUERY), licenses)
    for line in _copy_lines(statement, params):
        buffer += separator
        buffer += line[:-1]
        separator = b",\n"
        if len(buffer) >= FLUSH_BYTES:
            yield bytes(buffer)
            buffer.clear()
    buffer += b"\n]\n"
    yield bytes(buffer)


def export_response(
    *, fmt: str, etag: str, licenses: QuerySet[License] | None = None, layout: str = "portal"
) -> StreamingHttpResponse:
    """The export as a streamed attachment: ``licenses`` (None: the whole register) in ``layout``."""
    postgres = connection.vendor == "postgresql"
    if fmt == "csv":
        writer = postgres_csv if postgres else python_csv
        content, content_type = writer(licenses=licenses, layout=layout), "text/csv; charset=utf-8"
    else:
        content, content_type = (postgres_json if postgres else python_json)(licenses=licenses), "application/json"
    # The generator itself is the content, so closing the response closes it (and ends the COPY).
    response = StreamingHttpResponse(content, content_type=content_type)
    name = "licenses-esma" if layout == "esma" else "licenses"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["ETag"] = etag
    return response
