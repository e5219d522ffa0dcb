"""Writes of the book of record: issuing licenses and changing their status.

Every function runs in one database transaction with the change it records: it locks the license row,
checks who acts and from which status, calls the django-fsm transition, saves, adds the public history
event and the audit entry. ``registry`` imports nothing from ``licensing``; ``licensing`` calls
``license_issue`` from inside its own approval transaction.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts.models import APPROVER, SUPERVISOR
from audit.services import audit_record
from common.domains import InvalidHost, normalise_host, normalise_hosts
from common.errors import ConcurrentChange, DomainError, NotPermitted, TransitionNotAllowed
from common.identifiers import validate_bin, validate_lei
from notifications.services import notice_enqueue
from registry.models import (
    Activity,
    Decision,
    DFAClass,
    DigitalAsset,
    DigitalAssetEvent,
    License,
    LicenseEvent,
    LicenseSequence,
    LicenseType,
)

# get_or_create of a sequence row can lose a race to another transaction creating the same row;
# the loser retries once the winner committed. Three rounds are plenty: the row only appears once.
_SEQUENCE_ATTEMPTS = 3


@dataclass(frozen=True)
class Holder:
    """The holder as printed on the license: a snapshot, not a link to the applicant's organization.

    ``website`` and ``domains`` are web addresses in any form people write them; the license stores
    their host names (``common.domains``).
    """

    name: str
    bin: str
    lei: str = ""
    address: str = ""
    website: str = ""
    domains: tuple[str, ...] = ()
    latin_name: str = ""
    trading_names: tuple[str, ...] = ()


# The column sizes of License, so that overlong input is refused here with a message, not by the database.
NAME_MAX = 300
ADDRESS_MAX = 500
TRADING_NAMES_MAX = 20
REASON_MAX = 2000
# The first licenses under the law of January 2026 were loaded from the registers that preceded it.
EARLIEST_ISSUE = date(1995, 1, 1)


def _clean_text(value: str) -> str:
    return " ".join((value or "").split())


def _has_control_characters(value: str) -> bool:
    return any(ord(character) < 32 or ord(character) == 127 for character in value)


@dataclass(frozen=True)
class _CleanHolder:
    name: str
    latin_name: str
    trading_names: list[str]
    bin: str
    lei: str
    address: str
    website: str
    domains: list[str]


def _clean_holder(holder: Holder, problems: list[str]) -> _CleanHolder:
    """The holder as the license stores it; each problem found is appended to ``problems``."""
    name = _clean_text(holder.name)
    latin_name = _clean_text(holder.latin_name)
    trading_names = list(dict.fromkeys(_clean_text(each) for each in holder.trading_names if _clean_text(each)))
    address = " ".join((holder.address or "").split())
    if not name:
        problems.append(_("The holder's name is missing."))
    labelled = [(_("The holder's name"), name), (_("The holder's Latin name"), latin_name)]
    labelled += [(_("The trading name %(name)s") % {"name": each[:40]}, each) for each in trading_names]
    for label, value in labelled:
        if len(value) > NAME_MAX:
            problems.append(_("%(what)s is longer than %(max)s characters.") % {"what": label, "max": NAME_MAX})
    if len(trading_names) > TRADING_NAMES_MAX:
        problems.append(_("A holder has at most %(max)s trading names.") % {"max": TRADING_NAMES_MAX})
    if len(address) > ADDRESS_MAX:
        problems.append(_("The registered address is longer than %(max)s characters.") % {"max": ADDRESS_MAX})
    if any(_has_control_characters(value) for value in [name, latin_name, address, *trading_names]):
        problems.append(_("The holder's names and address may not contain control characters."))
    bin_ = (holder.bin or "").strip()
    lei = (holder.lei or "").strip()
    for label, value, validate in ((_("BIN"), bin_, validate_bin), (_("LEI"), lei, validate_lei)):
        if not value and validate is validate_lei:
            continue
        try:
            validate(value)
        except ValidationError as error:
            problems += [f"{label}: {message}" for message in error.messages]
    website = ""
    if (holder.website or "").strip():
        try:
            website = normalise_host(holder.website)
        except InvalidHost as error:
            problems.append(_("Website: %(error)s") % {"error": error})
    domains: list[str] = []
    try:
        domains = [host for host in normalise_hosts(holder.domains) if host != website]
    except InvalidHost as error:
        problems.append(_("Domains: %(error)s") % {"error": error})
    return _CleanHolder(name, latin_name, trading_names, bin_, lei, address, website, domains)


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason; it is published in the license's history."))
    if len(reason) > REASON_MAX:
        raise DomainError(_("Keep the public reason under %(max)s characters.") % {"max": REASON_MAX})
    if "\x00" in reason:
        raise DomainError(_("The reason contains a character that cannot be stored (NUL)."))
    return reason


def effective_moment(day: date, *, now: datetime) -> datetime:
    """The instant an event dated ``day`` took effect: ``now`` if that is today, else the day's start."""
    if day == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, time.min))


