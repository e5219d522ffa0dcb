"""Staff second factor (SPEC section 4): a password alone never enrols a device.

Each attack of issue 9 is a test here: whoever knows a staff password sees no secret and cannot
enrol; a set-up link works once, for its own account, for a limited time; every set-up makes a new
secret; deciding actions ask for a fresh code (tests/licensing/test_staff_decisions.py).
"""

import re

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from notifications.models import Notification

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/accounts/second-factor/enrol/([^/\s]+)/")


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.STAFF_REQUIRE_2FA = True


def _staff(django_user_model, username: str, role: str = "reviewer", email: str | None = None):
    user = django_user_model.objects.create_user(
        username, email=email if email is not None else f"{username}@nationalbank.example.kz", password="unused-123456"
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def reviewer(django_user_model):
    return _staff(django_user_model, "reviewer-a")


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def _mailed_token(message) -> str:
    return LINK.search(message.body).group(1)


@pytest.fixture(autouse=True)
def _mail_on_commit(monkeypatch):
    # The link is mailed once the transaction that records it commits; tests run inside one.
    monkeypatch.setattr("django.db.transaction.on_commit", lambda callback, *args, **kwargs: callback())


def _ask_for_link(client) -> str:
    client.post(reverse("accounts:otp_setup"))
    return _mailed_token(mail.outbox[-1])


def test_a_password_alone_sees_no_secret_and_enrols_nothing(client, reviewer):
    client.force_login(reviewer)

    staff_page = client.get("/staff/")
    setup = client.get(reverse("accounts:otp_setup"))
    guess = client.post(reverse("accounts:otp_setup"), {"token": "123456"})

    assert staff_page.status_code == 302
    assert "data:image/svg" not in setup.content.decode()
    assert "otpauth" not in setup.content.decode()
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert guess.status_code == 302  # the form there only sends the link by e-mail
    assert not TOTPDevice.objects.filter(user=reviewer, confirmed=True).exists()


def test_the_set_up_link_goes_to_the_accounts_own_address_and_never_to_the_inbox(client, reviewer):
    client.force_login(reviewer)

    client.post(reverse("accounts:otp_setup"))

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reviewer-a@nationalbank.example.kz"]
    assert LINK.search(mail.outbox[0].body)
    assert not Notification.objects.filter(user=reviewer).exists()  # the password opens the inbox


def test_staff_enrol_with_the_link_and_their_first_code(client, reviewer):
    client.force_login(reviewer)
    token = _ask_for_link(client)

    with time_machine.travel("2026-11-25 10:00:00 +05:00", tick=False):
        landing = client.get(reverse("accounts:otp_enrol", args=[token]))
        assert not TOTPDevice.objects.filter(user=reviewer).exists()  # opening the link spends nothing
        started = client.post(reverse("accounts:otp_enrol", args=[token]))
        device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
        page = client.get(reverse("accounts:otp_setup"))
        confirmed = client.post(reverse("accounts:otp_setup"), {"token": _code(device), "next": "/staff/"})
        staff_page = client.get("/staff/")

    assert landing.status_code == 200
    assert started["Location"] == reverse("accounts:otp_setup")
    assert 'src="data:image/svg+xml' in page.content.decode()
    assert confirmed["Location"] == "/staff/"
    device.refresh_from_db()
    assert device.confirmed
    assert staff_page.status_code == 200


def test_a_link_works_once(client, reviewer):
    client.force_login(reviewer)
    token = _ask_for_link(client)
    client.post(reverse("accounts:otp_enrol", args=[token]))
    first = TOTPDevice.objects.get(user=reviewer)

    again = client.post(reverse("accounts:otp_enrol", args=[token]))

    assert again.status_code == 410
    assert list(TOTPDevice.objects.filter(user=reviewer)) == [first]


def test_a_link_of_another_account_is_refused_like_an_unknown_one(client, reviewer, django_user_model):
    intruder = _staff(django_user_model, "reviewer-b")
    client.force_login(reviewer)
    token = _ask_for_link(client)
    client.force_login(intruder)

    stolen = client.post(reverse("accounts:otp_enrol", args=[token]))
    unknown = client.post(reverse("accounts:otp_enrol", args=["no-such-token"]))

    assert stolen.status_code == unknown.status_code == 410
    assert stolen.content.decode().count("not valid any more") == 1
    assert not TOTPDevice.objects.exists()
    # Still good for its owner.
    client.force_login(reviewer)
    assert client.post(reverse("accounts:otp_enrol", args=[token])).status_code == 302


def test_a_link_expires_after_a_day(client, reviewer):
    with time_machine.travel("2026-11-25 10:00:00 +05:00", tick=False) as traveller:
        client.force_login(reviewer)
        token = _ask_for_link(client)
        traveller.shift(24 * 3600 + 1)
        client.force_login(reviewer)
        late = client.post(reverse("accounts:otp_enrol", args=[token]))

    assert late.status_code == 410
    assert not TOTPDevice.objects.exists()


def test_every_set_up_makes_a_new_secret(client, reviewer):
    with time_machine.travel("2026-11-25 10:00:00 +05:00", tick=False) as traveller:
        client.force_login(reviewer)
        client.post(reverse("accounts:otp_enrol", args=[_ask_for_link(client)]))
        first_key = TOTPDevice.objects.get(user=reviewer).key
        traveller.shift(6 * 60)
        client.logout()  # the set-up was abandoned (another browser, a lost session): start again
        client.force_login(reviewer)
        client.post(reverse("accounts:otp_enrol", args=[_ask_for_link(client)]))
        second_key = TOTPDevice.objects.get(user=reviewer).key

    assert first_key != second_key
    assert TOTPDevice.objects.filter(user=reviewer).count() == 1


def test_a_new_link_cancels_the_earlier_one_and_links_are_not_resent_at_once(client, reviewer):
    with time_machine.travel("2026-11-25 10:00:00 +05:00", tick=False) as traveller:
        client.force_login(reviewer)
        first = _ask_for_link(client)
        too_soon = client.post(reverse("accounts:otp_setup"), follow=True)
        traveller.shift(6 * 60)
        second = _ask_for_link(client)
        old = client.post(reverse("accounts:otp_enrol", args=[first]))
        new = client.post(reverse("accounts:otp_enrol", args=[second]))

    assert "A link was sent at" in too_soon.content.decode()
    assert len(mail.outbox) == 2
    assert old.status_code == 410
    assert new.status_code == 302


def test_someone_with_an_authenticator_cannot_enrol_another_by_email(client, reviewer):
    TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)
    client.force_login(reviewer)

    response = client.post(reverse("accounts:otp_setup"))

    assert response["Location"] == reverse("accounts:otp_verify")
    assert mail.outbox == []


