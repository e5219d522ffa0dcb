"""E-mails go out in each recipient's language: subject, plain text and HTML, dates and plurals included."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from notifications import services
from tests.notifications.factories import make_cast, make_license, make_user

pytestmark = pytest.mark.django_db

EXPECTED = {
    "kk": {
        "subject": "{number} лицензиясының мерзімі 90 күннен кейін аяқталады",
        "greeting": "Құрметті",
        "date": "2 наурыз 2027 ж.",
        "footer": "Қазақстан Республикасы Ұлттық Банкінің",
    },
    "ru": {
        "subject": "Срок действия лицензии {number} истекает через 90 дней",
        "greeting": "Уважаемый(-ая)",
        "date": "2 марта 2027 г.",
        "footer": "Национального Банка Республики Казахстан",
    },
    "en": {
        "subject": "License {number} ends in 90 days",
        "greeting": "Dear",
        "date": "2 March 2027",
        "footer": "National Bank of Kazakhstan",
    },
}


def send_validity_reminder(license, recipient, django_capture_on_commit_callbacks) -> mail.EmailMultiAlternatives:
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_enqueue(
            kind="license_validity",
            recipients=[recipient],
            subject=license,
            context={"number": license.number, "valid_until": "2027-03-02", "days_left": 90},
        )
    [message] = [message for message in mail.outbox if message.to == [recipient.email]]
    return message


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_reminder_is_written_in_the_recipients_language(language, django_capture_on_commit_callbacks):
    cast = make_cast()
    license = make_license(cast, valid_until=date(2027, 3, 2))
    recipient = make_user(language=language)

    message = send_validity_reminder(license, recipient, django_capture_on_commit_callbacks)

    expected = EXPECTED[language]
    html = message.alternatives[0][0]
    assert message.subject == expected["subject"].format(number=license.number)
    for part in (message.body, html):
        assert expected["greeting"] in part
        assert expected["date"] in part
        assert expected["footer"] in part
    assert f'<html lang="{language}">' in html


def test_a_recipient_with_no_choice_gets_the_portals_default_language(settings, django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "kk"
    cast = make_cast()
    license = make_license(cast, valid_until=date(2027, 3, 2))

    message = send_validity_reminder(license, make_user(language=""), django_capture_on_commit_callbacks)

    assert message.subject == EXPECTED["kk"]["subject"].format(number=license.number)


def test_the_language_a_user_picks_in_the_portal_is_the_language_of_their_emails(
    client, django_capture_on_commit_callbacks
):
    cast = make_cast()
    license = make_license(cast, valid_until=date(2027, 3, 2))
    user = make_user(language="en")
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    user.refresh_from_db()
    message = send_validity_reminder(license, user, django_capture_on_commit_callbacks)

    assert message.subject == EXPECTED["ru"]["subject"].format(number=license.number)


@pytest.mark.parametrize(
    ("days", "subject"), [(1, "истекает через 1 день"), (3, "истекает через 3 дня"), (21, "истекает через 21 день")]
)
def test_russian_counts_agree_with_their_number(days, subject, django_capture_on_commit_callbacks):
    cast = make_cast()
    license = make_license(cast, valid_until=date(2027, 3, 2))
    recipient = make_user(language="ru")

    with django_capture_on_commit_callbacks(execute=True):
        services.notice_enqueue(
            kind="license_validity",
            recipients=[recipient],
            subject=license,
            context={"number": license.number, "valid_until": "2027-03-02", "days_left": days},
        )

    assert mail.outbox[-1].subject.endswith(subject)


def email_kinds() -> list[str]:
    from pathlib import Path

    from django.conf import settings

    templates = Path(settings.BASE_DIR, "templates")
    return sorted(str(path.parent.relative_to(templates)) for path in templates.glob("**/emails/*/subject.txt"))


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_email_holds_english_in_kazakh_or_russian(language):
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    from tests.pages import english_in, english_vocabulary
    from tests.test_translations import catalogue

    vocabulary = english_vocabulary([catalogue("kk"), catalogue("ru")])
    application = SimpleNamespace(reference="APP-000042")

    class Subject(SimpleNamespace):
        def __str__(self):  # what the generic notice names
            return self.reference

    subject = Subject(reference="APP-000042", number="DAX-2026-0001", application=application, original_name="x.pdf")
    recipient = SimpleNamespace(get_full_name=lambda: "Айгерім Сәрсенова", get_username=lambda: "aigerim")
    problems = []
    for kind in email_kinds():
        for threshold, data in [
            ("before_5", {"decision": "approved", "reasons": "—", "reason": "—"}),
            ("overdue", {"decision": "refused"}),
            ("escalation", {}),
        ]:
            context = {
                "recipient": recipient,
                "subject": subject,
                "threshold": threshold,
                "link": "https://licensing.example.kz/apply/",
                "sign_in": "https://licensing.example.kz/accounts/login/",
                "reset": "https://licensing.example.kz/accounts/password-reset/",
                "hours": 48,
                "days": 7,
                "inviter": "Айгерім Сәрсенова",
                "organization": "«Дала Крипто» ЖШС",
                "username": "aigerim",
                "uid": "MQ",
                "token": "set-password",
                "data": {
                    **data,
                    "due": "2026-12-02",
                    "deadline": "2026-12-02",
                    "valid_until": "2026-12-02",
                    "days_left": 5,
                },
            }
            with translation.override(language):
                parts = [
                    render_to_string(f"{kind}/{part}", {**context, "title": "—"})
                    for part in ("subject.txt", "body.txt", "body.html")
                ]
            texts = [re.sub(r"<[^>]*>", " ", part) for part in parts]  # the words, not the HTML's tags
            problems += [f"{kind}/{threshold}: {text!r}" for text in english_in(texts, vocabulary, data=[])]

    assert len(email_kinds()) >= 14
    assert not problems
