"""Reads of the public registry: search, detail, history, change feed, exports (the warning list's are in
``registry.warning_list.selectors``).

Everything here is public by construction: licenses, their public events and permitted assets.
Applications, notes, reviewers and beneficial owners live in ``licensing``, which this module does not import.

The search is shaped for a million licenses on PostgreSQL: a name fragment goes through the GIN
trigram index (``holder_name %> q``, ranked by ``word_similarity``), a BIN or a license number
through b-tree indexes, a domain through trigram indexes on the lowercased website and domain list
(migration 0003). On SQLite the same queries fall back to LIKE.
"""

from __future__ import annotations

import hashlib
import logging
import re
import statistics
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property, partial
from typing import TYPE_CHECKING, Literal

from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.cache import cache
from django.db import connection
from django.db.models import Func, JSONField, Prefetch, Q, QuerySet, TextField, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.utils import timezone

from common.names import MARKER, name_query
from registry import cache as registry_cache
from registry.models import (
    Activity,
    Decision,
    DFAClass,
    DigitalAsset,
    DigitalAssetEvent,
    License,
    LicenseEvent,
    LicenseType,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

QueryKind = Literal["", "bin", "type", "number", "domain", "name"]

_BIN = re.compile(r"^\d{12}$")
# A license number or the start of one: "DAX-", "dax-2026", "DAX-2026-00", "DAX-2026-0001".
_TYPE_CODE = re.compile(r"^[A-Za-z]{2,8}$")
_NUMBER_PREFIX = re.compile(r"^[A-Za-z]{2,8}-(\d{1,4}(-\d{0,6})?)?$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_DOMAIN = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")
# A well-formed license number, as it can appear in a URL; anything else is simply not found.
LICENSE_NUMBER = re.compile(r"^[A-Za-z]{2,8}-\d{4}-\d{4,6}$")

# Counts of the same search are reused for this long (the responses are cacheable as long anyway).
COUNT_CACHE_SECONDS = 60
EXPORT_CHUNK = 5000
# The change feed shows an event only once it is this old: longer than any transaction that writes
# a license event takes to commit after stamping its time (see change_feed).
CHANGE_FEED_SETTLE = timedelta(seconds=10)


@dataclass(frozen=True)
class ParsedQuery:
    """What the single search box was given: which kind of search, on which normalised text."""

    kind: QueryKind
    text: str


def domain_from(value: str) -> str:
    """``"https://www.Steppe.example.kz:443/about?x"`` -> ``"steppe.example.kz"``; "" if not a domain."""
    value = _SCHEME.sub("", value.strip().lower())
    value = re.split(r"[/?#]", value, maxsplit=1)[0]
    value = value.rsplit("@", 1)[-1].split(":", 1)[0].rstrip(".")
    value = value.removeprefix("www.")
    return value if _DOMAIN.match(value) else ""


def parse_query(q: str, *, type_codes: Collection[str] = ()) -> ParsedQuery:
    """Which kind of search ``q`` asks for; ``type_codes`` are the license types' codes (``DAX``)."""
    text = " ".join(q.split())
    if not text:
        return ParsedQuery("", "")
    if _BIN.match(text):
        return ParsedQuery("bin", text)
    if text.upper() in type_codes:
        return ParsedQuery("type", text.upper())
    if _NUMBER_PREFIX.match(text):
        return ParsedQuery("number", text.upper())
    if " " not in text and ("." in text or _SCHEME.match(text)):
        domain = domain_from(text)
        if domain:
            return ParsedQuery("domain", domain)
    return ParsedQuery("name", text)


def _type_codes(q: str) -> dict[str, int]:
    """The license types by code, when ``q`` could be one (``DAX``); otherwise none, for no query."""
    return _reference().type_ids if _TYPE_CODE.match(q.strip()) else {}


@dataclass(frozen=True)
class LicenseFilters:
    q: str = ""
    status: str = ""
    license_type: LicenseType | None = None
    activity: Activity | None = None
    asset: DigitalAsset | None = None

    def has_filters(self) -> bool:
        return bool(self.status or self.license_type or self.activity or self.asset)

    def cache_key(self) -> str:
        parts = [
            self.q,
            self.status,
            self.license_type.code if self.license_type else "",
            self.activity.code if self.activity else "",
            self.asset.symbol if self.asset else "",
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _display_prefetches() -> tuple[Prefetch, Prefetch]:
    return (
        Prefetch("activities", queryset=Activity.objects.only("id", "code", "name_kk", "name_ru", "name_en")),
        Prefetch("assets", queryset=DigitalAsset.objects.only("id", "symbol", "name")),
    )


def _public_licenses(qs: QuerySet[License] | None = None) -> QuerySet[License]:
    """Licenses shaped for display: a page costs the same few queries for 10 rows or 200."""
    # Every license is public record whatever its status: the public must see revocations too.
    qs = License.objects.all() if qs is None else qs
    return qs.select_related("license_type").prefetch_related(*_display_prefetches())


def _like_contains(text: str) -> str:
    return f"%{_like_escape(text)}%"


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class UrlHost(Func):
    # SQL function of migration 0003; its index makes a domain query an exact lookup.
    function = "registry_url_host"
    output_field = TextField()


class LowerJSON(Func):
    function = "registry_lower_jsonb"
    output_field = JSONField()


# Typo-tolerant matches come after the exact ones, only when there are few exact ones, and are
# capped: ranking costs a similarity per candidate, and when a word matches hundreds of names
# exactly, its near misses are noise.
FUZZY_CAP = 200
FUZZY_BELOW = 50
# Each word typed stands for at most this many words of the register, and a query for this many words.
SIMILAR_WORDS = 5
MAX_TOKENS = 6
# Counts are exact up to here; beyond, the answer says "at least COUNT_CAP" (SPEC section 10).
COUNT_CAP = 10_000
# A word typed is found inside the words of the register; one or two letters only at their start.
SHORT_TERM = 3
# Up to this many words of the register per word typed, the page is read in number order by merging
# one index scan per word (no sort of every match); more words are read together and sorted.
MERGE_WORDS = 64
# A typo in a word this long or longer is forgiven on SQLite (PostgreSQL compares trigrams).
SQLITE_TYPO_LENGTH = 4
# A domain or BIN names a handful of licenses; their ids are fetched first, so the page query
# never walks the number index hoping to meet them.
SELECTIVE_CAP = 1000


@dataclass
class LicenseSearch:
    """The results of one search: ``count()`` (cached) and ``page(offset, limit)``.

    ``exact`` is ordered by number; ``fuzzy`` holds the near misses of a name search that are not
    in ``exact``, best first (PostgreSQL: by trigram similarity; SQLite: by number), and follows it.
    """

    filters: LicenseFilters
    exact: QuerySet[License]
    # Built only when needed (a cached count may make it unnecessary): it costs a query itself.
    near_misses: Callable[[], QuerySet[License] | None] | None = None
    # A name search with no filter on PostgreSQL: SQL giving the matching numbers in number order,
    # without duplicates (and its parameters), so count and page never touch the license table.
    exact_numbers: tuple[str, list] | None = None
    # What the search box was taken for: a name, a BIN, a license type ...
    kind: QueryKind = ""
    _counts: tuple[int, int] | None = None

    def counts(self) -> tuple[int, int]:
        if self._counts is not None:
            return self._counts
        key = f"registry:count:{registry_version()}:{self.filters.cache_key()}"
        try:
            counts = cache.get(key)
        except Exception:  # a search must not fail because the cache is down: count afresh
            logger.warning("search count not read: cache unavailable", exc_info=True)
            counts = None
        if counts is None:
            exact = self._exact_count()
            fuzzy = len(self.fuzzy_ids) if exact < FUZZY_BELOW else 0
            counts = (exact, fuzzy)
            try:
                cache.set(key, counts, COUNT_CACHE_SECONDS)
            except Exception:
                logger.warning("search count not cached: cache unavailable", exc_info=True)
        self._counts = (int(counts[0]), int(counts[1]))
        return self._counts

    def count(self) -> int:
        """How many licenses match; ``COUNT_CAP`` when there are more (see ``count_is_exact``)."""
        return min(sum(self.counts()), COUNT_CAP)

    def count_is_exact(self) -> bool:
        return sum(self.counts()) <= COUNT_CAP

    @cached_property
    def fuzzy(self) -> QuerySet[License] | None:
        return self.near_misses() if self.near_misses else None

    @cached_property
    def fuzzy_ids(self) -> list[int]:
        """The near misses' ids, best first: at most ``FUZZY_CAP``, so one query serves count and page."""
        return list(self.fuzzy.values_list("pk", flat=True)) if self.fuzzy is not None else []

    def _exact_count(self) -> int:
        # One more than the cap: enough to know the count is not exact, without counting a million.
        if self.exact_numbers is None:
            return self.exact.order_by().values("pk")[: COUNT_CAP + 1].count()
        sql, params = self.exact_numbers
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT %s) AS matches", [*params, COUNT_CAP + 1])  # noqa: S608
            return cursor.fetchone()[0]

    def _exact_page(self, offset: int, limit: int) -> list[License]:
        exact = self.exact.prefetch_related(None)  # prefetched once for the whole page, in page()
        if self.exact_numbers is None:
            return list(exact[offset : offset + limit])
        sql, params = self.exact_numbers
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset])
            numbers = [row[0] for row in cursor.fetchall()]
        return list(License.objects.select_related("license_type").filter(number__in=numbers).order_by("number"))

    def page(self, offset: int, limit: int) -> list[License]:
        exact_count, fuzzy_count = self.counts()
        licenses: list[License] = []
        if offset < exact_count:
            licenses = self._exact_page(offset, min(limit, exact_count - offset))
        missing = limit - len(licenses)
        if fuzzy_count and missing > 0:
            start = max(0, offset - exact_count)
            ids = self.fuzzy_ids[start : start + missing]
            by_id = License.objects.select_related("license_type").in_bulk(ids)
            licenses += [by_id[pk] for pk in ids if pk in by_id]
        prefetch_related_objects(licenses, *_display_prefetches())
        return licenses


