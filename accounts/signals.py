import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    """The 12-hour limit counts from sign-in, not from the first page after it."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session["_auth_started"] = now
        request.session["_last_seen"] = now
