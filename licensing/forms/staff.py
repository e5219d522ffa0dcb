"""Forms of the regulator's dashboard. They clean input into domain values; the services hold the rules."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from licensing.models import Application

REASON_ROWS = 4
_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATE_ERRORS = {"invalid": _("Enter the date as YYYY-MM-DD, for example 2026-03-31.")}


def _textarea(rows: int = REASON_ROWS) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _text(label, *, required_message=None, help_text="", rows: int = REASON_ROWS, max_length: int = 5_000):
    """A paragraph a person writes (a reason, questions, a note); required when it says what is missing."""
    return forms.CharField(
        label=label,
        required=required_message is not None,
        help_text=help_text,
        widget=_textarea(rows),
        max_length=max_length,
        error_messages={"required": required_message} if required_message else {},
    )


class QueueFilterForm(forms.Form):
    """The filters and search above a queue (GET). Bad values are dropped, never an error page."""

    tab = forms.CharField(required=False)
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Reference (APP-7K3Q9-XWD4M), BIN or part of the applicant's name"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    state = forms.ChoiceField(label=_("Status"), required=False)
    license_type = forms.ChoiceField(label=_("License type"), required=False)
    assignee = forms.ChoiceField(label=_("Reviewer"), required=False)
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, assignees=(), license_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Any status"))] + [
            (value, label) for value, label in Application.State.choices if value != Application.State.DRAFT
        ]
        # By code, as in the registry's filters; the view passes the types it read once.
        self.fields["license_type"].choices = [("", _("Any type"))] + [(t.code, str(t)) for t in license_types]
        self.fields["assignee"].choices = [("", _("Anyone")), ("none", _("Nobody (unassigned)"))] + [
            (str(user.pk), user.get_full_name() or user.get_username()) for user in assignees
        ]


class VersionedForm(forms.Form):
    """Every action on a case carries the version of the case its page showed (see ``case_version``)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class PickUpForm(forms.Form):
    # The queue's pick-up buttons carry no version (a row has none); the service refuses a case that
    # is no longer submitted and unassigned, which is all a queue row showed.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class AssignForm(VersionedForm):
    reviewer = forms.ModelChoiceField(label=_("Assign to"), queryset=None, empty_label=_("Choose a reviewer"))

    def __init__(self, *args, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = assignees
        self.fields["reviewer"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class BulkAssignForm(forms.Form):
    cases = forms.TypedMultipleChoiceField(
        label=_("Cases"),
        coerce=int,
        error_messages={"required": _("Tick the cases to assign.")},
    )
    reviewer = forms.ModelChoiceField(
        label=_("Assign the ticked cases to"), queryset=None, empty_label=_("Choose a reviewer")
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, assignees, case_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = assignees
        self.fields["reviewer"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        self.fields["cases"].choices = [(pk, pk) for pk in case_ids]


class DocumentAcceptForm(VersionedForm):
    pass


class DocumentRejectForm(VersionedForm):
    reason = _text(
        _("Why is it rejected?"),
        required_message=_("Say why the document is rejected; the applicant reads it."),
        help_text=_("The applicant reads this and uploads a corrected version."),
        rows=3,
        max_length=2000,
    )


class InformationRequestForm(VersionedForm):
    questions = _text(
        _("Questions to the applicant"),
        required_message=_("Write the questions the applicant must answer."),
        help_text=_("One question per paragraph. The statutory clock stops until the applicant answers."),
        rows=6,
        max_length=10_000,
    )
    deadline = forms.DateField(
        label=_("Answer by"),
        help_text=_("A working day; 20 working days from today unless you choose another."),
        widget=_DATE_WIDGET,
        error_messages=_DATE_ERRORS,
    )

    def __init__(self, *args, default_deadline: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if default_deadline:
            self.fields["deadline"].initial = default_deadline


class ConfirmCompleteForm(VersionedForm):
    pass


class RecommendForm(VersionedForm):
    recommendation = forms.ChoiceField(
        label=_("Your recommendation"),
        choices=Application.Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Recommend either to grant or to refuse the license.")},
    )
    reasons = _text(
        _("Reasons"),
        required_message=_("Give the reasons for the recommendation."),
        help_text=_("The approver decides on these; a refusal's reasons are the basis of the letter to the applicant."),
        rows=6,
        max_length=10_000,
    )


class SecondFactorMixin(forms.Form):
    """A fresh authenticator code, asked for only when the last one is older than allowed."""

    otp_token = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        help_text=_("Deciding actions need a code from the last 10 minutes."),
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": _("Enter the six digits your authenticator app shows now.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "input-short"}),
    )

    def __init__(self, *args, needs_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_code = needs_code
        if needs_code:
            self.fields["otp_token"].required = True
            self.fields["otp_token"].error_messages["required"] = _(
                "Enter the code your authenticator app shows now to confirm this decision."
            )
        else:
            del self.fields["otp_token"]


class ApproveForm(SecondFactorMixin, VersionedForm):
    reasons = _text(_("Reasons for the decision"), max_length=10_000)

    def __init__(self, *args, reasons_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if reasons_required:
            field = self.fields["reasons"]
            field.required = True
            field.help_text = _("The reviewer recommended refusal: say why the license is granted nonetheless.")
            field.error_messages["required"] = _(
                "Give the reasons for granting the license against the recommendation."
            )


class RefuseForm(SecondFactorMixin, VersionedForm):
    reasons = _text(
        _("Reasons for the refusal"),
        required_message=_("Give the reasons for the refusal: the applicant receives them."),
        help_text=_("Sent to the applicant as the grounds of the decision."),
        rows=6,
        max_length=10_000,
    )


class ReturnToReviewForm(VersionedForm):
    reason = _text(
        _("What should the reviewer look at again?"), required_message=_("Say why the case goes back to review.")
    )


class NoteForm(forms.Form):
    body = _text(
        _("Add an internal note"),
        required_message=_("Write the note."),
        help_text=_("Seen by staff only. Notes cannot be edited or removed."),
        rows=3,
        max_length=10_000,
    )


# --- licenses ----------------------------------------------------------------------------------


class LicenseActionForm(SecondFactorMixin):
    seen_event = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = _text(
        _("Reason"),
        required_message=_("Give the reason; it is published in the license's history."),
        help_text=_("Published in the license's public history."),
    )


# --- permitted assets -----------------------------------------------------------------------------


class AssetAddForm(forms.Form):
    symbol = forms.RegexField(
        label=_("Symbol"),
        regex=r"^[A-Za-z0-9.]{1,16}$",
        max_length=16,
        help_text=_("As traded, e.g. BTC or KZTE; up to 16 letters and digits."),
        error_messages={"invalid": _("Use up to 16 letters, digits or dots, e.g. BTC.")},
        widget=forms.TextInput(attrs={"class": "input-short", "autocapitalize": "characters"}),
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    dfa_class = forms.ChoiceField(label=_("DFA class"), widget=forms.RadioSelect)
    effective_on = forms.DateField(
        label=_("Permitted from"),
        widget=_DATE_WIDGET,
        error_messages=_DATE_ERRORS,
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Published in the asset's public history."),
        widget=_textarea(3),
        max_length=2_000,
    )

    def __init__(self, *args, classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dfa_class"].choices = classes

    def clean_symbol(self) -> str:
        return self.cleaned_data["symbol"].upper()


class AssetStatusForm(forms.Form):
    seen_status = forms.CharField(widget=forms.HiddenInput)
    effective_on = forms.DateField(
        label=_("With effect from"),
        widget=_DATE_WIDGET,
        error_messages=_DATE_ERRORS,
    )
    reason = _text(
        _("Reason"),
        required_message=_("Give the reason; it is published in the asset's history."),
        help_text=_("Published in the asset's public history."),
        rows=3,
        max_length=2_000,
    )


# --- the warning list (supervisors) ---------------------------------------------------------------


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class WarningEntryForm(forms.Form):
    """The fields of ``registry.warning_list.services.EDITABLE_FIELDS``; the service checks the values."""

    name = forms.CharField(label=_("Name"), max_length=300, help_text=_("The name the entity uses."))
    other_names = _text(_("Other names"), help_text=_("One per line."), rows=3)
    domains = _text(
        _("Websites"),
        help_text=_("Web addresses or host names, one per line; stored as host names (steppe-crypto.io)."),
        rows=3,
    )
    lei = forms.CharField(
        label=_("LEI"), required=False, max_length=20, widget=forms.TextInput(attrs={"class": "input-medium"})
    )
    home_authority = forms.CharField(label=_("Home authority"), required=False, max_length=300)
    home_country = forms.CharField(
        label=_("Home country"),
        required=False,
        max_length=40,
        help_text=_("Two-letter ISO code, e.g. FR, or several: CY, IE."),
        widget=forms.TextInput(attrs={"class": "input-short"}),
    )
    listed_on = forms.DateField(label=_("Listed on"), widget=_DATE_WIDGET, error_messages=_DATE_ERRORS)
    reason = forms.CharField(label=_("Why it is listed"), required=False, widget=_textarea(3), help_text=_("Public."))
    note = forms.CharField(label=_("Note"), required=False, widget=_textarea(2), help_text=_("Public."))

    def clean_other_names(self) -> list[str]:
        return _lines(self.cleaned_data["other_names"])

    def clean_domains(self) -> list[str]:
        return _lines(self.cleaned_data["domains"])


class WarningEditForm(WarningEntryForm):
    seen = forms.CharField(widget=forms.HiddenInput)
    effective_on = forms.DateField(label=_("With effect from"), widget=_DATE_WIDGET, error_messages=_DATE_ERRORS)
    change_reason = _text(_("Why it changes"), help_text=_("Public, in the entry's history."), rows=2)


class WarningRemoveForm(forms.Form):
    seen = forms.CharField(widget=forms.HiddenInput)
    removed_on = forms.DateField(label=_("Removed on"), widget=_DATE_WIDGET, error_messages=_DATE_ERRORS)
    reason = _text(
        _("Reason"),
        required_message=_("Give the reason; it is published in the entry's history."),
        help_text=_("Published in the entry's history."),
        rows=3,
    )


class WarningImportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Layout of the file"),
        widget=forms.RadioSelect,
        choices=[
            ("esma", _("ESMA interim MiCA register of non-compliant entities (NCASP)")),
            ("csv", _("The portal's own CSV export")),
        ],
        initial="esma",
    )
    file = forms.FileField(label=_("File"), help_text=_("CSV, UTF-8, at most 2 MB."))
