"""Forms of the public registry: the search box with its filters, and license verification.

The JSON API validates its parameters with the same search form, so a page and the API refuse the
same input with the same message.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.models import Activity, DigitalAsset, License, LicenseType

MAX_QUERY_LENGTH = 200
MAX_PAGE = 1_000_000_000
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 20


class _CodeChoiceField(forms.ModelChoiceField):
    """A reference choice by code; labels follow the visitor's language through ``.name``."""

    def label_from_instance(self, obj) -> str:
        return obj.name

    def to_python(self, value):
        # NUL characters and overlong values never reach the database (PostgreSQL refuses NUL).
        if value and ("\x00" in str(value) or len(str(value)) > 64):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class LicenseSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, BIN, license number or website"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        help_text=_("A company name in any script, a 12-digit BIN, a license number or type (DAX), or a website."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *License.Status.choices]
    )
    license_type = _CodeChoiceField(
        label=_("License type"),
        required=False,
        queryset=LicenseType.objects.all(),
        to_field_name="code",
        empty_label=_("Any type"),
    )
    activity = _CodeChoiceField(
        label=_("Activity"),
        required=False,
        queryset=Activity.objects.all(),
        to_field_name="code",
        empty_label=_("Any activity"),
    )
    asset = _CodeChoiceField(
        label=_("Digital asset"),
        required=False,
        queryset=DigitalAsset.objects.all(),
        to_field_name="symbol",
        empty_label=_("Any asset"),
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE, widget=forms.HiddenInput)

    def clean_q(self) -> str:
        q = " ".join(self.cleaned_data["q"].split())
        if q and len(q) < 2:
            raise forms.ValidationError(_("Enter at least two characters."), code="min_length")
        return q

    def first_error(self) -> tuple[str, str]:
        """(parameter, message) of the first problem, for the API's one-line answer."""
        for field, errors in self.errors.items():
            return field, str(errors[0])
        return "", ""


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("License number"),
        max_length=40,
        help_text=_("As printed on the license, for example DAX-2026-0001."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    bin = forms.CharField(
        label=_("BIN of the holder (optional)"),
        required=False,
        max_length=12,
        min_length=12,
        help_text=_("12 digits. Checks that the license belongs to the company you deal with."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip().upper()

    def clean_bin(self) -> str:
        value = self.cleaned_data["bin"].strip()
        if value and not value.isdigit():
            raise forms.ValidationError(_("A BIN has 12 digits."), code="invalid")
        return value
