"""Synthetic volume for the register: many realistic licenses in batched inserts (``seed_bulk``).

Benchmarks need a register of a million licenses; saving them one by one through
``registry.services.license_issue`` would take hours. This module writes whole batches instead:
rows are generated in Python and inserted with PostgreSQL ``COPY`` (or one ``executemany`` per
table elsewhere), and every batch runs in one transaction that also advances the
``LicenseSequence`` rows it draws numbers from. Numbers therefore keep the real format
``DAX-2026-0001`` and a license issued later through the services continues the sequence.

The rows are synthetic but consistent: valid BINs, activities allowed for the type, permitted
assets, validity per type, and a public history whose last event matches the status. No audit
entries are written: nobody acted, and the audit chain records only real actions.
``registry`` imports nothing from ``licensing``, so the BIN check digit is computed here.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from common.bulk import insert_rows, next_ids
from common.names import name_key
from registry import cache as registry_cache
from registry.models import Activity, DigitalAsset, License, LicenseEvent, LicenseSequence, LicenseType
from registry.services import add_years, license_number_format

__all__ = ["licenses_bulk_create"]

# Python's random is right here: synthetic data, reproducible from a seed, no secrets involved.
# ruff: noqa: S311

# --- names, places, reasons ------------------------------------------------------------------------

_LATIN_WORDS = (
    "Steppe", "Altyn", "Baiterek", "Nomad", "Silk Road", "Qazaq", "Tengri", "Samruk", "Kumis", "Aqsu",
    "Zhetysu", "Saryarqa", "Tulpar", "Esil", "Ertis", "Alatau", "Khan Tengri", "Caspian", "Aral", "Turan",
    "Astana", "Almaty", "Shymkent", "Korgan", "Aqmola", "Bereke", "Zhuldyz", "Kokzhal", "Sunkar", "Burkit",
    "Arman", "Dala", "Tumar", "Orda", "Kerey", "Barys", "Aqqu", "Nur", "Sheber", "Aigul", "Meridian",
    "Eurasia", "Polar", "Northwind", "Granite", "Lumen", "Vertex", "Atlas", "Horizon", "Quantum",
)  # fmt: skip
_LATIN_SECOND = (
    "Digital", "Crypto", "Asset", "Capital", "Finance", "Token", "Chain", "Ledger", "Invest", "Trust",
    "Markets", "Fintech", "Block", "Vault", "Coin", "Securities", "Wealth", "Trade", "Global", "Pay",
)  # fmt: skip
_LATIN_SUFFIXES = {
    "DAX": ("Digital Exchange JSC", "Exchange LLP", "Crypto Exchange JSC", "Trading Platform LLP", "Exchange Ltd"),
    "DAC": ("Custody LLP", "Custody JSC", "Digital Vault LLP", "Custodian Ltd", "Safekeeping JSC"),
    "DAB": ("Brokerage LLP", "Broker-Dealer JSC", "Investments LLP", "Capital Partners Ltd", "Securities JSC"),
}
_CYRILLIC_WORDS = (
    "Алтын", "Байтерек", "Номад", "Дала", "Казах", "Тенгри", "Самрук", "Жетысу", "Сарыарка", "Тулпар",
    "Есиль", "Алатау", "Туран", "Береке", "Жулдыз", "Сункар", "Бүркіт", "Арман", "Тұмар", "Орда",
    "Ақсу", "Қазына", "Шұғыла", "Өркен", "Іргетас", "Көкжал", "Степной", "Евразия", "Меридиан", "Горизонт",
)  # fmt: skip
_CYRILLIC_SECOND = ("Диджитал", "Крипто", "Капитал", "Финанс", "Токен", "Инвест", "Траст", "Ассет", "Чейн", "Пэй")
_CYRILLIC_FORMS = ("ТОО «{}»", "АО «{}»", "{} ЖШС", "{} АҚ")
# Syllables of coined Kazakh-sounding words, in Latin and Cyrillic spelling.
_SYLLABLES = (
    ("ak", "ақ"), ("al", "ал"), ("ar", "ар"), ("bek", "бек"), ("bol", "бол"), ("dar", "дар"), ("er", "ер"),
    ("jan", "жан"), ("kai", "қай"), ("kul", "күл"), ("mar", "мар"), ("nur", "нұр"), ("sai", "сай"),
    ("tau", "тау"), ("tal", "тал"), ("tur", "тұр"), ("zhan", "жан"), ("zhol", "жол"), ("kaz", "қаз"),
    ("sar", "сар"), ("ten", "тең"), ("qyz", "қыз"), ("ul", "ұл"), ("as", "ас"), ("ba", "ба"), ("sa", "са"),
    ("ta", "та"), ("ma", "ма"), ("ra", "ра"), ("ly", "лы"),
)  # fmt: skip
_TLDS = (".kz", ".kz", ".kz", ".com", ".io", ".exchange", ".finance")
_CITIES = (
    ("Astana", "010000", ("Mangilik El avenue", "Kabanbay Batyr avenue", "Dostyk street", "Syganak street")),
    ("Almaty", "050000", ("Al-Farabi avenue", "Abay avenue", "Dostyk avenue", "Nazarbayev avenue", "Tole Bi street")),
    ("Shymkent", "160000", ("Tauke Khan avenue", "Baidibek Bi avenue", "Respublika avenue")),
    ("Karaganda", "100000", ("Bukhar Zhyrau avenue", "Erubaev street")),
    ("Aktobe", "030000", ("Abilkayir Khan avenue", "Sankibay Batyr avenue")),
)
_REASONS = {
    "suspended": (
        "Failure to submit the quarterly prudential report on time.",
        "Capital adequacy below the required minimum pending recapitalisation.",
        "Material deficiencies found in AML/CFT controls during an on-site inspection.",
        "Information-security incident under investigation.",
    ),
    "reinstated": (
        "Deficiencies remedied; inspection closed.",
        "Capital restored above the required minimum.",
        "Reports submitted and accepted.",
    ),
    "revoked": (
        "Repeated breaches of AML/CFT requirements.",
        "Failure to remedy the grounds of suspension within the set period.",
        "Licence obtained on the basis of misleading information.",
    ),
    "surrendered": (
        "Voluntary surrender on the holder's application: business discontinued.",
        "Voluntary surrender following a merger with another licensee.",
    ),
}

# status: weight, and the history that leads to it (after "issued"). Most licenses are in force.
_STATUS_PLANS = (
    (0.80, "active", ()),
    (0.04, "active", ("suspended", "reinstated")),
    (0.06, "suspended", ("suspended",)),
    (0.04, "revoked", ("revoked",)),
    (0.02, "revoked", ("suspended", "revoked")),
    (0.04, "surrendered", ("surrendered",)),
)
# Every license in this synthetic register was issued in 2026, so none reached the end of its
# validity (five years at least): "expired" would contradict the dates and is not generated.
_TYPE_WEIGHTS = {"DAX": 0.25, "DAC": 0.25, "DAB": 0.50}
_CORE_ACTIVITY = {"DAX": "trading_platform", "DAC": "custody"}
_MAX_ASSETS = {"DAX": 12, "DAC": 8, "DAB": 6}
# The law took effect in January 2026; the first licenses were issued from mid-January.
FIRST_ISSUE_DAY = (1, 15)


def _slug(words: Iterable[str]) -> str:
    return "-".join(w.lower().replace(" ", "-") for w in words)


def _syllable_word(rng: random.Random) -> tuple[str, str]:
    """A coined word, spelled in Latin and in Cyrillic letters."""
    syllables = [rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))]
    return "".join(s[0] for s in syllables).capitalize(), "".join(s[1] for s in syllables).capitalize()


@dataclass
class _Holder:
    name: str
    website: str
    domains: list[str]
    address: str
    latin_name: str = ""
    trading_names: tuple[str, ...] = ()


def _holder(rng: random.Random, type_code: str, serial: int) -> _Holder:
    first = rng.choice(_LATIN_WORDS)
    # A made-up Kazakh-sounding word makes most names distinct, as in a real register.
    coined, coined_cyrillic = _syllable_word(rng)
    latin_name = ""
    if rng.random() < 0.12:
        core = f"{rng.choice(_CYRILLIC_WORDS)} {coined_cyrillic} {rng.choice(_CYRILLIC_SECOND)}"
        name = rng.choice(_CYRILLIC_FORMS).format(core)
        if rng.random() < 0.5:
            latin_name = f"{coined} {first} LLP"
    else:
        parts = [coined, first] if rng.random() < 0.5 else [first, coined]
        if rng.random() < 0.6:
            parts.append(rng.choice(_LATIN_SECOND))
        name = " ".join([*parts, rng.choice(_LATIN_SUFFIXES[type_code])])
    # The serial keeps domains unique, as registered domains are.
    base = f"{_slug([first, coined])}-{serial:x}"
    tld = rng.choice(_TLDS)
    domains = [f"{base}{tld}"]
    if rng.random() < 0.3:
        domains.append(f"{coined.lower()}{serial:x}.app")
    city, postcode, streets = rng.choice(_CITIES)
    address = f"{rng.choice(streets)} {rng.randint(1, 180)}, {city}, {postcode}"
    # A brand beside the legal name, as many real holders have.
    trading_names = (f"{coined}{rng.choice(('Pay', 'X', 'Bit', 'Trade'))}",) if rng.random() < 0.15 else ()
    return _Holder(
        name=name,
        website=domains[0],
        domains=domains[1:],
        address=address,
        latin_name=latin_name,
        trading_names=trading_names,
    )


# --- licenses -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reference:
    types: dict[str, LicenseType]
    allowed: dict[str, list[int]]  # type code -> allowed activity ids
    core: dict[str, int | None]  # type code -> activity every license of the type covers
    assets: list[int]  # permitted assets


def _reference() -> _Reference:
    types = {t.code: t for t in LicenseType.objects.filter(code__in=_TYPE_WEIGHTS)}
    missing = sorted(set(_TYPE_WEIGHTS) - set(types))
    if missing:
        raise RuntimeError(f"License types {', '.join(missing)} are missing: run migrate first.")
    allowed = {code: sorted(t.allowed_activities().values_list("pk", flat=True)) for code, t in types.items()}
    codes = dict(Activity.objects.values_list("code", "pk"))
    core = {code: codes.get(_CORE_ACTIVITY.get(code, "")) for code in types}
    assets = list(
        DigitalAsset.objects.filter(status=DigitalAsset.Status.PERMITTED).order_by("pk").values_list("pk", flat=True)
    )
    return _Reference(types=types, allowed=allowed, core=core, assets=assets)


def _reserve_numbers(*, reference: _Reference, year: int, counts: dict[str, int]) -> dict[str, int]:
    """Advance each type's sequence for ``year`` by ``counts``; returns the first value per type.

    Runs in the batch's transaction and holds the rows' locks until it commits, exactly as
    ``license_issue`` does, so concurrent issuing queues behind the batch instead of colliding.
    """
    firsts = {}
    for code, count in counts.items():
        if not count:
            continue
        license_type = reference.types[code]
        LicenseSequence.objects.get_or_create(license_type=license_type, year=year)
        sequence = LicenseSequence.objects.select_for_update().get(license_type=license_type, year=year)
        firsts[code] = sequence.last_value + 1
        sequence.last_value += count
        sequence.save(update_fields=["last_value"])
    return firsts


def _pick_plan(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    roll = rng.random()
    for weight, status, history in _STATUS_PLANS:
        if roll < weight:
            return status, history
        roll -= weight
    return _STATUS_PLANS[0][1], _STATUS_PLANS[0][2]


def _moment(day: date, rng: random.Random) -> datetime:
    # Office hours in Almaty, stored as aware datetimes.
    local = datetime.combine(day, time(9, 0)) + timedelta(minutes=rng.randint(0, 9 * 60 - 1))
    return timezone.make_aware(local, timezone.get_fixed_timezone(5 * 60)).astimezone(UTC)


_LICENSE_FIELDS = (
    "id", "number", "license_type_id", "status", "application_id", "holder_name", "holder_bin", "holder_lei",
    "holder_address", "holder_website", "holder_domains", "issued_at", "valid_until", "created_at", "updated_at",
    "holder_latin_name", "holder_trading_names", "search_key",
)  # fmt: skip


def _batch(
    *,
    rng: random.Random,
    reference: _Reference,
    size: int,
    year: int,
    today: date,
    now: datetime,
    make_bin: Callable[[random.Random], str],
) -> int:
    codes = list(_TYPE_WEIGHTS)
    chosen = rng.choices(codes, weights=[_TYPE_WEIGHTS[c] for c in codes], k=size)
    counts = {code: chosen.count(code) for code in codes}
    firsts = _reserve_numbers(reference=reference, year=year, counts=counts)
    ids = next_ids(License, size)

    first_day = date(year, *FIRST_ISSUE_DAY)
    last_day = min(today - timedelta(days=1), date(year, 12, 31))
    span = max((last_day - first_day).days, 0)

    licenses, activity_rows, asset_rows, events = [], [], [], []
    for license_id, code in zip(ids, chosen, strict=True):
        license_type = reference.types[code]
        value = firsts[code]
        firsts[code] += 1
        holder = _holder(rng, code, license_id)
        issued = first_day + timedelta(days=rng.randint(0, span))
        valid_until = add_years(issued, license_type.validity_years) if license_type.validity_years else None
        status, history = _pick_plan(rng)
        issued_at = _moment(issued, rng)
        licenses.append(
            (
                license_id,
                license_number_format(code=code, year=year, value=value),
                license_type.pk,
                status,
                None,
                holder.name,
                make_bin(rng),
                "",
                holder.address,
                holder.website,
                holder.domains,
                issued,
                valid_until,
                issued_at,
                issued_at,
                holder.latin_name,
                list(holder.trading_names),
                name_key(holder.name, holder.latin_name, *holder.trading_names),
            )
        )
        allowed = reference.allowed[code]
        activities = set(rng.sample(allowed, rng.randint(1, min(4, len(allowed)))))
        if reference.core[code]:
            activities.add(reference.core[code])
        activity_rows.extend((license_id, activity_id) for activity_id in sorted(activities))
        if reference.assets:
            count = rng.randint(1, min(_MAX_ASSETS[code], len(reference.assets)))
            asset_rows.extend((license_id, asset_id) for asset_id in sorted(rng.sample(reference.assets, count)))
        # The history: issued, then later events at increasing moments up to now.
        events.append((license_id, LicenseEvent.Kind.ISSUED.value, issued_at, issued_at, ""))
        at = issued_at
        for event in history:
            remaining = (now - at).total_seconds()
            at = min(at + timedelta(seconds=rng.uniform(0.05, 0.5) * max(remaining, 60)), now)
            events.append((license_id, event, at, at, rng.choice(_REASONS[event])))
        if history:
            licenses[-1] = (*licenses[-1][:14], at, *licenses[-1][15:])  # updated_at: the last change

    insert_rows(License, _LICENSE_FIELDS, licenses)
    insert_rows(License.activities.through, ("license_id", "activity_id"), activity_rows)
    insert_rows(License.assets.through, ("license_id", "digitalasset_id"), asset_rows)
    event_ids = next_ids(LicenseEvent, len(events))
    insert_rows(
        LicenseEvent,
        ("id", "license_id", "event", "at", "recorded_at", "reason"),
        [(event_id, *event) for event_id, event in zip(event_ids, events, strict=True)],
    )
    return size


def licenses_bulk_create(
    *,
    count: int,
    make_bin: Callable[[random.Random], str],
    batch_size: int = 10_000,
    year: int | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add ``count`` synthetic licenses to the register, ``batch_size`` per transaction.

    Repeated calls add more: numbers continue each type's ``LicenseSequence`` for ``year``
    (default: the current year), so they never collide with licenses issued by the services.
    ``make_bin(rng)`` gives each holder a valid BIN: the rule is ``common.identifiers``', which
    registry may not import. ``progress(done, count)`` is called after each committed batch.
    Returns the number created.
    """
    if count < 0 or batch_size < 1:
        raise ValueError("count must be >= 0 and batch_size >= 1")
    now = timezone.now()
    today = timezone.localdate(now)
    year = year or today.year
    rng = random.Random(seed)
    reference = _reference()
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        with transaction.atomic():
            done += _batch(rng=rng, reference=reference, size=size, year=year, today=today, now=now, make_bin=make_bin)
            # COPY fires no signal: tell cached answers and counts that the register changed.
            registry_cache.register_changed()
        if progress:
            progress(done, count)
    return done