def add_years(day: date, years: int) -> date:
    """``day`` plus whole years; 29 February becomes 28 February in a common year."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def license_number_format(*, code: str, year: int, value: int) -> str:
    # Four digits at least; the 10,000th license of a year simply gets five.
    return f"{code}-{year}-{value:04d}"


def _next_sequence_value(*, license_type: LicenseType, year: int) -> int:
    """Take the next number of ``license_type`` in ``year``, holding its row lock until commit.

    The lock makes concurrent issuers queue, and because the increment is part of the caller's
    transaction, a rolled-back approval gives its number back: numbers stay gap-free.
    """
    for attempt in range(_SEQUENCE_ATTEMPTS):
        try:
            # A savepoint, so that losing the creation race does not poison the caller's transaction.
            with transaction.atomic():
                LicenseSequence.objects.get_or_create(license_type=license_type, year=year)
            break
        except IntegrityError:
            if attempt == _SEQUENCE_ATTEMPTS - 1:
                raise
    sequence = LicenseSequence.objects.select_for_update().get(license_type=license_type, year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return sequence.last_value


def license_issue(
    *,
    license_type: LicenseType,
    holder: Holder,
    activities: Iterable[Activity],
    assets: Iterable[DigitalAsset],
    application_id: int | None,
    issued_on: date,
    actor,
) -> License:
    """Issue a license with the next number of its type and year. Runs inside the caller's transaction.

    The caller (``licensing``'s approval) holds its own locks; the license must commit or roll back
    with the decision that grants it, so this refuses to run on its own.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("license_issue must run inside the transaction of the decision that grants it")
    activities = list(activities)
    assets = list(assets)
    problems: list[str] = []
    clean = _clean_holder(holder, problems)
    now = timezone.now()
    if not isinstance(issued_on, date) or isinstance(issued_on, datetime):
        problems.append(_("The date of issue must be a calendar date."))
    elif issued_on > timezone.localdate(now):
        problems.append(
            _("A license cannot be issued with a date in the future (%(date)s).")
            % {"date": date_format(issued_on, "DATE_FORMAT")}
        )
    elif issued_on < EARLIEST_ISSUE:
        problems.append(
            _("The date of issue %(date)s is before %(earliest)s; check the year.")
            % {"date": date_format(issued_on, "DATE_FORMAT"), "earliest": date_format(EARLIEST_ISSUE, "DATE_FORMAT")}
        )
    if not activities:
        problems.append(_("A license must cover at least one activity."))
    not_allowed = [activity for activity in activities if not license_type.allows(activity)]
    if not_allowed:
        problems.append(
            _("Not allowed for a %(type)s license: %(activities)s.")
            % {"type": license_type.code, "activities": ", ".join(activity.name for activity in not_allowed)}
        )
    if application_id is not None and License.objects.filter(application_id=application_id).exists():
        problems.append(_("A license was already issued for this application."))
    if problems:
        raise DomainError(_("The license cannot be issued."), problems=problems)

    value = _next_sequence_value(license_type=license_type, year=issued_on.year)
    license = License.objects.create(
        number=license_number_format(code=license_type.code, year=issued_on.year, value=value),
        license_type=license_type,
        application_id=application_id,
        holder_name=clean.name,
        holder_latin_name=clean.latin_name,
        holder_trading_names=clean.trading_names,
        holder_bin=clean.bin,
        holder_lei=clean.lei,
        holder_address=clean.address,
        holder_website=clean.website,
        holder_domains=clean.domains,
        issued_at=issued_on,
        # validity_years empty (or 0) means open-ended: the license runs until revoked or surrendered.
        valid_until=add_years(issued_on, license_type.validity_years) if license_type.validity_years else None,
    )
    license.activities.set(activities)
    license.assets.set(assets)
    # A license loaded from an earlier register took effect on its own date, not today.
    LicenseEvent.objects.create(
        license=license, event=LicenseEvent.Kind.ISSUED, at=effective_moment(issued_on, now=now), recorded_at=now
    )
    audit_record(
        actor=actor,
        action="license.issue",
        obj=license,
        to_state=license.status,
        comment=f"{license.number}" + (f" (application {application_id})" if application_id else ""),
    )
    return license


# --- status changes ------------------------------------------------------------------------------

_WHO = {
    "suspend": (APPROVER,),
    "reinstate": (APPROVER,),
    "revoke": (APPROVER,),
    "surrender": (APPROVER, SUPERVISOR),
}
_EVENT = {
    "suspend": LicenseEvent.Kind.SUSPENDED,
    "reinstate": LicenseEvent.Kind.REINSTATED,
    "revoke": LicenseEvent.Kind.REVOKED,
    "surrender": LicenseEvent.Kind.SURRENDERED,
    "expire": LicenseEvent.Kind.EXPIRED,
}
_NOTICE = {"suspend": "license_suspended", "revoke": "license_revoked"}


def _refusal_for_role(name: str) -> str:
    return {
        "suspend": _("Only an approver may suspend a license."),
        "reinstate": _("Only an approver may reinstate a license."),
        "revoke": _("Only an approver may revoke a license."),
        "surrender": _("Only an approver or a supervisor may record the surrender of a license."),
    }[name]


def _refusal_for_status(name: str, license: License) -> str:
    params = {"number": license.number, "status": license.get_status_display()}
    return {
        "suspend": _("License %(number)s is %(status)s; only an active license can be suspended."),
        "reinstate": _("License %(number)s is %(status)s; only a suspended license can be reinstated."),
        "revoke": _("License %(number)s is %(status)s; only an active or suspended license can be revoked."),
        "surrender": _("License %(number)s is %(status)s; only an active or suspended license can be surrendered."),
        "expire": _("License %(number)s is %(status)s; only an active or suspended license can expire."),
    }[name] % params


def _change_status(
    *, name: str, license: License, actor, reason: str, recipients: Iterable[AbstractBaseUser | int] = ()
) -> License:
    """Lock, re-check, transition, save, record the public event and the audit entry; tell ``recipients``."""
    if not getattr(actor, "is_authenticated", False) or not any(actor.has_role(role) for role in _WHO[name]):
        raise NotPermitted(_refusal_for_role(name))
    reason = _clean_reason(reason)

    locked = License.objects.select_for_update().get(pk=license.pk)
    if locked.status != license.status:
        raise ConcurrentChange(
            _("License %(number)s was changed by someone else meanwhile: it is now %(status)s. Reload and check.")
            % {"number": locked.number, "status": locked.get_status_display()}
        )
    transition = getattr(locked, name)
    from_state = locked.status
    if not can_proceed(transition):
        raise TransitionNotAllowed(_refusal_for_status(name, locked))
    transition()
    locked.save(update_fields=["status", "updated_at"])
    now = timezone.now()
    LicenseEvent.objects.create(license=locked, event=_EVENT[name], at=now, recorded_at=now, reason=reason)
    audit_record(
        actor=actor, action=f"license.{name}", obj=locked, from_state=from_state, to_state=locked.status, comment=reason
    )
    if name in _NOTICE:
        notice_enqueue(
            kind=_NOTICE[name],
            recipients=recipients,
            subject=locked,
            link=locked.get_absolute_url(),
            context={"reason": reason},
        )
    return locked


@transaction.atomic
def license_suspend(*, license: License, actor, reason: str, recipients: Iterable[AbstractBaseUser | int]) -> License:
    """Suspend an active license (approver) and tell ``recipients``, the people of the holder.

    The register does not know who belongs to the holder: the caller does (in ``licensing``,
    ``license_holder_ids``). Returns the updated license; ``license`` is left as it was.
    """
    return _change_status(name="suspend", license=license, actor=actor, reason=reason, recipients=recipients)


@transaction.atomic
def license_reinstate(*, license: License, actor, reason: str) -> License:
    """Put a suspended license back in force (approver)."""
    return _change_status(name="reinstate", license=license, actor=actor, reason=reason)


@transaction.atomic
def license_revoke(*, license: License, actor, reason: str, recipients: Iterable[AbstractBaseUser | int]) -> License:
    """Revoke an active or suspended license for good (approver) and tell ``recipients`` (see suspend)."""
    return _change_status(name="revoke", license=license, actor=actor, reason=reason, recipients=recipients)


@transaction.atomic
def license_surrender(*, license: License, actor, reason: str) -> License:
    """Record that the holder gave the license back (approver or supervisor, on the holder's letter)."""
    return _change_status(name="surrender", license=license, actor=actor, reason=reason)


@transaction.atomic
def license_expire(*, license: License, today: date) -> bool:
    """End a license whose validity ran out (the system). True if it expired now, False if nothing to do.

    Safe to run twice and to race with itself: an expired, revoked or surrendered license is left
    alone, because it is already out of force.
    """
    locked = License.objects.select_for_update().get(pk=license.pk)
    if locked.status in (License.Status.EXPIRED, License.Status.REVOKED, License.Status.SURRENDERED):
        return False
    if locked.valid_until is None:
        raise TransitionNotAllowed(
            _("License %(number)s is open-ended; it does not expire.") % {"number": locked.number}
        )
    # valid_until is the last day in force (the registry and verification read it so): the license
    # expires the day after.
    if locked.valid_until >= today:
        raise TransitionNotAllowed(
            _("License %(number)s is in force until the end of %(date)s; it cannot expire before then.")
            % {"number": locked.number, "date": date_format(locked.valid_until, "DATE_FORMAT")}
        )
    from_state = locked.status
    locked.expire()
    locked.save(update_fields=["status", "updated_at"])
    reason = _("Validity ended on %(date)s.") % {"date": date_format(locked.valid_until, "DATE_FORMAT")}
    # In force through valid_until: it took effect at the start of the next day, whenever recorded.
    now = timezone.now()
    ended = timezone.make_aware(datetime.combine(locked.valid_until, time.min)) + timedelta(days=1)
    LicenseEvent.objects.create(
        license=locked, event=LicenseEvent.Kind.EXPIRED, at=min(ended, now), recorded_at=now, reason=reason
    )
    audit_record(
        actor=None, action="license.expire", obj=locked, from_state=from_state, to_state=locked.status, comment=reason
    )
    return True


def license_actions_available(*, license: License, actor) -> list[str]:
    """The status changes ``actor`` may make to ``license`` as it stands (what a page offers)."""
    if not getattr(actor, "is_authenticated", False):
        return []
    return [
        name
        for name, roles in _WHO.items()
        if any(actor.has_role(role) for role in roles) and can_proceed(getattr(license, name))
    ]


@contextmanager
def license_unchanged(*, license: License, seen_event_id: int) -> Iterator[License]:
    """Lock the license for one transaction and go on only if its history has no event after ``seen_event_id``.

    A page puts the id of the latest event it showed in its form; a change made meanwhile by someone
    else is refused with what it was, instead of being acted on blindly.
    """
    with transaction.atomic():
        locked = License.objects.select_for_update().get(pk=license.pk)
        newer = list(LicenseEvent.objects.filter(license=locked, id__gt=seen_event_id).order_by("id"))
        if newer:
            raise ConcurrentChange(
                _("License %(number)s changed after you opened it, so nothing was done. It is now %(status)s.")
                % {"number": locked.number, "status": locked.get_status_display().lower()},
                problems=[f"{event.get_event_display()}: {event.reason}".rstrip(": ") for event in newer],
            )
        yield locked


# --- the permitted-asset list ----------------------------------------------------------------------

_ASSET_TRANSITIONS = {
    # action: (statuses it applies to, status after, public event)
    "suspend": ((DigitalAsset.Status.PERMITTED,), DigitalAsset.Status.SUSPENDED, DigitalAssetEvent.Kind.SUSPENDED),
    "reinstate": ((DigitalAsset.Status.SUSPENDED,), DigitalAsset.Status.PERMITTED, DigitalAssetEvent.Kind.REINSTATED),
    "delist": (
        (DigitalAsset.Status.PERMITTED, DigitalAsset.Status.SUSPENDED),
        DigitalAsset.Status.DELISTED,
        DigitalAssetEvent.Kind.DELISTED,
    ),
}


def _require_supervisor(actor) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.has_role(SUPERVISOR)):
        raise NotPermitted(_("Only a supervisor may change the permitted-asset list."))


