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
    Page("warning list", "/registry/warnings/"),
    Page("applicant area", "/apply/", user="applicant"),
    Page("case queue", "/staff/?scope=all", user="supervisor"),
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
        rest = _ADDRESS.sub(" ", text)
        for value in data:
            rest = rest.replace(value, " ")
        if any(word.lower() in vocabulary for word in _LATIN_WORD.findall(rest)):
            found.append(text)
    return found


def data_strings() -> list[str]:
    """Text that the pages show as stored (names, addresses, reasons, notices), longest first."""
    from accounts.models import User
    from licensing.models import Document, KeyPerson, Organization
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
    values.update(Document.objects.values_list("original_name", flat=True))
    values.update(KeyPerson.objects.values_list("full_name", flat=True))
    values.update(*(filter(None, row) for row in Notification.objects.values_list("title", "body")))
    for first, last, username in User.objects.values_list("first_name", "last_name", "username"):
        values.update(filter(None, (f"{first} {last}".strip(), first, last, username)))
    return sorted(values, key=len, reverse=True)
