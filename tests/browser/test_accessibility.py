"""axe-core finds no serious or critical problem on any page of ``tests.pages.PAGES``, in any language.

axe-core is the npm package pinned in package.json / package-lock.json (``make test`` installs it) and
is read from node_modules into each page by WebDriver, so no CDN is involved and the page's CSP is
untouched. One browser and one seeded database serve every page and language: adding a page to
``PAGES`` adds it here in kk, ru and en. The WCAG 2.2 form rules axe cannot see (the error summary
takes the focus and leads to each field; focus never hidden) have their own tests below.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import require_service
from tests.pages import PAGES, seed_demo_data

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ("kk", "ru", "en")
BLOCKING = ("serious", "critical")

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"], rules: {"target-size": {enabled: true}}})
  .then(result => done(result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))))
  .catch(error => done({error: String(error)}));
"""

SEND_FORM = """
const [data] = arguments;
let form = null;
for (const [name, value] of Object.entries(data)) {
  const field = document.querySelector(`[name="${name}"]`);
  field.value = value;
  form = field.form;
}
window.__before_submit = true;
form.requestSubmit();
"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    require_service("axe-core (npm ci, from package-lock.json)", AXE.exists())
    return AXE.read_text()


class Visitor:
    """The browser as one visitor after another: anonymous or a demo user, in a chosen language."""

    def __init__(self, browser, live_server):
        self.browser = browser
        self.base = live_server.url
        self.sessions: dict[str, str] = {}
        browser.get(self.base + "/healthz")  # cookies can only be set on the portal's own origin

    def session_of(self, username: str) -> str:
        from accounts.models import User

        if username not in self.sessions:
            client = Client()
            client.force_login(User.objects.get(username=username))
            self.sessions[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
        return self.sessions[username]

    def become(self, username: str | None, language: str) -> None:
        self.browser.delete_all_cookies()
        self.browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "path": "/"})
        if username:
            self.browser.add_cookie(
                {"name": settings.SESSION_COOKIE_NAME, "value": self.session_of(username), "path": "/"}
            )

    def open(self, page) -> None:
        self.browser.get(self.base + page.url())
        if page.post is not None:
            self.browser.execute_script(SEND_FORM, page.post)
            WebDriverWait(self.browser, 10).until(
                lambda driver: driver.execute_script(
                    "return window.__before_submit === undefined && document.readyState === 'complete'"
                )
            )


def test_axe_finds_no_serious_problem_on_any_page_in_any_language(browser, live_server, axe_source):
    seed_demo_data()
    visitor = Visitor(browser, live_server)
    browser.set_script_timeout(60)
    problems = []
    for language in LANGUAGES:
        for page in PAGES:
            visitor.become(page.user, language)
            visitor.open(page)
            lang = browser.find_element(By.TAG_NAME, "html").get_attribute("lang")
            if lang != language:
                problems.append(f"{language} {page.name}: <html lang={lang!r}>")
            browser.execute_script(axe_source)
            violations = browser.execute_async_script(RUN_AXE)
            assert not isinstance(violations, dict), violations.get("error")
            problems += [
                f"{language} {page.name}: {v['impact']} {v['id']} ({v['help']}) at {json.dumps(v['nodes'])}"
                for v in violations
                if v["impact"] in BLOCKING
            ]

    assert not problems, "\n".join(problems)


def test_the_error_summary_takes_the_focus_and_each_link_focuses_its_field(page, browser):
    browser = page("/accounts/login/")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, "[data-error-summary]"))

    summary = browser.find_element(By.CSS_SELECTOR, "[data-error-summary]")
    assert browser.switch_to.active_element == summary
    links = summary.find_elements(By.CSS_SELECTOR, "a[href^='#']")
    assert [link.get_attribute("href").split("#")[1] for link in links] == ["id_username", "id_password"]
    for link in links:
        link.click()
        field_id = link.get_attribute("href").split("#")[1]
        assert browser.switch_to.active_element.get_attribute("id") == field_id
        described_by = browser.switch_to.active_element.get_attribute("aria-describedby").split()
        error = browser.find_element(By.ID, f"{field_id}_error")
        assert error.get_attribute("id") in described_by
        assert error.text


def test_keyboard_focus_is_never_hidden_behind_another_element(page, browser):
    browser = page("/registry/?status=active")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    hidden, seen = [], set()
    for _ in range(60):
        element = browser.switch_to.active_element
        key = element.get_attribute("outerHTML")[:120]
        if key in seen:
            break
        seen.add(key)
        # The centre of the focused element must show the element itself, not a header laid over it.
        covered = browser.execute_script(
            """
            const el = arguments[0];
            const box = el.getBoundingClientRect();
            if (box.width === 0 || box.height === 0) return false;
            const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return !(top && (el === top || el.contains(top) || top.contains(el)));
            """,
            element,
        )
        if covered:
            hidden.append(key)
        element.send_keys(Keys.TAB)

    assert len(seen) > 10  # the walk went through the page, not stuck on one element
    assert not hidden