def asset_actions_available(asset: DigitalAsset) -> list[str]:
    return [name for name, (sources, _target, _event) in _ASSET_TRANSITIONS.items() if asset.status in sources]


@transaction.atomic
def asset_add(*, actor, symbol: str, name: str, dfa_class: str, effective_on: date, reason: str = "") -> DigitalAsset:
    """Put an asset on the permitted list (supervisor); its public history starts with this event."""
    _require_supervisor(actor)
    symbol = symbol.strip().upper()
    problems = []
    if not symbol:
        problems.append(_("Enter the asset's symbol."))
    elif DigitalAsset.objects.filter(symbol=symbol).exists():
        problems.append(
            _("%(symbol)s is already on the list; suspend, reinstate or delist it there.") % {"symbol": symbol}
        )
    if not name.strip():
        problems.append(_("Enter the asset's name."))
    if dfa_class not in DFAClass.values:
        problems.append(_("Choose the DFA class of the asset."))
    if problems:
        raise DomainError(_("The asset cannot be added."), problems=problems)
    asset = DigitalAsset.objects.create(
        symbol=symbol,
        name=name.strip(),
        dfa_class=dfa_class,
        status=DigitalAsset.Status.PERMITTED,
        added_on=effective_on,
    )
    DigitalAssetEvent.objects.create(
        asset=asset,
        event=DigitalAssetEvent.Kind.ADDED,
        effective_on=effective_on,
        recorded_at=timezone.now(),
        reason=reason.strip(),
    )
    audit_record(
        actor=actor,
        action="asset.add",
        obj=asset,
        to_state=asset.status,
        comment=f"{symbol} ({dfa_class}) from {effective_on:%Y-%m-%d}: {reason.strip()}",
    )
    return asset


