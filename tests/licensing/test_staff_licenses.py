"""Licenses in the dashboard (SPEC sections 7 and 14): search, the license page, and suspension,
reinstatement, revocation and surrender, each with a reason, public at once."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from registry import cache as registry_cache
from registry import services as registry_services
from registry.selectors import CHANGE_FEED_SETTLE
from tests.licensing.conftest import make_application_in
from tests.licensing.staff import code, sign_in_with_code

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))


@pytest.fixture
def license(cast):
    with time_machine.travel(NOW, tick=False):
        return make_application_in("approved", cast).license


def _action(license, action: str) -> str:
    return reverse("licensing:staff_license_action", args=[license.number, action])


def _seen(client, license, action: str) -> int:
    return client.get(_action(license, action)).context["form"].initial["seen_event"]


def test_staff_find_a_license_by_bin_number_or_name(client, cast, license):
    client.force_login(cast.reviewer)

    by_bin = client.get(reverse("licensing:staff_licenses"), {"q": license.holder_bin})
    by_number = client.get(reverse("licensing:staff_licenses"), {"q": license.number})
    page = client.get(reverse("licensing:staff_license", args=[license.number]))

    assert license.number in by_bin.content.decode()
    assert by_number.context["count"] == 1
    assert page.status_code == 200
    assert "approver issued the license" in page.content.decode()  # the staff see who did what


def test_a_suspension_is_public_at_once_on_the_page_the_api_and_the_feed(client, cast, license, settings):
    settings.STAFF_REQUIRE_2FA = True
    with time_machine.travel(NOW, tick=False) as traveller:
        anonymous = client.get(reverse("registry:detail", args=[license.number]))  # cached for the public
        version_before = registry_cache.register_version()
        sign_in_with_code(client, cast.approver)
        response = client.post(
            _action(license, "suspend"),
            {"seen_event": _seen(client, license, "suspend"), "reason": "Quarterly report not filed."},
        )
        version_after = registry_cache.register_version()
        client.logout()
        public = client.get(reverse("registry:detail", args=[license.number])).content.decode()
        api = client.get(f"/api/v1/licenses/{license.number}/").json()
        traveller.shift(CHANGE_FEED_SETTLE.total_seconds() + 1)
        feed = client.get("/api/v1/changes/?since=2026-06-01").json()

    assert anonymous.status_code == 200
    assert response["Location"] == reverse("licensing:staff_license", args=[license.number])
    assert version_after != version_before
    assert "Suspended" in public and "Quarterly report not filed." in public
    assert api["status"] == "suspended"
    assert [change["event"] for change in feed["results"]] == ["issued", "suspended"]


def test_revocation_asks_for_a_fresh_code_after_ten_minutes(client, cast, license, settings):
    settings.STAFF_REQUIRE_2FA = True
    with time_machine.travel(NOW, tick=False) as traveller:
        device = sign_in_with_code(client, cast.approver)
        fresh = client.get(_action(license, "revoke"))
        traveller.shift(11 * 60)
        seen = _seen(client, license, "revoke")
        without = client.post(_action(license, "revoke"), {"seen_event": seen, "reason": "Client assets mixed."})
        wrong = client.post(
            _action(license, "revoke"), {"seen_event": seen, "reason": "Client assets mixed.", "otp_token": "000000"}
        )
        traveller.shift(31)
        right = client.post(
            _action(license, "revoke"),
            {"seen_event": seen, "reason": "Client assets mixed.", "otp_token": code(device)},
        )

    license.refresh_from_db()
    assert "otp_token" not in fresh.content.decode()  # the sign-in code is fresh enough
    assert without.status_code == wrong.status_code == 400
    assert "That code is not valid now" in wrong.content.decode()
    assert right.status_code == 302
    assert license.status == "revoked"


def test_reinstatement_and_surrender_need_no_fresh_code_but_a_reason(client, cast, license, settings):
    settings.STAFF_REQUIRE_2FA = True
    registry_services.license_suspend(license=license, actor=cast.approver, reason="Report late.", recipients=[])
    with time_machine.travel(NOW, tick=False) as traveller:
        sign_in_with_code(client, cast.approver)
        traveller.shift(11 * 60)  # the code of the sign-in is stale: these actions do not ask again
        no_reason = client.post(_action(license, "reinstate"), {"seen_event": _seen(client, license, "reinstate")})
        reinstated = client.post(
            _action(license, "reinstate"), {"seen_event": _seen(client, license, "reinstate"), "reason": "Filed."}
        )
        sign_in_with_code(client, cast.supervisor)
        traveller.shift(11 * 60)
        surrendered = client.post(
            _action(license, "surrender"),
            {"seen_event": _seen(client, license, "surrender"), "reason": "Holder's letter of 1 June."},
        )

    license.refresh_from_db()
    assert no_reason.status_code == 400
    assert "Give the reason" in no_reason.content.decode()
    assert reinstated.status_code == surrendered.status_code == 302
    assert license.status == "surrendered"


@pytest.mark.parametrize("role", ["reviewer", "supervisor"])
def test_only_approvers_suspend(client, cast, license, role):
    client.force_login(getattr(cast, role))

    page = client.get(reverse("licensing:staff_license", args=[license.number])).content.decode()
    response = client.post(_action(license, "suspend"), {"seen_event": "999999", "reason": "No."})

    license.refresh_from_db()
    assert "Suspend…" not in page
    assert response.status_code == 302
    assert license.status == "active"


def test_a_change_made_meanwhile_is_reported_instead_of_acted_on(client, cast, license):
    client.force_login(cast.approver)
    seen = _seen(client, license, "revoke")
    registry_services.license_suspend(license=license, actor=cast.approver2, reason="Report late.", recipients=[])

    response = client.post(_action(license, "revoke"), {"seen_event": seen, "reason": "Client assets mixed."})

    license.refresh_from_db()
    page = response.content.decode()
    assert response.status_code == 409
    assert "changed after you opened it" in page and "Report late." in page
    assert "Client assets mixed." in page  # what the approver wrote is still in the form
    assert license.status == "suspended"


def test_an_unknown_license_or_action_answers_404(client, cast, license):
    client.force_login(cast.approver)

    assert client.get(reverse("licensing:staff_license", args=["DAX-2026-9999"])).status_code == 404
    assert client.get(_action(license, "burn")).status_code == 404
