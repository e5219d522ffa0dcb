"""Every page of the faces, for the tests that look at all of them in every language.

``test_pages_in_every_language.py`` reads each in Kazakh and Russian for English left untranslated;
``browser/test_accessibility.py`` runs axe-core on each in all three languages. Both use the demo data
(``seed_demo``), signed in as the demo user named. To cover a new page, add one line to ``PAGES``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from io import StringIO

from django.core.management import call_command

DEMO_PASSWORD = "demo-password-for-tests"


def _license(status: str) -> Callable[[], str]:
    def number() -> str:
        from registry.models import License

        return License.objects.filter(status=status).order_by("number").values_list("number", flat=True)[0]

    return number


def _detail(status: str) -> Callable[[], str]:
    return lambda: f"/registry/{_license(status)()}/"


def _verify(status: str, *, bin: str = "") -> Callable[[], str]:
    return lambda: f"/registry/verify/?number={_license(status)()}" + (f"&bin={bin}" if bin else "")


def _organization(username: str = "applicant"):
    from licensing.models import Organization

    return Organization.objects.filter(memberships__user__username=username).order_by("pk").first()


def _organization_page(suffix: str = "") -> Callable[[], str]:
    return lambda: f"/apply/organizations/{_organization().public_id}/{suffix}"


def _application(state: str, username: str = "applicant"):
    from licensing.models import Application

    return Application.objects.filter(organization=_organization(username), state=state).order_by("pk").first()


def _case(state: str, suffix: str = "", *, username: str = "applicant") -> Callable[[], str]:
    return lambda: f"/apply/{_application(state, username).reference}/{suffix}"


def _first_document_slot() -> str:
    draft = _application("draft")
    code = draft.license_type.document_requirements.filter(per_key_person=False).order_by("position").first().code
    return f"/apply/{draft.reference}/documents/{code}/"


def _open_request() -> str:
    from licensing.models import InformationRequest

    case = _application("information_requested")
    request = InformationRequest.objects.filter(application=case, state="open").order_by("pk").first()
    return f"/apply/{case.reference}/requests/{request.public_id}/"


def _owner_form() -> str:
    owner = _organization().beneficial_owners.order_by("pk").first()
    return f"/apply/organizations/{_organization().public_id}/owners/{owner.public_id}/"


def _staff_case(state: str, suffix: str = "") -> Callable[[], str]:
    def path() -> str:
        from licensing.models import Application

        case = Application.objects.filter(state=state).order_by("pk").first()
        return f"/staff/cases/{case.reference}/{suffix}"

    return path


def _staff_license(suffix: str = "") -> Callable[[], str]:
    return lambda: f"/staff/licenses/{_license('active')()}/{suffix}"


def _warning_entry(suffix: str = "") -> str:
    from registry.models import WarningEntry

    return f"/staff/warnings/{WarningEntry.objects.filter(status='active').order_by('pk').first().pk}/{suffix}"


def _team_reset() -> str:
    from accounts.models import User

    return f"/staff/team/{User.objects.get(username='reviewer').pk}/second-factor/"


@dataclass(frozen=True)
class Page:
    name: str
    path: str | Callable[[], str]  # a callable is asked after seeding, for ids the data decides
    user: str | None = None  # the demo user signed in, or anonymous
    post: dict[str, str] | None = None  # a form sent to the page (to show its errors)
    status: int = 200
    tags: tuple[str, ...] = field(default=())

    def url(self) -> str:
        return self.path() if callable(self.path) else self.path


PAGES = [
    Page("home", "/"),
    Page("home, signed in", "/", user="applicant"),
    Page("sign-in", "/accounts/login/"),
    Page("sign-in refused", "/accounts/login/", post={"username": "applicant", "password": "not-the-password"}),
    Page("sign-in with empty fields", "/accounts/login/", post={"username": "", "password": ""}),
    Page("second factor: set up", "/accounts/second-factor/setup/", user="reviewer"),
    Page("second factor: code", "/accounts/second-factor/", user="supervisor"),
    Page("second factor: wrong code", "/accounts/second-factor/", user="supervisor", post={"token": "12"}),
    Page("registry", "/registry/"),
    Page("registry: results", "/registry/?status=active"),
    Page("registry: nothing found", "/registry/?q=Zzyzx"),
    Page("registry: query too short", "/registry/?q=x"),
    Page("license, active", _detail("active")),
    Page("license, suspended", _detail("suspended")),
    Page("license, revoked", _detail("revoked")),
    Page("verify", "/registry/verify/"),
    Page("verify: in force", _verify("active")),
    Page("verify: not in force", _verify("expired")),
    Page("verify: another company's", _verify("active", bin="241240005673")),
    Page("verify: no such license", "/registry/verify/?number=DAX-1999-0001"),
    Page("verify: empty number", "/registry/verify/?number=&bin=12"),
    Page("permitted assets", "/registry/assets/"),
    Page("statistics", "/registry/statistics/"),
    Page("warning list", "/registry/warnings/"),
    # The applicant face (SPEC 13).
    Page("sign-up", "/accounts/sign-up/"),
    Page("sign-up refused", "/accounts/sign-up/", post={"email": "x", "password": "short", "password_again": "other"}),
    Page("check your e-mail", "/accounts/sign-up/check-email/"),
    Page("password reset", "/accounts/password-reset/"),
    Page("password reset sent", "/accounts/password-reset/sent/"),
    Page("account", "/accounts/", user="applicant"),
    Page("password change", "/accounts/password/", user="applicant"),
    Page("applications", "/apply/", user="applicant"),
    Page("licenses", "/apply/licenses/", user="applicant"),
    Page("organization: register", "/apply/organizations/new/", user="applicant"),
    Page(
        "organization: register refused",
        "/apply/organizations/new/",
        user="applicant",
        post={"legal_name": "", "bin": "12"},
    ),
    Page("organization profile", _organization_page(), user="applicant"),
    Page("organization details", _organization_page("details/"), user="applicant"),
    Page("beneficial owners", _organization_page("owners/"), user="applicant"),
    Page("beneficial owner: add", _organization_page("owners/add/"), user="applicant"),
    Page("beneficial owner: change", _owner_form, user="applicant"),
    Page("key persons", _organization_page("key-persons/"), user="applicant"),
    Page("key person: add", _organization_page("key-persons/add/"), user="applicant"),
    Page("people", _organization_page("people/"), user="applicant"),
    Page("draft: task list", _case("draft"), user="applicant"),
    Page("draft: services", _case("draft", "services/"), user="applicant"),
    Page("draft: assets", _case("draft", "assets/"), user="applicant"),
    Page("draft: capital and summary", _case("draft", "business/"), user="applicant"),
    Page("draft: documents", _case("draft", "documents/"), user="applicant"),
    Page("draft: one document", _first_document_slot, user="applicant"),
    Page("draft: check and submit", _case("draft", "check/"), user="applicant"),
    Page("draft: delete", _case("draft", "delete/"), user="applicant"),
    Page("case, submitted", _case("submitted", username="applicant2"), user="applicant2"),
    Page("case, information requested", _case("information_requested"), user="applicant"),
    Page("case: answer the request", _open_request, user="applicant"),
    Page("case: withdraw", _case("submitted", "withdraw/", username="applicant2"), user="applicant2"),
    Page("case, withdrawn", _case("withdrawn", username="applicant2"), user="applicant2"),
    Page("case, under review", _case("under_review", username="applicant4"), user="applicant4"),
    Page("case, lapsed", _case("lapsed", username="applicant3"), user="applicant3"),
    Page("case, approved", _case("approved"), user="applicant"),
    Page("case, refused", _case("refused", username="applicant4"), user="applicant4"),
    # The regulator's dashboard (SPEC 14).
    Page("case queue", "/staff/?scope=all", user="supervisor"),
    Page("case queue, reviewer", "/staff/", user="reviewer"),
    Page("case queue, approver", "/staff/", user="approver"),
    Page("staff case, completeness check", _staff_case("completeness_check"), user="supervisor"),
    Page("staff case, information requested", _staff_case("information_requested"), user="supervisor"),
    Page("staff case, under review", _staff_case("under_review"), user="supervisor"),
    Page("staff case, pending decision", _staff_case("pending_decision"), user="approver"),
    Page("staff case, approved", _staff_case("approved"), user="supervisor"),
    Page("staff case, refused", _staff_case("refused"), user="supervisor"),
    Page("staff: request information", _staff_case("under_review", "request-information/"), user="supervisor"),
    Page("staff: recommend", _staff_case("under_review", "recommend/"), user="supervisor"),
    Page("staff: approve", _staff_case("pending_decision", "approve/"), user="approver"),
    Page("staff: refuse", _staff_case("pending_decision", "refuse/"), user="approver"),
    Page("staff: return to review", _staff_case("pending_decision", "return/"), user="approver"),
    Page("staff: licenses", "/staff/licenses/", user="approver"),
    Page("staff: a license", _staff_license(), user="approver"),
    Page("staff: suspend a license", _staff_license("suspend/"), user="approver"),
    Page("staff: permitted assets", "/staff/assets/", user="supervisor"),
    Page("staff: add an asset", "/staff/assets/add/", user="supervisor"),
    Page("staff: suspend an asset", "/staff/assets/BTC/suspend/", user="supervisor"),
    Page("staff: warning list", "/staff/warnings/", user="supervisor"),
    Page("staff: add a warning", "/staff/warnings/add/", user="supervisor"),
    Page("staff: edit a warning", lambda: _warning_entry(), user="supervisor"),
    Page("staff: remove a warning", lambda: _warning_entry("remove/"), user="supervisor"),
    Page("staff: import warnings", "/staff/warnings/import/", user="supervisor"),
    Page("staff: metrics", "/staff/metrics/", user="supervisor"),
    Page("staff: team", "/staff/team/", user="supervisor"),
    Page("staff: reset a second factor", _team_reset, user="supervisor"),
    Page("notices", "/notices/", user="applicant"),
    Page("page not found", "/no-such-page/", status=404),
]


def seed_demo_data() -> None:
    """The demo data, with no stored language preference (each test chooses the language)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User

    call_command("seed_demo", password=DEMO_PASSWORD, stdout=StringIO())
    User.objects.update(preferred_language="")
    # The supervisor has an authenticator app, so the code page shows instead of the set-up page.
    TOTPDevice.objects.get_or_create(user=User.objects.get(username="supervisor"), name="phone", confirmed=True)


