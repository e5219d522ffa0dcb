"""The in-app inbox (SPEC sections 13 and 14): the same page for applicants and staff."""

from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from notifications import services
from notifications.selectors import notifications_for

PAGE_SIZE = 25


@login_required
def inbox(request):
    page = Paginator(notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


def _local_path(link: str) -> str:
    # Links are stored absolute for e-mails; the inbox follows only their path on this site.
    parts = urlsplit(link)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return path
    return ""


@login_required
def notice_open(request, public_id):
    """Mark the notice read and go to the page where its matter is."""
    notification = get_object_or_404(notifications_for(request.user), public_id=public_id)
    services.notification_mark_read(user=request.user, notification_ids=[notification.pk])
    return redirect(_local_path(notification.link) or "notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    services.notification_mark_read(user=request.user)
    return redirect("notifications:inbox")
