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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property, partial
from typing import TYPE_CHECKING, Literal

from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Func, JSONField, Lookup, Prefetch, Q, QuerySet, TextField, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.utils import timezone

from registry import cache as registry_cache
from registry.models import Activity, DFAClass, DigitalAsset, License, LicenseEvent, LicenseType

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

QueryKind = Literal["", "bin", "number", "domain", "name"]

_BIN = re.compile(r"^\d{12}$")
# A license number or the start of one: "DAX-", "dax-2026", "DAX-2026-00", "DAX-2026-0001".
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


def parse_query(q: str) -> ParsedQuery:
    text = " ".join(q.split())
    if not text:
        return ParsedQuery("", "")
    if _BIN.match(text):
        return ParsedQuery("bin", text)
    if _NUMBER_PREFIX.match(text):
        return ParsedQuery("number", text.upper())
    if " " not in text and ("." in text or _SCHEME.match(text)):
        domain = domain_from(text)
        if domain:
            return ParsedQuery("domain", domain)
    return ParsedQuery("name", text)


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


class ILike(Lookup):
    """``lhs ILIKE '%text%'``: what the plain GIN trigram index on the name answers (Django's own
    ``icontains`` wraps both sides in UPPER(), which that index cannot serve)."""

    lookup_name = "registry_ilike"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


def _like_contains(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


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
_WORD = re.compile(r"\w+")
# A join, not "word = ANY(ARRAY(subquery))": the planner then knows how few words match and reads
# the word index by word, instead of walking it in number order (seconds at a million licenses).
WORDS_CONTAINING = (
    "SELECT w.number FROM registry_nameword n JOIN registry_licenseword w ON w.word = n.word WHERE n.word LIKE %s"
)
# A domain or BIN names a handful of licenses; their ids are fetched first, so the page query
# never walks the number index hoping to meet them.
SELECTIVE_CAP = 1000


@dataclass
class LicenseSearch:
    """The results of one search: ``count()`` (cached) and ``page(offset, limit)``.

    ``exact`` is ordered by number; ``fuzzy`` (PostgreSQL name searches only) holds the near
    misses that are not in ``exact``, ranked by word similarity, and follows it.
    """

    filters: LicenseFilters
    exact: QuerySet[License]
    # Built only when needed (a cached count may make it unnecessary): it costs a query itself.
    near_misses: Callable[[], QuerySet[License] | None] | None = None
    # A one-word fragment with no filter: the licenses' numbers straight from the word index
    # (SQL returning ``number``, and its parameters), so count and page never touch the names.
    exact_numbers: tuple[str, list] | None = None
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
        self._counts = tuple(counts)
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    @cached_property
    def fuzzy(self) -> QuerySet[License] | None:
        return self.near_misses() if self.near_misses else None

    @cached_property
    def fuzzy_ids(self) -> list[int]:
        """The near misses' ids, best first: at most ``FUZZY_CAP``, so one query serves count and page."""
        return list(self.fuzzy.values_list("pk", flat=True)) if self.fuzzy is not None else []

    def _exact_count(self) -> int:
        if self.exact_numbers is None:
            return self.exact.order_by().count()
        sql, params = self.exact_numbers
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(DISTINCT number) FROM ({sql}) AS matches", params)  # noqa: S608 - constant SQL
            return cursor.fetchone()[0]

    def _exact_page(self, offset: int, limit: int) -> list[License]:
        exact = self.exact.prefetch_related(None)  # prefetched once for the whole page, in page()
        if self.exact_numbers is None:
            return list(exact[offset : offset + limit])
        sql, params = self.exact_numbers
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT number FROM ({sql}) AS matches ORDER BY number LIMIT %s OFFSET %s",  # noqa: S608
                [*params, limit, offset],
            )
            numbers = [row[0] for row in cursor.fetchall()]
        return list(exact.filter(number__in=numbers))

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

    query = parse_query(filters.q)
    fuzzy: Callable[[], QuerySet[License] | None] | None = None
    exact_numbers = None
    if query.kind == "bin":
        base = _selective(base.filter(holder_bin=query.text))
    elif query.kind == "number":
        base = base.filter(number__startswith=query.text)
    elif query.kind == "domain":
        base = _selective(_domain_filter(base, query.text))
    elif query.kind == "name":
        if _postgres():
            pattern = _like_contains(query.text)
            fuzzy = partial(_near_misses, base, query.text, exclude_pattern=pattern)
            fragment = query.text.lower()
            if len(fragment) >= 3 and fragment.isalnum():
                # Inside one word: the words of the vocabulary containing it, then their licenses,
                # from the inverted index of migration 0005 (same result as ILIKE on the name).
                words = (WORDS_CONTAINING, [_like_contains(fragment)])
                base = base.filter(number__in=RawSQL(*words))  # noqa: S611 - constant SQL, bound value
                if not filters.has_filters():
                    exact_numbers = words
            else:
                base = base.filter(ILike(F("holder_name"), pattern))
        else:
            base = base.filter(holder_name__icontains=query.text)
    return LicenseSearch(
        filters=filters, exact=_public_licenses(base).order_by("number"), near_misses=fuzzy, exact_numbers=exact_numbers
    )


