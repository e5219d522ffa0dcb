"""Forms of the applicant face. They turn what a person typed into domain values; rules stay in services."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from common.domains import split_hosts
from licensing.models import KeyPerson, Membership
from licensing.services.answers import ATTACHMENT_FORMATS, MAX_ATTACHMENTS
from licensing.services.drafts import BUSINESS_SUMMARY_MAX_LENGTH

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _text(label, *, required=True, help_text="", max_length=300, autocomplete="", css="", **messages):
    attrs = {"autocomplete": autocomplete} if autocomplete else {}
    if css:
        attrs["class"] = css
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.TextInput(attrs=attrs),
        error_messages={"max_length": _("Shorten this to %(limit_value)d characters."), **messages},
    )


class OrganizationCreateForm(forms.Form):
    legal_name = _text(
        _("Legal name"),
        help_text=_("As registered, e.g. «Steppe Digital Exchange» АҚ."),
    )
    bin = _text(
        _("BIN (business identification number)"),
        help_text=_("12 digits, from the certificate of state registration."),
        max_length=20,
        css="input-medium",
    )
    lei = _text(
        _("LEI (legal entity identifier)"),
        required=False,
        help_text=_("20 characters, if your organization has one."),
        max_length=30,
        css="input-medium",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_name"].error_messages["required"] = _("Enter the organization's legal name.")
        self.fields["bin"].error_messages["required"] = _("Enter the organization's 12-digit BIN.")
        self.fields["bin"].widget.attrs.update({"inputmode": "numeric", "spellcheck": "false"})
        self.fields["lei"].widget.attrs.update({"spellcheck": "false"})

    def clean_bin(self):
        return "".join(self.cleaned_data["bin"].split())

    def clean_lei(self):
        return "".join(self.cleaned_data["lei"].split()).upper()


class OrganizationDetailsForm(forms.Form):
    legal_name = _text(_("Legal name"), help_text=_("As registered, in Kazakh or Russian."))
    latin_name = _text(
        _("Name in Latin letters"),
        required=False,
        help_text=_("As on your LEI record or English documents, e.g. Steppe Digital Exchange JSC."),
    )
    trading_names = forms.CharField(
        label=_("Trading names"),
        required=False,
        help_text=_("Brand names you trade under, one per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    lei = _text(
        _("LEI (legal entity identifier)"),
        required=False,
        help_text=_("20 characters, if your organization has one."),
        max_length=30,
        css="input-medium",
    )
    registered_address = forms.CharField(
        label=_("Registered address"),
        max_length=500,
        help_text=_("Street, building, city and postcode, as in the state registration."),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        error_messages={"required": _("Enter the registered address.")},
    )
    website = _text(
        _("Website"),
        required=False,
        help_text=_("The address of your main website, e.g. steppe-exchange.kz."),
        max_length=300,
        css="input-medium",
    )
    other_domains = forms.CharField(
        label=_("Other domains"),
        required=False,
        help_text=_("Other web addresses you operate under, one per line."),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail address"),
        help_text=_("Where the National Bank writes about your applications."),
        error_messages={
            "required": _("Enter a contact e-mail address."),
            "invalid": _("Enter an e-mail address in the correct format, like compliance@example.kz."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    contact_phone = _text(_("Contact phone"), required=False, max_length=32, autocomplete="tel", css="input-medium")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_name"].error_messages["required"] = _("Enter the organization's legal name.")

    def clean_lei(self):
        return "".join(self.cleaned_data["lei"].split()).upper()

    def clean_trading_names(self):
        return [line.strip() for line in self.cleaned_data["trading_names"].splitlines() if line.strip()]

    def clean_other_domains(self):
        # Normalised (and refused, at this field) by the service, which knows the stored form.
        return split_hosts(self.cleaned_data["other_domains"])


def parse_kzt(text: str) -> int | None:
    """A sum in tenge as people write it: spaces, non-breaking spaces, commas or dots between thousands."""
    cleaned = "".join(ch for ch in text if ch not in " \u00a0\u202f,_'")
    if cleaned.endswith(".00"):
        cleaned = cleaned[:-3]
    cleaned = cleaned.replace(".", "")
    return int(cleaned) if cleaned.isdigit() else None


class BusinessForm(forms.Form):
    paid_up_capital_kzt = forms.CharField(
        label=_("Paid-up share capital, in tenge (KZT)"),
        help_text=_("As on the bank statement you upload as proof, e.g. 1 500 000 000."),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-medium", "spellcheck": "false"}),
        error_messages={"required": _("Enter the paid-up share capital in tenge.")},
    )
    business_summary = forms.CharField(
        label=_("Business summary"),
        max_length=BUSINESS_SUMMARY_MAX_LENGTH,
        help_text=_(
            "In a few paragraphs: the services you will offer, to whom (retail or professional clients, "
            "in Kazakhstan or abroad), how you will reach them, and when you plan to start."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Describe the business you plan in a few paragraphs."),
            "max_length": _("Shorten the summary to %(limit_value)d characters (it has %(show_value)d)."),
        },
    )

    def clean_paid_up_capital_kzt(self):
        value = parse_kzt(self.cleaned_data["paid_up_capital_kzt"])
        if value is None:
            raise forms.ValidationError(_("Enter the capital as a whole number of tenge, like 1 500 000 000."))
        return value


class ActivitiesForm(forms.Form):
    activities = forms.MultipleChoiceField(
        label=_("Which services will you offer?"),
        help_text=_("Select all that apply. The license type follows from the services you choose."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one service.")},
    )

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].choices = [(a.code, a.name) for a in activities]


class AssetsForm(forms.Form):
    assets = forms.MultipleChoiceField(
        label=_("Which digital assets will you deal in?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, assets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assets"].choices = [(a.symbol, f"{a.symbol} · {a.name}") for a in assets]


def _share(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ".").rstrip("%").strip())
    except InvalidOperation:
        raise forms.ValidationError(_("Enter the share as a number, like 25 or 33.33.")) from None
    if not value.is_finite() or value <= 0 or value > 100:
        raise forms.ValidationError(_("Enter a share more than 0 and at most 100."))
    if value != value.quantize(Decimal("0.01")):
        raise forms.ValidationError(_("Give the share with at most two decimal places, like 33.33."))
    return value


class BeneficialOwnerForm(forms.Form):
    full_name = _text(_("Full name"), max_length=200, autocomplete="off")
    share_percent = forms.CharField(
        label=_("Share, %"),
        max_length=10,
        help_text=_("Direct and indirect ownership together, e.g. 25 or 33.33."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-short"}),
        error_messages={"required": _("Enter the owner's share in per cent.")},
    )
    country = forms.ChoiceField(
        label=_("Country of residence"),
        error_messages={"required": _("Choose the country where the owner lives.")},
    )
    is_politically_exposed = forms.ChoiceField(
        label=_("Is this person politically exposed?"),
        help_text=_(
            "A person who holds or held a prominent public function in the last 12 months, such as a minister, "
            "member of parliament, judge or head of a state company, or their close family."
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether this person is politically exposed.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].error_messages["required"] = _("Enter the owner's full name.")
        self.fields["country"].choices = [("", _("Choose a country")), *countries]

    def clean_share_percent(self):
        return _share(self.cleaned_data["share_percent"])

    def clean_is_politically_exposed(self):
        return self.cleaned_data["is_politically_exposed"] == "yes"


class KeyPersonForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("Choose a role")), *KeyPerson.Role.choices],
        error_messages={"required": _("Choose the person's role.")},
    )
    full_name = _text(_("Full name"), max_length=200, autocomplete="off")
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        error_messages={"invalid": _("Enter an e-mail address in the correct format, like name@example.kz.")},
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].error_messages["required"] = _("Enter the person's full name.")


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Colleague's e-mail address"),
        help_text=_("We send them a link that works once, for 7 days."),
        error_messages={
            "required": _("Enter your colleague's e-mail address."),
            "invalid": _("Enter an e-mail address in the correct format, like name@example.kz."),
        },
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=_("What may they do?"),
        choices=[
            (Membership.Role.MEMBER, _("Member: work on applications")),
            (Membership.Role.OWNER, _("Owner: also invite and remove people")),
        ],
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
    )


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Choose the file"),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file is empty. Choose the file again."),
            "invalid": _("The file could not be read. Choose it again."),
        },
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern for ``<input type=file multiple>``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class AnswerForm(forms.Form):
    response = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write your answer to the questions.")},
    )
    attachments = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_("Up to %(count)d files: %(formats)s.")
        % {"count": MAX_ATTACHMENTS, "formats": ", ".join(code.upper() for code in ATTACHMENT_FORMATS)},
    )


class ConfirmForm(forms.Form):
    """A confirmation step: one checkbox the person ticks (withdraw, delete a draft)."""

    confirm = forms.BooleanField(
        error_messages={"required": _("Tick the box to confirm.")},
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclarationForm(forms.Form):
    declaration = forms.BooleanField(
        label=_(
            "I declare that the information in this application and its documents is true and complete, and I "
            "am authorised by the organization to submit it."
        ),
        error_messages={"required": _("Tick the declaration to submit the application.")},
    )