# --- Finding English on a page meant to be Kazakh or Russian ----------------------------------------

# A word with a small letter: codes and symbols in capitals (DAX, APP-000001, BTC, LEI) are not English.
_LATIN_WORD = re.compile(r"\b(?=[A-Za-z]*[a-z])[A-Za-z]{3,}\b")
# Addresses are shown as they are: https://..., /registry/..., name@example.kz, example.kz.
_ADDRESS = re.compile(r"\S*(?:://|@|/)\S*|\b[\w-]+(?:\.[\w-]+)*\.(?:kz|com|org|net)\b")


def english_vocabulary(catalogues) -> frozenset[str]:
    """Words of the portal's English messages that its Kazakh and Russian never use.

    A Latin word that also stands in a translation (LEI, JSON, FreeOTP, example.kz) is not a sign of
    English; any other word of the English messages is.
    """
    english, kept = set(), set()
    for po in catalogues:
        for message in po:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            english.update(word.lower() for text in ids for word in _LATIN_WORD.findall(text))
            kept.update(word.lower() for text in strings for word in _LATIN_WORD.findall(text))
    # Words of Django's own messages that the portal's forms may show.
    english.update({"field", "required", "valid", "enter", "select", "choice", "ensure", "characters", "value"})
    return frozenset(english - kept)