def _near_misses(base: QuerySet[License], text: str, *, exclude_pattern: str) -> QuerySet[License] | None:
    """Names that contain, for every word typed, a word of the register resembling it.

    A resembling word has trigram similarity of at least ``pg_trgm.similarity_threshold`` (0.3)
    and about the same length: a misspelling, not a fragment ("zhol" for "zholbaba" would match a
    large part of the register and is the exact tier's business anyway).

    The resembling words come from the vocabulary of migration 0005 (a trigram search over tens of
    thousands of words); the licenses having them from its inverted index of name words. None when
    some word typed resembles nothing.
    """
    tokens = list(dict.fromkeys(token for token in _WORD.findall(text.lower()) if len(token) >= 3))[:MAX_TOKENS]
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
    near = (
        # The statement is built from constants only (one join per word); every value is a bound parameter.
        base.filter(number__in=RawSQL(having_words, params))  # noqa: S611
        .exclude(ILike(F("holder_name"), exclude_pattern))
        .order_by()
        .values("pk")[:FUZZY_CAP]
    )
    return (
        License.objects.filter(pk__in=near)
        .annotate(rank=TrigramWordSimilarity(text, "holder_name"))
        .order_by("-rank", "number")
    )


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

    The cache token of ``registry.cache`` follows every change made through the ORM (a holder
    edited in the admin, an asset renamed: no new row anywhere); the highest license and event ids
    follow what bypasses signals (seed_bulk's COPY adds licenses and events).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {License._meta.db_table}),"  # noqa: S608 - table names, no input
            f" (SELECT MAX(id) FROM {LicenseEvent._meta.db_table})"
        )
        row = cursor.fetchone()
    return ":".join([registry_cache.register_version(), *(str(value) for value in row)])


