"""The public warning list's search box; the API validates its parameters with the same form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.forms import MAX_PAGE, MAX_PAGE_SIZE, MAX_QUERY_LENGTH, LicenseSearchForm


class WarningSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or website"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_("For example: Steppe Crypto, or a web address such as https://www.steppe-crypto.io/offer."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("active", _("On the list now")),
            ("removed", _("Removed from the list")),
            ("all", _("All, including removed")),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE, widget=forms.HiddenInput)

    # The same rules and the same one-line API refusal as the license search.
    clean_q = LicenseSearchForm.clean_q
    first_error = LicenseSearchForm.first_error

    def clean_status(self) -> str:
        return self.cleaned_data["status"] or "active"
