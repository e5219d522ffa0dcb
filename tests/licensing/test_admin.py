"""The Django admin (SPEC section 4): superusers and reference data only.

Records that services change and audit are read-only; authenticator secrets never show; demo staff
cannot enter.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from audit.models import AuditEntry
from licensing.models import Application, Document, DocumentRequirement, InformationRequest, WorkdayTransfer
from notifications.models import Delivery
from registry.models import Activity, License, LicenseType
from tests.licensing.conftest import make_application_in

pytestmark = pytest.mark.django_db

READ_ONLY = [Application, Document, InformationRequest, License, AuditEntry, Delivery]
EDITABLE = [Activity, LicenseType, DocumentRequirement, WorkdayTransfer]


@pytest.fixture
def superuser():
    return User.objects.create_superuser("root", "root@example.kz", "unused-123456")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.mark.parametrize("model", READ_ONLY)
def test_records_changed_only_by_audited_services_are_read_only(rf, superuser, model):
    request = rf.get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry[model]

    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


@pytest.mark.parametrize("model", EDITABLE)
def test_reference_data_is_editable(rf, superuser, model):
    request = rf.get("/admin/")
    request.user = superuser

    assert admin.site._registry[model].has_change_permission(request)


def test_an_application_opens_read_only_and_cannot_be_posted_to(admin_client, cast):
    application = make_application_in("submitted", cast)
    url = reverse("admin:licensing_application_change", args=[application.pk])

    page = admin_client.get(url)
    posted = admin_client.post(url, {"state": "approved"})

    application.refresh_from_db()
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert posted.status_code == 403
    assert application.state == "submitted"


@pytest.mark.parametrize("role", ["reviewer", "approver", "supervisor"])
def test_staff_even_flagged_is_staff_cannot_enter_the_admin(client, role):
    user = User.objects.create_user(f"{role}-x", password="unused-123456", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_authenticator_secrets_never_show_and_a_missing_device_answers_404(admin_client, superuser):
    device = TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    base = "/admin/otp_totp/totpdevice/"

    listing = admin_client.get(base).content.decode()
    change = admin_client.get(f"{base}{device.pk}/change/").content.decode()

    assert device.key not in listing and device.key not in change
    assert "otpauth" not in change
    for path in (f"{device.pk}/config/", f"{device.pk}/qrcode/", "999999/config/", "999999/change/", "x/change/"):
        assert admin_client.get(base + path).status_code == 404, path
