from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import views

app_name = "accounts"

_reset_email = {
    "email_template_name": "accounts/emails/password_reset/body.txt",
    "html_email_template_name": "accounts/emails/password_reset/body.html",
    "subject_template_name": "accounts/emails/password_reset/subject.txt",
    "extra_email_context": {"site_url": settings.SITE_URL},
    "success_url": reverse_lazy("accounts:password_reset_done"),
    "template_name": "accounts/password_reset_form.html",
}

urlpatterns = [
    path("", views.account, name="account"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", views.otp_verify, name="otp_verify"),
    path("second-factor/setup/", views.otp_setup, name="otp_setup"),
    path("second-factor/enrol/<str:token>/", views.otp_enrol, name="otp_enrol"),
    # Applicants' own accounts (SPEC section 13).
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-up/check-email/", views.check_email, name="check_email"),
    path("verify/resend/", views.resend_verification, name="resend_verification"),
    path("verify/<str:token>/", views.verify_email, name="verify_email"),
    path("password-reset/", auth_views.PasswordResetView.as_view(**_reset_email), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
]
