"""Reads of the warning list: the public list and its search, and the rows of its export.

The search runs in Python over each entry's ``search_text`` (folded names and hosts, kept by
``WarningEntry.save``), so it behaves the same on PostgreSQL and SQLite, typos included: a warning
list holds hundreds to a few thousand entries, one short query for all of them costs a few
milliseconds, far less than the license register's million rows would (those are searched in SQL,
``registry.selectors``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from django.db.models import Prefetch, QuerySet
from rapidfuzz.distance import DamerauLevenshtein

from common.domains import InvalidHost, normalise_host
from common.names import fold
from registry.models import WarningEntry, WarningEvent

__all__ = [
    "STATUS_FILTERS",
    "WarningFilters",
    "WarningSearch",
    "warning_export_rows",
    "warning_list_state",
    "warning_search",
]

StatusFilter = Literal["active", "removed", "all"]
STATUS_FILTERS: tuple[StatusFilter, ...] = ("active", "removed", "all")


@dataclass(frozen=True)
class WarningFilters:
    q: str = ""
    status: StatusFilter = "active"


def typo_allowance(length: int) -> int:
    """How many letters a word of ``length`` may differ by and still be the same word misspelt."""
    if length < 4:
        return 0
    return 1 if length < 9 else 2


def _query_host(q: str) -> str:
    """The host of ``q`` when it is a web address (``https://www.x.io/a`` -> ``x.io``), else ""."""
    if " " in q or "." not in q:
        return ""
    try:
        return normalise_host(q)
    except InvalidHost:
        return ""


def _host_matches(host: str, search_text: str) -> bool:
    # The host itself, a site of which it is a subdomain, or one of its own subdomains; never a bare TLD.
    hosts = search_text.rsplit(" # ", 1)[-1].split()
    labels = host.split(".")
    parents = {".".join(labels[i:]) for i in range(len(labels) - 1)}
    return any(candidate in parents or candidate.endswith("." + host) for candidate in hosts)


def _word_matches(token: str, words: list[str]) -> bool:
    allowance = typo_allowance(len(token))
    return any(
        token in word or (allowance and DamerauLevenshtein.distance(token, word, score_cutoff=allowance) <= allowance)
        for word in words
    )


def _rank(q: str, search_text: str) -> int | None:
    """0: the name contains ``q``; 1: every word of ``q`` is in a name, some misspelt; None: no match."""
    names = search_text.rsplit(" # ", 1)[0]
    if q in names:
        return 0
    words = names.replace("|", " ").split()
    if all(_word_matches(token, words) for token in q.split()):
        return 1
    return None


@dataclass
class WarningSearch:
    """The entries found: ``count`` and ``page(offset, limit)``, each entry with its history."""

    queryset: QuerySet[WarningEntry]
    # The matching ids in order, for a search; None when the queryset itself is the answer.
    ids: list[int] | None = None

    def count(self) -> int:
        return len(self.ids) if self.ids is not None else self.queryset.count()

    def page(self, offset: int, limit: int) -> list[WarningEntry]:
        history = Prefetch("events", queryset=WarningEvent.objects.order_by("at", "recorded_at", "id"))
        if self.ids is None:
            return list(self.queryset.prefetch_related(history)[offset : offset + limit])
        ids = self.ids[offset : offset + limit]
        by_id = self.queryset.prefetch_related(history).in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]


def warning_search(*, filters: WarningFilters) -> WarningSearch:
    """Entries by name (a fragment, or words with a letter or two wrong) or by web address, newest first.

    A web address finds the entries listing its host, a site it belongs to or one of its subdomains.
    Names match whatever the case, accents or Cyrillic look-alike letters typed (``common.names``).
    """
    entries = WarningEntry.objects.all()
    if filters.status != "all":
        entries = entries.filter(status=filters.status)
    entries = entries.order_by("-listed_on", "name", "pk")
    q = " ".join(filters.q.split())
    if not q:
        return WarningSearch(entries)
    host = _query_host(q)
    folded = fold(q)
    ranked: list[tuple[int, int, int]] = []
    for position, (pk, search_text) in enumerate(entries.values_list("pk", "search_text")):
        rank: int | None
        if host and _host_matches(host, search_text):
            rank = 0
        elif folded:
            rank = _rank(folded, search_text)
        else:
            rank = None
        if rank is not None:
            ranked.append((rank, position, pk))
    return WarningSearch(entries, ids=[pk for *_order, pk in sorted(ranked)])


def warning_list_state() -> str:
    """A digest of every entry's id and last change: the export's ETag, and what an import preview
    was computed against (applying it is refused once this changed)."""
    digest = hashlib.sha256()
    rows = WarningEntry.objects.order_by("pk").values_list("pk", "status", "updated_at", "search_text")
    for pk, status, updated_at, search_text in rows:
        digest.update(f"{pk}\x1f{status}\x1f{updated_at.isoformat()}\x1f{search_text}\x1e".encode())
    return digest.hexdigest()


# --- Export ----------------------------------------------------------------------------------------------

# Several names in one cell of the export (names hold spaces and commas; domains are space-separated).
NAME_SEPARATOR = " | "
EXPORT_FIELDS = [
    "name",
    "other_names",
    "domains",
    "lei",
    "home_authority",
    "home_country",
    "listed_on",
    "reason",
    "note",
    "status",
    "removed_on",
]


def warning_export_rows() -> Iterator[dict]:
    """Every entry, active or removed, oldest first, as the cells of the CSV export."""
    for entry in WarningEntry.objects.order_by("listed_on", "pk").iterator(chunk_size=2000):
        yield {
            "name": entry.name,
            "other_names": NAME_SEPARATOR.join(entry.other_names),
            "domains": " ".join(entry.domains),
            "lei": entry.lei,
            "home_authority": entry.home_authority,
            "home_country": entry.home_country,
            "listed_on": entry.listed_on.isoformat(),
            "reason": entry.reason,
            "note": entry.note,
            "status": entry.status,
            "removed_on": entry.removed_on.isoformat() if entry.removed_on else "",
        }
