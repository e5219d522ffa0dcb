"""The permitted-asset list (SPEC sections 5 and 14): supervisors add, suspend, reinstate and delist
assets with a date and a reason; each change is audited and public at once, with its history."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from common.errors import ConcurrentChange, DomainError, NotPermitted, TransitionNotAllowed
from registry import services
from registry.models import DigitalAsset
from tests.registry.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor():
    return make_user("supervisor")


def test_an_added_asset_is_permitted_audited_and_has_its_history(supervisor):
    asset = services.asset_add(
        actor=supervisor, symbol="near", name="NEAR Protocol", dfa_class="unsecured", effective_on=date(2026, 7, 1),
        reason="Meets the liquidity criteria.",
    )  # fmt: skip

    assert (asset.symbol, asset.status, asset.added_on) == ("NEAR", "permitted", date(2026, 7, 1))
    assert [(e.event, e.reason) for e in asset.events.all()] == [("added", "Meets the liquidity criteria.")]
    assert AuditEntry.objects.filter(action="asset.add", object_id=str(asset.pk)).exists()


def test_an_asset_is_added_once_with_every_problem_named(supervisor):
    with pytest.raises(DomainError) as refused:
        services.asset_add(actor=supervisor, symbol="BTC", name=" ", dfa_class="gold", effective_on=date(2026, 7, 1))

    assert refused.value.problems == [
        "BTC is already on the list; suspend, reinstate or delist it there.",
        "Enter the asset's name.",
        "Choose the DFA class of the asset.",
    ]


def test_suspend_reinstate_and_delist_each_leave_a_dated_public_event(supervisor):
    asset = DigitalAsset.objects.get(symbol="ETH")
    for change, day in ((services.asset_suspend, 2), (services.asset_reinstate, 9), (services.asset_delist, 20)):
        asset = change(
            asset=asset, actor=supervisor, seen_status=asset.status, effective_on=date(2026, 8, day), reason="Because."
        )

    assert (asset.status, asset.status_changed_on) == ("delisted", date(2026, 8, 20))
    assert [e.event for e in asset.events.order_by("id")][-3:] == ["suspended", "reinstated", "delisted"]
    with pytest.raises(TransitionNotAllowed):
        services.asset_suspend(
            asset=asset, actor=supervisor, seen_status="delisted", effective_on=date(2026, 9, 1), reason="Again."
        )


def test_changing_the_list_is_the_supervisors_and_needs_a_reason(supervisor):
    asset = DigitalAsset.objects.get(symbol="ETH")
    with pytest.raises(NotPermitted):
        services.asset_suspend(
            asset=asset, actor=make_user("approver"), seen_status="permitted", effective_on=date(2026, 8, 1), reason="x"
        )
    with pytest.raises(DomainError, match="Give the reason"):
        services.asset_suspend(
            asset=asset, actor=supervisor, seen_status="permitted", effective_on=date(2026, 8, 1), reason=" "
        )


def test_a_change_someone_made_meanwhile_is_refused(supervisor):
    asset = DigitalAsset.objects.get(symbol="ETH")
    services.asset_suspend(
        asset=asset, actor=supervisor, seen_status="permitted", effective_on=date(2026, 8, 1), reason="x"
    )

    with pytest.raises(ConcurrentChange, match="now suspended"):
        services.asset_delist(
            asset=asset, actor=supervisor, seen_status="permitted", effective_on=date(2026, 8, 1), reason="y"
        )


def test_the_public_page_and_the_api_show_the_history(client, supervisor):
    asset = DigitalAsset.objects.get(symbol="ETH")
    before = client.get("/api/v1/assets/")
    services.asset_suspend(
        asset=asset, actor=supervisor, seen_status="permitted", effective_on=date(2026, 8, 3), reason="Fork risk."
    )

    page = client.get(reverse("registry:assets")).content.decode()
    after = client.get("/api/v1/assets/")
    eth = next(a for a in after.json()["results"] if a["symbol"] == "ETH")

    assert "Fork risk." in page
    assert eth["status"] == "suspended"
    assert eth["history"][-1] == {"event": "suspended", "on": "2026-08-03", "reason": "Fork risk."}
    assert eth["history"][0]["event"] == "added"
    assert after["ETag"] != before["ETag"]
