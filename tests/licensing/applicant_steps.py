"""Steps of the applicant face a person takes, through the URLs (shared by the workflow tests)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from licensing.models import Application, Organization
from licensing.selectors import application_document_slots
from tests.licensing.conftest import PDF_BYTES

PASSWORD = "a-long-and-unusual-passphrase"


def link_in(message, pattern: str) -> str:
    """The path of the first link in ``message`` containing ``pattern``."""
    match = re.search(rf"https?://[^\s]*{pattern}[^\s]*", message.body)
    assert match, message.body
    return urlsplit(match.group(0)).path


def sign_up_and_verify(client, email: str, capture) -> None:
    with capture(execute=True):
        response = client.post(
            reverse("accounts:sign_up"),
            {"email": email, "password": PASSWORD, "password_again": PASSWORD, "language": "en"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    path = link_in(mail.outbox[-1], "/accounts/verify/")
    assert client.get(path).status_code == 200
    assert client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD}).status_code == 302


def register_organization(client, *, legal_name: str, bin: str) -> Organization:
    response = client.post(reverse("licensing:organization_create"), {"legal_name": legal_name, "bin": bin, "lei": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    organization = Organization.objects.get(bin=bin)
    public_id = organization.public_id
    assert (
        client.post(
            reverse("licensing:organization_details", args=[public_id]),
            {
                "legal_name": legal_name,
                "lei": "",
                "registered_address": "Mangilik El avenue 55/20, Astana",
                "website": "https://www.Steppe-Exchange.kz/about",
                "other_domains": "steppex.kz\nhttps://trade.steppex.kz/",
                "contact_email": "compliance@steppe.kz",
                "contact_phone": "+7 7172 00 00 00",
            },
        ).status_code
        == 302
    )
    for name, share in (("Aliya Seitkali", "60"), ("Timur Akhmetov", "40")):
        assert (
            client.post(
                reverse("licensing:owner_add", args=[public_id]),
                {"full_name": name, "share_percent": share, "country": "KZ", "is_politically_exposed": "no"},
            ).status_code
            == 302
        )
    for role, name in (("chief_executive", "Aliya Seitkali"), ("compliance_officer", "Berik Omarov")):
        assert (
            client.post(
                reverse("licensing:person_add", args=[public_id]), {"role": role, "full_name": name, "email": ""}
            ).status_code
            == 302
        )
    return organization


def start_application(client, organization: Organization) -> Application:
    response = client.post(reverse("licensing:application_start", args=[organization.public_id]))
    assert response.status_code == 302
    return Application.objects.filter(organization=organization).latest("created_at")


def fill_every_task(client, application: Application, *, activities=("custody", "transfer")) -> None:
    reference = application.reference
    assert (
        client.post(
            reverse("licensing:task_activities", args=[reference]), {"activities": list(activities)}
        ).status_code
        == 302
    )
    assert (
        client.post(reverse("licensing:task_assets", args=[reference]), {"assets": ["BTC", "USDT"]}).status_code == 302
    )
    assert (
        client.post(
            reverse("licensing:task_business", args=[reference]),
            {
                "paid_up_capital_kzt": "2 000 000 000",
                "business_summary": "Custody of digital assets for professional clients.",
            },
        ).status_code
        == 302
    )
    application.refresh_from_db()
    for view in application_document_slots(application):
        args = [reference, view.requirement.code] + ([view.key_person.public_id] if view.key_person else [])
        name = "licensing:document_slot_person" if view.key_person else "licensing:document_slot"
        upload = SimpleUploadedFile(f"{view.requirement.code}.pdf", PDF_BYTES, content_type="application/pdf")
        response = client.post(reverse(name, args=args), {"file": upload})
        assert response.status_code == 302, response.content.decode()[:3000]
