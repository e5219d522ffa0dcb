"""Who is asking: the client's address, as the API rate limit and the sign-in lockout count it."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

__all__ = ["client_address"]


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind trusted reverse proxies the address the outermost one saw.

    Each of the API_TRUSTED_PROXY_COUNT proxies appends the address it received from to
    X-Forwarded-For, so the entry that many hops from the right was written by our outermost proxy;
    anything left of it is whatever the client chose to send. A header with fewer entries did not
    come through all of them, and is not believed; neither is an entry that is not an address.
    """
    proxies = settings.API_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies and _is_address(forwarded[-proxies]):
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or ""


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
