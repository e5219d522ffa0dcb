"""The public JSON API, read-only, no login, versioned under /api/v1/ (SPEC section 10).

Parameters are declared here for the OpenAPI description and validated again by the registry's
search form, so every refusal is a 400 ``{"error": ..., "parameter": ...}``. The HTTP manners are
declared here too (``registry.http``): the rate limit is the API's throttle, each operation is
``public`` (Cache-Control, ETag and If-None-Match, CORS), and ``RegistryAPI.urls`` adds what ninja's
routing does not answer: HEAD, the CORS preflight and JSON for any other method. Every answer under
/api/ is JSON, errors included (unknown paths: ``config.urls``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
from datetime import UTC, datetime, time
from typing import Any, Literal
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from registry import cache as registry_cache
from registry import exports, http, selectors
from registry.forms import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, MAX_QUERY_LENGTH, LicenseSearchForm
from registry.middleware import mark_shared
from registry.models import DFAClass, License
from registry.schemas import (
    AssetList,
    ChangeFeed,
    Error,
    LicenseDetail,
    LicensePage,
    StatisticsList,
)
from registry.warning_list.api import router as warning_list_router

logger = logging.getLogger(__name__)

DESCRIPTION = """\
The public register of digital-asset service providers licensed by the National Bank of Kazakhstan.

