"""The reference of the registry benchmark: a bare Django JSON view, in one module.

Security and common middleware only, no database, no templates, no sessions: what Django and
gunicorn cost before the portal adds anything. bench/registry.py serves it with the same gunicorn
command as the portal, in the same run, so that the portal's detail answers are compared with it
(goal: at least half its requests per second). The security settings are the portal's production
ones behind a TLS proxy, so both answer the same ``X-Forwarded-Proto: https`` requests alike.

    gunicorn bench.bare:application
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

_BODY = b'{"number": "DAX-2026-0001", "status": "active"}'


def bare(request):
    return HttpResponse(_BODY, content_type="application/json")


urlpatterns = [path("bench/bare/", bare)]

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789-abcdefghij"),
    ALLOWED_HOSTS=os.environ.get("ALLOWED_HOSTS", "127.0.0.1").split(","),
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    DATABASES={},
    MIDDLEWARE=["django.middleware.security.SecurityMiddleware", "django.middleware.common.CommonMiddleware"],
    USE_I18N=False,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    SECURE_CONTENT_TYPE_NOSNIFF=True,
    SECURE_REFERRER_POLICY="same-origin",
    SECURE_CROSS_ORIGIN_OPENER_POLICY="same-origin",
)

application = get_wsgi_application()