def license_search(*, filters: LicenseFilters) -> LicenseSearch:
    """Licenses matching the search box and filters: exact matches by number, then near misses."""
    base = License.objects.all()
    if filters.status:
        base = base.filter(status=filters.status)
    if filters.license_type:
        base = base.filter(license_type_id=filters.license_type.pk)
    # Filtering on the ids through the M2M tables, without joining the reference tables.
    if filters.activity:
        base = base.filter(activities=filters.activity.pk)
    if filters.asset:
        base = base.filter(assets=filters.asset.pk)

    query = parse_query(filters.q, type_codes=_type_codes(filters.q))
    fuzzy: Callable[[], QuerySet[License] | None] | None = None
    exact_numbers = None
    if query.kind == "bin":
        base = _selective(base.filter(holder_bin=query.text))
    elif query.kind == "type":
        base = base.filter(license_type_id=_type_codes(query.text)[query.text])
    elif query.kind == "number":
        base = base.filter(number__startswith=query.text)
    elif query.kind == "domain":
        base = _selective(_domain_filter(base, query.text))
    elif query.kind == "name":
        terms = name_query(query.text).terms[:MAX_TOKENS]
        unfiltered = base
        if not terms:  # punctuation only: no word to look for
            base = base.none()
        elif _postgres():
            numbers = _numbers_having(terms)
            if numbers is None:
                base = base.none()
            else:
                base = base.filter(number__in=RawSQL(*numbers))  # noqa: S611 - SQL of constants, bound values
                if not filters.has_filters():
                    exact_numbers = numbers
            fuzzy = partial(_near_misses, unfiltered, terms, exact=numbers)
        else:
            base = base.filter(_sqlite_terms(terms))
            fuzzy = partial(_sqlite_near_misses, unfiltered, terms)
    return LicenseSearch(
        filters=filters,
        exact=_public_licenses(base).order_by("number"),
        near_misses=fuzzy,
        exact_numbers=exact_numbers,
        kind=query.kind,
    )


