"""HTTP manners of the public registry: rate limits, CORS, ETags and caching headers, JSON errors.

``registry.api`` declares them where the API is defined: the rate limit is django-ninja's throttle
(``ApiRateLimit``), each operation is decorated with ``public`` (caching, conditional GET, CORS), and
``methods`` answers what ninja's routing does not (HEAD, the CORS preflight, other methods as JSON).
The registry's HTML search and verification pages take ``page_rate_limit``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import time
from collections.abc import Callable

from csp.decorators import csp_exempt
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from ninja.throttling import BaseThrottle

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


# --- Rate limits: a sliding window per client -----------------------------------------------------


def retry_after(*, scope: str, client: str, limit: int, now: float | None = None) -> float | None:
    """Seconds until ``client`` may try again, or None while it is within ``limit`` requests a minute.

    A sliding window (the fixed-window counters of this minute and the last, the last weighted by how
    much of it the sliding minute still covers): unlike one fixed window, a client cannot send a full
    allowance at the end of one minute and another at the start of the next. The counters live in the
    Django cache (Redis in production, shared by every worker; ``incr`` is atomic there). Refused
    requests count too, so hammering keeps a client out. If the cache is down, nobody is limited
    rather than everybody refused.
    """
    if limit <= 0:
        return None
    now = time.time() if now is None else now
    window, elapsed = divmod(now, WINDOW_SECONDS)
    current_key = f"registry:rate:{scope}:{client}:{int(window)}"
    previous_key = f"registry:rate:{scope}:{client}:{int(window) - 1}"
    try:
        if cache.add(current_key, 1, timeout=2 * WINDOW_SECONDS + 1):
            current = 1
        else:
            try:
                current = cache.incr(current_key)
            except ValueError:  # expired between add and incr
                cache.set(current_key, 1, timeout=2 * WINDOW_SECONDS + 1)
                current = 1
        previous = int(cache.get(previous_key) or 0)
    except Exception:  # an unreachable cache must not take the registry down
        logger.warning("rate limit skipped: cache unavailable", exc_info=True)
        return None
    left = WINDOW_SECONDS - elapsed
    if previous * left / WINDOW_SECONDS + current <= limit:
        return None
    # When would one more request fit? Within this window, once the last one's weight has fallen far
    # enough; or else in the next window, once this one's weight (now the last) has.
    if current + 1 <= limit and previous:
        return max(0.0, left - WINDOW_SECONDS * (limit - current - 1) / previous)
    return left + WINDOW_SECONDS * (1 - (limit - 1) / current)


class ApiRateLimit(BaseThrottle):
    """django-ninja's throttle interface over ``retry_after``: API_RATE_LIMIT requests a minute per client."""

    def allow_request(self, request: HttpRequest) -> bool:
        if hasattr(request, "api_rate_wait"):  # counted already by registry.middleware
            self._wait = request.api_rate_wait
        else:
            self._wait = retry_after(scope="api", client=client_address(request), limit=settings.API_RATE_LIMIT)
        return self._wait is None

    def wait(self) -> float | None:
        # Ninja rounds up into Retry-After; at least one second, as a client cannot act on less.
        return max(1.0, self._wait) if self._wait is not None else None


def page_rate_limit(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """PAGE_RATE_LIMIT requests a minute per client for a public HTML page; beyond, a 429 page."""

    @functools.wraps(view)
    def limited(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        wait = retry_after(scope="page", client=client_address(request), limit=settings.PAGE_RATE_LIMIT)
        if wait is None:
            return view(request, *args, **kwargs)
        seconds = max(1, math.ceil(wait))
        response = TemplateResponse(request, "registry/too_many.html", {"seconds": seconds}, status=429)
        response["Retry-After"] = str(seconds)
        response["Cache-Control"] = "no-store"
        return response

    return limited


# --- Caching, conditional GET, CORS -----------------------------------------------------------------


def body_etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _cors(response: HttpResponseBase) -> HttpResponseBase:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def public(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """An answer anyone may cache for 60 seconds and read from any origin, with ETag and If-None-Match.

    Refusals (429) are not to be cached. The ETag is the view's own when it sets one (exports, cached
    detail answers), otherwise a hash of the body; a match answers 304 through Django's conditional
    GET, before a streamed export starts. No Content-Security-Policy: data is no document a browser
    renders (nosniff keeps it so), and building the header is a fifth of a cached answer's time.
    """

    @csp_exempt()
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code == 429:
            response["Cache-Control"] = "no-store"
            return _cors(response)
        response.setdefault("Cache-Control", CACHE_CONTROL)
        if response.status_code == 200:
            if not response.streaming and not response.has_header("ETag"):
                set_response_etag(response)
            response = get_conditional_response(request, etag=response["ETag"], response=response)
        return _cors(response)

    return wrapper


def etag_matches(request: HttpRequest, etag: str) -> bool:
    """Whether If-None-Match names ``etag`` (weak comparison, as for GET): checked before an export
    starts, so a 304 costs nothing."""
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not header:
        return False
    tags = {tag.removeprefix("W/") for tag in parse_etags(header)}
    return "*" in tags or etag.removeprefix("W/") in tags


# --- Methods ninja's routing does not answer ---------------------------------------------------------


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    _cors(response)
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, If-None-Match, Content-Type"
    response["Access-Control-Max-Age"] = "86400"
    response["Allow"] = ALLOWED_METHODS
    return response


def methods(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """GET as routed; HEAD as GET without a body (a streamed export is never started); the CORS
    preflight; any other method 405 in JSON, like every other answer of the API."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if request.method == "OPTIONS":
            return _preflight()
        if request.method not in ("GET", "HEAD"):
            response = json_error(_("This API only reads: use GET (or HEAD)."), status=405)
            response["Allow"] = ALLOWED_METHODS
            return _cors(response)
        if request.method == "GET":
            return view(request, *args, **kwargs)
        request.method = "GET"
        try:
            response = view(request, *args, **kwargs)
        finally:
            request.method = "HEAD"
        if not response.streaming:
            response.content = b""
            return response
        # The export's generator has not started (nothing iterated it), so no query or COPY ran.
        # An empty stream rather than an empty HttpResponse: CommonMiddleware would give that
        # "Content-Length: 0", which for HEAD claims the export is empty.
        headers_only = StreamingHttpResponse(iter(()), status=response.status_code)
        for header, value in response.items():
            headers_only[header] = value
        return headers_only

    return wrapper
