"""The applicant face in a real browser: from sign-up to a submitted case, then a request and a withdrawal.

Screenshots of every page at 1366 and 390 px wide go to ``var/screenshots/applicant/``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from selenium.webdriver.common.by import By

from licensing.models import Application, InformationRequest
from licensing.selectors import application_document_slots
from tests.browser.driving import wait_until
from tests.browser.screens import shoot
from tests.licensing.conftest import BIN_C, PDF_BYTES, make_application_in
from tests.licensing.conftest import cast as cast  # the fixture, shared with the licensing tests

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-and-unusual-passphrase"


def fill(browser, **values):
    for name, value in values.items():
        field = browser.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)


def submit(browser, text: str):
    old = browser.find_element(By.TAG_NAME, "main")
    browser.find_element(By.XPATH, f"//main//button[normalize-space()='{text}']").click()
    wait_until(browser, lambda driver: old.id != driver.find_element(By.TAG_NAME, "main").id)


def click_link(browser, text: str):
    old = browser.find_element(By.TAG_NAME, "main")
    browser.find_element(By.XPATH, f"//main//a[contains(normalize-space(), '{text}')]").click()
    wait_until(browser, lambda driver: old.id != driver.find_element(By.TAG_NAME, "main").id)


def main_text(browser) -> str:
    return browser.find_element(By.TAG_NAME, "main").text


def test_a_new_applicant_goes_from_sign_up_to_a_submitted_case(page, browser, tmp_path):
    shots = "applicant"
    document = tmp_path / "document.pdf"
    document.write_bytes(PDF_BYTES)

    browser = page("/accounts/sign-up/")
    fill(browser, email="officer@steppe.kz", password=PASSWORD, password_again=PASSWORD)
    shoot(browser, shots, "01-sign-up")
    submit(browser, "Create account")
    assert "Check your e-mail" in main_text(browser)
    shoot(browser, shots, "02-check-email")

    wait_until(browser, lambda driver: mail.outbox)
    link = re.search(r"https?://\S+/accounts/verify/\S+", mail.outbox[-1].body).group(0)
    page(urlsplit(link).path)
    assert "E-mail address confirmed" in main_text(browser)
    shoot(browser, shots, "03-verified")
    click_link(browser, "Sign in")
    fill(browser, username="officer@steppe.kz", password=PASSWORD)
    shoot(browser, shots, "04-sign-in")
    submit(browser, "Sign in")
    assert "Register your organization" in main_text(browser)
    shoot(browser, shots, "05-home-empty")

    click_link(browser, "Register an organization")
    fill(browser, legal_name="Steppe Custody JSC", bin="123")
    submit(browser, "Register")
    assert "BIN" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    shoot(browser, shots, "06-organization-error")
    fill(browser, bin=BIN_C)
    submit(browser, "Register")
    shoot(browser, shots, "07-organization")
    organization_url = browser.current_url

    click_link(browser, "Change")
    fill(
        browser,
        registered_address="Mangilik El avenue 55/20, Astana",
        website="https://www.steppe-custody.kz/",
        contact_email="compliance@steppe-custody.kz",
    )
    shoot(browser, shots, "08-details")
    submit(browser, "Save")

    click_link(browser, "Manage beneficial owners")
    click_link(browser, "Add a beneficial owner")
    fill(browser, full_name="Aliya Seitkali", share_percent="120")
    browser.find_element(By.CSS_SELECTOR, "select[name=country] option[value=KZ]").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=is_politically_exposed][value=no]").click()
    submit(browser, "Save owner")
    shoot(browser, shots, "09-owner-error")
    fill(browser, share_percent="100")
    submit(browser, "Save owner")
    shoot(browser, shots, "10-owners")

    browser.get(organization_url)
    click_link(browser, "Manage key persons")
    click_link(browser, "Add a key person")
    browser.find_element(By.CSS_SELECTOR, "select[name=role] option[value=chief_executive]").click()
    fill(browser, full_name="Aliya Seitkali")
    shoot(browser, shots, "11-key-person")
    submit(browser, "Save person")
    shoot(browser, shots, "12-key-persons")

    browser.get(browser.current_url.split("/apply/")[0] + "/apply/")
    submit(browser, "Start a new application")
    shoot(browser, shots, "13-task-list")
    reference = re.search(r"APP-[0-9A-Z]{5}-[0-9A-Z]{5}", browser.current_url).group(0)

    click_link(browser, "Services and license type")
    browser.find_element(By.CSS_SELECTOR, "input[name=activities][value=custody]").click()
    shoot(browser, shots, "14-services")
    submit(browser, "Save and continue")

    click_link(browser, "Digital assets")
    browser.find_element(By.CSS_SELECTOR, "input[name=assets][value=BTC]").click()
    shoot(browser, shots, "15-assets")
    submit(browser, "Save and continue")

    click_link(browser, "Capital and business summary")
    fill(browser, paid_up_capital_kzt="900 000 000", business_summary="Custody of digital assets for funds.")
    shoot(browser, shots, "16-business")
    submit(browser, "Save and continue")

    click_link(browser, "Documents")
    shoot(browser, shots, "17-documents")
    application = Application.objects.get(reference=reference)
    for index, _view in enumerate(application_document_slots(application)):
        slot = browser.find_elements(By.CSS_SELECTOR, ".slot-list .slot-side a.button")[index]
        old = browser.find_element(By.TAG_NAME, "main")
        slot.click()
        wait_until(browser, lambda driver, old=old: old.id != driver.find_element(By.TAG_NAME, "main").id)
        if index == 0:
            shoot(browser, shots, "18-document-slot")
        browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(document))
        old = browser.find_element(By.TAG_NAME, "main")
        browser.find_element(By.XPATH, "//main//button[normalize-space()='Upload']").click()
        wait_until(browser, lambda driver, old=old: old.id != driver.find_element(By.TAG_NAME, "main").id)
        assert "/documents/" in browser.current_url and "is uploaded as version 1" in main_text(browser)
    shoot(browser, shots, "19-documents-done")

    click_link(browser, "Back to the task list")
    assert "Cannot start yet" not in main_text(browser)
    shoot(browser, shots, "20-task-list-done")
    click_link(browser, "Check your answers and submit")
    shoot(browser, shots, "21-check-answers")
    browser.find_element(By.NAME, "declaration").click()
    submit(browser, "Submit the application")
    assert reference in main_text(browser) and "Application submitted" in main_text(browser)
    shoot(browser, shots, "22-confirmation")

    click_link(browser, "Follow your case")
    text = main_text(browser)
    assert "Submitted" in text and "working days left" in text and "Withdraw the application" in text
    shoot(browser, shots, "23-case")


def test_an_applicant_answers_a_request_with_a_file_then_withdraws_another_application(
    page,
    browser,
    cast,
    tmp_path,
):
    shots = "applicant-case"
    letter = tmp_path / "auditor-letter.pdf"
    letter.write_bytes(PDF_BYTES)
    asked = make_application_in("information_requested", cast)
    other = make_application_in("under_review", cast)

    browser = page("/accounts/login/")
    fill(browser, username="applicant-a", password="unused-in-tests-0123")
    submit(browser, "Sign in")
    shoot(browser, shots, "01-home")

    browser.get(f"{browser.current_url.split('/apply/')[0]}/apply/{asked.reference}/")
    assert "Who audits you?" in main_text(browser)
    shoot(browser, shots, "02-case-with-request")
    click_link(browser, "Answer the request")
    fill(browser, response="Our information-security controls are audited by KPMG Kazakhstan.")
    browser.find_element(By.NAME, "attachments").send_keys(str(letter))
    shoot(browser, shots, "03-answer")
    old = browser.find_element(By.TAG_NAME, "main")
    browser.find_element(By.XPATH, "//main//button[normalize-space()='Send the answer']").click()
    wait_until(browser, lambda driver: old.id != driver.find_element(By.TAG_NAME, "main").id)
    assert "Your answer is sent" in main_text(browser) and "auditor-letter.pdf" in main_text(browser)
    shoot(browser, shots, "04-case-answered")
    asked.refresh_from_db()
    assert asked.state == "completeness_check"
    assert InformationRequest.objects.get(application=asked).attachments.count() == 1

    browser.get(f"{browser.current_url.split('/apply/')[0]}/apply/{other.reference}/")
    click_link(browser, "Withdraw the application")
    shoot(browser, shots, "05-withdraw-confirm")
    submit(browser, "Withdraw the application")
    assert "Tick the box to confirm" in main_text(browser)
    browser.find_element(By.NAME, "confirm").click()
    submit(browser, "Withdraw the application")
    assert "is withdrawn" in main_text(browser)
    shoot(browser, shots, "06-withdrawn")
    other.refresh_from_db()
    assert other.state == "withdrawn"
