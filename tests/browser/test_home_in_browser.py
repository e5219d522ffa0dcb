import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.driving import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_keyboard_user_reaches_the_skip_link_first_and_it_moves_focus_to_main(page):
    browser = page("/")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = browser.switch_to.active_element

    assert focused.get_attribute("class") == "skip-link"
    assert focused.is_displayed()
    focused.send_keys(Keys.ENTER)
    assert browser.current_url.endswith("#main")


def test_visitor_switches_the_interface_to_russian(page):
    browser = page("/")
    browser.find_element(By.CSS_SELECTOR, 'button[name="language"][value="ru"]').click()
    wait_until(browser, lambda driver: driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ru")

    current = browser.find_element(By.CSS_SELECTOR, ".language-switcher button.current")
    assert current.get_attribute("value") == "ru"


def test_stylesheet_loads_and_page_fits_a_phone(page, browser):
    browser.set_window_size(390, 844)
    try:
        browser = page("/")
        header_colour = browser.execute_script(
            "return getComputedStyle(document.querySelector('.site-header')).backgroundColor"
        )
        overflow = browser.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
    finally:
        browser.set_window_size(1280, 900)

    assert header_colour == "rgb(20, 33, 61)"  # --ink: the stylesheet was served and applied
    assert overflow is False


def test_user_signs_in_through_the_form(page, django_user_model):
    django_user_model.objects.create_user("browser-user", password="a-long-password-123")
    browser = page("/accounts/login/")
    browser.find_element(By.NAME, "username").send_keys("browser-user")
    browser.find_element(By.NAME, "password").send_keys("a-long-password-123" + Keys.ENTER)

    # The form posts and the browser loads the next page: wait for it rather than read the old one.
    wait_until(browser, lambda driver: "browser-user" in driver.find_element(By.CSS_SELECTOR, ".nav-user").text)
    assert "/accounts/login/" not in browser.current_url
