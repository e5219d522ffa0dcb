"""The applicant face (SPEC section 13): ``/apply/...``."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from licensing.models import Organization
from licensing.selectors import applications_for_member
from licensing.views.common import case_rows


@login_required
def home(request):
    today = timezone.localdate()
    organizations = Organization.objects.filter(memberships__user=request.user).order_by("legal_name")
    return render(
        request,
        "licensing/applicant_home.html",
        {
            "organizations": organizations,
            "rows": case_rows(applications_for_member(request.user), today),
            "today": today,
        },
    )
