import functools
import uuid

import csp.middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.cache import patch_cache_control

from config.request_context import request_id_var


class RequestIdMiddleware:
    """Give every request an id, echo it in ``X-Request-ID`` and make it available to the audit log.

    The id is always the portal's own: one taken from a client's ``X-Request-ID`` would let the
    client choose what the audit trail records as the request behind an action.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class NoStoreForSignedInMiddleware:
    """Pages seen by a signed-in person are never stored by a browser or a proxy.

    They carry a case, a name or a notice count that belongs to that person; a shared computer's
    back button or a proxy must not show them to the next one. The public API answers the same to
    everybody and keeps its own caching headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            if "Cache-Control" in response:
                del response["Cache-Control"]
            patch_cache_control(response, no_store=True, private=True)
        return response


# The per-response policy parts django-csp's decorators attach (csp_update, csp_replace, csp).
_CSP_RESPONSE_PARTS = (
    *("_csp_config", "_csp_update", "_csp_replace"),
    *("_csp_config_ro", "_csp_update_ro", "_csp_replace_ro"),
)


@functools.cache
def _site_policy(report_only: bool) -> str:
    return build_policy(report_only=report_only)


@receiver(setting_changed)
def _forget_site_policy(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policy.cache_clear()


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the site-wide policy built once per process, not per response.

    django-csp rebuilds the header from the settings on every response: two dataclass copies and a
    pass over every directive, a tenth of the time of a cached register page. A response that uses
    a nonce or a per-view policy (django-csp's decorators) still gets django-csp's own treatment.
    """

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, part, None) is not None for part in _CSP_RESPONSE_PARTS
        ):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:  # as django-csp: Django's debug pages
            return response
        headers = ((False, HEADER, "_csp_exempt"), (True, HEADER_REPORT_ONLY, "_csp_exempt_ro"))
        for report_only, header, exempt in headers:
            policy = _site_policy(report_only)
            if not policy or header in response or getattr(response, exempt, False):
                continue
            setting = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
            excluded = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
            if not request.path_info.startswith(excluded):
                response[header] = policy
        # As django-csp: asking for a nonce once the header is written is an error, not a silent gap.
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