Read-only, no sign-in. Every answer carries an `ETag` (send it back in `If-None-Match` to get
`304 Not Modified`) and `Cache-Control: public, max-age=60`. Each client may make `API_RATE_LIMIT`
requests in any sliding minute (120 by default); beyond that the API answers `429` with `Retry-After`.
Bad parameters answer `400` with `{"error": ..., "parameter": ...}`; every answer is JSON, errors
included (404 for an unknown path, 405 for a method other than GET, HEAD or OPTIONS, 500 if the
register fails). Names (`..._name`) follow `Accept-Language` (kk, ru, en);
`..._names` give reference names in all three languages at once; codes never change with the language.
"""

NOT_MODIFIED = "Not modified: the ETag sent in If-None-Match is still current. No body."
TOO_MANY = "Rate limit exceeded; retry after the number of seconds in the Retry-After header."
BAD_PARAMETER = "A parameter is invalid; the answer names it."


class RegistryAPI(NinjaAPI):
    """The API with the methods ninja routes to no operation: HEAD, OPTIONS and the rest (``http.methods``)."""

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            callback = http.methods(pattern.callback)
            # The description is no operation: it gets the operations' caching and CORS here.
            pattern.callback = http.public(callback) if pattern.name == "openapi-json" else callback
        return patterns, app_name, namespace


api = RegistryAPI(
    title="Digital Asset Licensing Portal: public registry API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,
    throttle=[http.ApiRateLimit()],
)


def _no_content(description: str) -> dict:
    return {"description": description}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


# --- Errors ------------------------------------------------------------------------------------------


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    parameter, detail = "", ""
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path")]
        parameter = location[0] if location else ""
        detail = error.get("msg", "")
        break
    if parameter:
        message = _("Invalid value for %(parameter)s: %(detail)s") % {"parameter": parameter, "detail": detail}
    else:
        message = _("Invalid request: %(detail)s") % {"detail": detail}
    return http.json_error(message, status=400, parameter=parameter or None)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return http.json_error(str(exc), status=exc.status_code)


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    seconds = max(1, int(-(-(exc.wait or 1) // 1)))
    message = _("Too many requests: at most %(limit)s a minute. Try again in %(seconds)s seconds.") % {
        "limit": settings.API_RATE_LIMIT,
        "seconds": seconds,
    }
    return http.json_error(message, status=429)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged with its traceback for the operators; the client gets JSON, never an HTML error page.
    logger.error("API error on %s", request.path, exc_info=exc)
    return http.json_error(_("The register could not answer this request; try again later."), status=500)


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@api.exception_handler(BadParameter)
def _bad_parameter(request: HttpRequest, exc: BadParameter) -> HttpResponse:
    return http.json_error(f"{exc.parameter}: {exc.message}", status=400, parameter=exc.parameter)


# --- Serialisation -----------------------------------------------------------------------------------


def _license(
    request: HttpRequest, license: License, *, activities: list | None = None, assets: list | None = None
) -> dict[str, Any]:
    activities = license.activities.all() if activities is None else activities
    assets = license.assets.all() if assets is None else assets
    return {
        "number": license.number,
        "status": license.status,
        "status_name": str(license.get_status_display()),
        "holder": {
            "name": license.holder_name,
            "latin_name": license.holder_latin_name,
            "trading_names": [str(name) for name in license.holder_trading_names or []],
            "bin": license.holder_bin,
            "lei": license.holder_lei,
            "address": license.holder_address,
            "website": license.holder_website,
            "domains": [str(domain) for domain in license.holder_domains or []],
        },
        "license_type": license.license_type.code,
        "license_type_name": license.license_type.name,
        "license_type_names": license.license_type.names,
        "activities": [activity.code for activity in activities],
        "assets": [asset.symbol for asset in assets],
        "issued_at": license.issued_at,
        "valid_until": license.valid_until,
        "url": request.build_absolute_uri(reverse("registry:detail", args=[license.number])),
    }


# --- Licenses ----------------------------------------------------------------------------------------

MAX_CHANGES = 1000

LicenseStatus = Literal["active", "suspended", "revoked", "surrendered", "expired"]


class LicenseQuery(Schema):
    q: str | None = Field(None, max_length=MAX_QUERY_LENGTH, description="Name, BIN, license number or domain.")
    status: LicenseStatus | None = Field(None, description="License status.")
    license_type: str | None = Field(None, max_length=64, description="License type code, e.g. DAX.")
    activity: str | None = Field(None, max_length=64, description="Activity code, e.g. custody.")
    asset: str | None = Field(None, max_length=64, description="Digital asset symbol, e.g. BTC.")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class ChangesQuery(Schema):
    since: str | None = Field(
        None,
        max_length=64,
        description="ISO 8601 instant, e.g. 2026-03-01T00:00:00+05:00. Required unless cursor is given.",
        json_schema_extra={"format": "date-time"},
    )
    cursor: str | None = Field(None, max_length=200, description="Opaque position from a previous `next`.")
    limit: int = Field(100, ge=1, le=MAX_CHANGES)


@api.get(
    "/licenses/",
    response={200: LicensePage, 304: None, 400: Error, 429: Error},
    summary="Search the register",
    description=(
        "`q` finds by name fragment (typo-tolerant), exact BIN (12 digits), license number (exact or "
        "prefix, any case) or website domain. Ranked by relevance for a name, otherwise by number."
    ),
    operation_id="licenses_list",
    openapi_extra={
        "responses": {
            304: _no_content(NOT_MODIFIED),
            400: _error(BAD_PARAMETER),
            429: _error(TOO_MANY),
        }
    },
)
@decorate_view(http.public)
def licenses_list(request: HttpRequest, params: Query[LicenseQuery]):
    # Cached whole under the register version, like the detail answers: a search many people make
    # costs one cache round trip until the register changes. The key holds all the body depends on:
    # the language (names), scheme and host (links) and the query string as sent (next, previous).
    query = request.META.get("QUERY_STRING", "")
    key = registry_cache.answer_key(
        "api-list",
        get_language() or "",
        f"{request.scheme}://{request.get_host()}",
        hashlib.sha256(query.encode()).hexdigest()[:32],
    )
    cached, version = registry_cache.answer_get(key)
    if cached is not None:
        return _cached_json(*cached)
    filters = _filters(params)
    results = selectors.license_search(filters=filters)
    count = results.count()
    page, page_size = params.page, params.page_size
    last_page = max(1, -(-count // page_size))
    if page > last_page:
        message = _("There is no page %(page)s; the last page is %(last)s.") % {"page": page, "last": last_page}
        raise BadParameter("page", message)
    offset = (page - 1) * page_size
    licenses = results.page(offset, page_size)
    body = {
        "count": count,
        "count_is_exact": results.count_is_exact(),
        "next": http.page_url(request, page + 1) if page < last_page else None,
        "previous": http.page_url(request, page - 1) if page > 1 else None,
        "results": [_license(request, license) for license in licenses],
    }
    return _json_answer(request, LicensePage, body, key=key, version=version)


@api.get(
    "/licenses/{number}/",
    response={200: LicenseDetail, 304: None, 404: Error, 429: Error},
    summary="One license with its public history",
    operation_id="licenses_detail",
    openapi_extra={
        "responses": {
            304: _no_content(NOT_MODIFIED),
            404: _error("No license has this number."),
            429: _error(TOO_MANY),
        }
    },
)
@decorate_view(http.public)
def licenses_detail(request: HttpRequest, number: str):
    # The answer is cached whole, with its ETag, under the register version (registry.cache): a hit
    # costs one cache round trip and no SQL, schema pass or hashing, and a 304 costs the same. What else
    # the body depends on is in the key: the language (names), scheme and host (the ``url`` field).
    # The answer for a canonical number is marked shared: registry.middleware keeps the whole
    # response and serves it to the next visitor who is not signed in before the other middleware run.
    canonical = number.strip().upper()
    key = version = None
    if selectors.LICENSE_NUMBER.match(canonical):
        key = registry_cache.answer_key(
            "api-detail", get_language() or "", f"{request.scheme}://{request.get_host()}", canonical
        )
        cached, version = registry_cache.answer_get(key)
        if cached is not None:
            return mark_shared(_cached_json(*cached))
    record = selectors.license_get(number=number)
    if record is None:
        return Status(404, {"error": _("No license has the number %(number)s.") % {"number": number[:40]}})
    result = _license(request, record.license, activities=record.activities, assets=record.assets)
    result["activity_names"] = [
        {"code": activity.code, "name": activity.name, "names": activity.names} for activity in record.activities
    ]
    result["asset_names"] = [{"symbol": asset.symbol, "name": asset.name} for asset in record.assets]
    result["history"] = [
        {
            "event": event.event,
            "at": timezone.localtime(event.at),
            "recorded_at": timezone.localtime(event.recorded_at),
            "reason": event.reason,
        }
        for event in record.events
    ]
    response = _json_answer(request, LicenseDetail, result, key=key, version=version)
    return mark_shared(response) if key is not None else response


def _json_answer(request: HttpRequest, schema: type[Schema], body: dict, *, key: str | None, version: str | None):
    """The same validation and rendering Ninja applies to a returned dict, done here to keep the bytes."""
    response = api.create_response(request, schema.model_validate(body).model_dump(), status=200)
    etag = http.body_etag(response.content)
    response["ETag"] = etag
    if key is not None and version is not None:
        registry_cache.answer_set(key, version, (response.content, etag))
    return response


def _cached_json(body: bytes, etag: str) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{api.renderer.media_type}; charset={api.renderer.charset}")
    response["ETag"] = etag
    return response


# --- Reference lists ---------------------------------------------------------------------------------

_LIST_RESPONSES = {304: _no_content(NOT_MODIFIED), "429": _error(TOO_MANY)}


@api.get(
    "/assets/",
    response={200: AssetList, 304: None, 429: Error},
    summary="The permitted digital-asset list",
    operation_id="assets_list",
    openapi_extra={"responses": _LIST_RESPONSES},
)
@decorate_view(http.public)
def assets_list(request: HttpRequest):
    labels = dict(DFAClass.choices)
    names = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in DFAClass.choices:
                names.setdefault(code, {})[language] = str(label)
    results = [
        {
            "symbol": asset.symbol,
            "name": asset.name,
            "dfa_class": asset.dfa_class,
            "dfa_class_name": str(labels.get(asset.dfa_class, asset.dfa_class)),
            "dfa_class_names": names.get(asset.dfa_class, dict.fromkeys(("kk", "ru", "en"), asset.dfa_class)),
            "status": asset.status,
            "added_on": asset.added_on,
            "status_changed_on": asset.status_changed_on,
            "history": [
                {"event": event.event, "on": event.effective_on, "reason": event.reason} for event in asset.events.all()
            ],
        }
        for asset in selectors.asset_list()
    ]
    return {"count": len(results), "results": results}


# --- Warning list: registry.warning_list.api ------------------------------------------------------------

api.add_router("", warning_list_router)


# --- Statistics ------------------------------------------------------------------------------------

STATISTICS_METHOD = (
    "Per license type and calendar year of the decision (Almaty time): applications decided (granted "
    "or refused; withdrawn and lapsed ones are not decisions), the share granted, and the median and "
    "90th percentile (nearest rank) of the working days from submission to decision, counted on "
    "Kazakhstan's working-day calendar (weekends and public holidays excluded; the submission day not "
    "counted, the decision day counted) including any time the applicant took to answer information "
    "requests. No applicant is named."
)


@api.get(
    "/statistics/",
    response={200: StatisticsList, 304: None, 429: Error},
    summary="How the National Bank decides: applications decided, granted share and working days",
    description=STATISTICS_METHOD,
    operation_id="statistics_list",
    openapi_extra={"responses": _LIST_RESPONSES},
)
@decorate_view(http.public)
def statistics_list(request: HttpRequest):
    return {
        "method": STATISTICS_METHOD,
        "results": [
            {
                "license_type": row.license_type.code,
                "license_type_name": row.license_type.name,
                "year": row.year,
                "decided": row.decided,
                "granted": row.granted,
                "refused": row.refused,
                "granted_share": row.granted_share,
                "median_working_days": row.median_days,
                "p90_working_days": row.p90_days,
            }
            for row in selectors.decision_statistics()
        ],
    }


# --- Change feed -------------------------------------------------------------------------------------


def _parse_since(value: str) -> datetime:
    if "\x00" in value or len(value) > 64:
        raise ValueError(value)
    moment = datetime.fromisoformat(value.strip().replace("z", "Z"))
    if len(value.strip()) == 10:  # a date alone: from its start
        moment = datetime.combine(moment.date(), time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    # Out-of-range instants (year 1 with a positive offset) fail here, not in the database.
    return moment.astimezone(UTC)


def _encode_cursor(at: datetime, event_id: int) -> str:
    return base64.urlsafe_b64encode(f"{at.astimezone(UTC).isoformat()}|{event_id}".encode()).decode().rstrip("=")


def _decode_cursor(value: str) -> tuple[datetime, int]:
    padded = value + "=" * (-len(value) % 4)
    at, event_id = base64.urlsafe_b64decode(padded.encode("ascii")).decode().split("|")
    return datetime.fromisoformat(at).astimezone(UTC), int(event_id)


@api.get(
    "/changes/",
    response={200: ChangeFeed, 304: None, 400: Error, 429: Error},
    summary="Public license events recorded after an instant, in the order they were recorded",
    description=(
        "Each event has `at`, when it took legal effect (for a license loaded from an earlier register, its "
        "authorisation date), and `recorded_at`, when this register recorded it. The feed is ordered and "
        "resumed by `recorded_at`, so an event recorded today with an effective date years ago is still seen. "
        "Give `since` (ISO 8601; without an offset it is read in Asia/Almaty time) for the first page, "
        "then follow `next`, which carries an opaque `cursor` after the last event returned. Keep the last "
        "`next` to poll for later changes. An event is listed once it is "
        f"{int(selectors.CHANGE_FEED_SETTLE.total_seconds())} seconds old, so that one committed a moment "
        "after its time is never behind a cursor already handed out."
    ),
    operation_id="changes_list",
    openapi_extra={
        "responses": {
            304: _no_content(NOT_MODIFIED),
            400: _error(BAD_PARAMETER),
            429: _error(TOO_MANY),
        }
    },
)
@decorate_view(http.public)
def changes_list(request: HttpRequest, params: Query[ChangesQuery]):
    since, cursor, limit = params.since, params.cursor, params.limit
    if cursor:
        try:
            after = _decode_cursor(cursor)
        except (ValueError, UnicodeError, binascii.Error, OverflowError):
            raise BadParameter("cursor", _("Not a cursor this API gave out.")) from None
    elif since:
        try:
            after = (_parse_since(since), 0)
        except (ValueError, OverflowError):
            raise BadParameter(
                "since", _("Give an ISO 8601 date or date and time, e.g. 2026-03-01T00:00:00+05:00.")
            ) from None
    else:
        raise BadParameter("since", _("Give since (an ISO 8601 instant) or a cursor."))
    events = selectors.change_feed(after=after, limit=limit)
    next_url = None
    if events:
        last = events[-1]
        query = urlencode({"cursor": _encode_cursor(last.recorded_at, last.id), "limit": limit})
        next_url = request.build_absolute_uri(request.path + "?" + query)
    return {
        "next": next_url,
        "results": [
            {
                "number": event.license.number,
                "event": event.event,
                "at": timezone.localtime(event.at),
                "recorded_at": timezone.localtime(event.recorded_at),
                "reason": event.reason,
                "status": event.license.status,
            }
            for event in events
        ],
    }


# --- Exports -----------------------------------------------------------------------------------------


class ExportQuery(Schema):
    q: str | None = Field(None, max_length=MAX_QUERY_LENGTH, description="As for the list: exact matches only.")
    status: LicenseStatus | None = Field(None, description="License status.")
    license_type: str | None = Field(None, max_length=64, description="License type code, e.g. DAX.")
    activity: str | None = Field(None, max_length=64, description="Activity code, e.g. custody.")
    asset: str | None = Field(None, max_length=64, description="Digital asset symbol, e.g. BTC.")


class CsvExportQuery(ExportQuery):
    format: Literal["portal", "esma"] = Field(
        "portal",
        description="`esma`: the columns of ESMA's interim MiCA register of crypto-asset service providers.",
    )


def _filters(params: ExportQuery | LicenseQuery) -> selectors.LicenseFilters:
    """The list's filters, validated by its form: a bad value is a 400 naming the parameter."""
    form = LicenseSearchForm(
        data={
            "q": params.q or "",
            "status": params.status or "",
            "license_type": params.license_type or "",
            "activity": params.activity or "",
            "asset": params.asset or "",
            "page": getattr(params, "page", None),
            "page_size": getattr(params, "page_size", None),
        }
    )
    if not form.is_valid():
        parameter, message = form.first_error()
        raise BadParameter(parameter, message)
    data = form.cleaned_data
    return selectors.LicenseFilters(
        q=data["q"],
        status=data["status"],
        license_type=data["license_type"],
        activity=data["activity"],
        asset=data["asset"],
    )


