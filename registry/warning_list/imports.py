"""Reading a regulator's warning-list file into a report of what an import would change.

Two steps, so that a person can look before anything is written (``manage.py import_warnings``
prints the report, the dashboard shows it as a preview):

1. ``warning_import_preview(data=..., format=...)`` reads the file, merges its rows into entities
   and compares them with the list: each entity is to be added, updated, left unchanged, or refused
   with its reason. Nothing is written.
2. ``warning_import_apply(report=..., actor=...)`` applies that same report through the services
   (``warning_add``, ``warning_update``: audited, with public history), all or nothing, and refuses
   when the list changed since the preview.

Formats: ``esma``, the interim MiCA register of non-compliant entities (NCASP layout), and ``csv``,
this portal's own export (``GET /api/v1/export/warnings.csv``).

What real files carry and how it is read: a UTF-8 byte-order mark (dropped); dates day first
(``dd/mm/yyyy``, ``dd.mm.yyyy`` or ISO), and a date that cannot be read refuses its row, never
guessed; several addresses in one cell (``|``, newline, comma, space, `` I ``) split and normalised
(``common.domains``), typos in the scheme repaired, and addresses that cannot be read kept in the
report; exact duplicate rows and later relistings of the same entity (same LEI, name or domain)
merged into one entity with all its names, addresses and dates; ``None`` or empty cells as empty;
characters lost to a bad encoding (U+FFFD) reported for correction.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.domains import InvalidHost, normalise_host, split_hosts
from common.errors import ConcurrentChange
from common.identifiers import is_valid_lei
from common.names import fold
from registry.exports import FORMULA_PREFIXES
from registry.models import WarningEntry, WarningEvent
from registry.warning_list.selectors import EXPORT_FIELDS, NAME_SEPARATOR, warning_list_state
from registry.warning_list.services import (
    EDITABLE_FIELDS,
    clean_warning_fields,
    lock_warning_list,
    warning_add,
    warning_update,
)

__all__ = [
    "FORMATS",
    "ImportFileError",
    "ImportReport",
    "PlannedEntity",
    "Refusal",
    "warning_import_apply",
    "warning_import_preview",
]

Format = Literal["esma", "csv"]
FORMATS: tuple[Format, ...] = ("esma", "csv")
Action = Literal["add", "update", "unchanged", "refused"]

ESMA_COLUMNS = (
    "ae_competentAuthority",
    "ae_homeMemberState",
    "ae_lei_name",
    "ae_lei",
    "ae_lei_cou_code",
    "ae_commercial_name",
    "ae_website",
    "ae_infrigment",
    "ae_reason",
    "ae_decision_date",
    "ae_comments",
    "ae_lastupdate",
)
# What regulators' files put in a cell that has no value.
_EMPTY = {"", "none", "null", "n/a", "na", "-", "--", "nil"}
_DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Hosts on which an address names a page of someone's, not a site of their own: storing the host
# would put the whole platform on the list.
SHARED_PLATFORMS = frozenset(
    {
        "t.me",
        "telegram.me",
        "wa.me",
        "facebook.com",
        "instagram.com",
        "twitter.com",
        "x.com",
        "youtube.com",
        "linkedin.com",
        "tiktok.com",
        "vk.com",
        "play.google.com",
        "apps.apple.com",
        "medium.com",
    }
)


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not UTF-8, not CSV, missing columns); ``str()`` says why."""


@dataclass(frozen=True)
class Refusal:
    """Rows the import leaves out, and why."""

    lines: tuple[int, ...]
    name: str
    reason: str

    @property
    def line_label(self) -> str:
        return ", ".join(str(line) for line in self.lines)


@dataclass(frozen=True)
class Unreadable:
    """An address in the file that is not a web address a host name can be read from."""

    line: int
    value: str
    reason: str


@dataclass
class _Row:
    line: int
    names: list[str]
    lei: str
    authority: str
    countries: list[str]
    hosts: list[str]
    listed_on: date
    reason: str
    note: str
    removed_on: date | None = None


