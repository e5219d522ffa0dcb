"""The public API of the warning list: ``GET /api/v1/warnings/`` and ``GET /api/v1/export/warnings.csv``.

A django-ninja router mounted on ``registry.api.api``: the API's throttle and JSON errors apply as to
every other endpoint, and each operation is ``public`` (CORS, ETag, caching) like the others.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import Field

from registry.exports import neutralise
from registry.forms import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE
from registry.http import etag_matches, page_url, public
from registry.models import WarningEntry
from registry.schemas import Error
from registry.warning_list import selectors
from registry.warning_list.forms import WarningSearchForm

router = Router(tags=["warnings"])

_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_RESPONSES = {
    304: {"description": "Not modified: the ETag sent in If-None-Match is still current. No body."},
    400: {"description": "A parameter is invalid; the answer names it.", **_ERROR},
    429: {"description": "Rate limit exceeded; retry after the number of seconds in Retry-After.", **_ERROR},
}


class WarningHistoryEvent(Schema):
    event: str = Field(description="listed, relisted, updated or removed.")
    at: date = Field(description="The day the change took effect.")
    recorded_at: datetime = Field(description="When the portal recorded it.")
    changed: list[str] = Field(description="For updated: the fields that changed.")
    reason: str


class WarningOut(Schema):
    id: int
    name: str
    other_names: list[str]
    domains: list[str] = Field(description="Host names, lower case, IDNA (xn--) form, without www.")
    lei: str
    home_authority: str = Field(description="The authority that listed the entity.")
    home_country: str = Field(description="ISO 3166 codes of its home states, e.g. FR or CY, IE.")
    listed_on: date
    reason: str
    note: str
    status: str = Field(description="active (on the list) or removed.")
    removed_on: date | None
    history: list[WarningHistoryEvent]


class WarningPage(Schema):
    count: int = Field(ge=0)
    next: str | None
    previous: str | None
    results: list[WarningOut]


class WarningQuery(Schema):
    q: str | None = Field(None, max_length=200, description="A name (or part of one) or a web address.")
    status: Literal["active", "removed", "all"] | None = Field(None, description="active (default), removed or all.")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


def warning_json(entry: WarningEntry) -> dict:
    return {
        "id": entry.pk,
        "name": entry.name,
        "other_names": list(entry.other_names),
        "domains": list(entry.domains),
        "lei": entry.lei,
        "home_authority": entry.home_authority,
        "home_country": entry.home_country,
        "listed_on": entry.listed_on,
        "reason": entry.reason,
        "note": entry.note,
        "status": entry.status,
        "removed_on": entry.removed_on,
        "history": [
            {
                "event": event.event,
                "at": event.at,
                "recorded_at": event.recorded_at,
                "changed": list(event.changed),
                "reason": event.reason,
            }
            for event in entry.events.all()
        ],
    }


@router.get(
    "/warnings/",
    response={200: WarningPage, 304: None, 400: Error, 429: Error},
    summary="The warning list: entities operating without a license",
    description=(
        "`q` finds entries by name (a fragment, any case, accents and look-alike letters ignored, a letter "
        "or two misspelt) or by web address (a full URL finds its host, the site it belongs to and its "
        "subdomains). `status`: `active` (default), `removed` or `all`. Newest listings first."
    ),
    operation_id="warnings_list",
    openapi_extra={"responses": _RESPONSES},
)
@decorate_view(public)
def warnings_list(request: HttpRequest, params: Query[WarningQuery]):
    form = WarningSearchForm(
        data={"q": params.q or "", "status": params.status or "", "page": params.page, "page_size": params.page_size}
    )
    if not form.is_valid():
        parameter, message = form.first_error()
        return Status(400, {"error": f"{parameter}: {message}", "parameter": parameter})
    filters = selectors.WarningFilters(q=form.cleaned_data["q"], status=form.cleaned_data["status"])
    results = selectors.warning_search(filters=filters)
    count = results.count()
    page, page_size = params.page, params.page_size
    last_page = max(1, -(-count // page_size))
    if page > last_page:
        message = _("There is no page %(page)s; the last page is %(last)s.") % {"page": page, "last": last_page}
        return Status(400, {"error": f"page: {message}", "parameter": "page"})
    return {
        "count": count,
        "next": page_url(request, page + 1) if page < last_page else None,
        "previous": page_url(request, page - 1) if page > 1 else None,
        "results": [warning_json(entry) for entry in results.page((page - 1) * page_size, page_size)],
    }


def _csv_lines() -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(selectors.EXPORT_FIELDS)
    for row in selectors.warning_export_rows():
        writer.writerow([neutralise(str(row[field])) for field in selectors.EXPORT_FIELDS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


@router.get(
    "/export/warnings.csv",
    response={200: None, 304: None, 429: Error},
    summary="The whole warning list as CSV, active and removed entries",
    description=(
        "One header row, then one row per entry. `other_names` are separated by ` | `, `domains` by spaces; "
        "dates are ISO 8601. Cells that would start with =, +, -, @, tab or CR are prefixed with a single "
        "quote. `manage.py import_warnings FILE --format csv` reads this file back."
    ),
    operation_id="export_warnings_csv",
    openapi_extra={
        "responses": {
            200: {"description": "The warning list.", "content": {"text/csv": {"schema": {"type": "string"}}}},
            304: _RESPONSES[304],
            429: _RESPONSES[429],
        }
    },
)
@decorate_view(public)
def export_warnings_csv(request: HttpRequest):
    # The state of the list is the ETag: a 304 costs one small query and builds no body.
    etag = f'"warnings-{selectors.warning_list_state()[:32]}"'
    if etag_matches(request, etag):
        response = HttpResponse(status=304)
    else:
        response = StreamingHttpResponse(_csv_lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="warnings.csv"'
    response["ETag"] = etag
    return response