def license_get(*, number: str) -> License | None:
    """A license by number (any case), with its type, activities, assets and public history; None if none.

    Shaped like ``_public_licenses().prefetch_related("events")`` (``license.activities.all()`` and
    the rest cost no query) but in three small queries instead of four, and without Django's
    prefetch machinery: the license with its type, one query for its activity and asset ids (named
    from the reference data held in memory, see ``_reference``) and one for its history. This is
    the miss path of the cached detail answers, 2-3 ms less per first view of a license.
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
    license._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    # The orders of Activity.Meta and DigitalAsset.Meta, as the prefetch would have given.
    _set_prefetched(license, "activities", sorted(activities, key=lambda a: (a.position, a.code)))
    _set_prefetched(license, "assets", sorted(assets, key=lambda a: (a.dfa_class, a.symbol)))
    _set_prefetched(license, "events", events)
    return license


def _set_prefetched(instance: License, name: str, objects: list) -> None:
    # What prefetch_related leaves behind: ``instance.<name>.all()`` answers from this list.
    queryset = getattr(instance, name).all()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    instance._prefetched_objects_cache[name] = queryset  # type: ignore[attr-defined]


@dataclass(frozen=True)
class _Reference:
    version: str
    activities: dict[int, Activity]
    assets: dict[int, DigitalAsset]


_reference_data: _Reference | None = None


def _reference() -> _Reference:
    """Activities and assets by id, held per process until the register version changes.

    A few dozen rows that change a few times a year; their saves bump the version (registry.cache).
    """
    global _reference_data
    version = registry_cache.register_version()
    if _reference_data is None or _reference_data.version != version:
        _reference_data = _Reference(
            version=version,
            activities={a.pk: a for a in Activity.objects.all()},
            assets={a.pk: a for a in DigitalAsset.objects.all()},
        )
    return _reference_data


@dataclass(frozen=True)
class Verification:
    """The answer of the verification page."""

    outcome: Literal["in_force", "not_in_force", "not_found", "bin_mismatch"]
    license: License | None = None
    # For a license that is not in force: the status it is in, e.g. "suspended"; "expired" also
    # when its validity ran out and the nightly sweep has not recorded it yet.
    effective_status: str = ""


def license_verify(*, number: str, bin: str = "", today: date) -> Verification:
    license = license_get(number=number)
    if license is None:
        return Verification("not_found")
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
    return DigitalAsset.objects.order_by("dfa_class", "symbol")


def change_feed(*, after: tuple[datetime, int], limit: int) -> list[LicenseEvent]:
    """Public events strictly after ``(at, id)``, oldest first: a stable cursor even for equal times.

    Only events at least ``CHANGE_FEED_SETTLE`` old. ``LicenseEvent.at`` is taken inside the
    transaction that writes the event, which commits a moment later: an event not yet visible when
    a client read past its time would be behind that client's cursor for good once committed.
    """
    at, event_id = after
    settled = timezone.now() - CHANGE_FEED_SETTLE
    return list(
        LicenseEvent.objects.select_related("license")
        .only("id", "event", "at", "reason", "license__number", "license__status")
        .filter(Q(at__gt=at) | Q(at=at, id__gt=event_id), at__lte=settled)
        .order_by("at", "id")[:limit]
    )


# --- Export --------------------------------------------------------------------------------------

EXPORT_FIELDS = [
    "number",
    "status",
    "license_type",
    "holder_name",
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


def export_rows(*, chunk_size: int = EXPORT_CHUNK) -> Iterator[list[dict]]:
    """The whole register in chunks of plain dicts, in constant memory.

    Keyset pagination on the primary key (no OFFSET, no long-lived transaction) and, per chunk, one
    query per many-to-many table; reference codes come from two small in-memory maps.
    """
    type_codes = dict(LicenseType.objects.values_list("id", "code"))
    activity_codes = dict(Activity.objects.values_list("id", "code"))
    asset_symbols = dict(DigitalAsset.objects.values_list("id", "symbol"))
    activity_links = License.activities.through.objects
    asset_links = License.assets.through.objects
    last_id = 0
    while True:
        rows = list(
            License.objects.filter(id__gt=last_id)
            .order_by("id")
            .values_list(
                "id",
                "number",
                "status",
                "license_type_id",
                "holder_name",
                "holder_bin",
                "holder_lei",
                "holder_address",
                "holder_website",
                "holder_domains",
                "issued_at",
                "valid_until",
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
        yield [
            {
                "number": number,
                "status": status,
                "license_type": type_codes[type_id],
                "holder_name": name,
                "holder_bin": bin_,
                "holder_lei": lei,
                "holder_address": address,
                "holder_website": website,
                "holder_domains": list(domains or []),
                "activities": sorted(activities.get(pk, [])),
                "assets": sorted(assets.get(pk, [])),
                "issued_at": issued_at.isoformat(),
                "valid_until": valid_until.isoformat() if valid_until else None,
            }
            for (pk, number, status, type_id, name, bin_, lei, address, website, domains, issued_at, valid_until) in (
                rows
            )
        ]
        if len(rows) < chunk_size:
            return