def _export(request: HttpRequest, fmt: str, params: ExportQuery, layout: str = "portal"):
    filters = _filters(params)
    tag = f"{selectors.registry_version()}|{fmt}|{layout}|{filters.cache_key()}"
    etag = '"export-' + http.body_etag(tag.encode()).strip('"') + '"'
    if http.etag_matches(request, etag):
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    licenses = selectors.export_selection(filters=filters)
    return exports.export_response(fmt=fmt, etag=etag, licenses=licenses, layout=layout)


_EXPORT_ROW = {
    "type": "object",
    "required": selectors.EXPORT_FIELDS,
    "properties": {
        **{field: {"type": "string"} for field in selectors.EXPORT_FIELDS},
        "holder_trading_names": {"type": "array", "items": {"type": "string"}},
        "holder_domains": {"type": "array", "items": {"type": "string"}},
        "activities": {"type": "array", "items": {"type": "string"}},
        "assets": {"type": "array", "items": {"type": "string"}},
        "issued_at": {"type": "string", "format": "date"},
        "valid_until": {"type": ["string", "null"], "format": "date"},
    },
}

_FILTERED = (
    "Without parameters: every license, whatever its status. With the list's parameters (`q`, `status`, "
    "`license_type`, `activity`, `asset`): the licenses that list shows, exact name matches only."
)


