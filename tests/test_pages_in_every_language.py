"""Every page of ``tests.pages.PAGES``, read in Kazakh and Russian, holds no English the portal wrote.

What the data holds is shown as it is (a holder's Latin name, an asset's name); everything else is
either translated or sits in an element whose ``lang`` attribute says what language it is in.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.conf import settings

from tests.pages import PAGES, data_strings, english_in, english_vocabulary, seed_demo_data
from tests.test_translations import catalogue

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
WORDY_ATTRIBUTES = {"title", "alt", "aria-label", "aria-description", "placeholder", "data-label"}


class PageText(HTMLParser):
    """Text nodes and wordy attributes of a page, each with the language the markup declares for it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html_lang = ""
        self.stack: list[tuple[str, str]] = []  # (tag, lang)
        self.texts: list[tuple[str, str]] = []  # (lang, text)

    @property
    def lang(self) -> str:
        return self.stack[-1][1] if self.stack else self.html_lang

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang") or self.lang
        if tag == "html":
            self.html_lang = lang
        for name in WORDY_ATTRIBUTES & attrs.keys():
            self.texts.append((lang, attrs[name] or ""))
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append((lang, attrs["value"]))
        if tag not in VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        # Pop back to the matching element; HTML lets some end tags be left out.
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] in ("script", "style"):
            return
        text = " ".join(data.split())
        if text:
            self.texts.append((self.lang, text))


def read_page(client, page, language: str):
    from accounts.models import User

    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if page.user:
        client.force_login(User.objects.get(username=page.user))
    if page.post is None:
        return client.get(page.url(), HTTP_ACCEPT_LANGUAGE=language)
    return client.post(page.url(), page.post, HTTP_ACCEPT_LANGUAGE=language)


def test_no_page_shows_english_in_kazakh_or_russian(client):
    seed_demo_data()
    vocabulary = english_vocabulary([catalogue("kk"), catalogue("ru")])
    data = data_strings()
    problems = []
    for language in ("kk", "ru"):
        for page in PAGES:
            response = read_page(client, page, language)
            if response.status_code != page.status:
                problems.append(f"{language} {page.name}: status {response.status_code}, expected {page.status}")
                continue
            parsed = PageText()
            parsed.feed(response.content.decode())
            if parsed.html_lang != language:
                problems.append(f"{language} {page.name}: <html lang={parsed.html_lang!r}>")
            in_page_language = [text for lang, text in parsed.texts if lang == language]
            problems += [f"{language} {page.name}: {text!r}" for text in english_in(in_page_language, vocabulary, data)]
            # Dates end in an abbreviation ("2026 г.", "2026 ж."): a sentence ending in one takes no second stop.
            doubled = [text for text in in_page_language if ".." in text]
            problems += [f"{language} {page.name}: stop doubled in {text!r}" for text in doubled]

    assert not problems, "\n".join(problems)


def test_the_check_finds_an_english_sentence_but_not_names_or_codes():
    vocabulary = english_vocabulary([catalogue("kk"), catalogue("ru")])

    found = english_in(
        ["Лицензия DAX-2026-0001", "Steppe Digital Exchange JSC", "Search the registry", "LEI: 5493001KJTIIGC8Y1R12"],
        vocabulary,
        data=["Steppe Digital Exchange JSC"],
    )

    assert found == ["Search the registry"]


def test_text_in_an_element_that_declares_another_language_counts_as_that_language():
    parsed = PageText()
    parsed.feed('<html lang="ru"><body><p>Реестр</p><button lang="en">English</button><img alt="Карта"></body></html>')

    assert parsed.texts == [("ru", "Реестр"), ("en", "English"), ("ru", "Карта")]