def _term_pattern(term: str) -> str:
    return _like_contains(term) if len(term) >= SHORT_TERM else f"{_like_escape(term)}%"


def _term_words(terms: tuple[str, ...]) -> dict[int, list[str]]:
    """The words of the register's vocabulary each term is found in: inside them, or at their start."""
    branches = " UNION ALL ".join(
        f"(SELECT {i}, word FROM registry_nameword WHERE word LIKE %s)"  # noqa: S608 - an index, no input
        for i in range(len(terms))
    )
    with connection.cursor() as cursor:
        cursor.execute(branches, [_term_pattern(term) for term in terms])
        found: dict[int, list[str]] = {}
        for i, word in cursor.fetchall():
            found.setdefault(i, []).append(word)
    return found


def _numbers_having(terms: tuple[str, ...]) -> tuple[str, list] | None:
    """SQL giving, in number order and once each, the licenses whose key has every term; None if none can.

    The term with the fewest words drives: one index scan of the inverted index (migration 0005) per
    word, merged in number order, so the first page is read without sorting every match; the other
    terms are checked per license. None when some term is in no word of the register.
    """
    if not terms:
        return None
    found = _term_words(terms)
    if len(found) < len(terms):
        return None
    order = sorted(range(len(terms)), key=lambda i: len(found[i]))
    driver, others = found[order[0]], [found[i] for i in order[1:]]
    if len(driver) <= MERGE_WORDS:
        branches = " UNION ALL ".join(
            ["(SELECT number FROM registry_licenseword WHERE word = %s ORDER BY number)"] * len(driver)
        )
        params: list = list(driver)
    else:
        branches = "SELECT number FROM registry_licenseword WHERE word = ANY(%s)"
        params = [driver]
    checks = "".join(
        f" AND EXISTS (SELECT 1 FROM registry_licenseword w{i}"  # noqa: S608 - an alias number, no input
        f" WHERE w{i}.number = m.number AND w{i}.word = ANY(%s))"
        for i in range(len(others))
    )
    sql = f"SELECT DISTINCT m.number FROM ({branches}) AS m WHERE TRUE{checks} ORDER BY m.number"  # noqa: S608
    return sql, [*params, *others]


