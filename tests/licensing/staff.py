"""Helpers of the dashboard tests: act through the staff URLs as a person would."""

from __future__ import annotations

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from licensing.models import Application


def case_url(application: Application, action: str = "") -> str:
    name = f"licensing:staff_case_{action}" if action else "licensing:staff_case"
    return reverse(name, args=[application.reference])


def page_version(client, application: Application) -> int:
    """The version token the case page puts in its forms."""
    response = client.get(case_url(application))
    assert response.status_code == 200, response.status_code
    return response.context["version"]


def act(client, application: Application, action: str, **data):
    """Load the case page, then post ``action`` with its version token (as a person clicking would)."""
    return client.post(case_url(application, action), {"version": page_version(client, application), **data})


def sign_in_with_code(client, user) -> TOTPDevice:
    """Sign in as staff with a second factor: an enrolled authenticator and a code confirmed now."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="phone", confirmed=True
    )
    client.force_login(user)
    response = client.post(reverse("accounts:otp_verify"), {"token": code(device)})
    assert response.status_code == 302, response.content
    return device


def code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key):06d}"