@dataclass
class PlannedEntity:
    """One entity of the file and what the import does with it."""

    lines: list[int]
    action: Action
    name: str
    other_names: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    lei: str = ""
    home_authority: str = ""
    home_country: str = ""
    listed_on: date | None = None
    relisted_on: list[date] = field(default_factory=list)
    reason: str = ""
    note: str = ""
    entry_id: int | None = None
    # For an update: the fields that change, and the later listing dates new to the entry.
    changes: dict = field(default_factory=dict)
    refusal: str = ""
    # The portal's own export marks removed entries with their date.
    removed_in_file: date | None = None

    @property
    def line_label(self) -> str:
        return ", ".join(str(line) for line in self.lines)


@dataclass
class ImportReport:
    """What importing a file would do (a preview), or did (once applied)."""

    format: Format
    entities: list[PlannedEntity]
    refused_rows: list[Refusal]
    unreadable: list[Unreadable]
    duplicate_rows: list[tuple[int, int]]  # (line, the earlier line it repeats)
    notes: list[tuple[int, str]]  # (line, something a person should check)
    # The state of the list the report was computed against: applying refuses if it changed since.
    state: str
    file_digest: str
    applied: bool = False

    @property
    def token(self) -> str:
        """Names this file read against this state of the list: a confirmation page posts it back
        (see ``warning_import_apply``), so what is applied is what the supervisor saw."""
        return hashlib.sha256(f"{self.format}:{self.file_digest}:{self.state}".encode()).hexdigest()

    def _with(self, action: Action) -> list[PlannedEntity]:
        return [entity for entity in self.entities if entity.action == action]

    @property
    def added(self) -> list[PlannedEntity]:
        return self._with("add")

    @property
    def updated(self) -> list[PlannedEntity]:
        return self._with("update")

    @property
    def unchanged(self) -> list[PlannedEntity]:
        return self._with("unchanged")

    @property
    def refused(self) -> list[Refusal]:
        entities = [Refusal(tuple(entity.lines), entity.name, entity.refusal) for entity in self._with("refused")]
        return sorted([*entities, *self.refused_rows], key=lambda refusal: refusal.lines)

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.updated)


# --- Reading cells ----------------------------------------------------------------------------------------


def _cell(value: str | None) -> str:
    text = " ".join((value or "").replace("\u00a0", " ").split())
    return "" if text.lower() in _EMPTY else text


def _text(value: str | None) -> str:
    """A free-text cell: its lines kept, each trimmed."""
    lines = [" ".join(line.replace("\u00a0", " ").split()) for line in (value or "").splitlines()]
    text = "\n".join(line for line in lines if line)
    return "" if text.lower() in _EMPTY else text


def _unneutralised(value: str) -> str:
    # The export prefixes a quote to cells a spreadsheet would run as formulas; take it off again.
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES) else value


def read_date(value: str) -> date:
    """A date written day first (``31/01/2026``, ``31.01.2026``) or ISO (``2026-01-31``); ValueError otherwise."""
    text = _cell(value)
    match = _DAY_FIRST.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _ISO.match(text)
        if not match:
            raise ValueError(text)
        year, month, day = (int(part) for part in match.groups())
    return date(year, month, day)


def _date_refusal(value: str, column: str) -> str:
    if not _cell(value):
        return _("no date in %(column)s: the listing date is needed and is never guessed") % {"column": column}
    return _("%(column)s %(value)s is not a date read day first (day/month/year, e.g. 31/01/2026)") % {
        "column": column,
        "value": f'"{_cell(value)}"',
    }


def _hosts(cell: str, line: int, unreadable: list[Unreadable]) -> list[str]:
    hosts: list[str] = []
    for piece in split_hosts(cell):
        try:
            host = normalise_host(piece)
        except InvalidHost as error:
            unreadable.append(Unreadable(line, piece, str(error)))
            continue
        has_path = "/" in piece.split("://", 1)[-1].strip("/")
        if host in SHARED_PLATFORMS and has_path:
            unreadable.append(Unreadable(line, piece, _("a page on %(host)s, not a site of its own") % {"host": host}))
            continue
        if host not in hosts:
            hosts.append(host)
    return hosts


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                'The file is not UTF-8 text (byte %(position)s cannot be read). Save it as "CSV UTF-8" and '
                "import it again."
            )
            % {"position": error.start}
        ) from None