def _near_misses(
    base: QuerySet[License], terms: tuple[str, ...], *, exact: tuple[str, list] | None
) -> QuerySet[License] | None:
    """Keys that have, for every term typed, a word resembling it; without the exact matches.

    A resembling word has trigram similarity of at least ``pg_trgm.similarity_threshold`` (0.3)
    and about the same length: a misspelling, not a fragment ("jol" for "jolbaba" would match a
    large part of the register and is the exact tier's business anyway).

    The resembling words come from the vocabulary of migration 0005 (a trigram search over tens of
    thousands of words); the licenses having them from its inverted index of key words. None when
    some word typed resembles nothing.
    """
    tokens = [term for term in terms if len(term) >= SHORT_TERM and not term.startswith(MARKER)]
    if not tokens:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.token, x.word FROM unnest(%s::text[]) AS t(token) CROSS JOIN LATERAL ("
            " SELECT word FROM registry_nameword WHERE word %% t.token"
            " AND abs(length(word) - length(t.token)) <= 2"
            " ORDER BY similarity(word, t.token) DESC, word LIMIT %s) AS x",
            [tokens, SIMILAR_WORDS],
        )
        similar: dict[str, list[str]] = {}
        for token, word in cursor.fetchall():
            similar.setdefault(token, []).append(word)
    if any(token not in similar for token in tokens):
        return None
    # The inverted index of migration 0005, one alias per word typed: every word must match. A join
    # (not INTERSECT) lets PostgreSQL start from the rarest word and probe the others by license.
    joins = "".join(
        f" JOIN registry_licenseword w{i} ON w{i}.number = w0.number AND w{i}.word = ANY(%s)"
        for i in range(1, len(tokens))
    )
    having_words = f"SELECT w0.number FROM registry_licenseword w0{joins} WHERE w0.word = ANY(%s)"  # noqa: S608
    params = [similar[token] for token in tokens[1:]] + [similar[tokens[0]]]
    # The statement is built from constants only (one join per word); every value is a bound parameter.
    near = base.filter(number__in=RawSQL(having_words, params))  # noqa: S611
    if exact is not None:
        near = near.exclude(number__in=RawSQL(*exact))  # noqa: S611
    return (
        License.objects.filter(pk__in=near.order_by().values("pk")[:FUZZY_CAP])
        .annotate(rank=TrigramWordSimilarity(" ".join(tokens), "search_key"))
        .order_by("-rank", "number")
    )


