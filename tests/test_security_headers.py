"""Production settings send the security headers and cookie flags SPEC section 12 asks for.

The settings are read from the environment at import time, so the production case runs in a
subprocess with DEBUG=0 and a real SECRET_KEY, exactly as gunicorn would load them.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse

from audit.models import AuditEntry
from audit.services import audit_record
from config.middleware import RequestIdMiddleware

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.urls import reverse
client = Client()
response = client.get("/", secure=True)
# A page with a form of its own: public pages without one set no CSRF cookie at all.
csrf = Client().get(reverse("accounts:login"), secure=True).cookies.get("csrftoken")
print(json.dumps({
    "status": response.status_code,
    "headers": {key.lower(): value for key, value in response.headers.items()},
    "csrf_cookie_secure": bool(csrf and csrf["secure"]),
    "insecure_redirect": client.get("/", secure=False).status_code,
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "session_cookie_age": settings.SESSION_COOKIE_AGE,
    "session_idle_timeout": settings.SESSION_IDLE_TIMEOUT,
    "staff_require_2fa": settings.STAFF_REQUIRE_2FA,
}))
"""


@pytest.fixture(scope="module")
def production_response(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("production-var")
    environment = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="testserver,licensing.example.kz",
        VAR_DIR=str(var_dir),
    )
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collect.returncode == 0, collect.stderr
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert probe.returncode == 0, probe.stderr
    return json.loads(probe.stdout.strip().splitlines()[-1])


def test_production_sends_a_strict_content_security_policy(production_response):
    policy = production_response["headers"]["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())

    assert production_response["status"] == 200
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "'unsafe-inline'" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_production_sends_referrer_opener_hsts_and_nosniff(production_response):
    headers = production_response["headers"]

    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_production_redirects_plain_http_and_marks_cookies_secure(production_response):
    assert production_response["insecure_redirect"] == 301
    assert production_response["csrf_cookie_secure"] is True
    assert production_response["session_cookie_secure"] is True
    assert production_response["session_cookie_httponly"] is True


def test_production_sessions_last_twelve_hours_with_thirty_minutes_idle(production_response):
    assert production_response["session_cookie_age"] == 12 * 60 * 60
    assert production_response["session_idle_timeout"] == 30 * 60
    assert production_response["staff_require_2fa"] is True


def test_every_response_carries_a_request_id_of_the_portals_own(client):
    first, second = client.get("/"), client.get("/")

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.parametrize("sent", ["abc12345-trace", "<script>alert(1)</script>"])
def test_a_request_id_sent_by_the_client_is_not_taken(client, sent):
    response = client.get("/", HTTP_X_REQUEST_ID=sent)

    assert response["X-Request-ID"] != sent
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_the_audit_records_the_portals_request_id_not_the_clients(rf):
    subject = Group.objects.create(name="audited")

    def view(request):
        with transaction.atomic():
            audit_record(actor=None, action="test.request", obj=subject)
        return HttpResponse()

    response = RequestIdMiddleware(view)(rf.get("/", HTTP_X_REQUEST_ID="forged-request-id-0001"))

    entry = AuditEntry.objects.get(action="test.request")
    assert entry.request_id == response["X-Request-ID"]
    assert entry.request_id != "forged-request-id-0001"


@pytest.mark.django_db
def test_session_ends_after_thirty_idle_minutes(client, django_user_model):
    user = django_user_model.objects.create_user("idle-user", password="a-long-password-123")
    with time_machine.travel("2026-11-25 09:00 +05:00", tick=False) as traveller:
        client.force_login(user)
        assert client.get(reverse("home")).context["user"].is_authenticated
        traveller.shift(29 * 60)
        assert client.get(reverse("home")).context["user"].is_authenticated
        traveller.shift(31 * 60)
        response = client.get(reverse("home"))

    assert response.status_code == 302
    assert "expired=1" in response["Location"]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_session_ends_after_twelve_hours_even_when_active(client, django_user_model):
    user = django_user_model.objects.create_user("busy-user", password="a-long-password-123")
    with time_machine.travel("2026-11-25 08:00 +05:00", tick=False) as traveller:
        client.force_login(user)
        for _ in range(47):  # a request every 15 minutes for 11 h 45 min: never idle
            traveller.shift(15 * 60)
            assert client.get(reverse("home")).context["user"].is_authenticated
        traveller.shift(20 * 60)
        response = client.get(reverse("home"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
