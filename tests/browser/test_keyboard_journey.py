"""An applicant goes from sign-in to a submitted application with the keyboard alone, in Kazakh.

Nothing is clicked: Tab moves the focus, Enter follows a link or presses a button, Space ticks a box,
and text is typed into the focused field. Elements are recognised by what they are (a field's name, a
link's address), not by their words, so the walk holds in any language. The one concession is the
file chooser, a dialog of the operating system: its path is given to the focused file input.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from licensing.models import Application
from tests.licensing.conftest import PDF_BYTES
from tests.pages import DEMO_PASSWORD, seed_demo_data

pytestmark = pytest.mark.django_db(transaction=True)


class Keyboard:
    def __init__(self, browser):
        self.browser = browser

    def press(self, *keys) -> None:
        ActionChains(self.browser).send_keys(*keys).perform()

    def focused(self):
        return self.browser.switch_to.active_element

    def tab_to(self, description: str, matches, limit: int = 150):
        """Press Tab until the focused element ``matches``; fail naming what was not reached."""
        for _ in range(limit):
            self.press(Keys.TAB)
            element = self.focused()
            try:
                if matches(element):
                    return element
            except StaleElementReferenceException:
                continue
        problems = [summary.text for summary in self.browser.find_elements(By.CSS_SELECTOR, ".error-summary")]
        pytest.fail(f"Tab never reached {description} on {self.browser.current_url} {problems}")

    def follow(self, key=Keys.ENTER) -> None:
        """Activate the focused element and wait for the next page."""
        old = self.browser.find_element(By.TAG_NAME, "main")
        self.press(key)
        WebDriverWait(self.browser, 15, ignored_exceptions=(StaleElementReferenceException, WebDriverException)).until(
            lambda driver: old.id != driver.find_element(By.TAG_NAME, "main").id
        )

    def go(self, description: str, matches) -> None:
        """Tab to a link or button and activate it."""
        self.tab_to(description, matches)
        self.follow()

    def type(self, text: str, *, replace: bool = False) -> None:
        if replace:
            ActionChains(self.browser).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).perform()
            self.press(Keys.DELETE)
        self.press(text)


def is_link_to(path: str):
    return lambda element: element.tag_name == "a" and (element.get_attribute("href") or "").endswith(path)


def is_field(name: str, value: str | None = None):
    return lambda element: (
        element.get_attribute("name") == name and (value is None or element.get_attribute("value") == value)
    )


def is_submit_button(element) -> bool:
    return (
        element.tag_name == "button"
        and element.get_attribute("type") == "submit"
        and element.get_attribute("name") != "language"  # the header's language switcher
        and element.find_elements(By.XPATH, "ancestor::main")
    )


def is_upload_still_to_do(element) -> bool:
    classes = (element.get_attribute("class") or "").split()
    return (
        element.tag_name == "a"
        and "button" in classes
        and "button-secondary" not in classes
        and element.find_elements(By.XPATH, "ancestor::*[contains(@class, 'slot-list')]")
    )


def test_an_applicant_signs_in_and_submits_an_application_with_the_keyboard_alone(page, browser, tmp_path):
    seed_demo_data()
    document = tmp_path / "document.pdf"
    document.write_bytes(PDF_BYTES)
    before = set(Application.objects.values_list("reference", flat=True))
    browser = page("/healthz")
    browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": "kk", "path": "/"})
    keyboard = Keyboard(page("/accounts/login/"))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "kk"

    keyboard.tab_to("the user name", is_field("username"))
    keyboard.type("applicant")
    keyboard.tab_to("the password", is_field("password"))
    keyboard.type(DEMO_PASSWORD)
    keyboard.follow()
    assert "/accounts/login/" not in browser.current_url

    browser.get(browser.current_url.split("/apply/")[0].split("/accounts/")[0] + "/apply/")
    keyboard.tab_to(
        "'start a new application'",
        lambda el: (
            is_submit_button(el)
            and "applications/new" in (el.find_element(By.XPATH, "ancestor::form").get_attribute("action") or "")
        ),
    )
    keyboard.follow()
    [reference] = set(Application.objects.values_list("reference", flat=True)) - before

    keyboard.go("the services task", is_link_to(f"/apply/{reference}/services/"))
    keyboard.tab_to("the 'advice' service", is_field("activities", "advice"))
    keyboard.press(Keys.SPACE)
    keyboard.go("'save and continue'", is_submit_button)

    keyboard.go("the assets task", is_link_to(f"/apply/{reference}/assets/"))
    keyboard.tab_to("Bitcoin", is_field("assets", "BTC"))
    keyboard.press(Keys.SPACE)
    keyboard.go("'save and continue'", is_submit_button)

    keyboard.go("the capital task", is_link_to(f"/apply/{reference}/business/"))
    keyboard.tab_to("the capital", is_field("paid_up_capital_kzt"))
    keyboard.type("2 000 000 000", replace=True)
    assert keyboard.focused().get_attribute("value") == "2 000 000 000"
    keyboard.tab_to("the business summary", is_field("business_summary"))
    keyboard.type("Цифрлық қаржы активтері бойынша кеңес беру.", replace=True)
    keyboard.go("'save and continue'", is_submit_button)

    keyboard.go("the documents task", is_link_to(f"/apply/{reference}/documents/"))
    uploads = 0
    while browser.find_elements(By.CSS_SELECTOR, ".slot-list a.button:not(.button-secondary)"):
        keyboard.go("the next document to upload", is_upload_still_to_do)
        keyboard.tab_to("the file input", lambda el: el.get_attribute("type") == "file").send_keys(str(document))
        keyboard.go("'upload'", is_submit_button)
        uploads += 1
    assert uploads >= 8

    keyboard.go("the task list", is_link_to(f"/apply/{reference}/"))
    keyboard.go("'check your answers'", is_link_to(f"/apply/{reference}/check/"))
    keyboard.tab_to("the declaration", is_field("declaration"))
    keyboard.press(Keys.SPACE)
    keyboard.go("'submit the application'", is_submit_button)

    assert browser.current_url.endswith(f"/apply/{reference}/submitted/")
    assert reference in browser.find_element(By.TAG_NAME, "main").text
    assert Application.objects.get(reference=reference).state == Application.State.SUBMITTED