def _sqlite_term(term: str) -> Q:
    if len(term) >= SHORT_TERM:
        return Q(search_key__contains=term)
    # At the start of a word: the key's first word, or one after a space.
    return Q(search_key__startswith=term) | Q(search_key__contains=f" {term}")


def _sqlite_terms(terms: tuple[str, ...]) -> Q:
    condition = Q()
    for term in terms:
        condition &= _sqlite_term(term)
    return condition


def _one_edit(term: str) -> str:
    """A regular expression matching ``term`` with one letter wrong, missing, added or swapped."""
    letter = "[a-z0-9]"
    variants = set()
    for i in range(len(term)):
        variants.add(term[:i] + letter + term[i + 1 :])  # wrong
        variants.add(term[:i] + term[i + 1 :])  # missing
        variants.add(term[:i] + letter + term[i:])  # added
        if i + 1 < len(term):
            variants.add(term[:i] + term[i + 1] + term[i] + term[i + 2 :])  # swapped
    return "(" + "|".join(sorted(variants)) + ")"


def _sqlite_near_misses(base: QuerySet[License], terms: tuple[str, ...]) -> QuerySet[License] | None:
    """Elsewhere than on PostgreSQL: each long word typed with one letter wrong, missing, added or swapped.

    A regular expression per word (SQLite's REGEXP is Python's ``re``, run on every key): fine for the
    embedded database's register, which is not the one of a million licenses.
    """
    if not any(len(term) >= SQLITE_TYPO_LENGTH and not term.startswith(MARKER) for term in terms):
        return None
    condition = Q()
    for term in terms:
        if len(term) >= SQLITE_TYPO_LENGTH and not term.startswith(MARKER):
            condition &= Q(search_key__regex=_one_edit(term))
        else:
            condition &= _sqlite_term(term)
    matches = base.filter(condition).exclude(_sqlite_terms(terms)).order_by().values("pk")[:FUZZY_CAP]
    return License.objects.filter(pk__in=matches).order_by("number")


def _selective(qs: QuerySet[License]) -> QuerySet[License]:
    ids = list(qs.order_by().values_list("pk", flat=True)[:SELECTIVE_CAP])
    return License.objects.filter(pk__in=ids)


def _domain_filter(qs: QuerySet[License], domain: str) -> QuerySet[License]:
    # The domain and its parents ("app.steppe.kz" also finds "steppe.kz"), never a bare TLD.
    labels = domain.split(".")
    hosts = [".".join(labels[i:]) for i in range(len(labels) - 1)]
    if _postgres():
        in_domains = Q()
        for host in hosts:
            in_domains |= Q(domains_lower__contains=[host]) | Q(domains_lower__contains=[f"www.{host}"])
        return qs.annotate(website_host=UrlHost("holder_website"), domains_lower=LowerJSON("holder_domains")).filter(
            Q(website_host__in=hosts) | in_domains
        )
    # SQLite: the same exact-host rule with a regular expression, and the quoted element in the JSON text.
    matches = Q()
    for host in hosts:
        website = r"^([a-z][a-z0-9+.-]*://)?(www\.)?" + re.escape(host) + r"([:/?#]|$)"
        matches |= Q(holder_website__iregex=website) | Q(holder_domains__icontains=f'"{host}"')
        matches |= Q(holder_domains__icontains=f'"www.{host}"')
    return qs.filter(matches)


def registry_version() -> str:
    """A key that changes with anything public in the register: for search counts and export ETags.

    The cache token of ``registry.cache``: every change made through the ORM replaces it (signals),
    and so does ``registry.bulk`` after each batch it copies in.
    """
    return registry_cache.register_version()


@dataclass(frozen=True)
class LicenseRecord:
    """A license with what its page and API answer show: activities, assets and public history."""

    license: License
    activities: list[Activity]
    assets: list[DigitalAsset]
    events: list[LicenseEvent]


