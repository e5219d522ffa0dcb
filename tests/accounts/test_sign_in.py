import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def applicant(django_user_model):
    return django_user_model.objects.create_user("applicant-a", email="a@example.kz", password=PASSWORD)


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user("reviewer-a", email="r@example.kz", password=PASSWORD)
    user.groups.add(Group.objects.get(name="reviewer"))
    return user


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_user_signs_in_with_username_and_password(client, applicant):
    response = sign_in(client, "applicant-a")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(applicant.pk)


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_message(client, applicant):
    response = sign_in(client, "applicant-a", "wrong-password")

    assert response.status_code == 200
    assert "The e-mail address or the password is not right." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_five_failures_lock_the_account_even_for_the_right_password(client, applicant):
    for _ in range(5):
        sign_in(client, "applicant-a", "wrong-password")

    response = sign_in(client, "applicant-a")

    assert response.status_code == 429
    assert "Sign-in temporarily blocked" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_is_per_username_and_address(client, applicant, django_user_model):
    django_user_model.objects.create_user("applicant-b", password=PASSWORD)
    for _ in range(5):
        sign_in(client, "applicant-a", "wrong-password")

    assert sign_in(client, "applicant-b").status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_the_lockout_counts_the_client_not_the_proxy(client, applicant, settings):
    settings.API_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    for forged in range(5):
        # The attacker varies what it sends; the proxy appends the address it really saw.
        sign_in(
            client, "applicant-a", "wrong-password", HTTP_X_FORWARDED_FOR=f"198.51.100.{forged}, 203.0.113.9", **proxy
        )

    assert sign_in(client, "applicant-a", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy).status_code == 429
    # Someone else behind the same proxy is another client.
    assert sign_in(client, "applicant-a", HTTP_X_FORWARDED_FOR="203.0.113.10", **proxy).status_code == 302


@pytest.mark.django_db
def test_one_account_guessed_from_many_addresses_is_throttled(client, applicant, settings):
    assert settings.ACCOUNT_FAILURE_LIMIT == 20
    for address in range(5):  # four tries from each of five addresses: no address reaches five
        for _ in range(4):
            sign_in(client, "applicant-a", "wrong-password", REMOTE_ADDR=f"203.0.113.{address}")

    response = sign_in(client, "applicant-a", REMOTE_ADDR="203.0.113.99")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Other accounts are not affected.
    django_user = type(applicant)
    django_user.objects.create_user("applicant-b", password=PASSWORD)
    assert sign_in(client, "applicant-b", REMOTE_ADDR="203.0.113.99").status_code == 302


@pytest.mark.django_db
def test_failures_below_the_account_ceiling_do_not_lock_the_account(client, applicant):
    for address in range(4):
        for _ in range(4):
            sign_in(client, "applicant-a", "wrong-password", REMOTE_ADDR=f"203.0.113.{address}")

    assert sign_in(client, "applicant-a", REMOTE_ADDR="203.0.113.99").status_code == 302


@pytest.mark.django_db
def test_staff_must_confirm_a_second_factor_before_staff_pages(client, reviewer, settings):
    settings.STAFF_REQUIRE_2FA = True
    sign_in(client, "reviewer-a")

    response = client.get("/staff/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))


@pytest.mark.django_db
def test_staff_without_a_device_is_sent_to_enrol_one(client, reviewer, settings):
    settings.STAFF_REQUIRE_2FA = True
    sign_in(client, "reviewer-a")

    response = client.get(reverse("accounts:otp_verify"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))


@pytest.mark.django_db
def test_staff_with_a_device_passes_with_a_valid_code_only(client, reviewer, settings):
    settings.STAFF_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)
    sign_in(client, "reviewer-a")

    refused = client.post(reverse("accounts:otp_verify"), {"token": "12345"})
    accepted = client.post(reverse("accounts:otp_verify"), {"token": f"{totp(device.bin_key):06d}", "next": "/admin/"})

    assert "Enter the six digits" in refused.content.decode()
    assert accepted.status_code == 302
    assert accepted["Location"] == "/admin/"


@pytest.mark.django_db
def test_second_factor_never_redirects_to_another_site(client, reviewer, settings):
    settings.STAFF_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)
    sign_in(client, "reviewer-a")

    response = client.post(
        reverse("accounts:otp_verify"), {"token": f"{totp(device.bin_key):06d}", "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


@pytest.mark.django_db
def test_applicants_are_not_asked_for_a_second_factor(client, applicant, settings):
    settings.STAFF_REQUIRE_2FA = True
    sign_in(client, "applicant-a")

    response = client.get("/staff/")

    assert not response.get("Location", "").startswith(reverse("accounts:otp_verify"))
