"""A license's public page and API answer, served whole before the rest of the middleware runs.

Both are the same for every visitor who is not signed in: nothing in them belongs to the visitor
(the page has no CSRF token: ``accounts.views.set_language``), only the language, the host (the
API's ``url``), the day and the register differ. The views cache their body under the register
version (``registry.cache``); this middleware keeps the whole response they produced, with every header
the inner middleware added (Content-Security-Policy, framing, Vary, Content-Language, ETag,
Cache-Control, CORS), and serves it to the next such visitor without running sessions, CSRF,
authentication, the second factor, messages, CSP and lockout again to produce the same bytes. In
the process a hit went from 0.25-0.36 ms to 0.08 ms, what the bare Django view costs; under
bench/registry.py's load the answers went from 0.31-0.50 to 0.72-0.82 times its requests a second.

It sits after SecurityMiddleware, so the HTTPS redirect and HSTS still apply, and serves only
what it stored itself from a response the whole stack made. An answer is kept under the register
version read before the request went in, so a register change while it was made leaves it
unreachable, and any later change makes every kept answer unreachable, as for the views' own.

Who is served from here: GET without a query string, and without cookies other than the language
and CSRF ones (a session cookie may be a signed-in person, whose pages show their name; a messages
cookie carries their notices). The API's rate limit applies to these answers as to any other.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language_from_request

from common.http import client_address
from registry import cache as registry_cache
from registry import http, selectors

# /registry/<number>/ and /api/v1/licenses/<number>/; only canonical numbers (upper case) are kept,
# the others redirect or 404.
_PATHS = re.compile(r"^/(registry|api/v1/licenses)/([^/]+)/$")


def _canonical_number(number: str) -> bool:
    return bool(selectors.LICENSE_NUMBER.match(number)) and number.isupper()


def mark_shared(response: HttpResponseBase) -> HttpResponseBase:
    """Called by a view whose answer is the same for every visitor who is not signed in."""
    response.registry_shared = True  # type: ignore[attr-defined]
    return response


class SharedAnswerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.harmless_cookies = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        match = _PATHS.match(request.path_info)
        if (
            match is None
            or not _canonical_number(match.group(2))
            or request.method != "GET"
            or request.META.get("QUERY_STRING")
            or not self.harmless_cookies.issuperset(request.COOKIES)
        ):
            return self.get_response(request)
        api = match.group(1) != "registry"
        language = get_language_from_request(request)
        # All an answer depends on besides the register: the language, the host (the API's ``url``),
        # and the day (the page's "validity ended" badge and the extract's date).
        key = registry_cache.answer_key(
            "shared",
            language,
            timezone.localdate().isoformat(),
            request.scheme or "",
            request.get_host(),
            request.path,
        )
        stored, version = registry_cache.answer_get(key)
        if stored is not None and (not api or self._within_rate_limit(request)):
            content, headers = stored
            response = HttpResponse(content, headers=headers)
            answer = get_conditional_response(request, etag=response.get("ETag"), response=response)
            if answer is not response:  # 304: with the headers the API's own 304 carries (CORS...)
                for name, value in headers.items():
                    if name.lower() not in ("content-length", "content-type"):
                        answer.headers.setdefault(name, value)
            return answer
        response = self.get_response(request)
        if (
            getattr(response, "registry_shared", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            registry_cache.answer_set(key, version, (response.content, dict(response.items())))
        return response

    @staticmethod
    def _within_rate_limit(request: HttpRequest) -> bool:
        wait = http.retry_after(scope="api", client=client_address(request), limit=settings.API_RATE_LIMIT)
        # Counted once: beyond the limit the request goes on to the API, whose throttle reuses this.
        request.api_rate_wait = wait  # type: ignore[attr-defined]
        return wait is None