def license_get(*, number: str) -> LicenseRecord | None:
    """A license by number (any case), with its type, activities, assets and public history; None if none.

    Three small queries: the license with its type, one for its activity and asset ids (named from
    the reference data held in memory, see ``_reference``) and one for its history. This is the
    miss path of the cached detail answers.
    """
    number = number.strip()
    if not LICENSE_NUMBER.match(number):
        return None
    license = License.objects.select_related("license_type").filter(number=number.upper()).first()
    if license is None:
        return None
    reference = _reference()
    activity_through = License.activities.through._meta.db_table
    asset_through = License.assets.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1, activity_id FROM {activity_through} WHERE license_id = %s"  # noqa: S608 - table names
            f" UNION ALL SELECT 2, digitalasset_id FROM {asset_through} WHERE license_id = %s",
            [license.pk, license.pk],
        )
        links = cursor.fetchall()
    activities = [reference.activities[pk] for kind, pk in links if kind == 1 and pk in reference.activities]
    assets = [reference.assets[pk] for kind, pk in links if kind == 2 and pk in reference.assets]
    events = list(LicenseEvent.objects.filter(license_id=license.pk).order_by("at", "id"))
    return LicenseRecord(
        license=license,
        # The orders of Activity.Meta and DigitalAsset.Meta, as on every other page.
        activities=sorted(activities, key=lambda a: (a.position, a.code)),
        assets=sorted(assets, key=lambda a: (a.dfa_class, a.symbol)),
        events=events,
    )


@dataclass(frozen=True)
class _Reference:
    version: str
    activities: dict[int, Activity]
    assets: dict[int, DigitalAsset]
    type_ids: dict[str, int]


_reference_data: _Reference | None = None


def _reference() -> _Reference:
    """Activities, assets and license types, held per process until the register version changes.

    A few dozen rows that change a few times a year; their saves bump the version (registry.cache).
    """
    global _reference_data
    version = registry_cache.register_version()
    if _reference_data is None or _reference_data.version != version:
        _reference_data = _Reference(
            version=version,
            activities={a.pk: a for a in Activity.objects.all()},
            assets={a.pk: a for a in DigitalAsset.objects.all()},
            type_ids=dict(LicenseType.objects.values_list("code", "pk")),
        )
    return _reference_data


@dataclass(frozen=True)
class SearchExamples:
    """What the search page offers as examples: each taken from one real license, so each finds it."""

    name: str
    bin: str
    number: str
    website: str


def search_examples() -> SearchExamples | None:
    """Examples for the search box from the first license in force with a website; None if none.

    Cached under the register version: the page is rendered far more often than the register changes.
    """
    key = f"registry:examples:{registry_version()}"
    try:
        cached = cache.get(key)
    except Exception:  # the examples are a courtesy; the page works without the cache
        cached = None
    if cached is not None:
        return cached or None
    license = (
        License.objects.filter(status=License.Status.ACTIVE)
        .exclude(holder_website="")
        .order_by("number")
        .only("holder_name", "holder_bin", "number", "holder_website")
        .first()
    )
    examples = (
        SearchExamples(license.holder_name, license.holder_bin, license.number, license.holder_website)
        if license
        else False
    )
    try:
        cache.set(key, examples, COUNT_CACHE_SECONDS)
    except Exception:
        logger.warning("search examples not cached: cache unavailable", exc_info=True)
    return examples if isinstance(examples, SearchExamples) else None


@dataclass(frozen=True)
class Verification:
    """The answer of the verification page."""

    outcome: Literal["in_force", "not_in_force", "not_found", "bin_mismatch"]
    license: License | None = None
    # For a license that is not in force: the status it is in, e.g. "suspended"; "expired" also
    # when its validity ran out and the nightly sweep has not recorded it yet.
    effective_status: str = ""


def license_verify(*, number: str, bin: str = "", today: date) -> Verification:
    record = license_get(number=number)
    if record is None:
        return Verification("not_found")
    license = record.license
    if bin and bin.strip() != license.holder_bin:
        return Verification("bin_mismatch", license)
    status = license.status
    if status == License.Status.ACTIVE and license.valid_until is not None and license.valid_until < today:
        status = License.Status.EXPIRED
    if status == License.Status.ACTIVE:
        return Verification("in_force", license, status)
    return Verification("not_in_force", license, status)