def _export_doc(media_type: str, schema: dict, description: str) -> dict:
    return {
        "responses": {
            200: {"description": description, "content": {media_type: {"schema": schema}}},
            304: _no_content(NOT_MODIFIED),
            400: _error(BAD_PARAMETER),
            429: _error(TOO_MANY),
        }
    }


@api.get(
    "/export/licenses.csv",
    response={200: None, 304: None, 400: Error, 429: Error},
    summary="The register as CSV, streamed",
    description=(
        _FILTERED
        + " Cells that would start with =, +, -, @, tab or CR are prefixed with a single quote. `format=esma` "
        "writes ESMA's CASP layout: ae_competentAuthority, ae_homeMemberState, ae_lei_name, ae_lei, "
        "ae_lei_cou_code, ae_commercial_name, ae_address, ae_website, ae_website_platform, "
        "ac_authorisationNotificationDate, ac_authorisationEndDate, ac_serviceCode, ac_serviceCode_cou, "
        "ac_comments, ac_lastupdate; services as MiCA's codes a-j (`a. providing custody ... | b. ...`), "
        "dates as dd/mm/yyyy, several values separated by ` | `."
    ),
    operation_id="export_csv",
    openapi_extra=_export_doc(
        "text/csv",
        {"type": "string"},
        "One header row, then one row per license. Codes and domains are space-separated, names by ` | `.",
    ),
)
@decorate_view(http.public)
def export_csv(request: HttpRequest, params: Query[CsvExportQuery]):
    return _export(request, "csv", params, layout=params.format)


@api.get(
    "/export/licenses.json",
    response={200: None, 304: None, 400: Error, 429: Error},
    summary="The register as JSON, streamed",
    description=_FILTERED,
    operation_id="export_json",
    openapi_extra=_export_doc("application/json", {"type": "array", "items": _EXPORT_ROW}, "One object per license."),
)
@decorate_view(http.public)
def export_json(request: HttpRequest, params: Query[ExportQuery]):
    return _export(request, "json", params)