def _asset_change(
    name: str, *, asset: DigitalAsset, actor, seen_status: str, effective_on: date, reason: str
) -> DigitalAsset:
    _require_supervisor(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason; it is published in the asset's history."))
    locked = DigitalAsset.objects.select_for_update().get(pk=asset.pk)
    if locked.status != seen_status:
        raise ConcurrentChange(
            _("%(symbol)s was changed by someone else meanwhile: it is now %(status)s. Check it again.")
            % {"symbol": locked.symbol, "status": locked.get_status_display().lower()}
        )
    sources, target, event = _ASSET_TRANSITIONS[name]
    if locked.status not in sources:
        raise TransitionNotAllowed(
            _("%(symbol)s is %(status)s; that change does not apply to it.")
            % {"symbol": locked.symbol, "status": locked.get_status_display().lower()}
        )
    from_state = locked.status
    locked.status = target
    locked.status_changed_on = effective_on
    locked.save(update_fields=["status", "status_changed_on"])
    DigitalAssetEvent.objects.create(
        asset=locked, event=event, effective_on=effective_on, recorded_at=timezone.now(), reason=reason
    )
    audit_record(
        actor=actor,
        action=f"asset.{name}",
        obj=locked,
        from_state=from_state,
        to_state=target,
        comment=f"from {effective_on:%Y-%m-%d}: {reason}",
    )
    return locked


@transaction.atomic
def asset_suspend(*, asset: DigitalAsset, actor, seen_status: str, effective_on: date, reason: str) -> DigitalAsset:
    """No new trading in the asset until it is permitted again (supervisor)."""
    return _asset_change(
        "suspend", asset=asset, actor=actor, seen_status=seen_status, effective_on=effective_on, reason=reason
    )


@transaction.atomic
def asset_reinstate(*, asset: DigitalAsset, actor, seen_status: str, effective_on: date, reason: str) -> DigitalAsset:
    """A suspended asset is permitted again (supervisor)."""
    return _asset_change(
        "reinstate", asset=asset, actor=actor, seen_status=seen_status, effective_on=effective_on, reason=reason
    )


@transaction.atomic
def asset_delist(*, asset: DigitalAsset, actor, seen_status: str, effective_on: date, reason: str) -> DigitalAsset:
    """The asset leaves the list for good (supervisor); its history stays public."""
    return _asset_change(
        "delist", asset=asset, actor=actor, seen_status=seen_status, effective_on=effective_on, reason=reason
    )


# --- public decision statistics ---------------------------------------------------------------------


def decision_record(
    *,
    application_id: int,
    license_type: LicenseType,
    outcome: str,
    submitted_on: date,
    decided_on: date,
    working_days: int | None,
) -> Decision:
    """Record (or correct) the public trace of one decision: no applicant, no reasons, no people.

    Called by ``licensing`` in the transaction of the approval or refusal, with the working days
    counted on its calendar; calling it again for the same application replaces the record.
    """
    problems = []
    if outcome not in Decision.Outcome.values:
        problems.append(_("A decision either grants or refuses the license."))
    if decided_on < submitted_on:
        problems.append(_("A decision cannot precede the submission it decides."))
    if working_days is not None and working_days < 0:
        problems.append(_("Working days cannot be negative."))
    if problems:
        raise DomainError(_("The decision cannot be recorded."), problems=problems)
    decision, _created = Decision.objects.update_or_create(
        application_id=application_id,
        defaults={
            "license_type": license_type,
            "outcome": outcome,
            "submitted_on": submitted_on,
            "decided_on": decided_on,
            "working_days": working_days,
        },
    )
    return decision