def license_type_for(activities) -> LicenseType | None:
    """The type an application for ``activities`` takes: the lowest active class covering them all (SPEC 5).

    With no activity chosen yet, the lowest active type. None when no active type allows them.
    """
    needed = max((activity.capital_class for activity in activities), default=0)
    return (
        LicenseType.objects.filter(is_active=True, capital_class__gte=needed)
        .order_by("capital_class", "min_capital_kzt", "code")
        .first()
    )


def assets_by_class() -> list[tuple[str, StrOrPromise, list[DigitalAsset]]]:
    """The permitted-asset list as (class code, class name, assets), in the order of the four classes."""
    assets = list(DigitalAsset.objects.order_by("dfa_class", "symbol"))
    return [(code, label, [asset for asset in assets if asset.dfa_class == code]) for code, label in DFAClass.choices]


def asset_list() -> QuerySet[DigitalAsset]:
    """The list with each asset's public history (oldest first), in two queries."""
    history = DigitalAssetEvent.objects.order_by("effective_on", "id")
    return DigitalAsset.objects.order_by("dfa_class", "symbol").prefetch_related(Prefetch("events", queryset=history))


def asset_history(asset: DigitalAsset | None = None) -> QuerySet[DigitalAssetEvent]:
    """Changes to the permitted-asset list (of one asset, or all), latest first."""
    events = DigitalAssetEvent.objects.select_related("asset").order_by("-effective_on", "-id")
    return events.filter(asset=asset) if asset is not None else events


def change_feed(*, after: tuple[datetime, int], limit: int) -> list[LicenseEvent]:
    """Public events recorded strictly after ``(recorded_at, id)``, in the order they were recorded.

    Ordered and resumed by the recorded time, not the effective one: a license loaded today from an
    earlier register took effect years ago, and a client polling since yesterday must still see it.
    Only events at least ``CHANGE_FEED_SETTLE`` old: ``recorded_at`` is taken inside the transaction
    that writes the event, which commits a moment later; an event not yet visible when a client read
    past its time would be behind that client's cursor for good once committed.
    """
    recorded_at, event_id = after
    settled = timezone.now() - CHANGE_FEED_SETTLE
    return list(
        LicenseEvent.objects.select_related("license")
        .only("id", "event", "at", "recorded_at", "reason", "license__number", "license__status")
        .filter(Q(recorded_at__gt=recorded_at) | Q(recorded_at=recorded_at, id__gt=event_id), recorded_at__lte=settled)
        .order_by("recorded_at", "id")[:limit]
    )


# --- Decision statistics --------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionStatistics:
    """Decisions on one license type in one year: how many, the share granted, how long they took."""

    license_type: LicenseType
    year: int
    decided: int
    granted: int
    # Working days from submission to decision; None when no decision of the group could be counted.
    median_days: float | None
    p90_days: int | None

    @property
    def refused(self) -> int:
        return self.decided - self.granted

    @property
    def granted_share(self) -> float:
        return round(self.granted / self.decided, 3) if self.decided else 0.0