def _records(text: str, columns: tuple[str, ...]):
    """(line number where the record starts, record) for every record of a CSV text."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(name or "").strip() for name in reader.fieldnames or []]
    missing = [column for column in columns if column not in header]
    if missing:
        raise ImportFileError(
            _("The file lacks the columns %(missing)s; its first line must name the columns %(columns)s.")
            % {"missing": ", ".join(missing), "columns": ", ".join(columns)}
        )
    reader.fieldnames = header
    start = reader.line_num + 1
    try:
        for record in reader:
            yield start, record
            start = reader.line_num + 1
    except csv.Error as error:
        raise ImportFileError(
            _("Line %(line)s is not valid CSV: %(error)s") % {"line": start, "error": error}
        ) from None


# --- The two layouts --------------------------------------------------------------------------------------


def _esma_row(line: int, record: dict, unreadable: list[Unreadable]) -> _Row | Refusal:
    names = list(dict.fromkeys(name for name in (_cell(record["ae_commercial_name"]), _cell(record["ae_lei_name"]))))
    names = [name for name in names if name]
    if not names:
        return Refusal((line,), "", _("neither a commercial name nor a legal name"))
    try:
        listed_on = read_date(record["ae_decision_date"])
    except ValueError:
        return Refusal((line,), names[0], _date_refusal(record["ae_decision_date"], "ae_decision_date"))
    # ae_infrigment is not read: it says whether ESMA found an infringement by the national
    # authority (Article 17 of Regulation 1095/2010), not anything about the entity.
    return _Row(
        line=line,
        names=names,
        lei=_cell(record["ae_lei"]).upper(),
        authority=_cell(record["ae_competentAuthority"]),
        countries=[code for code in re.split(r"[\s,;|/]+", _cell(record["ae_homeMemberState"]).upper()) if code],
        hosts=_hosts(record["ae_website"] or "", line, unreadable),
        listed_on=listed_on,
        reason=_text(record["ae_reason"]),
        note=_text(record["ae_comments"]),
    )


def _csv_row(line: int, record: dict, unreadable: list[Unreadable]) -> _Row | Refusal:
    record = {key: _unneutralised(value or "") for key, value in record.items() if key}
    names = [_cell(record["name"]), *(_cell(name) for name in record["other_names"].split(NAME_SEPARATOR.strip()))]
    names = [name for name in dict.fromkeys(names) if name]
    if not names or not _cell(record["name"]):
        return Refusal((line,), "", _("no name"))
    try:
        listed_on = read_date(record["listed_on"])
    except ValueError:
        return Refusal((line,), names[0], _date_refusal(record["listed_on"], "listed_on"))
    removed_on = None
    status = _cell(record["status"]).lower() or WarningEntry.Status.ACTIVE
    if status not in WarningEntry.Status.values:
        return Refusal((line,), names[0], _("status %(status)s is neither active nor removed") % {"status": status})
    if status == WarningEntry.Status.REMOVED:
        try:
            removed_on = read_date(record["removed_on"])
        except ValueError:
            return Refusal((line,), names[0], _date_refusal(record["removed_on"], "removed_on"))
    return _Row(
        line=line,
        names=names,
        lei=_cell(record["lei"]).upper(),
        authority=_cell(record["home_authority"]),
        countries=[code for code in re.split(r"[\s,;|/]+", _cell(record["home_country"]).upper()) if code],
        hosts=_hosts(record["domains"], line, unreadable),
        listed_on=listed_on,
        reason=_text(record["reason"]),
        note=_text(record["note"]),
        removed_on=removed_on,
    )


# --- Merging rows into entities ---------------------------------------------------------------------------


def _group(rows: list[_Row]) -> list[list[_Row]]:
    """Rows of one entity together: linked by a shared LEI, name (folded) or host, transitively."""
    parent = list(range(len(rows)))

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        keys = [f"lei:{row.lei}"] if row.lei else []
        keys += [f"name:{fold(name)}" for name in row.names if fold(name)]
        keys += [f"host:{host}" for host in row.hosts]
        for key in keys:
            if key in seen:
                parent[find(index)] = find(seen[key])
            else:
                seen[key] = index
    groups: dict[int, list[_Row]] = {}
    for index, row in enumerate(rows):
        groups.setdefault(find(index), []).append(row)
    return list(groups.values())


def _joined(values: list[str], separator: str) -> str:
    return separator.join(dict.fromkeys(value for value in values if value))


def _entity(rows: list[_Row]) -> PlannedEntity:
    names: list[str] = []
    for row in rows:
        names += [name for name in row.names if fold(name) not in {fold(known) for known in names}]
    dates = sorted({row.listed_on for row in rows})
    removed = [row.removed_on for row in rows if row.removed_on]
    entity = PlannedEntity(
        lines=[row.line for row in rows],
        action="add",
        name=names[0],
        other_names=names[1:],
        domains=list(dict.fromkeys(host for row in rows for host in row.hosts)),
        lei=next((row.lei for row in rows if row.lei), ""),
        home_authority=_joined([row.authority for row in rows], "; "),
        home_country=_joined([code for row in rows for code in row.countries], ", "),
        listed_on=dates[0],
        relisted_on=dates[1:],
        reason=_joined([row.reason for row in rows], "\n"),
        note=_joined([row.note for row in rows], "\n"),
    )
    if removed and len(removed) == len(rows):
        entity.removed_in_file = max(removed)
    return entity


# --- Comparing with the list ------------------------------------------------------------------------------


def _matches(entity: PlannedEntity, entries: list[WarningEntry]) -> list[WarningEntry]:
    keys = {fold(name) for name in [entity.name, *entity.other_names]}
    hosts = set(entity.domains)
    found = [
        entry
        for entry in entries
        if (entity.lei and entry.lei == entity.lei)
        or keys & {fold(name) for name in entry.names}
        or hosts & set(entry.domains)
    ]
    active = [entry for entry in found if entry.is_active]
    return active or found


def _validate(entity: PlannedEntity) -> None:
    """Refuse, in the preview already, what the services would refuse when the report is applied."""
    if entity.action == "add":
        values = {name: getattr(entity, name) for name in EDITABLE_FIELDS}
    elif entity.action == "update":
        values = dict(entity.changes)
    else:
        return
    try:
        clean_warning_fields(values)
    except ValidationError as error:
        entity.action = "refused"
        entity.refusal = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())


def _plan(entity: PlannedEntity, entries: list[WarningEntry], listing_dates: dict[int, set[date]]) -> None:
    """Decide what the import does with ``entity``: add, update, unchanged or refused (in place)."""
    matched = _matches(entity, entries)
    if len(matched) > 1:
        entity.action, entity.refusal = (
            "refused",
            _("it matches several entries (%(entries)s): merge them in the dashboard first")
            % {"entries": ", ".join(f"{entry.pk} {entry.name}" for entry in matched)},
        )
        return
    entry = matched[0] if matched else None
    if entry is not None and not entry.is_active:
        entity.entry_id = entry.pk
        if entity.removed_in_file:
            entity.action = "unchanged"
        else:
            entity.action, entity.refusal = (
                "refused",
                _(
                    "entry %(id)s of that name was removed from the list on %(date)s; if the entity is listed "
                    "again, add it in the dashboard"
                )
                % {"id": entry.pk, "date": date_format(entry.removed_on, "DATE_FORMAT")},
            )
        return
    if entity.removed_in_file:
        entity.action = "refused"
        if entry is not None:
            entity.entry_id = entry.pk
            message = _("the file marks it removed on %(date)s; remove it in the dashboard if it should go")
        else:
            message = _("the file marks it removed on %(date)s and it is not on this list")
        entity.refusal = message % {"date": date_format(entity.removed_in_file, "DATE_FORMAT")}
        return
    if entry is None:
        return  # added as it is
    entity.entry_id = entry.pk
    known = {fold(name) for name in entry.names}
    changes: dict = {}
    new_names = [name for name in [entity.name, *entity.other_names] if fold(name) not in known]
    if new_names:
        changes["other_names"] = [*entry.other_names, *new_names]
    new_hosts = [host for host in entity.domains if host not in entry.domains]
    if new_hosts:
        changes["domains"] = [*entry.domains, *new_hosts]
    # A value the file adds where the entry has none; what the list already says is kept.
    for name in ("lei", "home_authority", "home_country", "reason", "note"):
        if getattr(entity, name) and not getattr(entry, name):
            changes[name] = getattr(entity, name)
    if entity.listed_on < entry.listed_on:
        changes["listed_on"] = entity.listed_on
    listed_dates = {entity.listed_on, *entity.relisted_on}
    first = min(entity.listed_on, entry.listed_on)
    known_dates = listing_dates.get(entry.pk, set())
    relisted = sorted(day for day in listed_dates if day > first and day not in known_dates)
    entity.relisted_on = relisted
    entity.changes = changes
    entity.action = "update" if changes or relisted else "unchanged"


def warning_import_preview(*, data: bytes | str, format: Format) -> ImportReport:
    """Read a warning-list file and report what importing it would change. Writes nothing.

    Raises ``ImportFileError`` when the file as a whole cannot be read.
    """
    if format not in FORMATS:
        raise ImportFileError(_("Unknown format %(format)s: use esma or csv.") % {"format": format})
    file_digest = hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()
    text = _decode(data)
    columns, read_row = (ESMA_COLUMNS, _esma_row) if format == "esma" else (tuple(EXPORT_FIELDS), _csv_row)
    rows: list[_Row] = []
    refused: list[Refusal] = []
    unreadable: list[Unreadable] = []
    duplicates: list[tuple[int, int]] = []
    notes: list[tuple[int, str]] = []
    seen: dict[tuple, int] = {}
    for line, record in _records(text, columns):
        values = tuple((record.get(column) or "").strip() for column in columns)
        if not any(values):
            continue
        if values in seen:
            duplicates.append((line, seen[values]))
            continue
        seen[values] = line
        if any("\ufffd" in value for value in values):
            notes.append(
                (line, _("characters were lost to a bad encoding (shown as �): check the names and correct them"))
            )
        row = read_row(line, record, unreadable)
        if isinstance(row, Refusal):
            refused.append(row)
            continue
        if row.lei and not is_valid_lei(row.lei):
            notes.append((line, _("LEI %(lei)s is not valid (its check digits fail): left out") % {"lei": row.lei}))
            row.lei = ""
        rows.append(row)
    state = warning_list_state()  # before reading the entries: a change while reading is then seen
    entries = list(WarningEntry.objects.order_by("pk"))
    listing_dates: dict[int, set[date]] = {}
    for entry_id, day in WarningEvent.objects.filter(
        event__in=[WarningEvent.Kind.LISTED, WarningEvent.Kind.RELISTED]
    ).values_list("entry_id", "at"):
        listing_dates.setdefault(entry_id, set()).add(day)
    entities = [_entity(group) for group in _group(rows)]
    claimed: dict[int, PlannedEntity] = {}
    for entity in entities:
        _plan(entity, entries, listing_dates)
        _validate(entity)
        if entity.action == "update" and entity.entry_id in claimed:
            entity.action = "refused"
            entity.refusal = _(
                "it matches entry %(id)s, which lines %(lines)s of the file already update: merge these rows"
            ) % {"id": entity.entry_id, "lines": claimed[entity.entry_id].line_label}
        elif entity.entry_id is not None:
            claimed[entity.entry_id] = entity
    entities.sort(key=lambda entity: entity.lines[0])
    return ImportReport(
        format=format,
        entities=entities,
        refused_rows=refused,
        unreadable=unreadable,
        duplicate_rows=duplicates,
        notes=notes,
        state=state,
        file_digest=file_digest,
    )


@transaction.atomic
def warning_import_apply(*, report: ImportReport, actor, token: str | None = None) -> ImportReport:
    """Add and update the entries as ``report`` (from ``warning_import_preview``) says; all or nothing.

    Refused with ``ConcurrentChange`` when the list changed since the preview, or when ``token`` is
    given and is not ``report.token``: a confirmation page that reads the uploaded file again posts
    the token of the preview it showed, so a file or list that changed in between is not applied
    unseen. Returns the report, marked applied, with the new entries' ids.
    """
    if report.applied:
        raise ConcurrentChange(_("This import was applied already."))
    lock_warning_list()
    if warning_list_state() != report.state or (token is not None and token != report.token):
        raise ConcurrentChange(
            _("The warning list changed since this preview was made. Preview the file again and check it.")
        )
    entries = WarningEntry.objects.in_bulk([entity.entry_id for entity in report.updated])
    for entity in report.entities:
        if entity.action == "add":
            entry = warning_add(
                actor=actor,
                relisted_on=entity.relisted_on,
                **{name: getattr(entity, name) for name in EDITABLE_FIELDS},
            )
            entity.entry_id = entry.pk
        elif entity.action == "update":
            warning_update(
                entry=entries[entity.entry_id],
                actor=actor,
                change_reason=_("Updated from a regulator's file."),
                relisted_on=entity.relisted_on,
                **entity.changes,
            )
    report.applied = True
    return report
