"""A member of the public finds a license, opens it and verifies it, in a real browser."""

from datetime import date

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from registry.models import Activity, License, LicenseType
from tests.browser.driving import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def licence():
    license = License.objects.create(
        number="DAX-2026-0042",
        license_type=LicenseType.objects.get(code="DAX"),
        holder_name="Nomad Digital Exchange JSC",
        holder_bin="250140001232",
        holder_website="https://nomad-exchange.example.kz",
        issued_at=date(2026, 4, 1),
        valid_until=date(2031, 4, 1),
    )
    license.activities.set(Activity.objects.filter(code__in=["trading_platform", "custody"]))
    return license


def test_visitor_searches_by_name_with_a_typo_and_opens_the_license(page, licence):
    browser = page("/registry/")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("Nomad Digital" + Keys.ENTER)
    wait_until(browser, lambda driver: "DAX-2026-0042" in driver.page_source and "q=" in driver.current_url)

    browser.find_element(By.PARTIAL_LINK_TEXT, "DAX-2026-0042").click()
    wait_until(browser, lambda driver: driver.current_url.endswith("/registry/DAX-2026-0042/"))

    heading = browser.find_element(By.TAG_NAME, "h1").text
    qr = browser.find_element(By.CSS_SELECTOR, "img.qr")
    assert "Nomad Digital Exchange JSC" in browser.page_source
    assert "DAX-2026-0042" in heading or "Nomad" in heading
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", qr)


def test_detail_page_fits_a_phone_without_sideways_scrolling(page, browser, licence):
    browser.set_window_size(390, 844)
    try:
        page("/registry/DAX-2026-0042/")
        overflow = browser.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
    finally:
        browser.set_window_size(1280, 900)

    assert overflow is False


def test_visitor_verifies_a_license_number_with_the_keyboard_only(page, licence):
    browser = page("/registry/verify/")
    field = browser.find_element(By.CSS_SELECTOR, "input[type=text], input[type=search], input:not([type])")
    field.send_keys("DAX-2026-0042" + Keys.ENTER)

    wait_until(browser, lambda driver: "DAX-2026-0042" in driver.find_element(By.TAG_NAME, "main").text)
    assert "Nomad Digital Exchange JSC" in browser.find_element(By.TAG_NAME, "main").text
