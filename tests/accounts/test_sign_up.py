"""Applicants open their own accounts: sign-up, e-mail verification, password reset, language."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from licensing.models import Organization

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-and-unusual-passphrase"


def sign_up(client, capture, **data):
    fields = {"email": "officer@steppe.kz", "password": PASSWORD, "password_again": PASSWORD, "language": "ru"}
    with capture(execute=True):
        return client.post(reverse("accounts:sign_up"), {**fields, **data})


def link(message, part: str) -> str:
    return urlsplit(re.search(rf"https?://\S*{part}\S*", message.body).group(0)).path


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pass1", "at least 12 characters"),
        ("password1234", "too common"),
        ("402938475610293", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_at_the_field_and_the_address_is_kept(
    client, django_capture_on_commit_callbacks, password, message
):
    response = sign_up(client, django_capture_on_commit_callbacks, password=password, password_again=password)

    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert 'id="id_password_error"' in page and 'value="officer@steppe.kz"' in page
    assert not User.objects.exists() and mail.outbox == []


def test_different_passwords_are_refused(client, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks, password_again="another-long-passphrase")

    assert "The two passwords are different" in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_sends_a_link_that_confirms_the_address(client, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks, email="Officer@Steppe.KZ")

    assert response["Location"] == reverse("accounts:check_email")
    user = User.objects.get()
    assert user.username == user.email == "officer@steppe.kz" and user.preferred_language == "ru"
    assert not user.email_verified
    assert client.get(link(mail.outbox[0], "/accounts/verify/")).status_code == 200
    user.refresh_from_db()
    assert user.email_verified


def test_the_link_expires_after_48_hours(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    path = link(mail.outbox[0], "/accounts/verify/")

    with time_machine.travel(timezone.now() + timedelta(hours=48, minutes=1)):
        response = client.get(path)

    assert response.status_code == 400 and "expired" in response.content.decode()
    assert not User.objects.get().email_verified


def test_a_tampered_link_is_refused(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    path = link(mail.outbox[0], "/accounts/verify/")

    response = client.get(path[:-3] + "xyz/")

    assert response.status_code == 400 and not User.objects.get().email_verified


def test_a_new_link_can_be_sent_once_a_minute(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    client.force_login(User.objects.get())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:resend_verification"))
    assert len(mail.outbox) == 1  # the sign-up's own link was sent less than a minute ago

    with time_machine.travel(timezone.now() + timedelta(minutes=2)), django_capture_on_commit_callbacks(execute=True):
        cache.clear()  # the once-a-minute mark would have expired by now
        client.post(reverse("accounts:resend_verification"))
    assert len(mail.outbox) == 2 and "/accounts/verify/" in mail.outbox[1].body


def test_signing_up_with_a_registered_address_reveals_nothing_and_tells_its_owner(
    client, django_capture_on_commit_callbacks, django_user_model
):
    django_user_model.objects.create_user("existing", email="officer@steppe.kz", password=PASSWORD)

    response = sign_up(client, django_capture_on_commit_callbacks)

    assert response["Location"] == reverse("accounts:check_email")
    assert User.objects.count() == 1
    assert mail.outbox[0].subject == "You already have an account"


def test_an_unverified_account_cannot_register_an_organization(client, django_user_model):
    user = django_user_model.objects.create_user("new@steppe.kz", email="new@steppe.kz", password=PASSWORD)
    client.force_login(user)

    response = client.post(
        reverse("licensing:organization_create"), {"legal_name": "Steppe JSC", "bin": "200340000011"}
    )

    assert response.status_code == 200 and "Confirm your e-mail address first" in response.content.decode()
    assert not Organization.objects.exists()


def test_password_reset_uses_the_portals_templates_and_works_once(client, django_user_model):
    django_user_model.objects.create_user("officer@steppe.kz", email="officer@steppe.kz", password=PASSWORD)

    client.post(reverse("accounts:password_reset"), {"email": "officer@steppe.kz"})

    message = mail.outbox[0]
    assert message.subject == "Choose a new password" and message.alternatives
    path = link(message, "/accounts/reset/")
    form_page = client.get(path, follow=True)
    new = "another-long-passphrase-2"
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert django_user_model.objects.get().check_password(new)
    assert "has been used already" in client.get(path, follow=True).content.decode()


def test_the_language_preference_is_kept_on_the_account(client, django_user_model):
    user = django_user_model.objects.create_user("officer@steppe.kz", email="officer@steppe.kz", password=PASSWORD)
    client.force_login(user)

    client.post(reverse("accounts:account"), {"preferred_language": "kk"})

    user.refresh_from_db()
    assert user.preferred_language == "kk"


def test_applicants_sign_in_with_their_address_in_any_case(client, django_user_model):
    django_user_model.objects.create_user("officer@steppe.kz", email="officer@steppe.kz", password=PASSWORD)

    response = client.post(reverse("accounts:login"), {"username": "Officer@Steppe.kz", "password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == reverse("licensing:applicant_home")
