"""Waiting for a page in a real browser, and saying what was there when it never came."""

from __future__ import annotations

from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def wait_until(browser, condition, timeout: float = 15):
    """Wait across a page load: elements of the old document go stale while the new one arrives.

    On a timeout the failure names the page the browser shows instead (address, title, first
    heading, the start of the text), so a failure in CI says what went wrong without a rerun.
    """
    try:
        return WebDriverWait(
            browser, timeout, ignored_exceptions=(StaleElementReferenceException, WebDriverException)
        ).until(condition)
    except TimeoutException:
        raise AssertionError(f"waited {timeout:g} s in vain; the browser shows {describe(browser)}") from None


def describe(browser) -> str:
    try:
        headings = browser.find_elements(By.TAG_NAME, "h1")
        text = browser.find_element(By.TAG_NAME, "body").text
        return (
            f"{browser.current_url} titled {browser.title!r}, "
            f"h1 {[heading.text for heading in headings]!r}, text {text[:600]!r}"
        )
    except WebDriverException as error:
        return f"{browser.current_url} (unreadable: {error.msg})"
