"""Writes of the warning list: add, update and remove entries, and apply an import report.

Every function runs in one transaction: it serialises the writers of the list (the duplicate check
must see what every other writer added), checks who acts and the values, saves, records the public
event and the hash-chained audit entry. Supervisors act through the dashboard; ``actor=None`` is
the system (``manage.py import_warnings`` and ``seed_demo``, run by an operator).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import SUPERVISOR
from audit.services import audit_record
from common.domains import InvalidHost, normalise_hosts
from common.errors import ConcurrentChange, DomainError, NotPermitted, TransitionNotAllowed
from common.identifiers import validate_lei
from common.names import fold
from registry.models import WarningEntry, WarningEvent

__all__ = [
    "EDITABLE_FIELDS",
    "DuplicateWarning",
    "clean_warning_fields",
    "lock_warning_list",
    "warning_add",
    "warning_remove",
    "warning_update",
]

# What a supervisor (or an import) may set; the order is that of the public page.
EDITABLE_FIELDS = (
    "name",
    "other_names",
    "domains",
    "lei",
    "home_authority",
    "home_country",
    "listed_on",
    "reason",
    "note",
)
_LIST_LOCK_KEY = zlib.crc32(b"warning-list")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_MAX_NAME = 300


class DuplicateWarning(DomainError):
    """The entity is already on the list: ``existing`` is the active entry it would duplicate."""

    def __init__(self, message: str, *, existing: WarningEntry):
        super().__init__(message)
        self.existing = existing


def lock_warning_list() -> None:
    """Serialise the writers of the warning list until the transaction ends."""
    # SQLite needs nothing: its IMMEDIATE transactions already admit one writer at a time.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LIST_LOCK_KEY])


def _check_actor(actor) -> None:
    if actor is None:
        return
    if not getattr(actor, "is_authenticated", False) or not actor.has_role(SUPERVISOR):
        raise NotPermitted(_("Only a supervisor may change the warning list."))


def _one_line(value) -> str:
    return " ".join(str(value or "").split())


def clean_warning_fields(values: dict) -> dict:
    """The values of ``EDITABLE_FIELDS`` given, as stored; ``ValidationError`` keyed by field otherwise.

    Exposed for the import, which reports a file's bad cells the same way a form shows them.
    """
    cleaned: dict = {}
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if "name" in values:
        cleaned["name"] = _one_line(values["name"])
        if not cleaned["name"]:
            refuse("name", _("Enter the name the entity uses."))
        elif len(cleaned["name"]) > _MAX_NAME:
            refuse("name", _("A name has at most %(max)s characters.") % {"max": _MAX_NAME})
    if "other_names" in values:
        names: list[str] = []
        main = fold(cleaned.get("name", ""))
        for value in values["other_names"] or ():
            name = _one_line(value)
            if len(name) > _MAX_NAME:
                refuse("other_names", _("A name has at most %(max)s characters.") % {"max": _MAX_NAME})
            elif name and fold(name) != main and fold(name) not in {fold(known) for known in names}:
                names.append(name)
        cleaned["other_names"] = names
    if "domains" in values:
        try:
            cleaned["domains"] = normalise_hosts(str(value) for value in values["domains"] or ())
        except InvalidHost as error:
            refuse("domains", str(error))
    if "lei" in values:
        cleaned["lei"] = _one_line(values["lei"]).upper().replace(" ", "")
        if cleaned["lei"]:
            try:
                validate_lei(cleaned["lei"])
            except ValidationError as error:
                errors.setdefault("lei", []).extend(str(message) for message in error.messages)
    if "home_authority" in values:
        cleaned["home_authority"] = _one_line(values["home_authority"])
    if "home_country" in values:
        codes = [code for code in re.split(r"[\s,;|/]+", str(values["home_country"] or "").upper()) if code]
        if any(not _COUNTRY.match(code) for code in codes):
            refuse("home_country", _("Give the country as a two-letter ISO code, e.g. FR, or several: CY, IE."))
        cleaned["home_country"] = ", ".join(dict.fromkeys(codes))
    if "listed_on" in values:
        listed_on = values["listed_on"]
        if not isinstance(listed_on, date):
            refuse("listed_on", _("Enter the date the entity was listed."))
        elif listed_on > timezone.localdate():
            refuse("listed_on", _("The listing date cannot be in the future."))
        cleaned["listed_on"] = listed_on
    for field in ("reason", "note"):
        if field in values:
            cleaned[field] = str(values[field] or "").strip()
    if errors:
        raise ValidationError(errors)
    return cleaned


def _duplicate_of(*, names: Iterable[str], domains: Iterable[str], exclude: int | None = None) -> WarningEntry | None:
    """The active entry sharing a name (folded) or a domain with these, if any.

    Read in Python: the list holds hundreds or a few thousand entries, and other names and domains
    are lists. The list lock (``lock_warning_list``) keeps another writer from adding one meanwhile.
    """
    keys = {fold(name) for name in names}
    hosts = set(domains)
    for entry in WarningEntry.objects.active().exclude(pk=exclude).only("id", "name", "other_names", "domains"):
        if keys & {fold(name) for name in entry.names} or hosts & set(entry.domains):
            return entry
    return None


def _refuse_duplicate(existing: WarningEntry) -> None:
    raise DuplicateWarning(
        _(
            "%(name)s is already on the warning list (entry %(id)s, listed on %(date)s) with the same name or "
            "domain. Edit that entry instead of adding another."
        )
        % {"name": existing.name, "id": existing.pk, "date": date_format(existing.listed_on, "DATE_FORMAT")},
        existing=existing,
    )


def _record(entry: WarningEntry, kind: str, *, at: date, changed: Iterable[str] = (), reason: str = "") -> None:
    WarningEvent.objects.create(
        entry=entry, event=kind, at=at, recorded_at=timezone.now(), changed=list(changed), reason=reason
    )


def _relist(entry: WarningEntry, dates: Iterable[date]) -> list[date]:
    """Record each further listing date not in the entry's history yet; return those recorded."""
    known = set(
        entry.events.filter(event__in=[WarningEvent.Kind.LISTED, WarningEvent.Kind.RELISTED]).values_list(
            "at", flat=True
        )
    )
    added = sorted({day for day in dates if day not in known and day >= entry.listed_on})
    for day in added:
        _record(entry, WarningEvent.Kind.RELISTED, at=day)
    return added


