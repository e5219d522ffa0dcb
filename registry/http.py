"""HTTP manners of the public API and exports: rate limit, CORS, ETag and caching headers.

One decorator, ``public_api``, wraps every view of the API (``registry.api`` applies it to each URL
of the NinjaAPI), so the rules hold for JSON, exports, errors and the OpenAPI description alike.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from common.http import client_address

logger = logging.getLogger(__name__)

CACHE_CONTROL = "public, max-age=60"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# Headers a browser script may read from our answers (CORS hides all others).
EXPOSED_HEADERS = "ETag, Retry-After, Content-Disposition"
WINDOW_SECONDS = 60


def json_error(message: str, *, status: int, parameter: str | None = None) -> HttpResponse:
    body: dict = {"error": message}
    if parameter:
        body["parameter"] = parameter
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


def page_url(request: HttpRequest, page: int) -> str:
    """The absolute URL of this list's ``page``, every other parameter kept."""
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(request.path + "?" + params.urlencode())


def rate_limit_retry_after(request: HttpRequest, *, now: float | None = None) -> int | None:
    """Seconds until the client may try again, or None while it is within API_RATE_LIMIT per minute.

    A fixed one-minute window per client in the Django cache (Redis in production, shared by every
    worker). If the cache is down the API stays open rather than failing every request.
    """
    limit = int(getattr(settings, "API_RATE_LIMIT", 120) or 0)
    if limit <= 0:
        return None
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    key = f"registry:rate:{client_address(request)}:{window}"
    try:
        if cache.add(key, 1, timeout=WINDOW_SECONDS + 1):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=WINDOW_SECONDS + 1)
                count = 1
    except Exception:  # an unreachable cache must not take the public API down
        logger.warning("API rate limit skipped: cache unavailable", exc_info=True)
        return None
    if count <= limit:
        return None
    return max(1, WINDOW_SECONDS - int(now % WINDOW_SECONDS))


def body_etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def etag_matches(request: HttpRequest, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not header:
        return False
    candidates = [value.strip() for value in header.split(",")]
    bare = etag.removeprefix("W/")
    return any(value == "*" or value.removeprefix("W/") == bare for value in candidates)


def _cors(response: HttpResponseBase) -> None:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    _cors(response)
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, If-None-Match, Content-Type"
    response["Access-Control-Max-Age"] = "86400"
    response["Allow"] = ALLOWED_METHODS
    return response


def _headers_only(response: StreamingHttpResponse) -> StreamingHttpResponse:
    """The answer to HEAD on a streamed export: its headers, and the export never started.

    A WSGI server iterates the body even for HEAD (and only drops it), so returning the streaming
    response would run the whole export. Its generator (or COPY) is closed before it starts; not
    with ``response.close()``, which fires request_finished and would close the database connection
    in the middle of the request. The answer streams an empty body rather than being a plain
    HttpResponse: CommonMiddleware would give that ``Content-Length: 0``, which for HEAD claims the
    export is empty (GET streams it without a length).
    """
    for closer in response._resource_closers:
        closer()
    response._resource_closers.clear()
    empty = StreamingHttpResponse(iter(()), status=response.status_code)
    for header, value in response.items():
        empty[header] = value
    return empty


def public_api(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Rate limit, CORS for GET, ETag with If-None-Match, and public caching for 60 seconds."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if request.method == "OPTIONS":
            return _preflight()
        retry_after = rate_limit_retry_after(request)
        if retry_after is not None:
            response = json_error(
                _("Too many requests: at most %(limit)s a minute. Try again in %(seconds)s seconds.")
                % {"limit": settings.API_RATE_LIMIT, "seconds": retry_after},
                status=429,
            )
            response["Retry-After"] = str(retry_after)
            response["Cache-Control"] = "no-store"
            _cors(response)
            return response

        head = request.method == "HEAD"
        if head:
            # Answer HEAD as GET without a body; the views only know GET.
            request.method = "GET"
        response = view(request, *args, **kwargs)
        if head:
            request.method = "HEAD"

        if not response.streaming and "ETag" not in response:
            response["ETag"] = body_etag(response.content)
        response.setdefault("Cache-Control", CACHE_CONTROL)
        _cors(response)
        if response.status_code == 200 and "ETag" in response and etag_matches(request, response["ETag"]):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Vary", "Content-Language"):
                if header in response:
                    not_modified[header] = response[header]
            _cors(not_modified)
            # The discarded response is not close()d: that fires request_finished, which would close
            # the database connection in the middle of the request.
            return not_modified
        if head and response.streaming:
            return _headers_only(response)
        if head:
            response.content = b""
        return response

    return wrapper
