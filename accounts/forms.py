from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Enter the six digits your authenticator app shows now.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


# --- applicants' own accounts (sign-up, sign-in by e-mail, language) ------------------------------


class SignInForm(AuthenticationForm):
    """Django's sign-in form; applicants sign in with the e-mail address they signed up with."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("E-mail address or user name")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})

    def clean_username(self):
        # Accounts opened on the portal use the address, in lower case, as their user name.
        username = self.cleaned_data["username"].strip()
        return username.lower() if "@" in username else username


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send a link to this address to check it is yours. Use your work address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address in the correct format, like name@example.kz."),
        },
    )
    password = forms.CharField(
        label=_("Create a password"),
        strip=False,
        help_text=_("At least 12 characters. Not a common password, not only numbers, not like your e-mail address."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Enter a password.")},
    )
    password_again = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type the password again to confirm it.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the portal and of its e-mails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", _("The two passwords are different. Type the same password twice."))
        if password and "email" in cleaned:
            candidate = get_user_model()(username=cleaned["email"], email=cleaned["email"])
            try:
                password_validation.validate_password(password, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the e-mail address you signed up with."),
            "invalid": _("Enter an e-mail address in the correct format, like name@example.kz."),
        },
    )


class AccountLanguageForm(forms.Form):
    preferred_language = forms.ChoiceField(
        label=_("Language of the portal and of its e-mails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )
