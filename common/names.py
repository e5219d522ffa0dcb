"""Names folded for comparison: one spelling whatever the case, accents or look-alike letters.

A name on the warning list can come back as ``"STEPPE Crypto"``, ``"Stéppe crypto"`` or ``"Stерре
Crypto"`` typed with the Cyrillic ``е`` and ``р``: all three fold to ``"steppe crypto"``. Letters of
other scripts that look like a Latin letter become that letter (Unicode's confusables data, UTS #39,
through ``confusable_homoglyphs``); everything else is kept, so a Kazakh or Russian name stays
Cyrillic and is still found by its own letters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from confusable_homoglyphs import categories, confusables

__all__ = ["fold"]

# Letters, digits and nothing else: punctuation, quotes and «» separate words.
_WORD = re.compile(r"[^\W_]+")
_KEEP_SCRIPTS = {"LATIN", "COMMON"}


@lru_cache(maxsize=4096)
def _latin_lookalike(char: str) -> str:
    """The ASCII letter ``char`` is drawn like (Cyrillic ``р`` -> ``p``), or ``char`` itself."""
    if not char.isalpha() or char.isascii() or categories.alias(char) in _KEEP_SCRIPTS:
        return char
    found = confusables.is_confusable(char, greedy=True, preferred_aliases=["latin"])
    for glyph in found[0]["homoglyphs"] if found else ():
        if len(glyph["c"]) == 1 and glyph["c"].isascii() and glyph["c"].isalnum():
            return glyph["c"]
    return char


def fold(text: str, *, lookalikes: bool = True) -> str:
    """``text`` in lower case, without accents, look-alike letters replaced by the Latin ones, one space apart.

    ``lookalikes=False`` keeps letters in their own script: to tell whether two names are the same
    only once look-alike letters are mapped.
    """
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text or ""))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    if lookalikes:
        bare = "".join(_latin_lookalike(char) for char in bare)
    return " ".join(_WORD.findall(bare.casefold()))