def test_a_session_cannot_confirm_a_device_it_did_not_start(client, reviewer, django_user_model):
    other = _staff(django_user_model, "reviewer-b")
    client.force_login(other)
    client.post(reverse("accounts:otp_enrol", args=[_ask_for_link(client)]))
    device = TOTPDevice.objects.get(user=other)
    client.force_login(reviewer)  # a new session: the set-up started in the other one is not here

    response = client.post(reverse("accounts:otp_setup"), {"token": _code(device)})

    assert response.status_code == 302
    device.refresh_from_db()
    assert not device.confirmed
    assert not TOTPDevice.objects.filter(user=reviewer).exists()


def test_a_supervisor_resets_a_lost_authenticator_and_the_link_goes_to_its_owner(client, reviewer, django_user_model):
    supervisor = _staff(django_user_model, "supervisor-a", "supervisor")
    supervisor_device = TOTPDevice.objects.create(user=supervisor, name="phone", confirmed=True)
    TOTPDevice.objects.create(user=reviewer, name="lost phone", confirmed=True)
    client.force_login(supervisor)
    client.post(reverse("accounts:otp_verify"), {"token": _code(supervisor_device)})

    page = client.get(reverse("licensing:staff_team_reset", args=[reviewer.pk]))
    response = client.post(reverse("licensing:staff_team_reset", args=[reviewer.pk]))

    assert page.status_code == 200
    assert response["Location"] == reverse("licensing:staff_team")
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert mail.outbox[-1].to == [reviewer.email]
    assert "reset the second factor" in mail.outbox[-1].body


def test_only_supervisors_reset_second_factors(client, reviewer, django_user_model):
    other = _staff(django_user_model, "reviewer-b")
    device = TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)
    client.force_login(reviewer)
    client.post(reverse("accounts:otp_verify"), {"token": _code(device)})

    response = client.post(reverse("licensing:staff_team_reset", args=[other.pk]))

    assert response.status_code == 404
    assert mail.outbox == []


def test_without_an_email_address_staff_are_told_to_ask_a_supervisor(client, django_user_model):
    nameless = _staff(django_user_model, "reviewer-c", email="")
    client.force_login(nameless)

    page = client.get(reverse("accounts:otp_setup"))

    assert "Ask a supervisor" in page.content.decode()
    assert mail.outbox == []
