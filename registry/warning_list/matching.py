"""How close a name or a web address is to the warning list: the lookalike screening of applicants.

``licensing`` screens an applicant's legal, Latin and trading names and its domains with
``warning_lookalikes`` at submission and on every profile change, and stores what it finds.

Names are compared word by word after folding (``common.names``: case, accents and Cyrillic or
Greek letters drawn like Latin ones) and dropping legal forms (LLP, JSC, ТОО ...). Words common to
any firm of the trade ("Global", "Exchange", "Crypto", "Digital" ...) weigh a tenth of the others,
so that adding or swapping them changes little, while the words that name the firm decide. A word
spelt a letter or two apart counts for its similarity (Damerau-Levenshtein, through rapidfuzz);
shorter words must be equal. The whole name with its spaces removed is compared too, for
"SteppeCrypto" against "Steppe Crypto".

Domains are compared by the name a registrant chose (``steppe-crypto`` of ``app.steppe-crypto.com.kz``,
read with the Public Suffix List): the same host, a subdomain of a listed site, the same name on
another top-level domain, or a name one character apart.

All of it runs in Python over the active list (hundreds to a few thousand entries), so PostgreSQL
and SQLite give the same answer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import idna
from publicsuffixlist import PublicSuffixList
from rapidfuzz.distance import DamerauLevenshtein

from common.names import fold
from registry.models import WarningEntry
from registry.warning_list.selectors import typo_allowance

__all__ = ["DEFAULT_THRESHOLD", "REASONS", "Lookalike", "name_similarity", "site_similarity", "warning_lookalikes"]

# A match needs at least this score: a one-letter typo in a five-letter name (0.8) and anything closer.
DEFAULT_THRESHOLD = 0.8
GENERIC_WEIGHT = 0.1

Kind = Literal["name", "domain"]
# Why two names or domains are close, most telling first.
REASONS = (
    "same_name",
    "lookalike_letters",
    "spelling",
    "added_words",
    "same_domain",
    "same_site",
    "other_tld",
    "domain_spelling",
)

_LEGAL_FORMS = frozenset(
    fold(form)
    for form in """
        llp llc ltd limited jsc pjsc cjsc inc incorporated corp corporation co company plc sa sarl sas spa srl
        ag gmbh kg bv nv oy oyj ab as asa aps ou uab sia sro kft pte pty lp lda fze fzco dmcc
        ТОО АО АҚ ЖШС ООО ОАО ЗАО ПАО ИП
    """.split()  # noqa: SIM905 - a list of words reads best as words
)
# Words any firm of the trade may use: they say what a firm does, not which firm it is.
_GENERIC = frozenset(
    fold(word)
    for word in """
        exchange exchanges crypto cryptocurrency cryptocurrencies coin coins token tokens digital asset assets
        capital finance financial fintech invest investment investments group holding holdings global
        international world trade trading trader traders market markets pay payment payments wallet wallets
        broker brokers brokerage custody custodian blockchain dfa fx forex options futures technologies
        technology tech solutions services partners management fund funds bank pro plus online network
        labs ventures hub platform kazakhstan qazaqstan kazakh qazaq kz asia eurasia europe euro uk us usa
        astana almaty the and of for
        биржа крипто криптовалюта капитал финанс финансы инвест инвестиции групп группа глобал диджитал
        цифровые активы актив трейд казахстан қазақстан
    """.split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Lookalike:
    """An active warning-list entry resembling one of the names or domains screened."""

    entry: WarningEntry
    kind: Kind
    value: str  # the screened name or host
    listed: str  # the entry's name or host it resembles
    score: float  # 1 is the same; DEFAULT_THRESHOLD and above is a match
    reason: str  # one of REASONS


# --- Names ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Name:
    tokens: tuple[str, ...]
    plain: tuple[str, ...]  # the same words folded without the look-alike letters mapped

    @property
    def key(self) -> str:
        return "".join(self.tokens)


def _weight(token: str) -> float:
    return len(token) * (GENERIC_WEIGHT if token in _GENERIC else 1.0)


@lru_cache(maxsize=20_000)
def _name(text: str) -> _Name:
    words = fold(text).split()
    plain = fold(text, lookalikes=False).split()
    kept = [index for index, word in enumerate(words) if word not in _LEGAL_FORMS]
    if not kept:  # a name that is only a legal form is compared as it is
        kept = list(range(len(words)))
    return _Name(tuple(words[i] for i in kept), tuple(plain[i] for i in kept if i < len(plain)))


def _word_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    longest = max(len(a), len(b))
    if min(len(a), len(b)) < 4:
        return 0.0
    distance = DamerauLevenshtein.distance(a, b, score_cutoff=typo_allowance(longest))
    return 1 - distance / longest if distance <= typo_allowance(longest) else 0.0


def name_similarity(a: str, b: str) -> tuple[float, str]:
    """(score from 0 to 1, reason) of two names; see the module's description."""
    first, second = _name(a), _name(b)
    if not first.tokens or not second.tokens:
        return 0.0, ""
    pairs = sorted(
        ((_word_similarity(x, y), i, j) for i, x in enumerate(first.tokens) for j, y in enumerate(second.tokens)),
        reverse=True,
    )
    used_first: set[int] = set()
    used_second: set[int] = set()
    matched = 0.0
    misspelt = lookalike = False
    for similarity, i, j in pairs:
        if similarity == 0 or i in used_first or j in used_second:
            continue
        used_first.add(i)
        used_second.add(j)
        matched += similarity * (_weight(first.tokens[i]) + _weight(second.tokens[j]))
        misspelt = misspelt or similarity < 1
        lookalike = lookalike or (similarity == 1 and first.plain[i] != second.plain[j])
    score = matched / (sum(map(_weight, first.tokens)) + sum(map(_weight, second.tokens)))
    unmatched = len(used_first) < len(first.tokens) or len(used_second) < len(second.tokens)
    # Run together or split apart ("SteppeCrypto", "Steppe Crypto"), maybe with a typo.
    longest = max(len(first.key), len(second.key))
    distance = DamerauLevenshtein.distance(first.key, second.key, score_cutoff=typo_allowance(longest))
    if distance <= typo_allowance(longest) and 1 - distance / longest > score:
        score, misspelt, unmatched = 1 - distance / longest, distance > 0, False
        lookalike = "".join(first.plain) != "".join(second.plain) and not misspelt
    if score == 0:
        reason = ""
    elif lookalike:
        reason = "lookalike_letters"
    elif misspelt:
        reason = "spelling"
    elif unmatched:
        reason = "added_words"
    else:
        reason = "same_name"
    return round(score, 3), reason