def english_in(texts, vocabulary: frozenset[str], data: list[str]) -> list[str]:
    """The texts that hold an English word once the data shown as it is (names, codes) is taken out."""
    found = []
    for text in texts:
        rest = text
        for value in data:
            rest = rest.replace(value, " ")
        rest = _ADDRESS.sub(" ", rest)
        if any(word.lower() in vocabulary for word in _LATIN_WORD.findall(rest)):
            found.append(text)
    return found


def data_strings() -> list[str]:
    """Text that the pages show as stored (names, addresses, reasons, notices), longest first."""
    from accounts.models import User
    from audit.models import AuditEntry
    from licensing.models import (
        Application,
        BeneficialOwner,
        Document,
        InformationRequest,
        InternalNote,
        KeyPerson,
        Organization,
    )
    from notifications.models import Notification
    from registry.models import DigitalAsset, License, LicenseEvent, WarningEntry, WarningEvent

    values: set[str] = set()
    values.update(
        *(
            filter(None, row)
            for row in Organization.objects.values_list("legal_name", "latin_name", "registered_address")
        )
    )
    values.update(
        *(filter(None, row) for row in License.objects.values_list("holder_name", "holder_address", "holder_website"))
    )
    values.update(DigitalAsset.objects.values_list("name", flat=True))
    for row in WarningEntry.objects.values_list("name", "note", "reason", "home_authority", "other_names"):
        values.update(filter(None, row[:4]), row[4] or ())
    values.update(WarningEvent.objects.exclude(reason="").values_list("reason", flat=True))
    values.update(LicenseEvent.objects.exclude(reason="").values_list("reason", flat=True))
    values.update(*(filter(None, row) for row in Document.objects.values_list("original_name", "rejection_reason")))
    values.update(*(filter(None, row) for row in InformationRequest.objects.values_list("questions", "response")))
    values.update(
        *(filter(None, row) for row in Application.objects.values_list("decision_reasons", "business_summary"))
    )
    values.update(KeyPerson.objects.values_list("full_name", flat=True))
    values.update(BeneficialOwner.objects.values_list("full_name", flat=True))
    # The audit trail's comments are part of its hash chain: a record, kept in the words it was written in.
    values.update(AuditEntry.objects.exclude(comment="").values_list("comment", flat=True))
    values.update(InternalNote.objects.values_list("body", flat=True))
    values.update(
        *(filter(None, row) for row in Application.objects.values_list("recommendation_reasons", "decision_reasons"))
    )
    values.update(*(filter(None, row) for row in Notification.objects.values_list("title", "body")))
    for first, last, username in User.objects.values_list("first_name", "last_name", "username"):
        values.update(filter(None, (f"{first} {last}".strip(), first, last, username)))
    return sorted(values, key=len, reverse=True)
