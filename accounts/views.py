import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor
from accounts.forms import LanguageForm, TokenForm
from registry.errors import DomainError


def _safe_next(request, fallback: str = "/") -> str:
    """Where to go next: ``next``, else the fallback, whichever is first on this site; else home."""
    for target in (request.POST.get("next") or request.GET.get("next") or "", fallback):
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
    return "/"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@require_POST
def set_language(request):
    """Switch the interface language; a signed-in user's choice is also stored on the account."""
    form = LanguageForm(request.POST)
    response = HttpResponseRedirect(_safe_next(request, request.headers.get("Referer") or "/"))
    if not form.is_valid():
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated and request.user.preferred_language != language:
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 60 * 60,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        httponly=True,
    )
    return response


@login_required
def otp_verify(request):
    """Second step of a staff sign-in: a TOTP code from a confirmed device."""
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"{reverse('accounts:otp_setup')}?next={_safe_next(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            second_factor.note_code_confirmed(request)
            return redirect(_safe_next(request))
        form.add_error("token", _("That code is not valid now. Check your device's clock and try the next code."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request)})


_ENROLMENT_DEVICE = "otp_enrolment_device"


def _enrolment_device(request) -> TOTPDevice | None:
    """The authenticator this browser session started to set up from an enrolment link, if any."""
    device_id = request.session.get(_ENROLMENT_DEVICE)
    if device_id is None:
        return None
    return TOTPDevice.objects.filter(pk=device_id, user=request.user, confirmed=False).first()


@login_required
def otp_setup(request):
    """Set up an authenticator: only after opening the single-use link sent to the account's e-mail.

    Without that link the page offers to send it; it never shows a secret to a password alone.
    """
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        messages.info(request, _("Your authenticator app is already set up."))
        return redirect("accounts:otp_verify")
    device = _enrolment_device(request)
    if device is None:
        return _otp_request_link(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.second_factor_confirm(request=request, device=device, token=form.cleaned_data["token"]):
            request.session.pop(_ENROLMENT_DEVICE, None)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(_safe_next(request, reverse("licensing:staff_queue")))
        form.add_error("token", _("That code does not match. Scan the code again and enter the newest six digits."))
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
    return render(request, "accounts/otp_setup.html", {"form": form, "qr": qr, "next": _safe_next(request)})


def _otp_request_link(request):
    if request.method == "POST":
        try:
            second_factor.second_factor_enrolment_send(user=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("We sent a set-up link to your e-mail address. Open it in this browser."))
        return redirect("accounts:otp_setup")
    return render(request, "accounts/otp_request_link.html", {"email": _masked(request.user.email)})


def _masked(email: str) -> str:
    """``aigerim@nationalbank.kz`` -> ``ai•••••@nationalbank.kz``: enough to recognise one's own address."""
    local, at, domain = email.partition("@")
    if not at:
        return ""
    return local[:2] + "•" * max(len(local) - 2, 3) + at + domain


@login_required
def otp_enrol(request, token: str):
    """The link from the e-mail: a button starts the set-up (a GET alone spends nothing, so mail
    scanners that open links cannot use it up)."""
    if request.method == "POST":
        try:
            device = second_factor.second_factor_enrolment_start(user=request.user, token=token)
        except DomainError as exc:
            return render(request, "accounts/otp_enrol.html", {"problem": exc.message}, status=410)
        request.session[_ENROLMENT_DEVICE] = device.pk
        return redirect("accounts:otp_setup")
    return render(request, "accounts/otp_enrol.html", {})