@transaction.atomic
def warning_add(
    *,
    actor,
    name: str,
    listed_on: date,
    other_names: Iterable[str] = (),
    domains: Iterable[str] = (),
    lei: str = "",
    home_authority: str = "",
    home_country: str = "",
    reason: str = "",
    note: str = "",
    relisted_on: Iterable[date] = (),
) -> WarningEntry:
    """Put an entity on the list. ``domains`` may be typed as addresses (``https://www.x.io/a``): they
    are stored as host names. ``relisted_on``: later dates on which a regulator listed it again."""
    _check_actor(actor)
    fields = clean_warning_fields(
        {
            "name": name,
            "other_names": list(other_names),
            "domains": list(domains),
            "lei": lei,
            "home_authority": home_authority,
            "home_country": home_country,
            "listed_on": listed_on,
            "reason": reason,
            "note": note,
        }
    )
    lock_warning_list()
    existing = _duplicate_of(names=[fields["name"], *fields["other_names"]], domains=fields["domains"])
    if existing is not None:
        _refuse_duplicate(existing)
    entry = WarningEntry.objects.create(**fields)
    _record(entry, WarningEvent.Kind.LISTED, at=entry.listed_on)
    _relist(entry, relisted_on)
    audit_record(actor=actor, action="warning.add", obj=entry, to_state=entry.status, comment=entry.name)
    return entry


def _locked_active(entry: WarningEntry, *, action: str) -> WarningEntry:
    locked = WarningEntry.objects.select_for_update().get(pk=entry.pk)
    # What the caller saw is not what is stored: someone else saved the entry in between.
    if any(getattr(entry, name) != getattr(locked, name) for name in (*EDITABLE_FIELDS, "status")):
        raise ConcurrentChange(
            _("%(name)s was changed by someone else meanwhile. Reload the entry and check before you %(action)s it.")
            % {"name": locked.name, "action": action}
        )
    if not locked.is_active:
        raise TransitionNotAllowed(
            _("%(name)s was removed from the list on %(date)s; a removed entry is kept as it was.")
            % {"name": locked.name, "date": date_format(locked.removed_on, "DATE_FORMAT") if locked.removed_on else "?"}
        )
    return locked


@transaction.atomic
def warning_update(
    *,
    entry: WarningEntry,
    actor,
    effective_on: date | None = None,
    change_reason: str = "",
    relisted_on: Iterable[date] = (),
    **changes,
) -> WarningEntry:
    """Change details of an active entry (``changes``: any of ``EDITABLE_FIELDS``, ``reason`` included).

    Records one public event naming the fields that changed, effective ``effective_on`` (today by
    default), with the optional public ``change_reason``: why it changed, where ``reason`` is why
    the entity is listed. Nothing changed: nothing recorded. Refused when someone else changed the
    entry since ``entry`` was read.
    """
    _check_actor(actor)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if "other_names" in changes and "name" not in changes:
        changes["name"] = entry.name  # other names are checked against the main name
    fields = clean_warning_fields(changes)
    lock_warning_list()
    locked = _locked_active(entry, action=_("change"))
    changed = [name for name in EDITABLE_FIELDS if name in fields and getattr(locked, name) != fields[name]]
    if changed:
        names = [fields.get("name", locked.name), *fields.get("other_names", locked.other_names)]
        existing = _duplicate_of(names=names, domains=fields.get("domains", locked.domains), exclude=locked.pk)
        if existing is not None:
            _refuse_duplicate(existing)
        for name in changed:
            setattr(locked, name, fields[name])
        locked.save()
        _record(
            locked,
            WarningEvent.Kind.UPDATED,
            at=effective_on or timezone.localdate(),
            changed=changed,
            reason=change_reason.strip(),
        )
    relisted = _relist(locked, relisted_on)
    if changed or relisted:
        comment = ", ".join(changed + [f"listed again {day.isoformat()}" for day in relisted])
        audit_record(actor=actor, action="warning.update", obj=locked, comment=comment)
    return locked


@transaction.atomic
def warning_remove(*, entry: WarningEntry, actor, removed_on: date, reason: str) -> WarningEntry:
    """Take an entry off the list as of ``removed_on``; it is kept, shown as removed, with its history."""
    _check_actor(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; it is published in the entry's history.")})
    lock_warning_list()
    locked = _locked_active(entry, action=_("remove"))
    if not isinstance(removed_on, date) or removed_on > timezone.localdate():
        raise ValidationError({"removed_on": _("The removal date cannot be in the future.")})
    if removed_on < locked.listed_on:
        raise ValidationError(
            {
                "removed_on": _("The removal date cannot be before the listing date, %(date)s.")
                % {"date": date_format(locked.listed_on, "DATE_FORMAT")}
            }
        )
    locked.status, locked.removed_on = WarningEntry.Status.REMOVED, removed_on
    locked.save()
    _record(locked, WarningEvent.Kind.REMOVED, at=removed_on, reason=reason)
    audit_record(
        actor=actor,
        action="warning.remove",
        obj=locked,
        from_state=WarningEntry.Status.ACTIVE,
        to_state=locked.status,
        comment=reason,
    )
    return locked
