import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation


class SessionTimeoutMiddleware:
    """Sign out after ``SESSION_IDLE_TIMEOUT`` seconds idle or ``SESSION_COOKIE_AGE`` in all.

    The cookie's own expiry covers the absolute limit only for well-behaved browsers; the server
    keeps both clocks in the session so a copied cookie stops working too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault("_auth_started", now)
            last_seen = request.session.get("_last_seen", now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}&expired=1")
            # Write at most once a minute: a session save per request would cost a query each.
            if now - last_seen >= 60 or "_last_seen" not in request.session:
                request.session["_last_seen"] = now
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in user's stored language wins over the cookie and Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "preferred_language", "") if user and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class StaffSecondFactorMiddleware:
    """With ``STAFF_REQUIRE_2FA`` on, staff must confirm a TOTP code before any staff or admin page."""

    PROTECTED_PREFIXES = ("/staff/", "/admin/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.STAFF_REQUIRE_2FA
            and request.path.startswith(self.PROTECTED_PREFIXES)
            and user.is_authenticated
            and (user.is_staff or user.is_regulator_staff)
            and not user.is_verified()
        ):
            return redirect(f"{reverse('accounts:otp_verify')}?next={request.path}")
        return self.get_response(request)
