"""A case worked in the regulator's dashboard in a real browser, from pick-up to a public license.

A reviewer signs in with a second factor, picks up a submitted case and requests information; the
applicant answers on their case page, with a file; the reviewer accepts every document, confirms
completeness and recommends a grant; an
approver signs in with their own second factor and approves; the license is then in the public
search and the change feed. Every page is photographed at 1366 and 390 pixels wide: into
``$PORTAL_SCREENSHOTS`` if set (to look at them), else into pytest's temporary directory.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of

from accounts.models import User
from licensing import services
from licensing.models import Application
from registry.models import WarningEntry
from registry.selectors import CHANGE_FEED_SETTLE
from tests.browser.driving import wait_until
from tests.licensing.conftest import BIN_A, PDF_BYTES, make_draft, make_organization, upload_all

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "browser-test-password-0123"
WIDTHS = (1366, 390)


@pytest.fixture
def shots(tmp_path_factory):
    folder = Path(os.environ.get("PORTAL_SCREENSHOTS") or tmp_path_factory.mktemp("dashboard-screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def photograph(browser, folder: Path, name: str) -> None:
    """The whole page at each width; and no page may scroll sideways on a phone."""
    for width in WIDTHS:
        browser.set_window_size(width, 900)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(width, min(max(height, 900), 8000))
        browser.save_screenshot(str(folder / f"{name}-{width}.png"))
        overflow = browser.execute_script("return document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not overflow, f"{name} scrolls sideways at {width} px"
    browser.set_window_size(1366, 900)


def staff(username: str, role: str) -> tuple[User, TOTPDevice]:
    user = User.objects.create_user(
        username, password=PASSWORD, email=f"{username}@nationalbank.example.kz", first_name=username.title()
    )
    user.groups.add(Group.objects.get(name=role))
    return user, TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def sign_in(browser, base: str, user: User, device: TOTPDevice | None, *, landing: str = "/staff/") -> None:
    """Sign in through the form (and the second factor, for staff) and land on ``landing``."""
    browser.delete_all_cookies()
    browser.get(f"{base}/accounts/login/?next={landing}")
    browser.find_element(By.NAME, "username").send_keys(user.username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    if device is not None:
        wait_until(browser, lambda driver: "/accounts/second-factor/" in driver.current_url)
        # A code is good once: signing in again within its 30 seconds would need the next one.
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
        device.refresh_from_db()
        browser.find_element(By.NAME, "token").send_keys(f"{totp(device.bin_key):06d}")
        browser.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    wait_until(browser, lambda driver: urlsplit(driver.current_url).path == landing)


def click(browser, selector: str, *, then: str) -> None:
    """Press a button or link and wait for the page that follows (named by a part of its text)."""
    # <main> is replaced by a page load and by the upload script's in-place answer alike.
    old = browser.find_element(By.ID, "main")
    browser.find_element(By.CSS_SELECTOR, selector).click()
    wait_until(browser, staleness_of(old))
    wait_until(browser, lambda driver: then in driver.find_element(By.TAG_NAME, "main").text)


def test_a_case_from_pick_up_to_a_public_license(page, live_server, settings, shots):
    settings.STAFF_REQUIRE_2FA = True
    applicant = User.objects.create_user(
        "applicant-a", password=PASSWORD, email="a@example.kz", email_verified_at=timezone.now()
    )
    organization = make_organization(applicant, bin=BIN_A, legal_name="Steppe Digital Exchange JSC")
    application = make_draft(organization, applicant)
    upload_all(application, applicant)
    application = services.application_submit(application=application, actor=applicant)
    reviewer, reviewer_device = staff("aigerim", "reviewer")
    approver, approver_device = staff("nurlan", "approver")
    base = live_server.url
    case = f"/staff/cases/{application.reference}/"
    browser = page("/")

    sign_in(browser, base, reviewer, reviewer_device)
    browser.get(f"{base}/staff/?tab=unassigned")
    wait_until(browser, lambda driver: application.reference in driver.page_source)
    photograph(browser, shots, "01-queue-unassigned")
    click(
        browser, f'button[formaction$="/{application.reference}/pick-up/"]', then="its completeness check has started"
    )
    photograph(browser, shots, "02-case-picked-up")

    click(browser, f'a[href="{case}request-information/"]', then="Request information from the applicant")
    photograph(browser, shots, "03-request-information")
    browser.find_element(By.NAME, "questions").send_keys("Who audits your information-security controls?")
    click(browser, "main form button[type=submit]", then="Information requested")

    # The applicant answers on their own case page, with a file.
    attachment = shots / "audit-letter.pdf"
    attachment.write_bytes(PDF_BYTES)
    sign_in(browser, base, applicant, None, landing=f"/apply/{application.reference}/")
    click(browser, 'a[href*="/requests/"]', then="Who audits your information-security controls?")
    browser.find_element(By.NAME, "response").send_keys("Qazaq Audit LLP, since 2024.")
    browser.find_element(By.NAME, "attachments").send_keys(str(attachment))
    photograph(browser, shots, "04a-applicant-answers")
    click(browser, "main form button[type=submit]", then="Your answer is sent")

    sign_in(browser, base, reviewer, reviewer_device, landing="/staff/")
    browser.get(base + case)
    assert "audit-letter.pdf" in browser.find_element(By.ID, "requests").text
    photograph(browser, shots, "04-case-answered")
    while browser.find_elements(By.CSS_SELECTOR, 'form[action*="/accept/"] button'):
        click(browser, 'form[action*="/accept/"] button', then="Accepted:")
    photograph(browser, shots, "05-documents-accepted")
    click(browser, f'form[action="{case}confirm-complete/"] button', then="the review has started")

    click(browser, f'a[href="{case}recommend/"]', then="Recommend a decision")
    browser.find_element(By.CSS_SELECTOR, 'input[name="recommendation"][value="grant"]').click()
    browser.find_element(By.NAME, "reasons").send_keys("Capital, governance and AML controls meet the rules.")
    photograph(browser, shots, "06-recommend")
    click(browser, "main form button[type=submit]", then="Another approver decides the case")
    photograph(browser, shots, "07-case-recommended")

    sign_in(browser, base, approver, approver_device)
    assert application.reference in browser.find_element(By.TAG_NAME, "main").text  # awaiting my decision
    photograph(browser, shots, "08-queue-decide")
    browser.get(base + case)
    photograph(browser, shots, "09-case-to-decide")
    click(browser, f'a[href="{case}approve/"]', then="Approve the application")
    photograph(browser, shots, "10-approve")
    click(browser, "main form button[type=submit]", then="The license is issued")
    photograph(browser, shots, "11-case-approved")
    number = Application.objects.select_related("license").get(pk=application.pk).license.number

    browser.get(f"{base}/registry/?q={BIN_A}")
    wait_until(browser, lambda driver: number in driver.page_source)
    photograph(browser, shots, "12-public-search")
    # The change feed shows an event once it is CHANGE_FEED_SETTLE old: look a little later.
    with time_machine.travel(timezone.now() + CHANGE_FEED_SETTLE + timedelta(seconds=1)):
        browser.get(f"{base}/api/v1/changes/?since=2020-01-01")
        feed = browser.find_element(By.TAG_NAME, "body").text
    assert re.search(rf'"number":\s*"{number}"', feed)

    browser.get(f"{base}/staff/licenses/{number}/")
    wait_until(browser, lambda driver: number in driver.find_element(By.TAG_NAME, "h1").text)
    photograph(browser, shots, "13-license")


def test_the_supervisors_pages_in_a_browser(page, live_server, shots):
    supervisor = User.objects.create_user("saule", password=PASSWORD, first_name="Saule", last_name="Supervisor")
    supervisor.groups.add(Group.objects.get(name="supervisor"))
    applicant = User.objects.create_user(
        "applicant-a", password=PASSWORD, email="a@example.kz", email_verified_at=timezone.now()
    )
    organization = make_organization(applicant, bin=BIN_A, legal_name="Steppe Digital Exchange JSC")
    # On the list before the case is submitted: submission screens the applicant against it.
    WarningEntry.objects.create(name="Steppe Digital Exchange", domains=["example.kz"], listed_on=date(2026, 4, 1))
    draft = make_draft(organization, applicant)
    upload_all(draft, applicant)
    services.application_submit(application=draft, actor=applicant)
    browser = page("/")
    browser.get(f"{live_server.url}/accounts/login/?next=/staff/")
    browser.find_element(By.NAME, "username").send_keys("saule")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    wait_until(browser, lambda driver: urlsplit(driver.current_url).path == "/staff/")

    for name, path, heading in (
        ("20-supervisor-case", f"/staff/cases/{draft.reference}/", "Steppe Digital Exchange JSC"),
        ("21-metrics", "/staff/metrics/", "Metrics"),
        ("22-assets", "/staff/assets/", "Permitted digital assets"),
        ("23-asset-suspend", "/staff/assets/ETH/suspend/", "Suspend ETH"),
        ("24-licenses", "/staff/licenses/", "Licenses"),
        ("25-team", "/staff/team/", "Team"),
        ("26-team-reset", f"/staff/team/{supervisor.pk}/second-factor/", "Reset the second factor"),
        ("27-warnings", "/staff/warnings/", "Warning list"),
        ("28-warning-add", "/staff/warnings/add/", "Add an entry"),
        ("29-warning-import", "/staff/warnings/import/", "Import a regulator's file"),
    ):
        browser.get(live_server.url + path)
        wait_until(browser, lambda driver, text=heading: text in driver.find_element(By.TAG_NAME, "h1").text)
        photograph(browser, shots, name)
    browser.get(live_server.url + f"/staff/cases/{draft.reference}/")
    assert "resembles Steppe Digital Exchange" in browser.find_element(By.ID, "warnings").text
