"""The regulator's dashboard (SPEC section 14): ``/staff/...``."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from licensing.selectors import applications_for_staff
from licensing.views.common import case_rows

STAFF_SCOPES = ("mine", "unassigned", "all")


@login_required
def queue(request):
    if not request.user.is_regulator_staff:
        raise Http404  # the staff area does not exist for anyone else
    scope = request.GET.get("scope", "mine")
    if scope not in STAFF_SCOPES:
        scope = "mine"
    today = timezone.localdate()
    return render(
        request,
        "licensing/staff_queue.html",
        {"rows": case_rows(applications_for_staff(request.user, scope=scope), today), "scope": scope, "today": today},
    )
