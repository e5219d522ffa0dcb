"""Country names in the portal's language, from the Unicode CLDR through Babel.

django-countries has no Kazakh names, so a Kazakh page listed countries in English. The codes are
django-countries' (ISO 3166-1); the names and the order follow the active language.
"""

from __future__ import annotations

from functools import cache

from babel import Locale
from django.utils.translation import get_language
from django_countries import countries

# Kazakh Cyrillic order; Russian's is the same sequence without the Kazakh letters.
_CYRILLIC_ORDER = {letter: index for index, letter in enumerate("аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя")}


def _alphabetical(name: str) -> tuple[int, ...]:
    return tuple(_CYRILLIC_ORDER.get(letter, 100 + ord(letter)) for letter in name.casefold())


@cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    territories = Locale.parse(language).territories
    named = [(code, territories.get(code) or str(name)) for code, name in countries]
    return tuple(sorted(named, key=lambda choice: _alphabetical(choice[1])))


def country_choices() -> list[tuple[str, str]]:
    """(ISO 3166 code, name) of every country, named and sorted in the active language."""
    return list(_choices((get_language() or "en")[:2]))
