"""Public registry pages: search, a license, verification, the permitted-asset list, the warning list.

Plain function views over ``registry.selectors``; nothing here needs a login and nothing here writes.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from registry import cache as registry_cache
from registry import http, selectors
from registry.forms import DEFAULT_PAGE_SIZE, LicenseSearchForm, VerifyForm
from registry.middleware import mark_shared
from registry.warning_list import selectors as warning_selectors
from registry.warning_list.forms import WarningSearchForm


def _page_query(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return "?" + params.urlencode()


def _is_page_number(value: str | None) -> bool:
    return bool(value) and value.isascii() and value.isdigit() and len(value) <= 9 and int(value) > 0


def _search_data(request: HttpRequest):
    data = request.GET.copy()
    # A mangled page number in a link is not worth an error message: start from the first page.
    for key in ("page", "page_size"):
        if key in data and not _is_page_number(data.get(key)):
            del data[key]
    return data


def _page_of(request: HttpRequest, results, *, page: int | None, page_size: int | None) -> dict:
    """The page of ``results`` asked for (``items``) and what the pagination shows around it."""
    page_size = page_size or DEFAULT_PAGE_SIZE
    count = results.count()
    last_page = max(1, -(-count // page_size))
    # A page past the end (an old link, a hand-edited URL) shows the last one instead.
    page = min(page or 1, last_page)
    offset = (page - 1) * page_size
    return {
        "items": results.page(offset, page_size),
        "count": count,
        "page": page,
        "last_page": last_page,
        "first_shown": offset + 1 if count else 0,
        "last_shown": min(offset + page_size, count),
        "previous_query": _page_query(request, page - 1) if page > 1 else "",
        "next_query": _page_query(request, page + 1) if page < last_page else "",
    }


@require_safe
@http.page_rate_limit
def search(request: HttpRequest) -> HttpResponse:
    data = _search_data(request)
    form = LicenseSearchForm(data)
    examples = selectors.search_examples()
    if examples is not None:
        form.fields["q"].help_text = _("For example: %(name)s, %(bin)s, %(number)s or %(website)s.") % {
            "name": examples.name,
            "bin": examples.bin,
            "number": examples.number,
            "website": examples.website,
        }
    context: dict = {"form": form, "licenses": [], "count": 0}
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.LicenseFilters(
            q=data["q"],
            status=data["status"],
            license_type=data["license_type"],
            activity=data["activity"],
            asset=data["asset"],
        )
        results = selectors.license_search(filters=filters)
        context.update(_page_of(request, results, page=data["page"], page_size=data["page_size"]))
        context.update(
            licenses=context.pop("items"),
            count_is_exact=results.count_is_exact(),
            searched=bool(filters.q or filters.status or filters.license_type or filters.activity or filters.asset),
            query_kind=results.kind,
        )
    return render(request, "registry/search.html", context)


def verification_url(number: str) -> str:
    # SITE_URL, not the request's Host header: a printed certificate must point at the real portal.
    return settings.SITE_URL + reverse("registry:verify") + "?" + urlencode({"number": number})


def _cacheable_page(request: HttpRequest) -> bool:
    """Whether this visitor sees the same page as any other: anonymous, no messages, no query string.

    Such a page holds nothing of the visitor's own, not even a CSRF token: the language switcher,
    its only form, needs none from visitors who are not signed in (accounts.views.set_language).
    """
    return not request.GET and not request.user.is_authenticated and not len(messages.get_messages(request))


@require_safe
def detail(request: HttpRequest, number: str) -> HttpResponse:
    # The rendered page (QR code included) is cached under the register version (registry.cache):
    # a hit costs one cache round trip and no SQL. The key holds all the page depends on besides the
    # license: the language and today's date (the "validity ended" badge and the extract's date).
    # The page a visitor who is not signed in gets is marked shared: registry.middleware keeps the
    # whole response and serves it to the next such visitor before the other middleware run.
    today = timezone.localdate()
    key = version = None
    if _cacheable_page(request):
        key = registry_cache.answer_key("page", get_language() or "", today.isoformat(), number)
        body, version = registry_cache.answer_get(key)
        if body is not None:
            return mark_shared(HttpResponse(body))
    record = selectors.license_get(number=number)
    if record is None:
        raise Http404
    license = record.license
    if number != license.number:
        return redirect("registry:detail", number=license.number, permanent=True)
    url = verification_url(license.number)
    qr = segno.make(url, error="m")
    context = {
        "license": license,
        "activities": record.activities,
        "assets": record.assets,
        "events": record.events,
        "verification_url": url,
        "qr_data_uri": qr.svg_data_uri(scale=4, border=2, dark="#14213d"),
        "today": today,
    }
    if key is None:
        return render(request, "registry/detail.html", context)
    body = render_to_string("registry/detail.html", context, request)
    registry_cache.answer_set(key, version, body)
    return mark_shared(HttpResponse(body))


@require_safe
@http.page_rate_limit
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET if "number" in request.GET else None)
    result = None
    if form.is_bound and form.is_valid():
        result = selectors.license_verify(
            number=form.cleaned_data["number"], bin=form.cleaned_data["bin"], today=timezone.localdate()
        )
    return render(request, "registry/verify.html", {"form": form, "result": result})


# The latest changes to the permitted-asset list on its page; the API gives every asset's whole history.
ASSET_HISTORY_SHOWN = 100


@require_safe
def assets(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registry/assets.html",
        {"classes": selectors.assets_by_class(), "history": list(selectors.asset_history()[:ASSET_HISTORY_SHOWN])},
    )


@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/statistics.html", {"rows": selectors.decision_statistics()})


@require_safe
@http.page_rate_limit
def warnings(request: HttpRequest) -> HttpResponse:
    form = WarningSearchForm(_search_data(request))
    context: dict = {"form": form, "entries": [], "count": 0}
    if form.is_valid():
        data = form.cleaned_data
        filters = warning_selectors.WarningFilters(q=data["q"], status=data["status"])
        results = warning_selectors.warning_search(filters=filters)
        context.update(_page_of(request, results, page=data["page"], page_size=data["page_size"]))
        context.update(entries=context.pop("items"), filters=filters)
    return render(request, "registry/warnings.html", context)


def api_not_found(request: HttpRequest) -> HttpResponse:
    """Any path under /api/ that the API does not have: 404 in JSON, like every answer of the API."""
    return http.json_error(_("There is nothing at this address of the API; see /api/v1/openapi.json."), status=404)
