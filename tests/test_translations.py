"""The Kazakh and Russian catalogues are complete, current, and nothing user-facing escapes them.

Complete: no untranslated or fuzzy entry, every plural form written, the same placeholders as the
English. Current: every message the code and templates mark (extracted here with Babel and Django's
own template converter, so GNU gettext is not needed) is in both catalogues. Escapes: templates are
scanned for text outside translation tags; rendered pages in kk and ru are checked for English in
``test_pages_in_every_language.py``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ["kk", "ru"]
SKIPPED_DIRECTORIES = {".venv", "var", "bench", "tests", "node_modules", "locale", ".git"}
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")


def catalogue(language: str):
    with open(ROOT / "locale" / language / "LC_MESSAGES" / "django.po", "rb") as po:
        return read_po(po, locale=None, abort_invalid=True)


def project_files(suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*")
        if path.suffix in suffixes and not SKIPPED_DIRECTORIES.intersection(path.relative_to(ROOT).parts)
    )


def marked_messages() -> dict[tuple[str | None, str], str]:
    """Every (context, message) the code and the templates mark for translation, with where it is."""
    found: dict[tuple[str | None, str], str] = {}
    sources = [(path, path.read_bytes()) for path in project_files((".py",))]
    for path in project_files((".html", ".txt")):
        if "templates" in path.parts:
            # Django's converter keeps the template's layout, which is not valid Python indentation;
            # the calls it writes sit each within one line, so unindenting loses nothing.
            source = "\n".join(line.lstrip() for line in templatize(path.read_text(), origin=str(path)).splitlines())
            sources.append((path, source.encode()))
    for path, source in sources:
        for _line, message, _comments, context in extract("python", io.BytesIO(source), keywords=KEYWORDS):
            singular = message[0] if isinstance(message, tuple) else message
            if singular:
                found.setdefault((context, singular), str(path.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_translates_every_message_with_the_same_placeholders(language):
    po = catalogue(language)
    problems = []
    if po.fuzzy:
        problems.append("the header is marked fuzzy: Babel would not compile the catalogue at all")
    for message in po:
        if not message.id:
            continue
        name = f"{message.context + ' | ' if message.context else ''}{message.id!r}"
        if message.fuzzy:
            problems.append(f"fuzzy: {name}")
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(translations):
            problems.append(f"untranslated: {name}")
        if isinstance(message.id, tuple) and len(translations) != po.num_plurals:
            problems.append(f"{len(translations)} plural forms instead of {po.num_plurals}: {name}")
        english = message.id[-1] if isinstance(message.id, tuple) else message.id
        expected = sorted(set(PLACEHOLDER.findall(english)))
        for translation in translations:
            if (
                translation
                and "python-format" in message.flags
                and sorted(set(PLACEHOLDER.findall(translation))) != expected
            ):
                problems.append(f"placeholders differ from {expected}: {name} -> {translation!r}")

    assert not problems, f"locale/{language}: " + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_holds_every_message_the_code_marks_and_no_other(language):
    in_catalogue = {
        (message.context, message.id[0] if isinstance(message.id, tuple) else message.id)
        for message in catalogue(language)
        if message.id
    }
    in_code = marked_messages()

    missing = [f"{where}: {key}" for key, where in sorted(in_code.items(), key=str) if key not in in_catalogue]
    stale = sorted(str(key) for key in in_catalogue - in_code.keys())
    assert not missing, "run `make messages` and translate:\n" + "\n".join(missing)
    assert not stale, "run `make messages` to drop messages nothing uses any more:\n" + "\n".join(stale)


def test_catalogues_use_the_glossary_for_the_national_bank_and_the_licensed_assets():
    terms = {
        "kk": {"National Bank of Kazakhstan": "Қазақстан Республикасының Ұлттық Банкі", "application": "өтініш"},
        "ru": {"National Bank of Kazakhstan": "Национальный Банк Республики Казахстан", "application": "заявление"},
    }
    for language, expected in terms.items():
        po = catalogue(language)
        for english, term in expected.items():
            assert po.get(english).string == term
        dfa = "цифрлық қаржы активтері" if language == "kk" else "цифровыми финансовыми активами"
        assert dfa in po.get("Digital Asset Licensing Portal").string.lower()


# --- Templates: no text outside {% translate %} / {% blocktranslate %} -------------------------------

# Text a template may hold as it is, with the reason.
TEMPLATE_TEXT_ALLOWED = {
    # Each language's own name, in that language, marked with its lang attribute.
    ("partials/language_switcher.html", "Қазақша Русский English"),
}
_BLOCKTRANSLATE = re.compile(r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}", re.S)
_COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
_CLASS_BLOCK = re.compile(r"{%\s*block body_class\s*%}.*?{%\s*endblock\s*%}", re.S)
_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
_HTML_TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]*>", re.S)
_WORDY_ATTRIBUTE = re.compile(r'\b(?:alt|title|aria-label|aria-description|placeholder|data-label)="([^"]*)"')
_WORD = re.compile(r"[^\W\d_]{2,}")


def untranslated_template_text(path: Path) -> list[str]:
    text = _CLASS_BLOCK.sub(" ", _BLOCKTRANSLATE.sub(" ", _COMMENT.sub(" ", path.read_text())))
    found = [f"attribute {value!r}" for value in _WORDY_ATTRIBUTE.findall(text) if _WORD.search(_TAG.sub(" ", value))]
    body = _HTML_TAG.sub(" ", _TAG.sub(" ", text))
    found += [" ".join(line.split()) for line in body.splitlines() if _WORD.search(line)]
    return found


def test_templates_hold_no_text_outside_translation_tags():
    templates = ROOT / "templates"
    problems = []
    for path in project_files((".html", ".txt")):
        if "templates" not in path.parts:
            continue
        name = str(path.relative_to(templates))
        problems += [
            f"{name}: {text}" for text in untranslated_template_text(path) if (name, text) not in TEMPLATE_TEXT_ALLOWED
        ]

    assert not problems, "mark these for translation:\n" + "\n".join(problems)


def test_the_template_scan_finds_plain_text_and_plain_attributes(tmp_path):
    template = tmp_path / "page.html"
    template.write_text(
        '{% load i18n %}<p>{% translate "Marked" %}</p>\n<p title="Plain title">Plain words</p>\n'
        "{% blocktranslate %}Marked {{ x }}{% endblocktranslate %}"
    )

    assert untranslated_template_text(template) == ["attribute 'Plain title'", "Plain words"]
