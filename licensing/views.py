"""The applicant's and the staff's case lists: where the home page's two doors lead.

The forms that change a case come with the applicant and staff faces; these pages read only.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from licensing.models import Organization
from licensing.selectors import application_clock, applications_for_member, applications_for_staff, next_deadline
from licensing.workdays import CalendarNotCovered


def _rows(applications, today) -> list[dict]:
    rows = []
    for application in applications:
        try:
            deadline = next_deadline(application_clock(application, today=today))
        except CalendarNotCovered as exc:
            # One case's deadline reaching a year without holidays must not take the whole list down.
            rows.append(
                {
                    "application": application,
                    "deadline": None,
                    "overdue_by": 0,
                    "deadline_unknown": _("deadline unknown: the holiday calendar lacks %(year)s") % {"year": exc.year},
                }
            )
            continue
        overdue_by = -deadline.status.days_left if deadline and deadline.status.days_left < 0 else 0
        rows.append({"application": application, "deadline": deadline, "overdue_by": overdue_by})
    return rows


@login_required
def applicant_home(request):
    today = timezone.localdate()
    organizations = Organization.objects.filter(memberships__user=request.user).order_by("legal_name")
    return render(
        request,
        "licensing/applicant_home.html",
        {"organizations": organizations, "rows": _rows(applications_for_member(request.user), today), "today": today},
    )


STAFF_SCOPES = ("mine", "unassigned", "all")


@login_required
def staff_queue(request):
    if not request.user.is_regulator_staff:
        raise Http404  # the staff area does not exist for anyone else
    scope = request.GET.get("scope", "mine")
    if scope not in STAFF_SCOPES:
        scope = "mine"
    today = timezone.localdate()
    return render(
        request,
        "licensing/staff_queue.html",
        {"rows": _rows(applications_for_staff(request.user, scope=scope), today), "scope": scope, "today": today},
    )
