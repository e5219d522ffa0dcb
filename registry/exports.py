"""Streamed exports of the whole register: CSV and JSON, in constant memory.

Rows come from ``registry.selectors.export_rows`` a few thousand at a time and are written out as
they come, so a million licenses never sit in memory at once.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

from registry.selectors import EXPORT_FIELDS, export_rows

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Prefix a single quote to a cell a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(str(item) for item in value)
    return neutralise(str(value))


def csv_chunks(chunks: Iterable[list[dict]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXPORT_FIELDS)
    yield buffer.getvalue()
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


def export_response(*, fmt: str, etag: str) -> StreamingHttpResponse:
    if fmt == "csv":
        content, content_type = csv_chunks(export_rows()), "text/csv; charset=utf-8"
    else:
        content, content_type = json_chunks(export_rows()), "application/json"
    response = StreamingHttpResponse((part.encode() for part in content), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="licenses.{fmt}"'
    response["ETag"] = etag
    return response
