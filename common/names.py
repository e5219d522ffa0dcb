"""Company names compared and searched: one spelling whatever the case, script or legal form.

Two foldings, for two jobs:

``fold`` is for telling whether two names are the same (the warning list and its look-alikes).
A name on the warning list can come back as ``"STEPPE Crypto"``, ``"Stéppe crypto"`` or ``"Stерре
Crypto"`` typed with the Cyrillic ``е`` and ``р``: all three fold to ``"steppe crypto"``. Letters of
other scripts that look like a Latin letter become that letter (Unicode's confusables data, UTS #39,
through ``confusable_homoglyphs``); everything else is kept, so a Kazakh or Russian name stays
Cyrillic and is still found by its own letters.

``name_key`` and ``name_query`` are for finding a holder in the register whatever script it is typed
in. A Kazakh company's name reaches the register in Kazakh or Russian Cyrillic, and people type it in
Cyrillic, in the Kazakh Latin alphabet of 2021 (``Jibek Joly``, ``Qazaqstan``) or in an English
transliteration (``Zhibek Zholy``, ``Kazakhstan``). Each name is reduced to a *key* in which all of
these coincide:

1. ``anyascii`` writes every script in ASCII letters (``Қазақстан`` -> ``Qazaqstan``, ``Şymkent`` ->
   ``Symkent``, ``Жібек`` -> ``Zhibek``);
2. legal forms at the start or end of a name are recognised in any of their spellings (``ТОО``,
   ``ЖШС``, ``LLP``, ``Limited Liability Partnership`` ...) and replaced by one marker each (``~llp``);
3. every other word is folded so that the transliteration conventions agree: ``zh`` and ``j`` (Ж),
   ``sh`` and ``s`` (Ш, Kazakh Latin ``ş``), ``gh`` and ``g`` (Ғ, ``ğ``), ``ng`` and ``n`` (Ң,
   ``ñ``), ``q``, ``k``, ``kh`` and ``h`` (Қ, К, Х, Һ: ``Qazaqstan`` = ``Kazakhstan``, ``Bahyt`` =
   ``Bakhyt``), ``y`` and ``i`` (Ы, І, И, Й), English ``c`` as the K or S it sounds (``Capital`` =
   ``Капитал``), and doubled letters once.

The search folding is deliberately coarse: it is a key, never shown, and a query is folded the same
way, so two spellings of one name meet; two different names that fold alike are both found.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii  # every script to ASCII, Kazakh letters included (see requirements.txt)
from confusable_homoglyphs import categories, confusables

__all__ = ["LEGAL_FORMS", "NameQuery", "fold", "fold_word", "name_key", "name_query", "words"]

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


# --- Search keys -----------------------------------------------------------------------------------

# Legal forms of the register's holders and of ESMA's CASP register, each in the spellings people
# use: abbreviation and full name, Latin and Cyrillic. The key of a form is its marker.
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "llp": (
        "LLP",
        "Limited Liability Partnership",
        "ТОО",
        "Товарищество с ограниченной ответственностью",
        "ЖШС",
        "Жауапкершілігі шектеулі серіктестік",
    ),
    "jsc": (
        "JSC",
        "Joint Stock Company",
        "Joint-Stock Company",
        "АО",
        "Акционерное общество",
        "АҚ",
        "Акционерлік қоғам",
    ),
    "llc": ("LLC", "L.L.C.", "Limited Liability Company", "ООО", "Общество с ограниченной ответственностью"),
    "ltd": ("Ltd", "Limited", "Private Limited Company"),
    "plc": ("PLC", "Public Limited Company"),
    "inc": ("Inc", "Incorporated"),
    "corp": ("Corp", "Corporation"),
    "gmbh": ("GmbH", "Gesellschaft mit beschränkter Haftung"),
    "ag": ("AG", "Aktiengesellschaft"),
    "sa": ("S.A.", "SA", "Société Anonyme", "Sociedad Anónima", "Sociedade Anónima"),
    "bv": ("B.V.", "BV", "Besloten Vennootschap"),
    "nv": ("N.V.", "NV", "Naamloze Vennootschap"),
    "se": ("SE", "Societas Europaea"),
    "uab": ("UAB", "Uždaroji akcinė bendrovė"),
    "sro": ("s.r.o.", "spol. s r.o.", "Společnost s ručením omezeným"),
    "srl": ("S.r.l.", "Società a responsabilità limitata"),
    "spa": ("S.p.A.", "Società per azioni"),
    "sl": ("S.L.", "Sociedad Limitada"),
    "sas": ("S.A.S.", "Société par actions simplifiée"),
    "sarl": ("S.à r.l.", "SARL", "Société à responsabilité limitée"),
    "ab": ("AB", "Aktiebolag"),
    "as": ("AS", "A/S", "Aksjeselskap", "Aktieselskab", "Aktsiaselts"),
    "aps": ("ApS", "Anpartsselskab"),
    "oy": ("Oy", "Oyj", "Osakeyhtiö"),
    "ou": ("OÜ", "Osaühing"),
    "spzoo": ("sp. z o.o.", "Spółka z ograniczoną odpowiedzialnością"),
    "kft": ("Kft.", "Korlátolt felelősségű társaság"),
    "doo": ("d.o.o.", "Društvo s ograničenom odgovornošću"),
    "sia": ("SIA", "Sabiedrība ar ierobežotu atbildību"),
    "kg": ("KG", "Kommanditgesellschaft", "GmbH & Co. KG"),
}

MARKER = "~"
# Apostrophes, and the hard and soft signs that anyascii writes as one, are not letters of a name.
_APOSTROPHES = re.compile(r"['’ʼʻ`´]")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
# In this order: digraphs first (Ч is held aside so that Latin "c" can be read as the K or S it
# sounds like: "Capital" = "Капитал", "Crypto" = "Крипто"), then single letters.
_FOLDS = (
    ("zh", "j"),
    ("sh", "s"),
    ("ch", "\u010d"),
    ("kh", "k"),
    ("gh", "g"),
    ("ph", "f"),
    ("ng", "n"),
    ("ck", "k"),
    ("ce", "se"),
    ("ci", "si"),
    ("cy", "si"),
    ("c", "k"),
    ("\u010d", "c"),
    ("x", "ks"),
    ("q", "k"),
    ("h", "k"),
    ("y", "i"),
    ("w", "v"),
)
_REPEATS = re.compile(r"(.)\1+")


def words(text: str) -> list[str]:
    """The words of ``text`` in lower-case ASCII: ``"ТОО «Жібек Жолы»"`` -> ``["too", "zhibek", "zholy"]``."""
    return _ASCII_WORD.findall(_APOSTROPHES.sub("", anyascii(text or "")).lower())


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """One ASCII word with the transliteration conventions folded together (``zholy`` -> ``joli``)."""
    for old, new in _FOLDS:
        word = word.replace(old, new)
    return _REPEATS.sub(r"\1", word)


def _form_table() -> dict[tuple[str, ...], str]:
    table = {}
    for code, spellings in LEGAL_FORMS.items():
        for spelling in spellings:
            table[tuple(words(spelling))] = MARKER + code
    return table


_FORMS = _form_table()
_LONGEST_FORM = max(len(spelling) for spelling in _FORMS)


def _form_at(tokens: list[str], start: int, end: int, *, from_end: bool) -> int:
    """Length of the longest legal form at the start (or end) of ``tokens[start:end]``; 0 if none."""
    for length in range(min(_LONGEST_FORM, end - start), 0, -1):
        piece = tokens[end - length : end] if from_end else tokens[start : start + length]
        if tuple(piece) in _FORMS:
            return length
    return 0


def _split_forms(tokens: list[str]) -> tuple[list[str], list[str]]:
    """(the words that are not part of a legal form, the markers of the forms).

    One legal form is read at the start and one at the end of a name, nowhere else: "АҚ" closing a
    name is a joint stock company, but in "АО «Ақ Орда»" it is the word "white".
    """
    forms: list[str] = []
    start, end = 0, len(tokens)
    for from_end in (False, True):
        length = _form_at(tokens, start, end, from_end=from_end)
        if length:
            piece = tokens[end - length : end] if from_end else tokens[start : start + length]
            marker = _FORMS[tuple(piece)]
            if marker not in forms:
                forms.append(marker)
            if from_end:
                end -= length
            else:
                start += length
    return tokens[start:end], forms


def name_key(*names: str) -> str:
    """The search key of a holder known by ``names`` (legal, Latin, trading): folded words, then forms.

    ``name_key("ТОО «Жібек Жолы»", "Zhibek Zholy LLP")`` -> ``"jibek joli ~llp"``.
    """
    keyed: list[str] = []
    markers: list[str] = []
    for name in names:
        plain, forms = _split_forms(words(name))
        for word in plain:
            folded = fold_word(word)
            if folded not in keyed:
                keyed.append(folded)
        markers += [form for form in forms if form not in markers]
    return " ".join(keyed + markers)


@dataclass(frozen=True)
class NameQuery:
    """A name typed in the search box, as key words: every word must be found in a holder's key.

    A legal form typed beside other words is optional (``Altyn LLP`` finds ``ТОО «Алтын»`` and
    ``Altyn Ltd`` alike); typed alone (``ЖШС``) it is what is searched for.
    """

    terms: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)


def name_query(text: str) -> NameQuery:
    plain, forms = _split_forms(words(text))
    folded = list(dict.fromkeys(fold_word(word) for word in plain))
    return NameQuery(tuple(folded or forms))
