"""The supervisors' pages for the permitted-asset list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from registry.models import DigitalAsset

pytestmark = pytest.mark.django_db


def test_a_supervisor_adds_an_asset_through_the_form(client, cast):
    client.force_login(cast.supervisor)

    refused = client.post(reverse("licensing:staff_asset_add"), {"symbol": "BTC", "name": "Bitcoin again"})
    added = client.post(
        reverse("licensing:staff_asset_add"),
        {
            "symbol": "near",
            "name": "NEAR Protocol",
            "dfa_class": "unsecured",
            "effective_on": "2026-07-01",
            "reason": "Liquid.",
        },
    )
    listing = client.get(reverse("licensing:staff_assets")).content.decode()

    assert refused.status_code == 400
    assert "Choose a valid option" in refused.content.decode() or "This field is required" in refused.content.decode()
    assert added["Location"] == reverse("licensing:staff_assets")
    assert "NEAR" in listing and "Liquid." in listing


def test_a_supervisor_suspends_an_asset_with_a_date_and_reason(client, cast):
    client.force_login(cast.supervisor)
    url = reverse("licensing:staff_asset_action", args=["eth", "suspend"])

    form = client.get(url)
    response = client.post(url, {"seen_status": "permitted", "effective_on": "2026-08-03", "reason": "Fork risk."})

    assert form.status_code == 200
    assert response.status_code == 302
    assert DigitalAsset.objects.get(symbol="ETH").status == "suspended"


def test_an_action_that_does_not_apply_is_not_offered(client, cast):
    client.force_login(cast.supervisor)
    DigitalAsset.objects.filter(symbol="ETH").update(status="delisted")

    response = client.get(reverse("licensing:staff_asset_action", args=["ETH", "suspend"]))

    assert response.status_code == 302
    assert response["Location"] == reverse("licensing:staff_assets")