# --- Domains --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _suffixes() -> PublicSuffixList:
    # The list ships inside the package (no download); loading it takes a few tens of milliseconds.
    return PublicSuffixList()


@dataclass(frozen=True)
class _Site:
    registrable: str  # steppe-crypto.com.kz of app.steppe-crypto.com.kz
    suffix: str  # com.kz
    name: str  # steppe-crypto, in its own script: the name the registrant chose
    label: str  # steppecrypto: that name folded, without hyphens


@lru_cache(maxsize=20_000)
def _site(host: str) -> _Site:
    suffix = _suffixes().publicsuffix(host) or host.rsplit(".", 1)[-1]
    registrable = _suffixes().privatesuffix(host) or host
    name = registrable[: -len(suffix) - 1] if registrable != suffix else registrable
    with contextlib.suppress(idna.IDNAError, UnicodeError):  # a label that is not IDNA stays as it is
        name = idna.decode(name)
    return _Site(registrable, suffix, name, fold(name).replace(" ", ""))


def site_similarity(a: str, b: str) -> tuple[float, str]:
    """(score from 0 to 1, reason) of two normalised hosts."""
    if a == b:
        return 1.0, "same_domain"
    first, second = _site(a), _site(b)
    if first.registrable == second.registrable:
        return 0.95, "same_site"
    if not first.label or not second.label:
        return 0.0, ""
    if first.label == second.label and first.suffix == second.suffix:
        hyphens_only = first.name.replace("-", "") == second.name.replace("-", "")
        return 0.95, "domain_spelling" if hyphens_only else "lookalike_letters"
    if first.label == second.label:
        return 0.9, "other_tld"
    similarity = _word_similarity(first.label, second.label)
    return round(similarity, 3), "domain_spelling" if similarity else ""


# --- The list -------------------------------------------------------------------------------------------


def warning_lookalikes(
    *, names: Iterable[str], hosts: Iterable[str], threshold: float = DEFAULT_THRESHOLD
) -> list[Lookalike]:
    """Active entries resembling any of ``names`` or ``hosts`` (normalised host names), best first.

    At most one match per entry and kind: the closest pair of the screened and the listed values.
    """
    names = [name for name in dict.fromkeys(" ".join(str(name).split()) for name in names) if name]
    hosts = [host for host in dict.fromkeys(hosts) if host]
    found: list[Lookalike] = []
    for entry in WarningEntry.objects.active().only("id", "name", "other_names", "domains", "listed_on"):
        best = max(
            ((*name_similarity(name, listed), name, listed) for name in names for listed in entry.names),
            default=None,
        )
        if best and best[0] >= threshold:
            found.append(Lookalike(entry, "name", best[2], best[3], best[0], best[1]))
        best = max(
            ((*site_similarity(host, listed), host, listed) for host in hosts for listed in entry.domains),
            default=None,
        )
        if best and best[0] >= threshold:
            found.append(Lookalike(entry, "domain", best[2], best[3], best[0], best[1]))
    return sorted(found, key=lambda match: (-match.score, match.entry.name, match.kind))
