import hmac
import ipaddress
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import server_error as html_server_error
from kombu import Connection

from common.http import client_address

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "home.html")


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    token = uuid.uuid4().hex
    cache.set("healthz", token, 10)
    if cache.get("healthz") != token:
        raise RuntimeError("the cache did not return what was just stored")


def _check_broker() -> None:
    # Built from settings on every call (not the Celery app's cached connection) so the check sees
    # the broker as configured now and never hangs longer than the timeout.
    with Connection(
        settings.CELERY_BROKER_URL,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        connect_timeout=2,
    ) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        conn.default_channel  # noqa: B018 - opening a channel proves the transport is usable


CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}


def _may_see_details(request) -> bool:
    """Loopback (the address counted behind trusted proxies) or the bearer of HEALTHZ_TOKEN."""
    try:
        if ipaddress.ip_address(client_address(request)).is_loopback:
            return True
    except ValueError:  # no address at all (a Unix socket): not known to be local
        pass
    token = settings.HEALTHZ_TOKEN
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(offered.encode(), token.encode())


@never_cache
@require_GET
def healthz(request):
    """Liveness of the three things the portal cannot work without (SPEC section 3).

    Everybody learns which part is up or down; timings and error messages, which describe the
    infrastructure, only a monitor on this machine or one holding HEALTHZ_TOKEN.
    """
    report = {}
    healthy = True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # any failure means "down", reported by name
            healthy = False
            logger.warning("healthz: %s is down: %s", name, exc)
            report[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        else:
            report[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if not _may_see_details(request):
        report = {name: {"ok": result["ok"]} for name, result in report.items()}
    body = {"status": "ok" if healthy else "unavailable", "checks": report}
    if not healthy:
        body["failing"] = [name for name, result in report.items() if not result["ok"]]
    return JsonResponse(body, status=200 if healthy else 503)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "The register could not answer this request; try again later."}, status=500)
    return html_server_error(request)
