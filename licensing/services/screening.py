"""Lookalike screening of applicant organizations against the warning list (SPEC section 15).

``organization_screen`` compares the profile's legal, Latin and trading names and its website and
other domains with the active warning list (``registry.warning_list.matching``) and stores what it
finds. The organization and application services call it at registration, on every change of those
fields and at submission, inside their own transaction. Staff read the result on the case page
through ``licensing.selectors.application_warning_matches``. It records no audit entry: it changes
nothing a person decided, and every screening is kept.
"""

from __future__ import annotations

from django.utils import timezone

from common.domains import InvalidHost, normalise_host
from licensing.models import Application, Organization, WarningMatch, WarningScreening
from registry.warning_list.matching import warning_lookalikes

__all__ = ["SCREENED_FIELDS", "organization_screen"]

# The profile fields compared with the list; a change to any of them screens the organization again.
SCREENED_FIELDS = ("legal_name", "latin_name", "trading_names", "website", "other_domains")


def _names(organization: Organization) -> list[str]:
    names = [
        organization.legal_name,
        getattr(organization, "latin_name", ""),
        *getattr(organization, "trading_names", []),
    ]
    return [name for name in dict.fromkeys(" ".join(str(name).split()) for name in names) if name]


def _hosts(organization: Organization) -> list[str]:
    hosts = []
    for value in [organization.website, *(organization.other_domains or [])]:
        try:
            host = normalise_host(str(value))
        except InvalidHost:
            continue  # the profile's own validation reports it; nothing to compare
        if host not in hosts:
            hosts.append(host)
    return hosts


def organization_screen(
    *, organization: Organization, trigger: str, application: Application | None = None
) -> WarningScreening:
    """Compare the organization with the active warning list and store the screening and its matches."""
    names, hosts = _names(organization), _hosts(organization)
    screening = WarningScreening.objects.create(
        organization=organization,
        application=application,
        trigger=trigger,
        screened_at=timezone.now(),
        names=names,
        hosts=hosts,
    )
    WarningMatch.objects.bulk_create(
        WarningMatch(
            screening=screening,
            entry=match.entry,
            kind=match.kind,
            value=match.value[:300],
            listed=match.listed[:300],
            score=match.score,
            reason=match.reason,
        )
        for match in warning_lookalikes(names=names, hosts=hosts)
    )
    return screening
