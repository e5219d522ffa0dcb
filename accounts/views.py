import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor, services
from accounts.forms import (
    AccountLanguageForm,
    LanguageForm,
    ResendVerificationForm,
    SignInForm,
    SignUpForm,
    TokenForm,
)
from common.errors import DomainError


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
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # Without a ``next``, each person lands where their work is.
        if self.request.user.is_authenticated and not self.request.user.is_regulator_staff:
            return reverse("licensing:applicant_home")
        return super().get_default_redirect_url()


def _switch_language(request):
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


_switch_account_language = csrf_protect(_switch_language)


@csrf_exempt
@require_POST
def set_language(request):
    """Switch the interface language; a signed-in user's choice is also stored on the account.

    A visitor who is not signed in switches without a CSRF token: a forged switch could change
    nothing but the language cookie of the browser that sent it. So the switcher on public pages
    carries no token, and those pages set no cookie and are the same for every visitor, which lets
    them be cached whole (registry.views.detail). A signed-in user's choice is stored on the
    account, a write that a forged request must not make: it needs the token, as every POST does.
    """
    if request.user.is_authenticated:
        return _switch_account_language(request)
    return _switch_language(request)


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


# --- applicants' own accounts: sign-up, e-mail verification, account page ------------------------
# Kept apart from the staff second-factor views above.

_CHECK_EMAIL_SESSION_KEY = "accounts:check-email"


def sign_up(request):
    """Open an account with an e-mail address and a password; the address is checked by a link."""
    if request.user.is_authenticated:
        return redirect("licensing:applicant_home")
    initial = {"language": translation.get_language() or settings.LANGUAGE_CODE}
    form = SignUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.account_sign_up(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            language=form.cleaned_data["language"],
        )
        request.session[_CHECK_EMAIL_SESSION_KEY] = form.cleaned_data["email"]
        return redirect("accounts:check_email")
    return render(request, "accounts/sign_up.html", {"form": form})


def check_email(request):
    """ "We sent you a link": where sign-up ends, with a way to have the link sent again."""
    email = request.session.get(_CHECK_EMAIL_SESSION_KEY, "")
    if request.user.is_authenticated:
        email = request.user.email
    form = ResendVerificationForm(initial={"email": email})
    return render(request, "accounts/check_email.html", {"email": email, "form": form})


@require_POST
def resend_verification(request):
    """Send the verification link again. Answers alike for any address (no account discovery)."""
    if request.user.is_authenticated:
        user = request.user
    else:
        form = ResendVerificationForm(request.POST)
        if not form.is_valid():
            return render(request, "accounts/check_email.html", {"email": "", "form": form})
        email = form.cleaned_data["email"].strip().lower()
        request.session[_CHECK_EMAIL_SESSION_KEY] = email
        user = get_user_model().objects.filter(email__iexact=email, email_verified_at__isnull=True).first()
    if user is not None and user.email_verified:
        messages.info(request, _("Your e-mail address is already confirmed."))
        return redirect("accounts:account")
    if user is None or services.email_verification_send(user=user):
        messages.success(request, _("We have sent a new link. It works for 48 hours."))
    else:
        messages.info(request, _("A link was sent less than a minute ago. Please check your inbox and spam folder."))
    return redirect("accounts:check_email")


def verify_email(request, token: str):
    """Follow the link from the e-mail: the address is confirmed, then sign in or carry on."""
    try:
        user = services.email_verify(token=token)
    except DomainError as error:
        return render(request, "accounts/verify_email_failed.html", {"error": error.message}, status=400)
    request.session.pop(_CHECK_EMAIL_SESSION_KEY, None)
    if request.user.is_authenticated and request.user.pk == user.pk:
        messages.success(
            request, _("Thank you: your e-mail address is confirmed. You can now register your organization.")
        )
        return redirect("licensing:applicant_home")
    return render(request, "accounts/verify_email_done.html", {"verified_user": user})


@login_required
def account(request):
    """The account page: e-mail and whether it is confirmed, language of the portal and e-mails."""
    form = AccountLanguageForm(
        request.POST or None,
        initial={"preferred_language": request.user.preferred_language or translation.get_language()},
    )
    if request.method == "POST" and form.is_valid():
        request.user.preferred_language = form.cleaned_data["preferred_language"]
        request.user.save(update_fields=["preferred_language"])
        messages.success(request, _("Your language preference is saved."))
        response = redirect("accounts:account")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            request.user.preferred_language,
            max_age=365 * 24 * 60 * 60,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            httponly=True,
        )
        return response
    return render(request, "accounts/account.html", {"form": form})
