"""The real URLs plus ``/bench/bare/``: a Django view returning a fixed JSON body.

It runs through the same middleware and gunicorn as the real pages, so the ratio of a real view's
throughput to this one's shows what the view itself costs.
"""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as real_urlpatterns

_BODY = b'{"number": "DAX-2026-0001", "status": "active"}'


def bare(request):
    return HttpResponse(_BODY, content_type="application/json")


urlpatterns = [path("bench/bare/", bare), *real_urlpatterns]