def nearest_rank(values: list[int], percent: float) -> int | None:
    """The nearest-rank percentile: the smallest value at least ``percent`` % of values do not exceed."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[int(max(1, -(-len(ordered) * percent // 100))) - 1]


def decision_statistics() -> list[DecisionStatistics]:
    """Per license type and year of decision, newest year first: from the public decision records.

    Thousands of decisions at most (one per application decided), so the figures are computed here,
    the same way on every database.
    """
    types = {license_type.pk: license_type for license_type in LicenseType.objects.all()}
    groups: dict[tuple[int, int], list[tuple[str, int | None]]] = {}
    for type_id, decided_on, outcome, days in Decision.objects.values_list(
        "license_type_id", "decided_on", "outcome", "working_days"
    ):
        groups.setdefault((type_id, decided_on.year), []).append((outcome, days))
    rows = []
    for (type_id, year), decisions in groups.items():
        spans = [each for _, each in decisions if each is not None]
        rows.append(
            DecisionStatistics(
                license_type=types[type_id],
                year=year,
                decided=len(decisions),
                granted=sum(outcome == Decision.Outcome.GRANTED for outcome, _ in decisions),
                median_days=statistics.median(spans) if spans else None,
                p90_days=nearest_rank(spans, 90),
            )
        )
    return sorted(rows, key=lambda row: (-row.year, row.license_type.capital_class, row.license_type.code))


# --- Export --------------------------------------------------------------------------------------

EXPORT_FIELDS = [
    "number",
    "status",
    "license_type",
    "holder_name",
    "holder_latin_name",
    "holder_trading_names",
    "holder_bin",
    "holder_lei",
    "holder_address",
    "holder_website",
    "holder_domains",
    "activities",
    "assets",
    "issued_at",
    "valid_until",
]
# Statuses that end a license, each recorded by the event of the same name.
ENDED = (License.Status.REVOKED, License.Status.SURRENDERED, License.Status.EXPIRED)


def export_selection(*, filters: LicenseFilters) -> QuerySet[License] | None:
    """The licenses an export with these filters holds: the exact matches of the list; None for all."""
    if not (filters.q or filters.has_filters()):
        return None
    return license_search(filters=filters).exact


def export_rows(*, chunk_size: int = EXPORT_CHUNK, licenses: QuerySet[License] | None = None) -> Iterator[list[dict]]:
    """The register (or ``licenses``) in chunks of plain dicts, in constant memory.

    Keyset pagination on the primary key (no OFFSET, no long-lived transaction) and, per chunk, one
    query per many-to-many table and one for the end dates; reference codes come from small
    in-memory maps. Besides ``EXPORT_FIELDS`` each row has ``activity_ids``, ``updated_on`` and
    ``ended_on`` (the effective date of the event that ended it) for the ESMA layout.
    """
    type_codes = dict(LicenseType.objects.values_list("id", "code"))
    activity_codes = dict(Activity.objects.values_list("id", "code"))
    asset_symbols = dict(DigitalAsset.objects.values_list("id", "symbol"))
    activity_links = License.activities.through.objects
    asset_links = License.assets.through.objects
    selected = License.objects.all() if licenses is None else License.objects.filter(pk__in=licenses.values("pk"))
    last_id = 0
    while True:
        rows = list(
            selected.filter(id__gt=last_id)
            .order_by("id")
            .values_list(
                "id",
                "number",
                "status",
                "license_type_id",
                "holder_name",
                "holder_latin_name",
                "holder_trading_names",
                "holder_bin",
                "holder_lei",
                "holder_address",
                "holder_website",
                "holder_domains",
                "issued_at",
                "valid_until",
                "updated_at",
            )[:chunk_size]
        )
        if not rows:
            return
        first, last_id = rows[0][0], rows[-1][0]
        activities: dict[int, list[str]] = {}
        in_chunk = {"license_id__gte": first, "license_id__lte": last_id}
        for license_id, activity_id in activity_links.filter(**in_chunk).values_list("license_id", "activity_id"):
            activities.setdefault(license_id, []).append(activity_codes[activity_id])
        assets: dict[int, list[str]] = {}
        for license_id, asset_id in asset_links.filter(**in_chunk).values_list("license_id", "digitalasset_id"):
            assets.setdefault(license_id, []).append(asset_symbols[asset_id])
        ended: dict[tuple[int, str], date] = {}
        for license_id, event, at in (
            LicenseEvent.objects.filter(**in_chunk, event__in=ENDED)
            .order_by("at")
            .values_list("license_id", "event", "at")
        ):
            ended[(license_id, event)] = timezone.localdate(at)
        yield [
            {
                "number": number,
                "status": status,
                "license_type": type_codes[type_id],
                "holder_name": name,
                "holder_latin_name": latin_name,
                "holder_trading_names": [str(each) for each in trading_names or []],
                "holder_bin": bin_,
                "holder_lei": lei,
                "holder_address": address,
                "holder_website": website,
                "holder_domains": list(domains or []),
                "activities": sorted(activities.get(pk, [])),
                "assets": sorted(assets.get(pk, [])),
                "issued_at": issued_at.isoformat(),
                "valid_until": valid_until.isoformat() if valid_until else None,
                "updated_on": timezone.localdate(updated_at),
                "ended_on": ended.get((pk, status)),
            }
            for (
                pk,
                number,
                status,
                type_id,
                name,
                latin_name,
                trading_names,
                bin_,
                lei,
                address,
                website,
                domains,
                issued_at,
                valid_until,
                updated_at,
            ) in rows
        ]
        if len(rows) < chunk_size:
            return
