"""Streamed exports of the whole register: CSV and JSON, in constant memory.

Two implementations that write byte-for-byte the same output (a test on PostgreSQL compares them):

- On PostgreSQL each line is built by the database and streamed with ``COPY (SELECT ...) TO STDOUT``:
  one query, one snapshot, no Python object per row. Activities and assets are aggregated by merge
  joins over the through tables' ``license_id`` indexes, so the server streams too. This is what
  reaches 100,000 rows/s at a million licenses.
- Elsewhere (SQLite) rows come from ``registry.selectors.export_rows`` a few thousand at a time and
  are formatted in Python.

Every license is public record whatever its status, so the export has no filter.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.db import connection
from django.http import StreamingHttpResponse

from registry.selectors import EXPORT_FIELDS, export_rows

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Bytes handed to the server per write: large enough that a million rows cost few syscalls, small
# enough that memory stays flat.
FLUSH_BYTES = 1 << 16


def neutralise(value: str) -> str:
    """Prefix a single quote to a cell a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(str(item) for item in value)
    return neutralise(str(value))


def _csv_header() -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(EXPORT_FIELDS)
    return buffer.getvalue()


def csv_chunks(chunks: Iterable[list[dict]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield _csv_header()
    for rows in chunks:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_csv_cell(row[field]) for field in EXPORT_FIELDS] for row in rows)
        yield buffer.getvalue()


def json_chunks(chunks: Iterable[list[dict]]) -> Iterator[str]:
    yield "["
    first = True
    for rows in chunks:
        if not rows:
            continue
        text = ",\n".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows)
        yield ("\n" if first else ",\n") + text
        first = False
    yield "\n]\n"


def python_csv() -> Iterator[bytes]:
    """The CSV export formatted in Python: any database."""
    return (part.encode() for part in csv_chunks(export_rows()))


def python_json() -> Iterator[bytes]:
    """The JSON export formatted in Python: any database."""
    return (part.encode() for part in json_chunks(export_rows()))


# --- PostgreSQL: lines built by the database, streamed with COPY ------------------------------------

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
        SELECT link.license_id, activity.code
        FROM registry_license_activities link
        JOIN registry_activity activity ON activity.id = link.activity_id
        ORDER BY link.license_id, activity.code COLLATE "C"
    ) ordered
    GROUP BY license_id
),
asset_list AS (
    SELECT license_id, string_agg({asset}, {sep}) AS value
    FROM (
        SELECT link.license_id, asset.symbol
        FROM registry_license_assets link
        JOIN registry_digitalasset asset ON asset.id = link.digitalasset_id
        ORDER BY link.license_id, asset.symbol COLLATE "C"
    ) ordered
    GROUP BY license_id
)
"""

# The domains in their stored order; nearly every license has one or two, which skip the subquery.
_DOMAINS = """
CASE jsonb_array_length(license.holder_domains)
    WHEN 0 THEN NULL
    WHEN 1 THEN {one}
    ELSE (
        SELECT string_agg({each}, {sep} ORDER BY position)
        FROM {elements}(license.holder_domains) WITH ORDINALITY AS domain(value, position)
    )
END
"""

_FROM = """
FROM registry_license license
JOIN registry_licensetype license_type ON license_type.id = license.license_type_id
LEFT JOIN activity_list ON activity_list.license_id = license.id
LEFT JOIN asset_list ON asset_list.license_id = license.id
ORDER BY license.id
"""

# The cells as text, "" as NULL: COPY writes NULL as an empty field and "" as a quoted "" (Python's
# csv writes both as nothing). OFFSET 0 keeps this subquery from being flattened, so the outer
# neutralisation reads each cell once instead of computing it three times.
_CSV_CELLS = (
    "WITH "
    + _LISTS.format(activity="code", asset="symbol", sep="' '")
    + """
SELECT
    license.number AS number,
    license.status AS status,
    license_type.code AS license_type,
    license.holder_name AS holder_name,
    license.holder_bin AS holder_bin,
    nullif(license.holder_lei, '') AS holder_lei,
    nullif(license.holder_address, '') AS holder_address,
    nullif(license.holder_website, '') AS holder_website,
    nullif("""
    + _DOMAINS.format(
        one="license.holder_domains ->> 0", each="domain.value", sep="' '", elements="jsonb_array_elements_text"
    )
    + """, '') AS holder_domains,
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
_DATES = ("issued_at", "valid_until")  # ISO dates start with a digit

# Built from the constants above only: no input of any request reaches these statements.
PG_CSV_QUERY = (
    "SELECT "  # noqa: S608
    + ", ".join(field if field in _DATES else _NEUTRALISED.format(cell=field) for field in EXPORT_FIELDS)
    + " FROM ("
    + _CSV_CELLS
    + ") cells"
)


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
    + _LISTS.format(activity=_json_text("code"), asset=_json_text("symbol"), sep="','")
    + "SELECT "
    + _json_object(
        [
            ("number", _json_text("license.number")),
            ("status", _json_text("license.status")),
            ("license_type", _json_text("license_type.code")),
            ("holder_name", _json_text("license.holder_name")),
            ("holder_bin", _json_text("license.holder_bin")),
            ("holder_lei", _json_text("license.holder_lei")),
            ("holder_address", _json_text("license.holder_address")),
            ("holder_website", _json_text("license.holder_website")),
            (
                "holder_domains",
                _json_list(
                    _DOMAINS.format(
                        one="(license.holder_domains -> 0)::text",
                        each="domain.value::text",
                        sep="','",
                        elements="jsonb_array_elements",
                    )
                ),
            ),
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


def _copy_lines(statement: str) -> Iterator[memoryview]:
    """Every line COPY writes (one per row, ending in a newline), on this thread's connection.

    The cursor and the COPY live exactly as long as the generator: when the client goes away the
    server closes the response, which closes the generator, and psycopg cancels the COPY on the way
    out, so nothing keeps running on the database.
    """
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        yield from copy


def postgres_csv() -> Iterator[bytes]:
    """The CSV export written by PostgreSQL."""
    yield _csv_header().encode()
    buffer = bytearray()
    for line in _copy_lines(_COPY_CSV.format(query=PG_CSV_QUERY)):
        # COPY ends lines with \n; CSV (and Python's writer) with \r\n. Only the last byte of each
        # line is the terminator: a newline inside a quoted address stays as it is.
        buffer += line
        buffer[-1:] = b"\r\n"
        if len(buffer) >= FLUSH_BYTES:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


def postgres_json() -> Iterator[bytes]:
    """The JSON export written by PostgreSQL: one array, one object per line."""
    buffer = bytearray(b"[")
    separator = b"\n"
    for line in _copy_lines(_COPY_JSON.format(query=PG_JSON_QUERY)):
        buffer += separator
        buffer += line[:-1]
        separator = b",\n"
        if len(buffer) >= FLUSH_BYTES:
            yield bytes(buffer)
            buffer.clear()
    buffer += b"\n]\n"
    yield bytes(buffer)


def export_response(*, fmt: str, etag: str) -> StreamingHttpResponse:
    postgres = connection.vendor == "postgresql"
    if fmt == "csv":
        content, content_type = (postgres_csv() if postgres else python_csv()), "text/csv; charset=utf-8"
    else:
        content, content_type = (postgres_json() if postgres else python_json()), "application/json"
    # The generator itself is the content, so closing the response closes it (and ends the COPY).
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="licenses.{fmt}"'
    response["ETag"] = etag
    return response
